#!/usr/bin/env bash
# Personal data end to end: a participant with a unique canary name and
# contact goes through a whole flow (register, session, attendance, claims,
# review, batch, approval, export, payment, subject-access export,
# anonymisation). The canary must appear in the subject-access export and
# nowhere in the server's output. The payment file's audit chain head must
# then catch a cut-off tail of the audit log.
# Usage: canary_test.sh RECIPROCITYD RECIP SOURCE_DIR
set -euo pipefail
daemon=$1 recip=$2 src=$3
source "$src/tests/e2e/lib.sh"

canary_name="Canary-$RANDOM$RANDOM Featherstonehaugh"
canary_contact="canary-$RANDOM$RANDOM@example.invalid"

token_for() { printf 'canary-token-%s' "$1"; }
cat >"$work/principals.textproto" <<P
principals { id: "c-officer" token_sha256: "$(hash_of "$(token_for officer)")"
  roles: ROLE_OFFICER service_areas: "adult-social-care" }
principals { id: "c-officer-2" token_sha256: "$(hash_of "$(token_for officer2)")"
  roles: ROLE_OFFICER service_areas: "adult-social-care" }
principals { id: "c-participant" token_sha256: "$(hash_of "$(token_for participant)")"
  roles: ROLE_PARTICIPANT participant: "participants/p-0001" }
principals { id: "c-finance" token_sha256: "$(hash_of "$(token_for finance)")"
  roles: ROLE_FINANCE service_areas: "*" }
principals { id: "c-finance-2" token_sha256: "$(hash_of "$(token_for finance2)")"
  roles: ROLE_FINANCE service_areas: "*" }
principals { id: "c-admin" token_sha256: "$(hash_of "$(token_for admin)")"
  roles: ROLE_ADMINISTRATOR service_areas: "*" }
principals { id: "c-auditor" token_sha256: "$(hash_of "$(token_for auditor)")"
  roles: ROLE_AUDITOR service_areas: "*" }
P
as() { local who=$1; shift; RECIP_TOKEN=$(token_for "$who") "$recip" "$@"; }

start_server "$work/principals.textproto" "$work/canary.db"
past=$(date -d '20 days ago' +%F)
today=$(date +%F)

as officer participant create p-0001 --type resident --name "$canary_name" \
  --contact "$canary_contact" >/dev/null || fail "register"
as officer session create --project adult-social-care/ld-user-voice --date "$past" \
  --start 10:00 --end 12:00 --venue "Civic Centre" >/dev/null || fail "session"
as officer attendance record --session 1 --participant p-0001 --minutes 120 \
  >/dev/null || fail "attendance"
as participant claim submit --participant p-0001 \
  --project adult-social-care/ld-user-voice --date "$past" --fare 3.20 \
  >/dev/null || fail "participant's claim"
out=$(as officer --json claim submit --participant p-0001 \
  --project adult-social-care/ld-user-voice --date "$past" --taxi 12.50:receipt)
grep -q CLAIM_STATE_NEEDS_REVIEW <<<"$out" || fail "taxi not in review: $out"
as officer2 claim review 2 --line 1 --decision approve --receipt-seen \
  --reason "Lift broken; $canary_name could not use the station." >/dev/null ||
  fail "review"

# Finance: batch, second-person approval, export, payment.
as finance batch create --area adult-social-care >/dev/null || fail "batch"
as finance2 batch approve 1 >/dev/null || fail "approve"
as finance batch export 1 --out "$work/pay.csv" --vouchers "$work/vouchers.csv" \
  2>"$work/export.txt" || fail "export"
head_row=$(grep $'^1,AUDIT CHAIN HEAD,,,,[0-9]*:[0-9a-f]\{64\}\r$' "$work/pay.csv") ||
  fail "no audit head row: $(cat "$work/pay.csv")"
