#!/usr/bin/env bash
# One command for newcomers (Debian 12, as root): install what is missing,
# build, create a local database and principals file, and run reciprocityd
# with the shipped rule files. Stop it with Ctrl-C.
#
# Everything it creates lives under ./var (ignored by git). Delete ./var to
# start again from nothing.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

deploy/install-deps.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release -DRECIP_BUILD_TESTS=OFF >/dev/null
cmake --build build --target reciprocityd recip reciprocity-web

mkdir -p var var/backups
listen=${RECIP_LISTEN:-127.0.0.1:50051}
web_listen=${RECIP_WEB_LISTEN:-127.0.0.1:8080}
# One token per role. The principals file keeps only SHA-256 hashes; the
# tokens themselves are written to var/tokens.env for you to use.
deploy/demo-principals.sh var

build/server/reciprocityd --listen "$listen" --db var/reciprocity.db \
  --rules policy/areas --principals var/principals.textproto \
  --backup-dir var/backups --sign-in-proxy 127.0.0.1 &
daemon=$!
build/web/reciprocity-web --listen "$web_listen" --server "$listen" &
web=$!
trap 'kill $web $daemon 2>/dev/null; wait' INT TERM EXIT

# The demo participant, and one-time sign-in codes for the web front.
source var/tokens.env
export RECIP_SERVER=$listen
for _ in $(seq 50); do
  RECIP_TOKEN=$OFFICER_TOKEN build/client/recip area list >/dev/null 2>&1 && break
  sleep 0.2
done
RECIP_TOKEN=$OFFICER_TOKEN build/client/recip participant create p-0001 \
  --type resident --name "Demo" >/dev/null 2>&1 || true
participant_code=$(RECIP_TOKEN=$OFFICER_TOKEN build/client/recip sign-in-code p-0001)
officer_code=$(RECIP_TOKEN=$ADMINISTRATOR_TOKEN build/client/recip sign-in-code principals/demo-officer)

cat <<MSG

Reciprocity is running.
  web front:  http://$web_listen/
  gRPC:       $listen
  database:   $root/var/reciprocity.db
  rule files: $root/policy/areas
  principals: $root/var/principals.textproto (tokens in var/tokens.env)

Sign in to the web front with one of these one-time codes:
  participant: $participant_code
  officer:     $officer_code
(Staff can also sign in with their token: "I work for the council".)

Or use the command line, in another terminal:
  cd $root && source var/tokens.env
  export RECIP_SERVER=$listen RECIP_TOKEN=\$OFFICER_TOKEN
  build/client/recip area list
  build/client/recip claim preview --participant p-0001 \\
      --project adult-social-care/ld-user-voice --date $(date +%F) --fare 3.20 --miles car:12
  build/client/recip claim submit  --participant p-0001 \\
      --project adult-social-care/ld-user-voice --date $(date +%F) --fare 3.20 --miles car:12
  build/client/recip claim list
  build/client/recip sign-in-code p-0001      # a new code for the web front
  RECIP_TOKEN=\$ADMINISTRATOR_TOKEN build/client/recip admin backup   # into var/backups

Stop both with Ctrl-C.
MSG
wait $daemon
