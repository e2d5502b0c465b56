#!/usr/bin/env bash
# End to end: a whole month of the Learning Disability user voice group,
# through the built reciprocityd and recip. Officers register participants,
# create four weekly sessions and an extra one that is cancelled, record
# agreements and attendance (one corrected afterwards); claims are
# submitted (by participants and on their behalf), one amended before
# review, reviewed, and a refused line appealed and decided by a second
# officer; a what-if tries a car rate before it changes; and each
# participant's total is checked against pence worked out by hand.
# Usage: month_test.sh RECIPROCITYD RECIP SOURCE_DIR
set -euo pipefail
daemon=$1 recip=$2 src=$3
source "$src/tests/e2e/lib.sh"

token_for() { printf 'month-token-%s' "$1"; }
cat >"$work/principals.textproto" <<P
principals { id: "officer" token_sha256: "$(hash_of "$(token_for officer)")"
  roles: ROLE_OFFICER service_areas: "adult-social-care" }
principals { id: "reviewer" token_sha256: "$(hash_of "$(token_for reviewer)")"
  roles: ROLE_OFFICER service_areas: "adult-social-care" }
principals { id: "senior" token_sha256: "$(hash_of "$(token_for senior)")"
  roles: ROLE_OFFICER service_areas: "adult-social-care" }
principals { id: "sam" token_sha256: "$(hash_of "$(token_for sam)")"
  roles: ROLE_PARTICIPANT participant: "participants/p-0001" }
P

start_server "$work/principals.textproto" "$work/month.db"
export RECIP_TOKEN=$(token_for officer)
project=adult-social-care/ld-user-voice

# A field of the JSON recip printed: json FIELD <<<"$out".
json() { /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin).get(sys.argv[1], ""))' "$1"; }
as_reviewer() { RECIP_TOKEN=$(token_for reviewer) "$recip" "$@"; }
as_senior() { RECIP_TOKEN=$(token_for senior) "$recip" "$@"; }
as_sam() { RECIP_TOKEN=$(token_for sam) "$recip" "$@"; }

# --- Register the group -----------------------------------------------------
"$recip" participant create p-0001 --type resident --name "Sam" >/dev/null || fail "register p-0001"
"$recip" participant create p-0002 --type parent-or-carer --pay voucher --name "Alex" \
  --contact "01702 000002" >/dev/null || fail "register p-0002"
"$recip" participant create p-0003 --type organisation-representative --name "Jo" \
  >/dev/null || fail "register p-0003"
"$recip" participant create p-0004 --type resident --pay decline --name "Chris" \
  >/dev/null || fail "register p-0004"
out=$("$recip" --json participant create --type resident --name "Pat") || fail "register Pat: $out"
[[ $(json name <<<"$out") == participants/p-0005 ]] || fail "server-assigned id: $out"
out=$("$recip" participant list) || fail "participant list"
[[ $(grep -c "participants/p-000" <<<"$out") == 5 ]] || fail "participant list: $out"

# --- Four weekly sessions, the last one today -------------------------------
dates=()
sessions=()
for ago in 21 14 7 0; do
  day=$(date -d "-$ago days" +%F)
  out=$("$recip" --json session create --project "$project" --date "$day" \
    --start 10:00 --end 12:00 --venue "Civic Centre") || fail "session $day: $out"
  dates+=("$day")
  sessions+=("$(json name <<<"$out" | cut -d/ -f2)")
done
[[ ${sessions[*]} == "1 2 3 4" ]] || fail "session numbers: ${sessions[*]}"

# --- An extra workshop three days ago is called off --------------------------
extra_day=$(date -d "-3 days" +%F)
"$recip" session create --project "$project" --date "$extra_day" --start 14:00 \
  --end 16:00 --venue "Central Library" >/dev/null || fail "extra session"
out=$("$recip" session cancel 5 --reason "The speaker was ill") || fail "cancel: $out"
grep -q "CANCELLED" <<<"$out" || fail "extra session not cancelled: $out"
if out=$("$recip" attendance record --session 5 --participant p-0001 --minutes 60 2>&1); then
  fail "attendance at a cancelled session: $out"
