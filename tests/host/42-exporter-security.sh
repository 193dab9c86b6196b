#!/usr/bin/env bash
# Host test: web config in exporter-toolkit format. TLS with a self-signed
# certificate, basic auth with a bcrypt hash: no or wrong credentials get
# 401, the right ones 200; plain HTTP is refused by a TLS listener; a bad
# web config exits with status 2.
. "$(dirname "$0")/exporter-lib.bash"

openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=localhost \
	-addext subjectAltName=IP:127.0.0.1 \
	-keyout "$tmp/key.pem" -out "$tmp/cert.pem" 2>/dev/null || fail "openssl"
hash=$(/usr/bin/python3 -W ignore -c 'import crypt; print(crypt.crypt("s3cret", crypt.mksalt(crypt.METHOD_BLOWFISH, rounds=16)))')
case $hash in '$2b$'*) ;; *) fail "no bcrypt from python's crypt: $hash" ;; esac
# Relative paths resolve against the web config's directory.
cat >"$tmp/web.yml" <<YAML
tls_server_config:
  cert_file: cert.pem
  key_file: key.pem
basic_auth_users:
  prometheus: '$hash'
YAML

start_exporter --web.config.file="$tmp/web.yml" --no-collector.bpf
grep -q 'tls=true basic_auth=true' "$LOG" || fail "TLS/auth not reported at start"
https=https://127.0.0.1:$PORT
code() { curl -s --cacert "$tmp/cert.pem" -o "$tmp/body" -w '%{http_code}' "$@"; }
[ "$(code "$https/metrics")" = 401 ] || fail "no credentials"
curl -s --cacert "$tmp/cert.pem" -D "$tmp/h" -o /dev/null "$https/metrics"
grep -qi '^www-authenticate: basic realm="bcmon-exporter"' "$tmp/h" || fail "401 without a challenge"
[ "$(code -u prometheus:wrong "$https/metrics")" = 401 ] || fail "wrong password"
[ "$(code -u nobody:s3cret "$https/metrics")" = 401 ] || fail "unknown user"
[ "$(code -u prometheus:s3cret "$https/metrics")" = 200 ] || fail "right credentials"
grep -q '^bitcraps_health_status ' "$tmp/body" || fail "no metrics over TLS"
[ "$(code -u prometheus:s3cret "$https/health")" = 200 ] || fail "/health with credentials"
[ "$(code "$https/health")" = 401 ] || fail "/health needs credentials too"
# A plain HTTP request to the TLS port gets no HTTP answer.
plain=$(curl -s -m 5 -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/metrics" || true)
[ "$plain" != 200 ] || fail "plain HTTP served on the TLS port"
stop_exporter

# Basic auth without TLS works too (the operator's choice to make).
printf 'basic_auth_users:\n  p: %s\n' "'$hash'" >"$tmp/auth.yml"
start_exporter --web.config.file="$tmp/auth.yml" --no-collector.bpf
[ "$(curl -s -o /dev/null -w '%{http_code}' -u p:s3cret "$URL/metrics")" = 200 ] || fail "auth over http"
[ "$(curl -s -o /dev/null -w '%{http_code}' -u p:x "$URL/metrics")" = 401 ] || fail "bad auth over http"
stop_exporter

# A plaintext password in the web config is refused at start.
printf 'basic_auth_users:\n  p: plain\n' >"$tmp/bad.yml"
rc=0
"$EXPORTER" --web.config.file="$tmp/bad.yml" 2>"$tmp/err" || rc=$?
[ "$rc" = 2 ] || fail "bad web config exit status $rc"
grep -q "bad.yml:2: password of 'p' must be a bcrypt hash" "$tmp/err" || fail "message: $(cat "$tmp/err")"
echo "42-exporter-security: TLS and bcrypt basic auth enforced"
