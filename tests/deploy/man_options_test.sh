#!/usr/bin/env bash
# Every option a program's --help lists is described in its man page, so
# the two cannot drift apart.
# usage: man_options_test.sh PROGRAM PAGE [PROGRAM PAGE ...]
set -euo pipefail
status=0
while (($# >= 2)); do
  program=$1 page=$2
  shift 2
  missing=()
  for option in $("$program" --help | grep -o -- '--[a-z][a-z-]*' | sort -u); do
    [[ $option == --help ]] && continue
    # groff writes each dash as \-.
    grep -qF -- "${option//-/\\-}" "$page" || missing+=("$option")
  done
  if ((${#missing[@]})); then
    echo "FAIL $(basename "$page") lacks: ${missing[*]}"
    status=1
  else
    echo "ok   $(basename "$page") describes every option of $(basename "$program") --help"
  fi
done
exit "$status"
