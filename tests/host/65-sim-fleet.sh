#!/usr/bin/env bash
# Host test: bcmon-sim in fleet mode without a VM. Two nodes on loopback
# addresses (127.0.1.1 and .2, --no-record) must connect in either start
# order, vote on each other's rounds and trace them across both processes:
# the span files are decoded here against the OTLP/JSON field names
# (python3's json, independent of the C writer) and by scripts/bcmon-trace,
# and a round's trace must be one tree spanning both nodes. A node that
# restarts is reconnected; a stranger that claims to be a peer is cut off;
# --trace-sample 0 writes no span.
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
sim=$root/build/bin/bcmon-sim
[ -x "$sim" ] || { echo "FAIL: $sim not built"; exit 1; }
dir=$(mktemp -d)
pids=()
cleanup() {
	local p
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
	wait 2>/dev/null
	rm -rf "$dir"
}
trap cleanup EXIT
failed=0
check() {	# check NAME OK(0/1) DETAIL
	if [ "$2" = 0 ]; then echo "PASS $1 ($3)"; else echo "FAIL $1: $3"; failed=1; fi
}

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.1.1", 0)); print(s.getsockname()[1])')
ports=$port,$((port + 1))
fleet=127.0.1.1,127.0.1.2
node() {	# node NAME ADDR [ARGS...]: start one node, its pid in $!
	local name=$1 addr=$2
	shift 2
	"$sim" --fleet $fleet --self "$addr" --node "$name" --ports "$ports" --no-record \
		--trace "$dir/$name.jsonl" -v "$@" >>"$dir/$name.log" 2>&1 &
	pids+=($!)
}
links() { tail -n 1 "$dir/$1.log" | sed -n 's/.*links \([0-9]*\).*/\1/p'; }
wait_links() {	# wait_links NAME WANT SECONDS
	local deadline=$((SECONDS + $3))
	while [ $SECONDS -lt $deadline ]; do
		[ "$(links "$1")" = "$2" ] && return 0
		sleep 0.5
	done
	return 1
}

# --- the later node connects to the earlier one, whichever starts first -------
node b 127.0.1.2
b=$!
sleep 1.5
node a 127.0.1.1
a=$!
wait_links a 1 10; check link-up-a $? "node a: links $(links a)"
wait_links b 1 10; check link-up-b $? "node b: links $(links b)"
sleep 3
acc_a=$(tail -n 1 "$dir/a.log" | sed -n 's/.*rounds: \([0-9]*\) accepted.*/\1/p')
acc_b=$(tail -n 1 "$dir/b.log" | sed -n 's/.*rounds: \([0-9]*\) accepted.*/\1/p')
check rounds-accepted "$([ "${acc_a:-0}" -gt 5 ] && [ "${acc_b:-0}" -gt 5 ] && echo 0 || echo 1)" \
	"a accepted ${acc_a:-0}, b accepted ${acc_b:-0} rounds (each needs the other's vote)"

# --- a stranger claiming to be node b is cut off ------------------------------------
stranger=$(python3 - "$port" "$((port + 1))" <<'EOF'
import socket, struct, sys
# struct msg: type, from, flag, reserved, payload_len, reserved2, round, value, traceparent[56]
hello = struct.pack("<BBBBHHII56s", 1, 1, 0, 0, 0, 0, 0, 0, b"")
vote = struct.pack("<BBBBHHII56s", 3, 1, 1, 0, 0, 0, 1, 0, b"")
verdicts = []
for p in sys.argv[1:]:
    s = socket.create_connection(("127.0.1.1", int(p)), timeout=5)
    s.sendall(hello + vote)
    try:
        verdicts.append("closed" if s.recv(1) == b"" else "open")
    except socket.timeout:
        verdicts.append("open")
    except ConnectionResetError:
        verdicts.append("closed")
print(" ".join(verdicts))
EOF
)
check stranger-refused "$([ "$stranger" = "closed closed" ] && echo 0 || echo 1)" \
	"a HELLO from 127.0.0.1 naming node b: connections ${stranger:-?}"
check stranger-harmless "$([ "$(links a)" = 1 ] && echo 0 || echo 1)" "node a still has $(links a) link"

# --- restart: node b goes away and comes back -----------------------------------------
kill "$b"; wait "$b" 2>/dev/null
wait_links a 0 5; check link-down "$?" "node a after b stopped: links $(links a)"
decided() { tail -n 1 "$dir/a.log" | sed -n 's/.*rounds: \([0-9]*\) accepted, \([0-9]*\) rejected.*/\1+\2/p'; }
sleep 3		# the round in flight when b left times out (3 s)
before=$(decided)
sleep 2
after=$(decided)
check no-quorum-no-proposal "$([ -n "$before" ] && [ "$before" = "$after" ] && echo 0 || echo 1)" \
	"alone, node a proposes nothing: accepted+rejected $before -> $after"
