#!/usr/bin/env bash
# The layer check (cmake/check_layers.cmake) passes on the tree and fails,
# naming the file, on each kind of upward include.
set -euo pipefail
src=$1
check() { cmake -DROOT="$1" -P "$src/cmake/check_layers.cmake" 2>&1; }

check "$src" >/dev/null || { echo "FAIL: the tree itself fails the check"; check "$src"; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
expect_refused() {  # <file> <line> <words expected in the message>
  rm -rf "$tmp/root" && mkdir -p "$tmp/root/$(dirname "$1")"
  printf '%s\n' "$2" > "$tmp/root/$1"
  if out=$(check "$tmp/root"); then
    echo "FAIL: $1 with '$2' passed the check"; exit 1
  fi
  grep -qF "$3" <<<"$out" || { echo "FAIL: message lacks '$3':"; echo "$out"; exit 1; }
  echo "refused as expected: $1 ($2)"
}
expect_refused base/clock.cc '#include "policy/rules.h"' 'base/clock.cc: includes "policy/rules.h"'
expect_refused policy/travel.cc '#include "server/domain/names.h"' 'policy/travel.cc'
expect_refused server/store/rows.cc '#include "server/domain/audit.h"' 'server/store/rows.cc'
expect_refused server/domain/claims.cc '#include "server/rpc/auth.h"' 'server/domain/claims.cc'
expect_refused server/domain/claims.cc '#include <grpcpp/grpcpp.h>' 'must not depend on gRPC'
expect_refused server/domain/claims.cc '#include "reciprocity/v1/claims.grpc.pb.h"' 'must not depend on gRPC'
expect_refused server/rpc/auth.cc '#include "server/server.h"' 'server/rpc/auth.cc'
expect_refused client/main.cc '#include "server/domain/names.h"' 'client/main.cc'
expect_refused server/helpers.cc '// nothing' 'server/ holds only'
# Allowed: a domain file including the store, policy and base.
rm -rf "$tmp/root" && mkdir -p "$tmp/root/server/domain"
printf '#include "server/store/store.h"\n#include "policy/policy.h"\n#include "base/clock.h"\n#include "reciprocity/v1/claims.pb.h"\n' \
  > "$tmp/root/server/domain/claims.cc"
check "$tmp/root" >/dev/null || { echo "FAIL: a downward include was refused"; exit 1; }
echo "PASS"
