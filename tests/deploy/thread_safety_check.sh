#!/usr/bin/env bash
# clang's -Wthread-safety over every file that uses Abseil's lock
# annotations (ABSL_GUARDED_BY and friends), with the flags the build uses
# (compile_commands.json). The project builds with g++, which ignores the
# annotations; this is where they are checked. Skips (77) without clang.
#   thread_safety_check.sh <build dir> <source dir>
set -euo pipefail
build=$1 src=$2
clang=$(command -v clang++-14 || command -v clang++ || true)
[[ -n "$clang" ]] || { echo "no clang++: skipped"; exit 77; }
[[ -f "$build/compile_commands.json" ]] || { echo "no compile_commands.json in $build"; exit 1; }

files=$(cd "$src" && grep -rlE 'ABSL_(GUARDED_BY|PT_GUARDED_BY|EXCLUSIVE_LOCKS_REQUIRED|LOCKS_EXCLUDED|SHARED_LOCKS_REQUIRED)' \
          --include='*.cc' --include='*.h' base policy server client web 2>/dev/null || true)
# A header is checked through the .cc files that include it: its own .cc,
# or any .cc that names it.
targets=()
for f in $files; do
  if [[ $f == *.h ]]; then
    cc=${f%.h}.cc
    if [[ -f "$src/$cc" ]]; then targets+=("$cc"); else
      targets+=($(cd "$src" && grep -rl "#include \"$f\"" --include='*.cc' base policy server client web 2>/dev/null | head -1))
    fi
  else
    targets+=("$f")
  fi
done
mapfile -t targets < <(printf '%s\n' "${targets[@]}" | sort -u)
echo "checking ${#targets[@]} files: ${targets[*]}"

/usr/bin/python3 - "$build/compile_commands.json" "$src" "$clang" "${targets[@]}" <<'PY'
import json, os, shlex, subprocess, sys
db, src, clang, *targets = sys.argv[1:]
commands = {os.path.realpath(e["file"]): e for e in json.load(open(db))}
failed = 0
for t in targets:
    path = os.path.realpath(os.path.join(src, t))
    entry = commands.get(path)
    if entry is None:
        print(f"{t}: not in compile_commands.json (not built here): skipped")
        continue
    args = shlex.split(entry["command"])
    # Drop the compiler (and a launcher such as ccache), the output and the
    # sanitizer flags; keep defines, include paths and the standard.
    keep, skip = [], False
    for a in args[1:]:
        if skip: skip = False; continue
        if a in ("-o", "-c", "-MF", "-MT", "-MQ"): skip = True; continue
        if a.startswith("-fsanitize") or a == path or a.endswith("g++") or a == "-MD": continue
        if a.startswith("-Wno-maybe") or a.startswith("-Wno-restrict"): continue
        keep.append(a)
    cmd = [clang, "-fsyntax-only", "-Wthread-safety", "-Werror=thread-safety",
           "-Wno-unknown-warning-option", *keep, path]
    r = subprocess.run(cmd, cwd=entry["directory"], capture_output=True, text=True)
    # Only thread-safety findings fail the check: clang and g++ may differ on
    # other warnings.
    bad = [l for l in r.stderr.splitlines() if "thread-safety" in l]
    if r.returncode != 0 and (bad or "error:" in r.stderr):
        print(f"FAIL {t}:\n{r.stderr}")
        failed += 1
    else:
        print(f"ok   {t}")
sys.exit(1 if failed else 0)
PY
