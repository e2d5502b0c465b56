#!/usr/bin/env bash
# End to end for operators: `reciprocityd --check` on good and bad
# configurations, --config files, `recip admin backup`, `reciprocityd
# --restore` and the metrics endpoint, with the built binaries.
# Usage: operations_test.sh RECIPROCITYD RECIP SOURCE_DIR
set -euo pipefail
daemon=$1 recip=$2 src=$3
work=$(mktemp -d)
log=$work/server.log
: >"$log"
cleanup() {
  [[ -n ${pid:-} ]] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; echo "--- server log ---" >&2; cat "$log" >&2; exit 1; }

hash_of() { printf '%s' "$1" | sha256sum | cut -d' ' -f1; }
cat >"$work/principals.textproto" <<P
principals { id: "ops-admin" token_sha256: "$(hash_of admin-token)" roles: ROLE_ADMINISTRATOR }
principals { id: "ops-officer" token_sha256: "$(hash_of officer-token)"
  roles: ROLE_OFFICER service_areas: "adult-social-care" }
P
cp -r "$src/policy/areas" "$work/areas"
mkdir "$work/backups"
# The good configuration; a check may override one item, e.g.
# `rules=$work/bad-areas check`.
db=$work/ops.db rules=$work/areas principals=$work/principals.textproto backups=$work/backups
good() {
  echo --db "$db" --rules "$rules" --principals "$principals" --backup-dir "$backups"
}
check() {  # check [EXTRA FLAGS...]: prints the report, returns its status
  # shellcheck disable=SC2046
  "$daemon" $(good) "$@" --check
}

# --- --check: a good configuration passes and creates nothing.
out=$(check) || fail "good configuration failed --check: $out"
[[ $(grep -c '^OK   rules: ' <<<"$out") -eq 3 ]] || fail "expected 3 rule files OK: $out"
grep -q '^OK   database: .*will be created' <<<"$out" || fail "database line: $out"
grep -q 'all [0-9]* checks passed' <<<"$out" || fail "summary: $out"
[[ ! -e $work/ops.db ]] || fail "--check created the database"

# --- the same through a --config file.
cat >"$work/reciprocity.conf" <<C
listen = "127.0.0.1:0"
db = "$work/ops.db"
rules = "$work/areas"
principals = "$work/principals.textproto"
backup-dir = "$work/backups"
log-level = "warn"
C
"$daemon" --config "$work/reciprocity.conf" --check >/dev/null || fail "--config --check"

# --- every broken rule file is named with file:line:column; the rest pass.
cp -r "$work/areas" "$work/bad-areas"
echo 'no_such_field: 1' >>"$work/bad-areas/children-and-families.textproto"
printf 'display_name: "x"\nprojects { id: ' >"$work/bad-areas/strategy-and-commissioning.textproto"
if out=$(rules=$work/bad-areas check); then
  fail "broken rule files passed: $out"
fi
grep -Eq '^FAIL rules: .*children-and-families\.textproto:[0-9]+:[0-9]+: ' <<<"$out" ||
  fail "no file:line:column for children-and-families: $out"
grep -Eq '^FAIL rules: .*strategy-and-commissioning\.textproto:[0-9]+:[0-9]+: ' <<<"$out" ||
  fail "no file:line:column for strategy-and-commissioning: $out"
grep -q '^OK   rules: .*adult-social-care' <<<"$out" || fail "good file not reported: $out"
grep -q '2 of [0-9]* checks failed' <<<"$out" || fail "summary: $out"

# --- other bad items, each on its own.
expect_fail() {  # expect_fail PATTERN [EXTRA FLAGS...]
  local pattern=$1; shift
  if out=$(check "$@"); then fail "passed: $out"; fi
  grep -Eq "$pattern" <<<"$out" || fail "expected /$pattern/: $out"
}
principals=$work/missing.textproto expect_fail '^FAIL principals: .*missing'
echo 'principals { id: ' >"$work/broken-principals.textproto"
principals=$work/broken-principals.textproto \
  expect_fail '^FAIL principals: .*broken-principals.textproto:[0-9]+:[0-9]+'
