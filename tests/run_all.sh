#!/usr/bin/env bash
# The test command (Debian 12, as root): install what is missing, build with
# AddressSanitizer and UndefinedBehaviorSanitizer, and run every test.
#   tests/run_all.sh            everything, sanitized (what CI runs)
#   RECIP_SANITIZE=OFF tests/run_all.sh   a faster plain build
set -euo pipefail
cd "$(dirname "$0")/.."

deploy/install-deps.sh --test
sanitize=${RECIP_SANITIZE:-ON}
build=build-test
[[ $sanitize == ON ]] && build=build-asan
# -U: a suite list cached by an older checkout must not hide a suite.
cmake -S . -B "$build" -U RECIP_TEST_SUITES -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DRECIP_SANITIZE="$sanitize" -DRECIP_BUILD_BENCHMARKS=ON >/dev/null
cmake --build "$build"
export RECIP_REQUIRE_BROWSER=1  # installed above: the browser tests must run
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
ctest --test-dir "$build" --output-on-failure -j2 --timeout 600
