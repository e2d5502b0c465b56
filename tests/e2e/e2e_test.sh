#!/usr/bin/env bash
# End to end: the built reciprocityd, driven by the built recip and by a
# client that is not ours.
# Usage: e2e_test.sh RECIPROCITYD RECIP SOURCE_DIR
set -euo pipefail
daemon=$1 recip=$2 src=$3
source "$src/tests/e2e/lib.sh"

token_for() { printf 'e2e-token-%s' "$1"; }
cat >"$work/principals.textproto" <<P
principals { id: "e2e-officer" token_sha256: "$(hash_of "$(token_for officer)")"
  roles: ROLE_OFFICER service_areas: "adult-social-care" }
principals { id: "e2e-officer-2" token_sha256: "$(hash_of "$(token_for officer2)")"
  roles: ROLE_OFFICER service_areas: "adult-social-care" }
principals { id: "e2e-participant" token_sha256: "$(hash_of "$(token_for participant)")"
  roles: ROLE_PARTICIPANT participant: "participants/p-0001" }
principals { id: "e2e-finance" token_sha256: "$(hash_of "$(token_for finance)")"
  roles: ROLE_FINANCE service_areas: "*" }
principals { id: "e2e-finance-2" token_sha256: "$(hash_of "$(token_for finance2)")"
  roles: ROLE_FINANCE service_areas: "*" }
P

start_server "$work/principals.textproto" "$work/e2e.db"
export RECIP_TOKEN=$(token_for officer)
today=$(date +%F)
"$recip" participant create p-0001 --type resident --name "E2E" >/dev/null ||
  fail "register p-0001"

# Preview: 12 miles by car plus a £3.20 fare, nothing stored.
out=$("$recip" claim preview --participant p-0001 --project adult-social-care/ld-user-voice \
  --date "$today" --fare 3.20 --miles car:12) || fail "preview: $out"
grep -q "nothing saved" <<<"$out" || fail "preview output: $out"
grep -q "£3.20" <<<"$out" || fail "preview lacks the fare: $out"
[[ $("$recip" --json claim list) == *'"claims"'* ]] && fail "preview stored a claim"

# --payee belongs to the childcare line: the fare is still the participant's.
out=$("$recip" claim preview --participant p-0001 --project adult-social-care/ld-user-voice \
  --date "$today" --fare 3.20 --childcare 1:1:5.00 --payee childminder-77) ||
  fail "preview with a payee: $out"
grep -q "not to childminder-77" <<<"$out" && fail "the fare was given the childminder: $out"
grep -q "£5.00" <<<"$out" || fail "preview lacks the childcare line: $out"

# Submit on the participant's behalf, then list and get.
out=$("$recip" claim submit --participant p-0001 --project adult-social-care/ld-user-voice \
  --date "$today" --fare 3.20 --miles car:12) || fail "submit: $out"
grep -q "claims/1 (approved)" <<<"$out" || fail "submit output: $out"
json=$("$recip" --json claim get 1)
grep -q '"allowed_total_pence": "980"' <<<"$json" || fail "expected 320 + 660 pence: $json"
out=$("$recip" claim list)
grep -q "claims/1" <<<"$out" || fail "list: $out"

# The participant sees their own claim; bad input is refused clearly.
out=$(RECIP_TOKEN=$(token_for participant) "$recip" claim list) || fail "participant list"
grep -q "claims/1" <<<"$out" || fail "participant list: $out"
if out=$("$recip" claim submit --participant p-0001 --project adult-social-care/nope \
    --date "$today" --fare 3.20 2>&1); then fail "unknown project accepted"; fi
grep -q "INVALID_ARGUMENT: claim.project" <<<"$out" || fail "unknown project message: $out"
if out=$("$recip" claim preview --participant p-0001 --project adult-social-care/ld-user-voice \
    --date "$today" --fare 3.205 2>&1); then fail "3.205 accepted"; fi
grep -q "3.205" <<<"$out" || fail "bad amount message: $out"
if out=$(RECIP_TOKEN= "$recip" claim list 2>&1); then fail "no token accepted"; fi
grep -q "UNAUTHENTICATED" <<<"$out" || fail "no-token message: $out"

# A taxi without agreement waits for review by another officer.
out=$("$recip" --json claim submit --participant p-0001 \
  --project adult-social-care/ld-user-voice --date "$today" --taxi 12.50:receipt)
grep -q "CLAIM_STATE_NEEDS_REVIEW" <<<"$out" || fail "taxi not in review: $out"
out=$(RECIP_TOKEN=$(token_for officer2) "$recip" claim review 2 --line 1 \
  --decision approve --reason "Agreed because of a broken lift." --receipt-seen) ||
  fail "review: $out"
grep -q "claims/2 (approved)" <<<"$out" || fail "review output: $out"

# Finance: batch both approved claims, approve as someone else, export twice
# (same bytes), record payment, report.
fin() { RECIP_TOKEN=$(token_for finance) "$recip" "$@"; }
out=$(fin batch create --area adult-social-care) || fail "batch create: $out"
grep -q "batches/1  draft  2 claims  £22.30" <<<"$out" || fail "batch create output: $out"
if out=$(fin batch approve 1 2>&1); then fail "creator approved own batch"; fi
grep -q "PERMISSION_DENIED" <<<"$out" || fail "self-approval message: $out"
# A failed export (the batch is not approved yet) leaves no payment file.
if fin batch export 1 --out "$work/draft.csv" 2>/dev/null; then
  fail "draft batch exported"
