#!/usr/bin/env bash
# End to end: a standing agreement and an appointee, through the built
# reciprocityd and recip. A taxi is agreed for every LD user voice meeting
# from a week ago to a month ahead: the meeting already held is approved
# retrospectively, today's in advance; the agreement is then ended early.
# A support worker named as Sam's appointee changes how Sam is paid and asks
# for a refused taxi to be looked at again; the records name both people.
# Usage: acting_for_test.sh RECIPROCITYD RECIP SOURCE_DIR
set -euo pipefail
daemon=$1 recip=$2 src=$3
source "$src/tests/e2e/lib.sh"

token_for() { printf 'acting-token-%s' "$1"; }
cat >"$work/principals.textproto" <<P
principals { id: "officer" token_sha256: "$(hash_of "$(token_for officer)")"
  roles: ROLE_OFFICER service_areas: "adult-social-care" }
principals { id: "reviewer" token_sha256: "$(hash_of "$(token_for reviewer)")"
  roles: ROLE_OFFICER service_areas: "adult-social-care" }
principals { id: "carer-0007" token_sha256: "$(hash_of "$(token_for carer)")"
  roles: ROLE_PARTICIPANT }
P

start_server "$work/principals.textproto" "$work/acting.db"
export RECIP_TOKEN=$(token_for officer)
project=adult-social-care/ld-user-voice
json() { /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin).get(sys.argv[1], ""))' "$1"; }
as_carer() { RECIP_TOKEN=$(token_for carer) "$recip" "$@"; }
as_reviewer() { RECIP_TOKEN=$(token_for reviewer) "$recip" "$@"; }

"$recip" participant create p-0001 --type resident --name "Sam" >/dev/null || fail "register"
held=$(date -d "-3 days" +%F)
today=$(date +%F)
for day in "$held" "$today"; do
  "$recip" session create --project "$project" --date "$day" --start 10:00 \
    --end 12:00 --venue "Civic Centre" >/dev/null || fail "session $day"
done
for s in 1 2; do
  "$recip" attendance record --session "$s" --participant p-0001 --minutes 120 \
    >/dev/null || fail "attendance $s"
done

# --- A standing agreement, recorded after its first meeting ------------------
out=$("$recip" agreement record --participant p-0001 --project "$project" \
  --from "$(date -d "-7 days" +%F)" --to "$(date -d "+30 days" +%F)" \
  --category taxi --up-to 15 --note "No accessible bus") || fail "standing: $out"
grep -q "standing" <<<"$out" || fail "standing listing: $out"
grep -q "Every session of serviceAreas/adult-social-care/projects/ld-user-voice" <<<"$out" ||
  fail "standing range: $out"
grep -q "approved retrospectively" <<<"$out" || fail "retrospective: $out"
out=$("$recip" agreement record --participant p-0001 --project "$project" \
  --from "$today" --to "$(date -d "-1 days" +%F)" --category taxi 2>&1) &&
  fail "to before from accepted: $out"
grep -q "agreement.date_to" <<<"$out" || fail "to before from: $out"

out=$("$recip" --json claim submit --project "$project" --participant p-0001 \
  --session 1 --taxi 12.50:receipt) || fail "claim held: $out"
[[ $(json state <<<"$out") == CLAIM_STATE_APPROVED ]] || fail "held not approved: $out"
grep -q "after the session" <<<"$out" || fail "held reason: $out"
out=$("$recip" --json claim submit --project "$project" --participant p-0001 \
  --session 2 --taxi 20.00:receipt) || fail "claim today: $out"
grep -q '"allowed_total_pence": "1500"' <<<"$out" || fail "today capped: $out"
grep -q "before the session" <<<"$out" || fail "today reason: $out"

out=$("$recip" agreement end 1 --last-day "$(date -d "-1 days" +%F)" 2>&1) &&
  fail "ended before today: $out"
out=$("$recip" agreement end 1 --last-day "$today") || fail "end: $out"
grep -q "Ended early by officer" <<<"$out" || fail "ended: $out"

# --- An appointee -------------------------------------------------------------
out=$(as_carer participant update p-0001 --pay voucher 2>&1) && fail "carer before appointed: $out"
out=$("$recip" participant appointee add p-0001 carer-0007) || fail "appoint: $out"
grep -q "Acting for them: carer-0007" <<<"$out" || fail "appointee shown: $out"
as_carer participant update p-0001 --pay voucher >/dev/null || fail "carer changes pay"
out=$("$recip" participant get p-0001) || fail "get: $out"
grep -q "Last changed by carer-0007 for participants/p-0001" <<<"$out" || fail "both people: $out"
out=$(as_carer participant update p-0001 --name "Someone" 2>&1) && fail "carer changed name: $out"

# A taxi two days ago, with no meeting recorded that day: not covered, refused
# in review, and the appointee asks for it to be looked at again.
out=$("$recip" --json claim submit --project "$project" --participant p-0001 \
  --date "$(date -d "-2 days" +%F)" --taxi 9.00:receipt) || fail "uncovered: $out"
[[ $(json state <<<"$out") == CLAIM_STATE_NEEDS_REVIEW ]] || fail "uncovered state: $out"
claim=$(json name <<<"$out" | cut -d/ -f2)
as_reviewer claim review "$claim" --line 1 --decision refuse \
  --reason "There was no meeting that day." >/dev/null || fail "refuse"
as_carer claim appeal "$claim" --line 1 --comment "It was moved; ask Jo." >/dev/null ||
  fail "carer appeal"
out=$("$recip" claim get "$claim") || fail "claim get: $out"
grep -q "looked at again by carer-0007 for participants/p-0001" <<<"$out" ||
  fail "history names both: $out"
"$recip" participant appointee remove p-0001 carer-0007 >/dev/null || fail "remove"
out=$(as_carer participant update p-0001 --pay bank-transfer 2>&1) && fail "removed carer: $out"
stop_server
echo "acting for someone: OK"
