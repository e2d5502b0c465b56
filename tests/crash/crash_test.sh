#!/usr/bin/env bash
# Crash test: kill -9 reciprocityd under 64 concurrent submitters, restart,
# retry, and check that every acknowledged claim survived unchanged, that no
# request made two claims and that the database passes integrity_check.
# Usage: crash_test.sh RECIPROCITYD SOURCE_DIR [ROUNDS]   (ROUNDS also from
# the environment; default 20, the long form). CRASH_SEED replays a run.
set -euo pipefail
daemon=$1 src=$2
rounds=${3:-${ROUNDS:-20}}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/py"
protoc -I "$src/proto" --python_out="$work/py" "$src"/proto/reciprocity/v1/*.proto
touch "$work/py/reciprocity/__init__.py" "$work/py/reciprocity/v1/__init__.py"
/usr/bin/python3 "$src/tests/crash/crash_driver.py" --daemon "$daemon" \
  --rules "$src/policy/areas" --pyout "$work/py" --work "$work" \
  --rounds "$rounds" ${CRASH_SEED:+--seed "$CRASH_SEED"} ||
  { echo "--- server log ---" >&2; tail -50 "$work/server.log" >&2; exit 1; }
