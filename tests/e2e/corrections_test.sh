#!/usr/bin/env bash
# End to end: putting things right through the built reciprocityd and recip.
# A session is moved and then cancelled, an attendance corrected and one
# removed (a voucher already given stays given and waits for a decision),
# attendance longer than the session is refused, and a claim is amended
# while it waits for review, keeping its first version.
# Usage: corrections_test.sh RECIPROCITYD RECIP SOURCE_DIR
set -euo pipefail
daemon=$1 recip=$2 src=$3
source "$src/tests/e2e/lib.sh"

token_for() { printf 'corrections-token-%s' "$1"; }
cat >"$work/principals.textproto" <<P
principals { id: "officer" token_sha256: "$(hash_of "$(token_for officer)")"
  roles: ROLE_OFFICER service_areas: "adult-social-care" }
principals { id: "sam" token_sha256: "$(hash_of "$(token_for sam)")"
  roles: ROLE_PARTICIPANT participant: "participants/p-0001" }
P
start_server "$work/principals.textproto" "$work/corrections.db"
export RECIP_TOKEN=$(token_for officer)
as_sam() { RECIP_TOKEN=$(token_for sam) "$recip" "$@"; }
project=adult-social-care/ld-user-voice
yesterday=$(date -d "-1 day" +%F)
today=$(date +%F)

"$recip" participant create p-0001 --type resident --name "Sam" >/dev/null || fail "register p-0001"
"$recip" participant create p-0002 --type resident --name "Alex" >/dev/null || fail "register p-0002"
for day in "$yesterday" "$today"; do
  "$recip" session create --project "$project" --date "$day" --start 10:00 \
    --end 12:00 --venue "Civic Centre" >/dev/null || fail "session $day"
done

# --- A session moves before anything is recorded, then not after ----------
out=$("$recip" session update 2 --venue "Southend Library" --start 10:30) || fail "update: $out"
grep -q "Southend Library" <<<"$out" || fail "venue not changed: $out"
out=$("$recip" session update 2 --date "$yesterday") || fail "move day: $out"

# --- The register: too long is refused, a correction re-judges -------------
if out=$("$recip" attendance record --session 1 --participant p-0001 --minutes 150 2>&1); then
  fail "150 minutes at a two-hour session accepted: $out"
fi
grep -q "minutes" <<<"$out" || fail "refusal does not name minutes: $out"
"$recip" attendance record --session 1 --participant p-0001 --minutes 120 >/dev/null || fail "attend p-0001"
"$recip" attendance record --session 1 --participant p-0002 --minutes 120 >/dev/null || fail "attend p-0002"
out=$("$recip" attendance correct --session 1 --participant p-0001 --minutes 45 \
  --reason "Left at the break") || fail "correct: $out"
grep -q "not earned" <<<"$out" || fail "voucher not judged again: $out"

# A voucher already given is never taken back.
entitlement=$("$recip" --json voucher list --participant p-0002 --state earned |
  /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["voucher_entitlements"][0]["name"].split("/")[1])')
"$recip" voucher issue "$entitlement" --serial TESCO-42 >/dev/null || fail "issue"
out=$("$recip" attendance remove --session 1 --participant p-0002 \
  --reason "Signed in for a friend") || fail "remove: $out"
out=$("$recip" voucher list --participant p-0002) || fail "voucher list: $out"
grep -q "issued" <<<"$out" || fail "issued voucher taken back: $out"
grep -q "NEEDS A DECISION" <<<"$out" || fail "no decision flagged: $out"
# An officer decides it: the person keeps it, and it leaves the list.
out=$("$recip" voucher list --needs-decision) || fail "needs-decision list: $out"
grep -q "TESCO-42" <<<"$out" || fail "flagged voucher not listed: $out"
if "$recip" voucher decide "$entitlement" --keep >/dev/null 2>&1; then
  fail "a decision without a reason was accepted"
fi
out=$("$recip" voucher decide "$entitlement" --keep \
  --reason "Spoke to Alex; a friend came in their place") || fail "decide: $out"
grep -q "keeps the voucher" <<<"$out" || fail "decision not kept: $out"
out=$("$recip" voucher list --needs-decision) || fail "needs-decision list: $out"
grep -q "No voucher entitlements found" <<<"$out" || fail "still listed: $out"
set +e
"$recip" voucher decide "$entitlement" --take-back --reason "Again" >/dev/null 2>&1
rc=$?
set -e
[[ $rc -eq 1 ]] || fail "a second decision: exit $rc, not 1 (refused)"
out=$("$recip" attendance list --session 1) || fail "attendance list: $out"
grep -q "p-0001" <<<"$out" || fail "register not listed: $out"

# --- A claim waiting for review is amended; the first version stays --------
out=$(as_sam --json claim submit --participant p-0001 --project "$project" \
  --session 1 --fare 3.20 --taxi 12.50:receipt) || fail "submit: $out"
grep -q NEEDS_REVIEW <<<"$out" || fail "taxi did not wait for review: $out"
out=$(as_sam claim amend 1 --fare 3.20 --reason "No taxi in the end") || fail "amend: $out"
grep -q "approved" <<<"$out" || fail "amended claim not judged afresh: $out"
grep -q "Version 1" <<<"$out" || fail "first version not kept: $out"
if out=$(as_sam claim amend 1 --fare 4.00 2>&1); then
  fail "approved claim amended: $out"
fi
grep -q "can not change it now" <<<"$out" || fail "refusal unclear: $out"

# --- Cancelling: nothing new, what was made stays --------------------------
out=$("$recip" session cancel 1 --reason "Recorded twice") || fail "cancel: $out"
grep -q "CANCELLED" <<<"$out" || fail "not cancelled: $out"
grep -q "1 claim already made for it stays" <<<"$out" || fail "cancel note: $out"
if out=$(as_sam claim submit --participant p-0001 --project "$project" \
  --session 1 --fare 3.20 2>&1); then
  fail "claim for a cancelled session accepted: $out"
fi
grep -q "was cancelled" <<<"$out" || fail "cancelled refusal unclear: $out"
if "$recip" session update 1 --venue "Elsewhere" >/dev/null 2>&1; then
  fail "cancelled session changed"
fi
echo "corrections: OK"
