#!/usr/bin/env python3
# Attackers and a valid client for the exporter's adversarial host tests
# (44-exporter-attack.sh). The attacker and the valid client run as
# separate processes, so that the attacker's load on Python's interpreter
# lock never shows up in the valid client's timings.
#
#   exporter-attack.py attack SCENARIO HOST PORT N [USER]
#       runs until killed (SIGTERM), from source addresses 127.0.0.2 and up:
#       wrongpass   N threads, each from its own address, sending requests
#                   with a wrong password back to back
#       slowloris   N connections that send a request a few bytes at a time,
#                   one byte a second, reconnecting when dropped
#       flood       N connections, each sending scrapes without credentials
#                   back to back (keep-alive)
#       oversize    N connections sending 64 KiB of headers, GETs with a
#                   1 MiB body and POSTs with a 1 MiB body, back to back
#   exporter-attack.py held HOST PORT USER:PASS WAIT_S DEADLINE
#       opens a connection from 127.0.0.1, sends nothing for WAIT_S (a slow
#       client, or one between two requests), then scrapes on it; prints one
#       JSON line: status (0: no answer) and the error, if any
#   exporter-attack.py probe HOST PORT USER:PASS SECONDS DEADLINE
#       scrapes /metrics from 127.0.0.1 every 0.25 s for SECONDS with
#       X-Prometheus-Scrape-Timeout-Seconds: DEADLINE and prints one JSON
#       line: count, failures, median and max latency in seconds
import asyncio
import base64
import http.client
import json
import os
import signal
import socket
import statistics
import sys
import threading
import time