fi
[[ ! -e $work/draft.csv && ! -e $work/draft.csv.part ]] ||
  fail "a failed export left a payment file"
RECIP_TOKEN=$(token_for finance2) "$recip" batch approve 1 >/dev/null || fail "approve"
fin batch export 1 --out "$work/pay1.csv" --vouchers "$work/vouchers1.csv" 2>/dev/null ||
  fail "export"
fin batch export 1 >"$work/pay2.csv" 2>/dev/null || fail "second export"
cmp -s "$work/pay1.csv" "$work/pay2.csv" || fail "exports differ"
grep -q $'^1,CONTROL TOTAL,,,22.30,1 row\r$' "$work/pay1.csv" ||
  fail "control total: $(cat "$work/pay1.csv")"
if out=$(fin batch cancel 1 2>&1); then fail "exported batch cancelled"; fi
out=$(fin batch paid 1 --date "$today") || fail "paid: $out"
grep -q "paid on $today" <<<"$out" || fail "paid output: $out"
[[ $(fin --json claim get 1) == *CLAIM_STATE_PAID* ]] || fail "claim 1 not paid"
fin report spend --svg "$work/spend.svg" >/dev/null || fail "spend report"
grep -q "</svg>" "$work/spend.svg" || fail "no chart"
fin report participants --csv - | grep -q "participants/p-0001" || fail "participants"
fin report timeliness | grep -q "paid_claims" || fail "timeliness"

# Vouchers: one earned by attending and issued, reconciled with an invoice
# that bills it at the wrong value and bills a serial never issued.
"$recip" session create --project adult-social-care/ld-user-voice --date "$today" \
  --start 10:00 --end 12:00 --venue "Civic Centre" >/dev/null || fail "session"
"$recip" attendance record --session 1 --participant p-0001 --minutes 120 >/dev/null ||
  fail "attendance"
"$recip" voucher issue 1 --serial TS-0001 >/dev/null || fail "voucher issue"
fin report spend --csv - | grep -q "^category,ATTENDANCE_VOUCHER,,15.00," ||
  fail "spend lacks the voucher: $(fin report spend --csv -)"
printf 'serial,value,date\r\nTS-0001,12.00,%s\r\nTS-9999,15.00,%s\r\n' "$today" "$today" \
  >"$work/invoice.csv"
out=$(fin report vouchers --provider Tesco --invoice "$work/invoice.csv" --csv -) ||
  fail "report vouchers: $out"
grep -q "^value differs,TS-0001,15.00,12.00,2," <<<"$out" || fail "value differs: $out"
grep -q "^not issued,TS-9999,,15.00,3,," <<<"$out" || fail "not issued: $out"
printf 'serial,value,date\nTS-0001,"10,50",%s\n' "$today" >"$work/bad-invoice.csv"
if out=$(fin report vouchers --provider Tesco --invoice "$work/bad-invoice.csv" 2>&1); then
  fail "a malformed invoice was accepted: $out"
fi
grep -q "invoice_csv: 2:9: value: '10,50': use a point" <<<"$out" ||
  fail "malformed invoice message: $out"
# A long bill (3,000 vouchers, past the 64 KiB of one message) goes in parts.
{
  echo serial,value,date
  for i in $(seq -w 1 3000); do echo "TL-$i,15.00,$today"; done
} >"$work/long-invoice.csv"
out=$(fin report vouchers --provider Tesco --invoice "$work/long-invoice.csv" --csv -) ||
  fail "report vouchers, a long bill: $out"
[[ $(grep -c "^not issued,TL-" <<<"$out") == 3000 ]] ||
  fail "a long bill's rows: $(head -c 300 <<<"$out")"

# Rule files: offline check and the leaflet.
"$recip" policy check "$src"/policy/areas/*.textproto >/dev/null || fail "policy check"
# A broken copy (money with a decimal point) is refused with
# file:line:column and a reason.
cp "$src/policy/areas/adult-social-care.textproto" "$work/broken.textproto"
printf '\nprojects { id: "x" budgets { amount_pence: 3.50 } }\n' >>"$work/broken.textproto"
if out=$("$recip" policy check "$work/broken.textproto" 2>&1); then
  fail "a broken rule file passed the check: $out"
fi
grep -Eq 'broken\.textproto:[0-9]+:[0-9]+: .+' <<<"$out" || fail "no file:line:column: $out"
out=$("$recip" policy explain adult-social-care) || fail "explain"
[[ -n $out ]] || fail "empty leaflet"

# A client that is not ours.
/usr/bin/python3 "$src/tests/e2e/standard_clients.py" "127.0.0.1:$port" || fail "python client"

# Clean shutdown on SIGTERM.
stop_server
grep -q "event=server_stopped" "$log" || fail "no clean shutdown logged"
echo "e2e: OK"
