#!/usr/bin/env bash
# Host test: TLS as exporter-toolkit does it.
#  - client_auth_type RequireAndVerifyClientCert with client_ca_file: no
#    client certificate, or one from another CA, gets 403; one signed by
#    the client CA gets through (to basic auth, also configured);
#  - min_version TLS13: a TLS 1.2 client cannot connect;
#  - the web configuration and its files are re-read when they change,
#    without a restart: a new server certificate is served to new
#    connections, a changed password takes effect (the old one is refused
#    even though it was cached); a change of client_auth_type is refused
#    (it needs a restart) and the previous configuration stays;
#  - VerifyClientCertIfGiven: no certificate passes, a bad one does not.
. "$(dirname "$0")/exporter-lib.bash"
cd "$tmp"

# A CA for servers and clients, a server certificate for 127.0.0.1, a
# client certificate (clientAuth) from the CA, and one from elsewhere.
ssl() { openssl "$@" 2>/dev/null || fail "openssl $1"; }
ssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=bcmon-test-ca -keyout ca.key -out ca.pem
issue() {	# issue NAME EXTENSIONS
	ssl req -newkey rsa:2048 -nodes -subj "/CN=$1" -keyout "$1.key" -out "$1.csr"
	printf '%s\n' "$2" >"$1.ext"
	ssl x509 -req -in "$1.csr" -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 \
		-extfile "$1.ext" -out "$1.pem"
}
issue server 'subjectAltName=IP:127.0.0.1'
issue client 'extendedKeyUsage=clientAuth'
ssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=stranger -keyout stranger.key \
	-out stranger.pem -addext extendedKeyUsage=clientAuth
hash() { /usr/bin/python3 -W ignore -c "import crypt; print(crypt.crypt('$1', crypt.mksalt(crypt.METHOD_BLOWFISH, rounds=16)))"; }
web() {	# web CLIENT_AUTH PASSWORD_HASH
	cat >web.yml.tmp <<YAML
tls_server_config:
  cert_file: server.pem
  key_file: server.key
  client_auth_type: $1
  client_ca_file: ca.pem
  min_version: TLS13
basic_auth_users:
  prometheus: '$2'
YAML
	mv web.yml.tmp web.yml
}
web RequireAndVerifyClientCert "$(hash s3cret)"

start_exporter --web.config.file="$tmp/web.yml" --no-collector.bpf
https=https://127.0.0.1:$PORT
code() { curl -s -m 5 --cacert ca.pem -o body -w '%{http_code}' "$@"; }
[ "$(code -u prometheus:s3cret "$https/metrics")" = 403 ] || fail "no client certificate"
[ "$(code --cert stranger.pem --key stranger.key -u prometheus:s3cret "$https/metrics")" = 403 ] ||
	fail "a client certificate from another CA"
mine=(--cert client.pem --key client.key)
[ "$(code "${mine[@]}" "$https/metrics")" = 401 ] || fail "client certificate without basic auth"
[ "$(code "${mine[@]}" -u prometheus:s3cret "$https/metrics")" = 200 ] || fail "client certificate and password"
grep -q '^bitcraps_health_status ' body || fail "no metrics over mutual TLS"
[ "$(code "${mine[@]}" -u prometheus:s3cret --tls-max 1.2 "$https/metrics")" = 000 ] ||
	fail "a TLS 1.2 client got through min_version TLS13"
grep -q 'client_certificate"} [1-9]' <(curl -s --cacert ca.pem "${mine[@]}" -u prometheus:s3cret "$https/metrics") ||
	fail "refused client certificates not counted"

# Reload without a restart: a new server certificate and a new password.
fingerprint() {
	openssl s_client -connect "127.0.0.1:$PORT" -CAfile ca.pem -cert client.pem -key client.key \
		</dev/null 2>/dev/null | openssl x509 -noout -fingerprint -sha256 2>/dev/null
}
old_fp=$(fingerprint)
[ -n "$old_fp" ] || fail "no server certificate read"
# A key renewed before its certificate (the moment between writing the two
# files): that pair is refused and the previous one keeps serving.
ssl req -newkey rsa:2048 -nodes -subj /CN=server -keyout server.key -out server.csr
for _ in $(seq 40); do grep -q 'TLS key .* and certificate .*: ' "$LOG" && break; sleep 0.1; done
grep -q 'TLS key .* and certificate .*: ' "$LOG" || fail "a key that does not match its certificate was not refused"
grep -q 'web configuration reload failed' "$LOG" || fail "the mismatched pair was not reported as a failed reload"
[ "$(fingerprint)" = "$old_fp" ] || fail "not the previous certificate after a refused pair"
[ "$(code "${mine[@]}" -u prometheus:s3cret "$https/metrics")" = 200 ] ||
	fail "handshakes fail after a refused key/certificate pair"
issue server 'subjectAltName=IP:127.0.0.1'	# same names, new key and serial
web RequireAndVerifyClientCert "$(hash n3w)"
for _ in $(seq 40); do grep -q 'web configuration reloaded' "$LOG" && break; sleep 0.1; done
grep -q 'web configuration reloaded' "$LOG" || fail "changed files not reloaded"
# The configuration and the two files are separate writes, each picked
# up by the once-a-second check: wait for the new certificate (4 s).
for _ in $(seq 40); do [ "$(fingerprint)" != "$old_fp" ] && break; sleep 0.1; done
[ "$(fingerprint)" != "$old_fp" ] || fail "the old server certificate is still served"
for _ in $(seq 40); do [ "$(code "${mine[@]}" -u prometheus:n3w "$https/metrics")" = 200 ] && break; sleep 0.1; done
[ "$(code "${mine[@]}" -u prometheus:s3cret "$https/metrics")" = 401 ] ||
	fail "the old password still works (cached?)"
[ "$(code "${mine[@]}" -u prometheus:n3w "$https/metrics")" = 200 ] || fail "the new password"
# client_auth_type cannot change under a running server: refused, kept.
web RequestClientCert "$(hash n3w)"
for _ in $(seq 40); do grep -q 'reload refused' "$LOG" && break; sleep 0.1; done
grep -q 'web configuration reload refused' "$LOG" || fail "client_auth_type change not refused"
[ "$(code -u prometheus:n3w "$https/metrics")" = 403 ] || fail "client certificates no longer required"
stop_exporter

# VerifyClientCertIfGiven: none is fine, a bad one is not.
web VerifyClientCertIfGiven "$(hash s3cret)"
start_exporter --web.config.file="$tmp/web.yml" --no-collector.bpf
https=https://127.0.0.1:$PORT
[ "$(code -u prometheus:s3cret "$https/metrics")" = 200 ] || fail "IfGiven: no certificate"
[ "$(code --cert stranger.pem --key stranger.key -u prometheus:s3cret "$https/metrics")" = 403 ] ||
	fail "IfGiven: a certificate from another CA"
[ "$(code "${mine[@]}" -u prometheus:s3cret "$https/metrics")" = 200 ] || fail "IfGiven: a good certificate"
stop_exporter
echo "47-exporter-tls: client certificates, min_version, live reload of certificates and users"
