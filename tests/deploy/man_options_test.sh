#!/usr/bin/env bash
# Every option `reciprocityd --help` lists is described in its man page
# (deploy/man/reciprocityd.8), so the two cannot drift apart.
# usage: man_options_test.sh RECIPROCITYD SOURCE_DIR
set -euo pipefail
daemon=$1 src=$2
page="$src/deploy/man/reciprocityd.8"
missing=()
for option in $("$daemon" --help | grep -o -- '--[a-z][a-z-]*' | sort -u); do
  [[ $option == --help ]] && continue
  # groff writes each dash as \-.
  if ! grep -qF -- "${option//-/\\-}" "$page"; then missing+=("$option"); fi
done
if ((${#missing[@]})); then
  echo "not in $page: ${missing[*]}"
  exit 1
fi
echo "every option of reciprocityd --help is in its man page"