expect_fail '^FAIL listen: ' --listen nonsense
expect_fail '^FAIL metrics-listen: ' --metrics-listen 127.0.0.1:99999
expect_fail '^FAIL sign-in-proxy: "web-host" is not an IP' --sign-in-proxy 127.0.0.1,web-host
backups=$work/no-such-dir expect_fail '^FAIL backup-dir: '
db=$work/no-such-dir/x.db expect_fail '^FAIL database: .*does not exist'
sqlite3 "$work/newer.db" 'PRAGMA user_version = 999;'
db=$work/newer.db expect_fail '^FAIL database: .*newer'
echo "not a database at all, just text that is long enough to be a header" >"$work/text.db"
db=$work/text.db expect_fail '^FAIL database: '
if "$daemon" --log-level loud --check >/dev/null 2>&1; then fail "bad --log-level accepted"; fi

# --- a running server: claims, an online backup, metrics.
start_server() {  # [EXTRA FLAGS...]
  port=$((20000 + RANDOM % 20000))
  metrics_port=$((20000 + RANDOM % 20000))
  # shellcheck disable=SC2046
  "$daemon" $(good) --listen "127.0.0.1:$port" \
    --metrics-listen "127.0.0.1:$metrics_port" "$@" >>"$log" 2>&1 &
  pid=$!
  for _ in $(seq 100); do
    grep -q "listening on 127.0.0.1:$port" "$log" && return 0
    kill -0 "$pid" 2>/dev/null || fail "server exited"
    sleep 0.1
  done
  fail "server did not start"
}
stop_server() {
  kill -TERM "$pid"; wait "$pid" || fail "server exit status"; pid=
}
start_server
export RECIP_SERVER=127.0.0.1:$port RECIP_TOKEN=officer-token
"$recip" participant create p-0001 --type resident --name "Ops" >/dev/null ||
  fail "register p-0001"
for i in 0 1 2; do  # one fare a day: a second one the same day goes to a person
  "$recip" claim submit --participant p-0001 --project adult-social-care/ld-user-voice \
    --date "$(date -d "-$i day" +%F)" --fare 3.20 >/dev/null || fail "submit $i"
done
if out=$("$recip" admin backup nightly.db 2>&1); then fail "officer took a backup: $out"; fi
grep -q PERMISSION_DENIED <<<"$out" || fail "officer backup message: $out"
out=$(RECIP_TOKEN=admin-token "$recip" admin backup nightly.db) || fail "backup: $out"
grep -q "$work/backups/nightly.db" <<<"$out" || fail "backup output: $out"
grep -q "3 claims" <<<"$out" || fail "backup claim count: $out"
[[ $(sqlite3 "$work/backups/nightly.db" 'PRAGMA integrity_check') == ok ]] || fail "integrity"

# Metrics over plain HTTP (bash's /dev/tcp: no curl needed).
exec 3<>"/dev/tcp/127.0.0.1/$metrics_port"
printf 'GET /metrics HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n' >&3
metrics=$(cat <&3)
exec 3<&-
grep -q '^HTTP/1.1 200 OK' <<<"$metrics" || fail "metrics status: $metrics"
grep -q '^# TYPE reciprocity_rpc_duration_seconds histogram' <<<"$metrics" || fail "histogram TYPE"
grep -q 'reciprocity_rpc_requests_total{method="/reciprocity.v1.ClaimService/SubmitClaim",code="OK"} 3' \
  <<<"$metrics" || fail "submit counter: $metrics"
grep -q 'reciprocity_claims{state="APPROVED"} 3' <<<"$metrics" || fail "claims gauge: $metrics"

# --- SIGHUP rereads the principals file: a new token works and a removed
# one is refused at once, without a restart.
cp "$principals" "$work/principals.before"
cat >"$principals" <<P
principals { id: "ops-admin" token_sha256: "$(hash_of admin-token)" roles: ROLE_ADMINISTRATOR }
principals { id: "ops-officer-2" token_sha256: "$(hash_of officer-token-2)"
  roles: ROLE_OFFICER service_areas: "adult-social-care" }
P
kill -HUP "$pid"
reloaded=
for _ in $(seq 50); do
  if RECIP_TOKEN=officer-token-2 "$recip" claim list >/dev/null 2>&1; then reloaded=1; break; fi
  sleep 0.1
done
[[ -n $reloaded ]] || fail "the new token did not work after SIGHUP"
if out=$("$recip" claim list 2>&1); then fail "a removed token still works: $out"; fi
grep -q UNAUTHENTICATED <<<"$out" || fail "removed token message: $out"
# A broken principals file is refused and the previous one stays in force.
echo 'principals { id: ' >"$principals"
kill -HUP "$pid"
sleep 0.5
RECIP_TOKEN=officer-token-2 "$recip" claim list >/dev/null ||
  fail "a broken principals file replaced the good one"
