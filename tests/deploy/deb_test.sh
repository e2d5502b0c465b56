#!/usr/bin/env bash
# The .deb: build it with CPack, install it with dpkg -i, check what it put
# where, verify the installed systemd unit with systemd-analyze, run the
# installed reciprocityd as its service user, then remove and purge the
# package. Needs root (CI runs as root); exits 77 (skipped) otherwise.
# Usage: deb_test.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
build=$(cd "$1" && pwd) src=$(cd "$2" && pwd)
if [[ $(id -u) -ne 0 ]]; then
  echo "deb_package: SKIPPED: dpkg -i needs root; run the tests as root (CI does)"
  exit 77
fi
if dpkg-query -W -f='${Status}' reciprocity 2>/dev/null | grep -q "ok installed"; then
  echo "deb_package: SKIPPED: a reciprocity package is already installed here;" \
       "this test will not replace or remove it"
  exit 77
fi
if ! command -v systemd-analyze >/dev/null || ! command -v dpkg-shlibdeps >/dev/null; then
  "$src/deploy/install-deps.sh" --test
fi

work=$(mktemp -d)
installed=
# Leave the machine as it was: the package keeps its user and database on
# purge by design, so the test removes them when it made them.
had_user=$(getent passwd reciprocity >/dev/null && echo yes || true)
had_state=$([[ -e /var/lib/reciprocity ]] && echo yes || true)
cleanup() {
  if [[ -n $installed ]]; then
    rm -f /etc/reciprocity/principals.textproto
    dpkg -P reciprocity >/dev/null 2>&1 || true
  fi
  [[ -n $had_state ]] || rm -rf /var/lib/reciprocity || true
  if [[ -z $had_user ]]; then
    userdel reciprocity 2>/dev/null || true
    groupdel reciprocity 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

# --- build the package
(cd "$build" && cpack -G DEB -B "$work/pkg") >"$work/cpack.log" 2>&1 ||
  { cat "$work/cpack.log"; fail "cpack"; }
deb=$(ls "$work"/pkg/reciprocity_*.deb)
echo "built $(basename "$deb")"
depends=$(dpkg-deb --field "$deb" Depends)
echo "Depends: $depends"
[[ $depends == *libgrpc++* && $depends == *libsqlite3* ]] ||
  fail "dpkg-shlibdeps did not fill Depends: $depends"
contents=$(dpkg-deb --contents "$deb")
for f in ./usr/bin/reciprocityd ./usr/bin/recip ./usr/lib/systemd/system/reciprocityd.service \
    ./usr/share/man/man8/reciprocityd.8.gz ./usr/share/man/man1/recip.1.gz \
    ./usr/share/man/man8/reciprocity-web.8.gz \
    ./usr/share/reciprocity/reciprocity.conf.example \
    ./usr/share/reciprocity/areas/adult-social-care.textproto \
    ./usr/share/doc/reciprocity/README.md; do
  grep -q " $f\$" <<<"$contents" || fail "$f missing from the package"
done

# --- install
installed=yes
dpkg -i "$deb" || fail "dpkg -i"
getent passwd reciprocity >/dev/null || fail "no reciprocity user"
[[ $(stat -c %U /var/lib/reciprocity) == reciprocity ]] || fail "/var/lib/reciprocity owner"
[[ -f /etc/reciprocity/reciprocity.conf ]] || fail "no /etc/reciprocity/reciprocity.conf"
ls /etc/reciprocity/areas/*.textproto >/dev/null || fail "no rule files in /etc/reciprocity/areas"
/usr/bin/recip --help >/dev/null || fail "installed recip does not run"

# --- the unit verifies (systemd need not be PID 1 for this)
unit=/usr/lib/systemd/system/reciprocityd.service
# verify also checks Documentation=man:reciprocityd(8) with man(1), unless
# this machine's dpkg is set to leave man pages out (slim images).
man_check=()
if [[ ! -f /usr/share/man/man8/reciprocityd.8.gz ]] || ! command -v man >/dev/null; then
  echo "note: man pages not installed on this machine; verify runs with --man=no"
  man_check=(--man=no)
fi
echo "systemd-analyze verify ${man_check[*]} $unit:"
if ! out=$(systemd-analyze verify "${man_check[@]}" "$unit" 2>&1); then
  echo "$out"
  fail "systemd-analyze verify"
fi
echo "${out:-(no complaints)}"
echo "systemd-analyze security (exposure score, informational):"
systemd-analyze security --offline=true "$unit" 2>/dev/null | tail -1 || true

# --- the installed daemon, as its service user, with the shipped config
hash=$(printf '%s' deb-token | sha256sum | cut -d' ' -f1)
cat >/etc/reciprocity/principals.textproto <<P
principals { id: "deb-admin" token_sha256: "$hash" roles: ROLE_ADMINISTRATOR }
P
chgrp reciprocity /etc/reciprocity/principals.textproto
chmod 640 /etc/reciprocity/principals.textproto
out=$(runuser -u reciprocity -- /usr/bin/reciprocityd \
  --config /etc/reciprocity/reciprocity.conf --check) || { echo "$out"; fail "--check"; }
echo "$out"
port=$((20000 + RANDOM % 20000))
# setpriv execs the daemon itself, so $pid is reciprocityd and gets SIGTERM.
setpriv --reuid=reciprocity --regid=reciprocity --init-groups \
  /usr/bin/reciprocityd --config /etc/reciprocity/reciprocity.conf --listen "127.0.0.1:$port" --metrics-listen "" >"$work/server.log" 2>&1 &
pid=$!
for _ in $(seq 100); do
  grep -q "listening on" "$work/server.log" && break
  kill -0 "$pid" 2>/dev/null || { cat "$work/server.log"; fail "installed reciprocityd exited"; }
  sleep 0.1
done
out=$(RECIP_SERVER=127.0.0.1:$port RECIP_TOKEN=deb-token /usr/bin/recip admin backup deb-test.db) ||
  { kill "$pid"; fail "backup through the installed binaries: $out"; }
echo "$out"
kill -TERM "$pid"
wait "$pid" || fail "installed reciprocityd exit status"
[[ -f /var/lib/reciprocity/backups/deb-test.db ]] || fail "backup not in /var/lib/reciprocity/backups"
rm -f /var/lib/reciprocity/backups/deb-test.db

# --- remove, then purge
dpkg -r reciprocity || fail "dpkg -r"
[[ ! -e /usr/bin/reciprocityd && ! -e $unit ]] || fail "files left after dpkg -r"
[[ -f /etc/reciprocity/reciprocity.conf ]] || fail "dpkg -r removed the configuration"
rm -f /etc/reciprocity/principals.textproto
dpkg -P reciprocity || fail "dpkg -P"
installed=
[[ ! -e /etc/reciprocity ]] || fail "/etc/reciprocity left after purge"
[[ -d /var/lib/reciprocity ]] || fail "purge deleted the database directory"
echo "deb_package: OK"
