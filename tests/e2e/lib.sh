# Shared by the end-to-end scripts (source it): a work directory removed on
# exit, `fail`, token hashes, and a reciprocityd on a random loopback port.
# Needs $daemon (the reciprocityd binary) and $src (the source tree).
work=$(mktemp -d)
log=$work/server.log
cleanup() {
  [[ -n ${pid:-} ]] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; echo "--- server log ---" >&2; cat "$log" >&2; exit 1; }

hash_of() { printf '%s' "$1" | sha256sum | cut -d' ' -f1; }

# start_server PRINCIPALS_FILE DB_FILE: runs reciprocityd with the shipped
# rule files, waits until it listens, and exports RECIP_SERVER.
start_server() {
  port=$((20000 + RANDOM % 20000))
  "$daemon" --listen "127.0.0.1:$port" --db "$2" --rules "$src/policy/areas" \
    --principals "$1" >"$log" 2>&1 &
  pid=$!
  for _ in $(seq 100); do
    grep -q "listening on" "$log" && break
    kill -0 "$pid" 2>/dev/null || fail "server exited"
    sleep 0.1
  done
  export RECIP_SERVER=127.0.0.1:$port
}

# stop_server: SIGTERM, which must end the server cleanly.
stop_server() {
  kill -TERM "$pid"
  wait "$pid" || fail "server exited non-zero on SIGTERM"
  pid=
}