def source(i):
    """The i-th attacker address: 127.0.0.2 .. 127.0.0.254, 127.0.1.1 ..."""
    return "127.0.%d.%d" % (i // 253, 2 + i % 253)


def auth_header(cred):
    return "Basic " + base64.b64encode(cred.encode()).decode()


def wrongpass(host, port, n, user):
    stop = threading.Event()

    def one(i):
        k = 0
        while not stop.is_set():
            k += 1
            try:
                c = http.client.HTTPConnection(host, port, timeout=60,
                                               source_address=(source(i), 0))
                c.request("GET", "/metrics", headers={
                    "Authorization": auth_header("%s:wrong-%d-%d" % (user, i, k))})
                c.getresponse().read()
                c.close()
            except OSError:
                time.sleep(0.05)

    threads = [threading.Thread(target=one, args=(i,), daemon=True) for i in range(n)]
    for t in threads:
        t.start()
    signal.sigwait([signal.SIGTERM, signal.SIGINT])
    stop.set()


async def slow_conn(host, port, i):
    request = b"GET /metrics HTTP/1.1\r\nHost: bcmon\r\nX-Slow: " + b"a" * 200 + b"\r\n\r\n"
    while True:
        try:
            r, w = await asyncio.open_connection(host, port, local_addr=(source(i // 100), 0))
            for b in request:
                w.write(bytes([b]))
                await w.drain()
                await asyncio.sleep(1)
            await r.read()
            w.close()
        except OSError:
            await asyncio.sleep(0.2)


async def flood_conn(host, port, i):
    req = b"GET /metrics HTTP/1.1\r\nHost: bcmon\r\nX-Prometheus-Scrape-Timeout-Seconds: 10\r\n\r\n"
    while True:
        try:
            r, w = await asyncio.open_connection(host, port, local_addr=(source(i // 100), 0))
            while True:
                w.write(req)
                await w.drain()
                # Read one response: headers, then Content-Length bytes.
                head = await r.readuntil(b"\r\n\r\n")
                length = 0
                for line in head.split(b"\r\n"):
                    if line.lower().startswith(b"content-length:"):
                        length = int(line.split(b":")[1])
                await r.readexactly(length)
                if b"connection: close" in head.lower():
                    break
            w.close()
        except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, ValueError):
            await asyncio.sleep(0.05)


async def oversize_conn(host, port, i, k):
    big = b"a" * 65536
    body = b"b" * (1 << 20)
    reqs = [
        b"GET /metrics HTTP/1.1\r\nHost: bcmon\r\nX-Big: " + big + b"\r\n\r\n",
        b"GET /metrics HTTP/1.1\r\nHost: bcmon\r\nContent-Length: %d\r\n\r\n" % len(body) + body,
        b"POST /metrics HTTP/1.1\r\nHost: bcmon\r\nContent-Length: %d\r\n\r\n" % len(body) + body,
        b"GET /metrics HTTP/1.1\r\nHost: bcmon\r\nTransfer-Encoding: chunked\r\n\r\n"
        + b"100000\r\n" + body + b"\r\n0\r\n\r\n",
    ]
    while True:
        try:
            r, w = await asyncio.open_connection(host, port, local_addr=(source(i // 50), 0))
            w.write(reqs[k % len(reqs)])
            k += 1
            await asyncio.wait_for(w.drain(), 10)
            await asyncio.wait_for(r.read(65536), 10)
            w.close()
        except (OSError, asyncio.TimeoutError):
            await asyncio.sleep(0.05)


async def run_async(scenario, host, port, n, cred):
    if scenario == "slowloris":
        tasks = [slow_conn(host, port, i) for i in range(n)]
    elif scenario == "flood":
        tasks = [flood_conn(host, port, i) for i in range(n)]
    else:
        tasks = [oversize_conn(host, port, i, i) for i in range(n)]
    await asyncio.gather(*tasks)


def attack(argv):
    scenario, host, port, n = argv[0], argv[1], int(argv[2]), int(argv[3])
    extra = argv[4] if len(argv) > 4 else "prometheus"
    signal.pthread_sigmask(signal.SIG_BLOCK, [signal.SIGTERM, signal.SIGINT])
    if scenario == "wrongpass":
        wrongpass(host, port, n, extra)
        return 0
    if scenario not in ("slowloris", "flood", "oversize"):
        print("unknown scenario " + scenario, file=sys.stderr)
        return 2
    t = threading.Thread(target=lambda: asyncio.run(run_async(scenario, host, port, n, extra)),
                         daemon=True)
    t.start()
    signal.sigwait([signal.SIGTERM, signal.SIGINT])
    return 0


def probe(argv):
    host, port, cred, seconds, deadline = argv[0], int(argv[1]), argv[2], float(argv[3]), float(argv[4])
    lat, failures, reasons = [], 0, []
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        t0 = time.monotonic()
        try:
            c = http.client.HTTPConnection(host, port, timeout=deadline,
                                           source_address=("127.0.0.1", 0))
            c.request("GET", "/metrics", headers={
                "Authorization": auth_header(cred),
                "X-Prometheus-Scrape-Timeout-Seconds": "%g" % deadline})
            resp = c.getresponse()
            body = resp.read()
            c.close()
            dt = time.monotonic() - t0
            if resp.status != 200 or b"_scrape_collector_success" not in body:
                failures += 1
                reasons.append("status %d" % resp.status)
            elif dt > deadline:
                failures += 1
                reasons.append("late %.3f" % dt)
            lat.append(dt)
        except OSError as e:
            failures += 1
            reasons.append("%s after %.3f s" % (type(e).__name__, time.monotonic() - t0))
            lat.append(time.monotonic() - t0)
        time.sleep(max(0.0, 0.25 - (time.monotonic() - t0)))
    print(json.dumps({"count": len(lat), "failures": failures, "reasons": reasons[:5],
                      "median": statistics.median(lat) if lat else None,
                      "max": max(lat) if lat else None}))
    return 0


def held(argv):
    host, port, cred, wait, deadline = argv[0], int(argv[1]), argv[2], float(argv[3]), float(argv[4])
    status, error = 0, None
    try:
        c = http.client.HTTPConnection(host, port, timeout=deadline + wait,
                                       source_address=("127.0.0.1", 0))
        c.connect()
        time.sleep(wait)
        c.request("GET", "/metrics", headers={
            "Authorization": auth_header(cred),
            "X-Prometheus-Scrape-Timeout-Seconds": "%g" % deadline})
        resp = c.getresponse()
        resp.read()
        status = resp.status
        c.close()
    except (OSError, http.client.HTTPException) as e:
        error = type(e).__name__
    print(json.dumps({"status": status, "error": error}))
    return 0


if __name__ == "__main__":
    if len(sys.argv) == 7 and sys.argv[1] == "held":
        sys.exit(held(sys.argv[2:]))
    if len(sys.argv) >= 6 and sys.argv[1] == "attack":
        sys.exit(attack(sys.argv[2:]))
    if len(sys.argv) == 7 and sys.argv[1] == "probe":
        sys.exit(probe(sys.argv[2:]))
    print(__doc__ or "usage: see the header of this file", file=sys.stderr)
    sys.exit(2)
