#!/usr/bin/env bash
# The load benchmark in one command:
#   tests/bench/run_load_bench.sh [BUILD_DIR]   (default: build-release, built
#                                                here in Release if missing)
# Starts reciprocityd on temporary databases with a generated principals
# file, measures health and SubmitClaim at 16 and 64 calls in flight, GetClaim
# and ListClaims at 10,000 and 1,000,000 stored claims, the server's peak
# memory, and prints a summary table with the targets of issue 7.
# Environment: SECONDS_PER_RUN (default 5), BIG (default 1000000).
set -euo pipefail
src=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$src/build-release}
daemon=$build/server/reciprocityd
bench=$build/tests/bench/load_bench
secs=${SECONDS_PER_RUN:-5}
big=${BIG:-1000000}
if [[ ! -x $daemon || ! -x $bench ]]; then
  if [[ $# -eq 0 ]]; then
    "$src/deploy/install-deps.sh" --test
    cmake -S "$src" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release \
      -DRECIP_BUILD_BENCHMARKS=ON -DRECIP_BUILD_TESTS=ON >/dev/null
  fi
  cmake --build "$build" --target reciprocityd load_bench
fi

work=$(mktemp -d)
pid=
cleanup() {
  if [[ -n $pid ]]; then kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

hash_of() { printf '%s' "$1" | sha256sum | cut -d' ' -f1; }
cat >"$work/principals.textproto" <<P
principals { id: "bench-officer" token_sha256: "$(hash_of bench-officer-token)"
  roles: ROLE_OFFICER service_areas: "adult-social-care" }
P
token=bench-officer-token
port=$((20000 + RANDOM % 20000))
target=127.0.0.1:$port
metrics_port=$((port + 1))
peak_kib=0

start_server() {  # DB
  "$daemon" --listen "$target" --db "$1" --rules "$src/policy/areas" \
    --principals "$work/principals.textproto" --log-level warn \
    --metrics-listen "127.0.0.1:$metrics_port" >"$work/server.log" 2>&1 &
  pid=$!
  for _ in $(seq 200); do
    grep -q "listening on" "$work/server.log" && return 0
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.05
  done
  echo "server did not start:" >&2; cat "$work/server.log" >&2; exit 1
}
stop_server() {
  local hwm
  hwm=$(awk '/VmHWM/ {print $2}' "/proc/$pid/status")
  ((hwm > peak_kib)) && peak_kib=$hwm
  kill "$pid"; wait "$pid" 2>/dev/null || true
  pid=
}
# run METHOD INFLIGHT [extra args]: prints "calls_per_s p50_us p99_us"
run() {
  local line
  line=$("$bench" run --target "$target" --token "$token" --method "$1" \
    --inflight "$2" --seconds "$secs" "${@:3}")
  echo "  $line" >&2
  grep -q " errors=0" <<<"$line" || { echo "errors in $1 run" >&2; exit 1; }
  sed -E 's/.*calls_per_s=([0-9]+) p50_us=([0-9]+) p99_us=([0-9]+).*/\1 \2 \3/' <<<"$line"
}

# commit_totals: "commits writes seconds" so far, from the server's metrics
commit_totals() {
  local body
  exec 3<>"/dev/tcp/127.0.0.1/$metrics_port"
  printf 'GET /metrics HTTP/1.1\r\nHost: localhost\r\n\r\n' >&3
  body=$(cat <&3)
  exec 3>&-
  awk '/^reciprocity_store_writes_per_commit_count /{c=$2}
       /^reciprocity_store_writes_per_commit_sum /{w=$2}
       /^reciprocity_store_commit_duration_seconds_sum /{s=$2}
       END {print c+0, w+0, s+0}' <<<"$body"
}
# group_commits BEFORE AFTER: "writes per commit, mean commit ms" between two
# commit_totals
group_commits() {
  awk -v b="$1" -v a="$2" 'BEGIN { split(b, x, " "); split(a, y, " ");
    c = y[1] - x[1]; if (c <= 0) { print "-"; exit }
    printf "%.1f / %.2f\n", (y[2] - x[2]) / c, 1000 * (y[3] - x[3]) / c }'
}

echo "== throughput (fresh database, ${secs}s per run)" >&2
start_server "$work/load.db"
read -r h16 h16p50 h16p99 < <(run health 16)
before=$(commit_totals)
# Claims are one a participant a day going back from --first-day: the two
# runs use different days, so that no claim repeats an earlier one.
read -r s16 s16p50 s16p99 < <(run submit 16 --first-day 0)
after=$(commit_totals)
g16=$(group_commits "$before" "$after")
read -r h64 h64p50 h64p99 < <(run health 64)
before=$(commit_totals)
read -r s64 s64p50 s64p99 < <(run submit 64 --first-day 150)
after=$(commit_totals)
g64=$(group_commits "$before" "$after")
stop_server

declare -A get_p50 list_p50
for n in 10000 "$big"; do
  echo "== reads at $n stored claims" >&2
  "$bench" seed --db "$work/read-$n.db" --count "$n" >&2
  start_server "$work/read-$n.db"
  read -r _ get_p50[$n] _ < <(run get 16 --claims "$n")
  read -r _ list_p50[$n] _ < <(run list 16)
  stop_server
  rm -f "$work/read-$n.db"*
done

share() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.0f", 100 * a / b }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
verdict() { awk -v a="$1" -v op="$2" -v b="$3" 'BEGIN {
  ok = (op == ">=") ? a >= b : a <= b; print ok ? "ok" : "MISSED" }'; }
s16share=$(share "$s16" "$h16")
s64share=$(share "$s64" "$h64")
get_ratio=$(ratio "${get_p50[$big]}" "${get_p50[10000]}")
list_ratio=$(ratio "${list_p50[$big]}" "${list_p50[10000]}")
peak_mib=$(awk -v k="$peak_kib" 'BEGIN { printf "%.1f", k / 1024 }')

printf '\n%-44s %14s %12s %s\n' "measure" "value" "target" ""
row() { printf '%-44s %14s %12s %s\n' "$@"; }
row "health calls/s, 16 in flight" "$h16" "" ""
row "health calls/s, 64 in flight" "$h64" "" ""
row "SubmitClaim calls/s, 16 in flight" "$s16" "" ""
row "SubmitClaim calls/s, 64 in flight" "$s64" "" ""
row "SubmitClaim share of health, 16 in flight" "$s16share %" "" ""
row "SubmitClaim share of health, 64 in flight" "$s64share %" ">= 50 %" "$(verdict "$s64share" ">=" 50)"
row "health p50/p99 us, 16 in flight" "$h16p50/$h16p99" "" ""
row "health p50/p99 us, 64 in flight" "$h64p50/$h64p99" "" ""
row "SubmitClaim p50/p99 us, 16 in flight" "$s16p50/$s16p99" "p99 <= 5000" "$(verdict "$s16p99" "<=" 5000)"
row "SubmitClaim p50/p99 us, 64 in flight" "$s64p50/$s64p99" "" ""
row "writes per commit / commit ms, 16 in flight" "$g16" "" ""
row "writes per commit / commit ms, 64 in flight" "$g64" "" ""
row "GetClaim p50 us, 10k / $big claims" "${get_p50[10000]}/${get_p50[$big]}" "ratio <= 1.5" "$(verdict "$get_ratio" "<=" 1.5) ($get_ratio)"
row "ListClaims p50 us, 10k / $big claims" "${list_p50[10000]}/${list_p50[$big]}" "ratio <= 1.5" "$(verdict "$list_ratio" "<=" 1.5) ($list_ratio)"
row "server peak memory (VmHWM), MiB" "$peak_mib" "<= 64" "$(verdict "$peak_mib" "<=" 64)"
