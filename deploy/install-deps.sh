#!/usr/bin/env bash
# Installs what Reciprocity needs on Debian 12 (run as root). Safe to run
# again: packages already present are skipped.
#   deploy/install-deps.sh          build and run
#   deploy/install-deps.sh --test   also what the tests need (buf, clang, python grpc)
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
  build-essential cmake ninja-build pkg-config git ca-certificates tzdata
  libgrpc++-dev protobuf-compiler-grpc libprotobuf-dev protobuf-compiler
  libsqlitecpp-dev libsqlite3-dev sqlite3 libabsl-dev libssl-dev
  libcli11-dev libspdlog-dev libfmt-dev libsystemd-dev
  # The web front: HTTP server, Mustache templates, QR codes on sign-in
  # letters.
  libcpp-httplib-dev libkainjow-mustache-dev libqrencode-dev
  libgtest-dev libgmock-dev libbenchmark-dev
)
if [[ "${1:-}" == "--test" ]]; then
  packages+=(clang-14 libclang-rt-14-dev python3 python3-grpcio python3-h2
             dpkg-dev file systemd
             # Browser tests of the web front.
             chromium chromium-driver python3-selenium)
  # buf comes from npm. Use the machine's own Node.js and npm when there is
  # one (Debian's npm package conflicts with a separately installed Node).
  command -v npm >/dev/null || packages+=(nodejs npm)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
    missing+=("$p")
done
if ((${#missing[@]})); then
  echo "install-deps: installing ${missing[*]}"
  if [[ $(id -u) -ne 0 ]]; then
    echo "install-deps: run as root (or with sudo) to install packages" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

if [[ "${1:-}" == "--test" && ! -x .local/node_modules/.bin/buf ]]; then
  # buf lints the API; it comes from the npm registry.
  mkdir -p .local
  npm install --prefix .local --no-audit --no-fund --loglevel=error @bufbuild/buf@1 >/dev/null
fi
if [[ "${1:-}" == "--test" && ! -f .local/node_modules/axe-core/axe.min.js ]]; then
  # axe-core checks every page the browser tests visit for accessibility.
  mkdir -p .local
  npm install --prefix .local --no-audit --no-fund --loglevel=error axe-core@4 >/dev/null
fi
