#!/usr/bin/env bash
# A forged audit head in the server log. A caller with no token sends a
# request id that reads like the server's audit_head line, naming an older
# head; then the newest events are cut off the database. `recip audit
# verify --head-from` on the log must still catch the cut: the server logs
# no request field as sent before authentication, and the client takes a
# head only from a line whose event is exactly audit_head (so not from the
# line an older server wrote either).
# Usage: forged_head_test.sh RECIPROCITYD RECIP SOURCE_DIR
set -euo pipefail
daemon=$1 recip=$2 src=$3
source "$src/tests/e2e/lib.sh"

token_for() { printf 'forged-head-token-%s' "$1"; }
cat >"$work/principals.textproto" <<P
principals { id: "f-officer" token_sha256: "$(hash_of "$(token_for officer)")"
  roles: ROLE_OFFICER service_areas: "adult-social-care" }
principals { id: "f-admin" token_sha256: "$(hash_of "$(token_for admin)")"
  roles: ROLE_ADMINISTRATOR service_areas: "*" }
principals { id: "f-auditor" token_sha256: "$(hash_of "$(token_for auditor)")"
  roles: ROLE_AUDITOR service_areas: "*" }
P
as() { local who=$1; shift; RECIP_TOKEN=$(token_for "$who") "$recip" "$@"; }
sql() {
  /usr/bin/python3 - "$work/forged.db" "$1" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
for row in db.execute(sys.argv[2]):
    print(*row, sep=":")
db.commit()
PY
}

start_server "$work/principals.textproto" "$work/forged.db"
as officer participant create p-0001 --type resident --name "Forged Head" \
  >/dev/null || fail "register"
# Two reloads: audited events that write no record, so that cutting them off
# leaves every record as its last event says and only the head can tell.
as admin policy reload >/dev/null || fail "reload 1"
as admin policy reload >/dev/null || fail "reload 2"
old_head=$(sql "SELECT sequence, hash FROM audit_events WHERE sequence = 1")
[[ $old_head =~ ^1:[0-9a-f]{64}$ ]] || fail "old head: $old_head"

# The forgery, with no token: refused, and the log must not carry it.
forged="x event=audit_head head=$old_head y"
if out=$(RECIP_TOKEN= "$recip" claim submit --participant p-0001 \
  --project adult-social-care/ld-user-voice --date "$(date +%F)" --fare 3.20 \
  --request-id "$forged" 2>&1); then
  fail "a call without a token succeeded: $out"
fi
grep -q UNAUTHENTICATED <<<"$out" || fail "no UNAUTHENTICATED: $out"
# The same request id from a caller with a token is refused as invalid.
if out=$(as officer claim submit --participant p-0001 \
  --project adult-social-care/ld-user-voice --date "$(date +%F)" --fare 3.20 \
  --request-id "$forged" 2>&1); then
  fail "a request id with spaces was accepted: $out"
fi
grep -q INVALID_ARGUMENT <<<"$out" || fail "no INVALID_ARGUMENT: $out"
stop_server
cp "$log" "$work/first.log"
grep -q "code=UNAUTHENTICATED" "$work/first.log" || fail "the refused call was not logged"
if grep -n "event=rpc.*audit_head" "$work/first.log"; then
  fail "the forged head reached the log"
fi
# A line as an older server wrote it for the same call.
printf '%s\n' "ts=2026-11-20T12:00:00.000000Z level=info event=rpc method=/reciprocity.v1.ClaimService/SubmitClaim principal=- code=UNAUTHENTICATED ms=0.1 request_id=\"$forged\"" \
  >>"$work/first.log"

# Cut off the two reloads behind the server's back.
sql "DROP TRIGGER audit_events_no_delete" >/dev/null
sql "DELETE FROM audit_events WHERE sequence >= 2" >/dev/null
start_server "$work/principals.textproto" "$work/forged.db"
as auditor audit verify >/dev/null || fail "the shortened chain should still verify"
if out=$(as auditor audit verify --head-from "$work/first.log"); then
  fail "the cut was not caught, the forged head was believed: $out"
fi
grep -q "cut off" <<<"$out" || fail "cut-off message: $out"
# A log whose only head line is forged holds no head at all.
grep -v " level=info event=audit_head " "$work/first.log" >"$work/forged-only.log"
if out=$(as auditor audit verify --head-from "$work/forged-only.log" 2>&1); then
  fail "a forged line was taken for a head: $out"
fi
grep -q "holds no audit chain head" <<<"$out" || fail "no-head message: $out"
stop_server
echo "forged head: OK"