node b 127.0.1.2
b=$!
wait_links a 1 10; check reconnect "$?" "node a after b restarted: links $(links a)"
sleep 2
kill "$a" "$b"; wait "$a" "$b" 2>/dev/null

# --- the span files, read against the OTLP/JSON field names -----------------------------
decoded=$(python3 - "$dir/a.jsonl" "$dir/b.jsonl" <<'EOF'
import json, re, sys
hexid = lambda n: re.compile("^[0-9a-f]{%d}$" % n)
t32, s16 = hexid(32), hexid(16)
spans, problems, lines = [], [], 0
for path in sys.argv[1:]:
    for line in open(path):
        lines += 1
        d = json.loads(line)			# every line is one JSON object
        for rs in d["resourceSpans"]:
            attrs = {a["key"]: a["value"] for a in rs["resource"]["attributes"]}
            host = attrs["host.name"]["stringValue"]
            assert attrs["service.name"]["stringValue"] == "bcmon-sim"
            for ss in rs["scopeSpans"]:
                for sp in ss["spans"]:
                    if not t32.match(sp["traceId"]) or not s16.match(sp["spanId"]):
                        problems.append("bad id")
                    if "parentSpanId" in sp and not s16.match(sp["parentSpanId"]):
                        problems.append("bad parent")
                    if sp["kind"] not in (1, 4, 5):
                        problems.append("kind %r" % sp["kind"])
                    if int(sp["endTimeUnixNano"]) < int(sp["startTimeUnixNano"]):
                        problems.append("ends before start")
                    if not isinstance(sp["startTimeUnixNano"], str):
                        problems.append("fixed64 not a string")
                    spans.append((host, sp))
ids = {sp["spanId"]: (host, sp) for host, sp in spans}
cross = sum(1 for host, sp in spans
            if sp.get("parentSpanId") in ids and ids[sp["parentSpanId"]][0] != host)
remote_flag_ok = all(sp["flags"] & 0x300 == 0x300 for host, sp in spans
                     if sp.get("parentSpanId") in ids and ids[sp["parentSpanId"]][0] != host)
# Rounds proposed by a whose trace reached b and came back.
full = {sp["traceId"] for host, sp in spans if host == "a" and sp["name"] == "receive vote"}
print(lines, len(spans), cross, int(remote_flag_ok), len(full), len(problems))
EOF
)
read -r nlines nspans ncross remote_ok nfull nproblems <<<"${decoded:-0 0 0 0 0 1}"
check spans-decode "$([ "${nproblems:-1}" = 0 ] && [ "${nspans:-0}" -gt 100 ] && echo 0 || echo 1)" \
	"$nspans spans in $nlines lines, $nproblems malformed"
check spans-cross-node "$([ "${ncross:-0}" -gt 10 ] && [ "$remote_ok" = 1 ] && echo 0 || echo 1)" \
	"$ncross parent links across nodes, remote flag set on all: $remote_ok"
trace=$("$root/scripts/bcmon-trace" --list --json "$dir/a.jsonl" "$dir/b.jsonl" |
	python3 -c 'import json, sys
rows = [r for r in json.load(sys.stdin) if r["root_node"] == "a" and r["nodes"] == ["a", "b"]
        and r["attributes"].get("bcmon.outcome") == "accepted"]
print(rows[0]["trace"] if rows else "")')
if [ -n "$trace" ]; then
	out=$("$root/scripts/bcmon-trace" --trace "$trace" --check --json "$dir/a.jsonl" "$dir/b.jsonl")
	rc=$?
	summary=$(jq -r '"\(.spans) spans, \(.cross_node_links) cross-node links, errors \(.errors | length)"' <<<"$out")
	names=$(jq -r '[.. | objects | select(has("name") and has("node")) | "\(.node):\(.name)"] | sort | join(",")' <<<"$out")
	want="a:consensus.decide,a:consensus.propose,a:consensus.round,a:receive vote,a:send propose,b:consensus.vote,b:receive propose,b:send vote"
	check round-trace-tree "$([ $rc = 0 ] && [ "$names" = "$want" ] && echo 0 || echo 1)" \
		"trace $trace: $summary; spans $names"
else
	check round-trace-tree 1 "no accepted round of a's spans both nodes"
fi

# --- sampling 0: context still flows, nothing written ---------------------------------
rm -f "$dir"/*.jsonl "$dir"/*.log
node a 127.0.1.1 --trace-sample 0
a=$!
node b 127.0.1.2 --trace-sample 0
b=$!
wait_links a 1 10
sleep 2
kill "$a" "$b"; wait "$a" "$b" 2>/dev/null
size=$(cat "$dir/a.jsonl" "$dir/b.jsonl" | wc -c)
check sample-zero "$([ "$size" = 0 ] && echo 0 || echo 1)" "$size bytes of spans with --trace-sample 0"

exit $failed
