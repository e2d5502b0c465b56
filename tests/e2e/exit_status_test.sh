#!/usr/bin/env bash
# recip's exit statuses, as deploy/man/recip.1 (EXIT STATUS) documents them:
# 0 ok, 1 refused, 2 usage or local validation (CLI11's parse errors too),
# 3 NOT_FOUND, 4 PERMISSION_DENIED, 5 UNAUTHENTICATED, 6 UNAVAILABLE; and
# `recip` with no arguments prints the help.
# Usage: exit_status_test.sh RECIPROCITYD RECIP SOURCE_DIR
set -euo pipefail
daemon=$1 recip=$2 src=$3
source "$src/tests/e2e/lib.sh"

cat >"$work/principals.textproto" <<P
principals { id: "exit-officer" token_sha256: "$(hash_of officer-token)"
  roles: ROLE_OFFICER service_areas: "adult-social-care" }
P
start_server "$work/principals.textproto" "$work/exit.db"
export RECIP_TOKEN=officer-token

# expect STATUS PATTERN ARGS...: runs recip ARGS, which must exit with
# STATUS and print something matching PATTERN (stdout and stderr).
expect() {
  local want=$1 pattern=$2 got=0 out
  shift 2
  out=$("$recip" "$@" 2>&1) || got=$?
  [[ $got == "$want" ]] || fail "recip $* exited $got, want $want: $out"
  grep -Eq -- "$pattern" <<<"$out" || fail "recip $* printed: $out"
}

# Help, asked for or not, is a success.
expect 0 "talk to a Reciprocity server"
expect 0 "talk to a Reciprocity server" --help
# Parse errors (CLI11's own codes were 105 to 109) and local validation: 2.
expect 2 "subcommand is required" claim
expect 2 "claim is required" claim get
expect 2 "not expected: surplus" claim list surplus
expect 2 "--no-such-option" --no-such-option claim list
expect 2 "--creche" claim preview --creche maybe
expect 2 "3.205" claim preview --participant p-0001 \
  --project adult-social-care/ld-user-voice --date "$(date +%F)" --fare 3.205
# The server's answers.
expect 0 "" area list
# Any refusal without a code of its own: 1.
expect 1 "INVALID_ARGUMENT" claim submit --participant p-0001 \
  --project adult-social-care/nope --date "$(date +%F)" --fare 3.20
expect 3 "NOT_FOUND" participant get p-9999
expect 3 "NOT_FOUND" project list nope
expect 4 "PERMISSION_DENIED" admin backup
RECIP_TOKEN=not-a-token expect 5 "UNAUTHENTICATED" claim list
stop_server
expect 6 "UNAVAILABLE" claim list
echo "exit statuses: OK"