fi
grep -q "FAILED_PRECONDITION" <<<"$out" || fail "cancelled attendance refusal: $out"
if out=$(as_sam claim submit --project "$project" --participant p-0001 \
    --session 5 --fare 3.20 2>&1); then
  fail "claim for a cancelled session: $out"
fi
grep -q "was cancelled" <<<"$out" || fail "cancelled claim refusal: $out"

# --- Agreements made before the sessions -------------------------------------
"$recip" agreement record --participant p-0003 --session 1 --category taxi \
  --up-to 12.00 --note "Uses a wheelchair; no step-free bus" >/dev/null || fail "agreement"

# --- Attendance (vouchers: £15 for residents and carers, none for ----------
# --- organisation representatives, none for those who declined) ------------
attend() {
  "$recip" --json attendance record --session "$1" --participant "$2" --minutes "$3"
}
for s in 1 2 3 4; do attend "$s" p-0001 120 >/dev/null || fail "attend p-0001 $s"; done
for s in 1 2; do attend "$s" p-0002 120 >/dev/null || fail "attend p-0002 $s"; done
for s in 1 2; do
  out=$(attend "$s" p-0003 120) || fail "attend p-0003 $s"
  grep -q '"rule": "vouchers.eligibility"' <<<"$out" || fail "org rep voucher: $out"
done
out=$(attend 3 p-0004 120) || fail "attend p-0004"
grep -q '"rule": "vouchers.declined"' <<<"$out" || fail "declined voucher: $out"
out=$(attend 4 p-0005 30) || fail "attend p-0005"
grep -q '"rule": "vouchers.minimum_attendance"' <<<"$out" || fail "short visit: $out"
if attend 1 p-0001 120 >/dev/null 2>&1; then fail "attendance recorded twice"; fi

# Six vouchers earned (4 for p-0001, 2 for p-0002), none issued yet.
out=$("$recip" --json voucher list --state earned)
[[ $(grep -c '"value_pence": "1500"' <<<"$out") == 6 ]] || fail "earned vouchers: $out"
"$recip" voucher issue 1 --serial TESCO-0001 >/dev/null || fail "voucher issue"
out=$("$recip" --json voucher list --state earned)
[[ $(grep -c '"value_pence": "1500"' <<<"$out") == 5 ]] || fail "after issue: $out"

# --- Claims ------------------------------------------------------------------
submit() { "$recip" --json claim submit --project "$project" "$@"; }
state_of() { json state <<<"$1"; }

# p-0001 (Sam) claims a £3.20 bus fare for each session, himself.
for s in 1 2 3 4; do
  out=$(as_sam --json claim submit --project "$project" --participant p-0001 \
    --session "$s" --fare 3.20) || fail "sam claim $s: $out"
  [[ $(state_of "$out") == CLAIM_STATE_APPROVED ]] || fail "sam claim $s: $out"
done
first_fare=$(as_sam --json claim list --participant p-0001 --page-size 1 |
  /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["claims"][0]["name"].split("/")[1])')
# ... and by mistake claims the first fare again: refused, naming the first.
out=$(as_sam --json claim submit --project "$project" --participant p-0001 \
  --session 1 --fare 3.20) || fail "duplicate: $out"
[[ $(state_of "$out") == CLAIM_STATE_REJECTED ]] || fail "duplicate not rejected: $out"
grep -q "You already claimed for this in claim $first_fare." <<<"$out" || fail "duplicate reason: $out"

# p-0002 (Alex) drives 10 miles to sessions 1 and 2 (55p a mile) and pays
# £2.50 parking at session 2. Entered by the officer on Alex's behalf.
out=$(submit --participant p-0002 --session 1 --miles car:10) || fail "alex 1: $out"
[[ $(state_of "$out") == CLAIM_STATE_APPROVED ]] || fail "alex 1: $out"
out=$(submit --participant p-0002 --session 2 --miles car:10 --parking 2.50) || fail "alex 2: $out"
[[ $(state_of "$out") == CLAIM_STATE_APPROVED ]] || fail "alex 2: $out"
grep -q '"entered_by": "officer"' <<<"$out" || fail "on behalf: $out"