kill -0 "$pid" || fail "server died on a broken principals file"
cp "$work/principals.before" "$principals"
kill -HUP "$pid"
stop_server
grep -q 'event=rpc .*method=/reciprocity.v1.AdminService/BackupDatabase.*request_id=' "$log" ||
  fail "backup RPC log line lacks the request id"

# --- restore: refused for junk, then the backup into a fresh database.
if out=$("$daemon" --db "$work/restored.db" --restore "$work/text.db" 2>&1); then
  fail "restored junk: $out"
fi
[[ ! -e $work/restored.db ]] || fail "a refused restore wrote the database"
out=$("$daemon" --db "$work/restored.db" --restore "$work/backups/nightly.db") ||
  fail "restore: $out"
grep -q "3 claims" <<<"$out" || fail "restore output: $out"
# Restoring over an existing database keeps the old one beside it.
out=$("$daemon" --db "$work/ops.db" --restore "$work/backups/nightly.db") || fail "restore 2: $out"
grep -q "kept the current database as $work/ops.db.before-restore-" <<<"$out" ||
  fail "restore over existing: $out"
db=$work/restored.db start_server
export RECIP_SERVER=127.0.0.1:$port
out=$("$recip" claim list) || fail "list after restore"
for i in 1 2 3; do grep -q "claims/$i" <<<"$out" || fail "claims/$i lost: $out"; done
stop_server

# --- TLS: recip takes its CA from RECIP_TLS_CA as from --tls-ca; without
# it the plaintext client is refused.
(
  cd "$work"
  openssl ecparam -name prime256v1 -genkey -noout -out ca.key
  openssl req -x509 -new -key ca.key -out ca.pem -days 2 -subj /CN=test-ca
  openssl ecparam -name prime256v1 -genkey -noout -out server.key
  openssl req -new -key server.key -out server.csr -subj /CN=localhost
  printf 'subjectAltName=IP:127.0.0.1,DNS:localhost' >ext
  openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial \
    -out server.pem -days 2 -extfile ext
  openssl ecparam -name prime256v1 -genkey -noout -out client.key
  openssl req -new -key client.key -out client.csr -subj /O=Council/CN=ops-mtls
  openssl x509 -req -in client.csr -CA ca.pem -CAkey ca.key -CAcreateserial \
    -out client.pem -days 2
  openssl ecparam -name prime256v1 -genkey -noout -out other-ca.key
  openssl req -x509 -new -key other-ca.key -out other-ca.pem -days 2 -subj /CN=other-ca
) >/dev/null 2>&1 || fail "openssl could not make test certificates"
tls=(--tls-cert "$work/server.pem" --tls-key "$work/server.key")
db=$work/restored.db start_server "${tls[@]}"
export RECIP_SERVER=127.0.0.1:$port
if out=$("$recip" --timeout 3 claim list 2>&1); then fail "plaintext client was served: $out"; fi
out=$(RECIP_TLS_CA=$work/other-ca.pem "$recip" --timeout 3 claim list 2>&1) &&
  fail "a CA that did not sign the certificate was trusted: $out"
out=$(RECIP_TLS_CA=$work/ca.pem "$recip" claim list) || fail "RECIP_TLS_CA: $out"
grep -q "claims/1" <<<"$out" || fail "TLS list: $out"
out=$("$recip" --tls-ca "$work/ca.pem" claim list) || fail "--tls-ca: $out"
grep -q "claims/1" <<<"$out" || fail "TLS list: $out"
stop_server

# --- mutual TLS: the client certificate names the principal, no token; the
# certificate and key come from RECIP_TLS_CERT and RECIP_TLS_KEY.
cat >>"$principals" <<P
principals { id: "ops-mtls" certificate_subject: "CN=ops-mtls,O=Council"
  roles: ROLE_OFFICER service_areas: "adult-social-care" }
P
db=$work/restored.db start_server "${tls[@]}" --tls-client-ca "$work/ca.pem"
export RECIP_SERVER=127.0.0.1:$port RECIP_TLS_CA=$work/ca.pem
if out=$(env -u RECIP_TOKEN "$recip" --timeout 3 claim list 2>&1); then
  fail "a client without a certificate was served: $out"
fi
out=$(env -u RECIP_TOKEN RECIP_TLS_CERT="$work/client.pem" RECIP_TLS_KEY="$work/client.key" \
  "$recip" claim list) || fail "mTLS from the environment: $out"
grep -q "claims/1" <<<"$out" || fail "mTLS list: $out"
unset RECIP_TLS_CA
stop_server
echo "operations e2e: OK"