head=${head_row##*,}; head=${head%$'\r'}
grep -q "audit head $head" "$work/export.txt" || fail "summary lacks head: $(cat "$work/export.txt")"
grep -q "AUDIT CHAIN HEAD,,,,$head" "$work/vouchers.csv" || fail "voucher list lacks head"
as finance batch paid 1 --date "$today" >/dev/null || fail "paid"
out=$(as auditor audit verify --head-from "$work/pay.csv") || fail "verify: $out"
grep -q "intact" <<<"$out" || fail "verify output: $out"

# Subject-access export: the canary is there (so the log check below can fail).
as officer participant export p-0001 --out "$work/sar.json" 2>/dev/null || fail "SAR"
grep -qF "$canary_name" "$work/sar.json" || fail "SAR lacks the name: $(cat "$work/sar.json")"
grep -qF "$canary_contact" "$work/sar.json" || fail "SAR lacks the contact"
grep -q '"claims/2"' "$work/sar.json" || fail "SAR lacks claims/2"
grep -q '"SubmitClaim"' "$work/sar.json" || fail "SAR lacks audit events"
own=$(as participant participant export p-0001) || fail "participant's own SAR"
grep -qF "$canary_name" <<<"$own" || fail "participant's own SAR lacks the name"

# Retention and anonymisation.
if out=$(as admin participant anonymise p-0001 2>&1); then fail "anonymised without a period"; fi
grep -q FAILED_PRECONDITION <<<"$out" || fail "no-period message: $out"
as admin admin retention set 3650 >/dev/null || fail "retention 3650"
if out=$(as admin participant anonymise p-0001 2>&1); then fail "anonymised too early"; fi
grep -q "FAILED_PRECONDITION.*can be anonymised from $(date -d "$past + 3650 days" +%F)" <<<"$out" ||
  fail "early message: $out"
as admin admin retention set 7 >/dev/null || fail "retention 7"
as admin participant anonymise p-0001 >/dev/null || fail "anonymise"
as officer participant export p-0001 --out "$work/sar2.json" 2>/dev/null || fail "SAR 2"
grep -qF "Canary" "$work/sar2.json" && fail "canary left after anonymising: $(cat "$work/sar2.json")"
grep -q '"allowed_total_pence": "1250"' "$work/sar2.json" || fail "claim 2 money gone"
# Nor is it anywhere in the files: not in free space, not in the WAL.
for f in "$work"/canary.db*; do
  if grep -aqF -e "$canary_name" -e "$canary_contact" "$f"; then
    fail "the canary is still in $(basename "$f") after anonymising"
  fi
done

# The server said plenty, and never the canary.
stop_server
grep -q "event=rpc" "$log" || fail "the server logged no calls"
grep -q "event=audit_head" "$log" || fail "the server logged no audit head"
if grep -nF -e "$canary_name" -e "$canary_contact" -e "Canary" "$log"; then
  fail "the canary is in the server log"
fi

# Cut the newest events off the log behind the server's back: the head in
# the payment file catches it.
/usr/bin/python3 - "$work/canary.db" "${head%%:*}" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.executescript("DROP TRIGGER audit_events_no_delete;")
db.execute("DELETE FROM audit_events WHERE sequence >= ?", (int(sys.argv[2]),))
db.commit()
PY
start_server "$work/principals.textproto" "$work/canary.db"
# The chain still links up, but the records the cut events wrote (the batch,
# its claims, the participant) are no longer as their last events recorded.
if out=$(as auditor audit verify); then fail "the shortened log verified: $out"; fi
grep -q "^Audit log BROKEN: .*changed outside the service" <<<"$out" ||
  fail "the shortened chain should still link up: $out"
grep -q "changed outside the service: batches/1$" <<<"$out" ||
  fail "the batch is not named: $out"
if out=$(as auditor audit verify --head-from "$work/pay.csv"); then
  fail "cut-off tail not caught: $out"
fi
grep -q "cut off" <<<"$out" || fail "cut-off message: $out"
stop_server

# Rewrite who did something in one event: `recip audit verify` names it.
/usr/bin/python3 - "$work/canary.db" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.executescript("DROP TRIGGER audit_events_no_update;")
db.execute("UPDATE audit_events SET principal_id = 'someone-else' WHERE sequence = 2")
db.commit()
PY
start_server "$work/principals.textproto" "$work/canary.db"
if out=$(as auditor audit verify); then fail "a rewritten event passed: $out"; fi
grep -q "BROKEN at event 2:" <<<"$out" || fail "the broken link is not named: $out"
stop_server
echo "canary: OK"