# p-0003 (Jo) takes a £15 taxi to session 1 (agreed up to £12: reduced), and
# a £10 taxi to session 2 with no agreement: a second officer approves it.
out=$(submit --participant p-0003 --session 1 --taxi 15.00:receipt) || fail "jo 1: $out"
[[ $(state_of "$out") == CLAIM_STATE_APPROVED ]] || fail "jo 1: $out"
grep -q '"allowed_total_pence": "1200"' <<<"$out" || fail "jo 1 amount: $out"
out=$(submit --participant p-0003 --session 2 --taxi 10.00:receipt) || fail "jo 2: $out"
[[ $(state_of "$out") == CLAIM_STATE_NEEDS_REVIEW ]] || fail "jo 2: $out"
jo2=$(json name <<<"$out" | cut -d/ -f2)
# The receipt says £9: the officer amends the claim before it is reviewed.
# The new version is judged afresh; the first is kept.
out=$("$recip" claim amend "$jo2" --taxi 9.00:receipt \
  --reason "The receipt says 9 pounds") || fail "amend jo 2: $out"
grep -q "Version 1" <<<"$out" || fail "jo 2 first version not kept: $out"
out=$("$recip" --json claim get "$jo2") || fail "get jo 2: $out"
[[ $(state_of "$out") == CLAIM_STATE_NEEDS_REVIEW ]] || fail "amended jo 2: $out"
grep -q '"amount_pence": "900"' <<<"$out" || fail "jo 2 not amended to £9: $out"
out=$(as_reviewer claim review "$jo2" --line 1 --decision approve --receipt-seen \
  --reason "The lift at the station was broken; a taxi was reasonable.") || fail "review jo: $out"
grep -q "(approved)" <<<"$out" || fail "jo 2 review: $out"

# p-0005 (Pat) claims for session 3, which Pat did not attend: to review,
# and the reviewer refuses it.
out=$(submit --participant p-0005 --session 3 --fare 3.00) || fail "pat: $out"
[[ $(state_of "$out") == CLAIM_STATE_NEEDS_REVIEW ]] || fail "pat not in review: $out"
grep -q "no record that you came" <<<"$out" || fail "pat reason: $out"
pat=$(json name <<<"$out" | cut -d/ -f2)
out=$(as_reviewer claim review "$pat" --line 1 --decision refuse \
  --reason "You were not at this session.") || fail "review pat: $out"
grep -q "(rejected)" <<<"$out" || fail "pat review: $out"

# Pat says they were there, late. The officer appeals for Pat and adds Pat
# to the register; the reviewer who refused may not decide the appeal, and
# a second officer allows it.
out=$("$recip" claim appeal "$pat" --line 1 \
  --comment "I came late and did not sign in.") || fail "appeal pat: $out"
"$recip" attendance record --session 3 --participant p-0005 --minutes 60 >/dev/null ||
  fail "late register p-0005"
if out=$(as_reviewer claim review "$pat" --line 1 --decision approve \
    --reason "They were there." 2>&1); then
  fail "the officer who refused decided the appeal: $out"
fi
grep -q "another officer must decide the appeal" <<<"$out" || fail "fair appeal: $out"
out=$(as_senior claim review "$pat" --line 1 --decision approve \
  --reason "The register now shows you came.") || fail "senior decides: $out"
grep -q "(approved)" <<<"$out" || fail "appeal not allowed: $out"

# Pat's short visit to session 4 was 90 minutes, not 30: corrected, with a
# reason, and the voucher judged again (now earned).
out=$("$recip" attendance correct --session 4 --participant p-0005 --minutes 90 \
  --reason "Stayed for the second half too") || fail "correct p-0005: $out"
out=$("$recip" --json voucher list --participant p-0005 --state earned) || fail "pat vouchers: $out"
[[ $(grep -c '"value_pence": "1500"' <<<"$out") == 2 ]] || fail "pat vouchers after correction: $out"

# p-0004 (Chris) is deactivated after the month and can no longer claim.
"$recip" participant deactivate p-0004 >/dev/null || fail "deactivate"
if out=$(submit --participant p-0004 --session 3 --fare 2.00 2>&1); then
  fail "inactive participant claimed: $out"
