#!/usr/bin/env bash
# The README's short tour, run as written: every ```sh block between
# "## A short tour" and the next "## " heading, in order, in one shell with
# `set -e`, against a reciprocityd set up as deploy/quickstart.sh sets it
# up (var/principals.textproto and var/tokens.env from
# deploy/demo-principals.sh, the shipped rule files). The only change to
# the text is the port: the server listens on a free one, not 50051.
#   readme_tour_test.sh RECIPROCITYD RECIP SRC_DIR
set -euo pipefail
daemon=$1 recip=$2 src=$3
source "$src/tests/e2e/lib.sh"

# A working copy shaped like the repository root after quickstart.
cd "$work"
mkdir -p build/client
ln -s "$recip" build/client/recip
ln -s "$src/policy" policy
"$src/deploy/demo-principals.sh" var >/dev/null
start_server var/principals.textproto var/reciprocity.db
port=${RECIP_SERVER##*:}

awk '/^## A short tour/ {on=1; next} /^## / {on=0}
     on && /^```sh$/ {code=1; next} code && /^```$/ {code=0; next}
     code {print}' "$src/README.md" >tour.sh
[[ -s tour.sh ]] || fail "no tour found in README.md"
sed -i "s/127\.0\.0\.1:50051/127.0.0.1:$port/g" tour.sh

echo "--- running $(grep -c . tour.sh) lines of the README's tour"
if ! out=$(bash -c 'shopt -s expand_aliases; set -euo pipefail; set -x; source tour.sh' 2>&1); then
  echo "$out" | tail -40
  fail "the README's tour stopped (last lines above)"
fi
# What the tour promises along the way.
grep -q "would be approved" <<<"$out" || fail "the preview did not approve: $out"
grep -q "Paid by:" <<<"$out" || fail "claim get does not show how it is paid"
grep -q "claims/2 (approved)" <<<"$out" || fail "the review did not approve claim 2"
grep -q "Claims judged again: 2; would change: 1 (1 line)" <<<"$out" ||
  fail "the what-if did not find the one mileage line a 60p rate changes"
grep -q "£6.60 .*-> £7.20" <<<"$out" || fail "the what-if did not show 12 miles at 60p"
grep -Eq "ld-user-voice +2026-04-01 .* £15\.00 " <<<"$out" ||
  fail "the what-if budget does not count the voucher the tour earned"
[[ -s payments-1.csv ]] || fail "no payment file"
[[ -s spend.svg ]] || fail "no spend chart"
echo "README tour ran as written"
