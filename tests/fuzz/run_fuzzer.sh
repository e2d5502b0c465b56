#!/bin/sh
# Builds the rule-file fuzzer with clang in build-fuzz and runs it.
# Usage: tests/fuzz/run_fuzzer.sh [SECONDS]   (default 60)
# New inputs the fuzzer finds go to build-fuzz/corpus; the shipped rule files
# in policy/areas and past crashes in tests/fuzz/regressions are the
# read-only seed corpus. Crashes are written to
# build-fuzz/artifacts and make the script exit non-zero.
set -eu
seconds="${1:-60}"
root="$(cd "$(dirname "$0")/../.." && pwd)"
build="$root/build-fuzz"

CC=clang-14 CXX=clang++-14 cmake -S "$root" -B "$build" -G Ninja \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo -DRECIP_FUZZ=ON \
  -DRECIP_BUILD_TESTS=ON -DRECIP_BUILD_BENCHMARKS=OFF >/dev/null
ninja -C "$build" rule_file_fuzzer

mkdir -p "$build/corpus" "$build/artifacts"
# detect_leaks stays on: a leak is a failure too.
ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1}" \
UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}" \
  "$build/tests/fuzz/rule_file_fuzzer" \
  -max_total_time="$seconds" -max_len=16384 -timeout=10 -rss_limit_mb=2048 \
  -artifact_prefix="$build/artifacts/" -print_final_stats=1 \
  -dict="$root/tests/fuzz/rule_file.dict" \
  "$build/corpus" "$root/policy/areas" "$root/tests/fuzz/regressions"