fi
grep -q "FAILED_PRECONDITION: claim.participant" <<<"$out" || fail "inactive message: $out"

# --- What if the car rate were 60p? ------------------------------------------
# Judged again, nothing saved: Alex's two claims (20 miles) would get £1.00
# more; the totals below are still at 55p.
sed 's/pence_per_mile: 55/pence_per_mile: 60/' \
  "$src/policy/areas/adult-social-care.textproto" >"$work/draft.textproto"
out=$("$recip" --json policy whatif adult-social-care --rules "$work/draft.textproto" \
  --from "${dates[0]}" --to "${dates[3]}") || fail "whatif: $out"
got=$(/usr/bin/python3 -c '
import json, sys
r = json.load(sys.stdin)
print(r.get("claims_changed", 0), r.get("committed_change_pence", "0"),
      sorted(c["claim"] for c in r.get("changed_claims", [])) ==
      sorted(c["claim"] for c in r.get("changed_claims", [])
             if c["lines"][0]["category"] == "EXPENSE_CATEGORY_MILEAGE"))' <<<"$out")
[[ $got == "2 100 True" ]] || fail "whatif changed/committed/mileage only: $got: $out"
cp "$src/policy/areas/adult-social-care.textproto" "$work/broken.textproto"
echo "not a field: 1" >>"$work/broken.textproto"
if out=$("$recip" policy whatif adult-social-care --rules "$work/broken.textproto" \
    --from "${dates[0]}" --to "${dates[3]}" 2>&1); then
  fail "a broken draft was accepted: $out"
fi
grep -Eq "INVALID_ARGUMENT: rule_file_text: broken\.textproto:[0-9]+:[0-9]+: " <<<"$out" ||
  fail "broken draft message: $out"

# --- Totals, by hand ---------------------------------------------------------
#   p-0001: 4 x 320                      = 1280
#   p-0002: 10 x 55 + 10 x 55 + 250      = 1350
#   p-0003: 1200 (agreed cap) + 900      = 2100
#   p-0004: no claims                    =    0
#   p-0005: refused, allowed on appeal   =  300
declare -A expected=([p-0001]=1280 [p-0002]=1350 [p-0003]=2100 [p-0004]=0 [p-0005]=300)
for p in "${!expected[@]}"; do
  got=$("$recip" --json claim list --participant "$p" --page-size 1000 | /usr/bin/python3 -c '
import json, sys
claims = json.load(sys.stdin).get("claims", [])
ok = ("CLAIM_STATE_APPROVED", "CLAIM_STATE_BATCHED", "CLAIM_STATE_PAID")
print(sum(int(c["decision"].get("allowed_total_pence", "0"))
          for c in claims if c["state"] in ok))')
  [[ $got == "${expected[$p]}" ]] || fail "$p allowed $got pence, expected ${expected[$p]}"
  pounds=$(printf '£%d.%02d' $((expected[$p] / 100)) $((expected[$p] % 100)))
  out=$("$recip" statement "$p") || fail "statement $p: $out"
  if [[ ${expected[$p]} == 0 && $p == p-0004 ]]; then
    grep -q "There are no claims yet." <<<"$out" || fail "statement $p: $out"
  else
    grep -qF "In total we allowed $pounds." <<<"$out" || fail "statement $p: $out"
  fi
done

# Sam can read his own statement; the duplicate shows with its reason.
out=$(as_sam statement p-0001) || fail "sam statement: $out"
grep -q "You already claimed for this" <<<"$out" || fail "sam statement: $out"
grep -q "for the Learning Disability user voice group session on" <<<"$out" ||
  fail "statement names the group: $out"
# The refused repeat is not counted as claimed; his four vouchers are listed.
grep -q "You made 5 claims. We could not pay 1. Leaving those out, you claimed £12.80 in all." <<<"$out" ||
  fail "sam totals: $out"
grep -q "You earned vouchers worth £60.00. We have given you £15.00 of them." <<<"$out" ||
  fail "sam vouchers: $out"

# The log never holds personal data.
for word in Sam Alex Jo Chris Pat "01702"; do
  if grep -qw "$word" "$log"; then fail "the server log mentions '$word'"; fi
done

stop_server
echo "month: OK"
