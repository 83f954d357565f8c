#!/usr/bin/env bash
# Print the path of a Python interpreter of the wanted minor version (e.g. 3.10).
# Looks at $PYTHON<MAJOR><MINOR> (e.g. PYTHON310), PATH, pyenv, then common prefixes.
set -euo pipefail
want="${1:?usage: find-python.sh 3.10|3.11}"
var="PYTHON${want//./}"
why="${2:-}"

check() {
  local exe="$1"
  [ -x "$exe" ] || return 1
  local got
  got=$("$exe" -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")' 2>/dev/null) || return 1
  [ "$got" = "$want" ]
}

candidates=()
[ -n "${!var:-}" ] && candidates+=("${!var}")
if command -v "python$want" >/dev/null 2>&1; then candidates+=("$(command -v "python$want")"); fi
if command -v pyenv >/dev/null 2>&1; then
  root=$(pyenv root)
  for d in "$root"/versions/"$want".*; do
    [ -d "$d" ] && candidates+=("$d/bin/python$want")
  done
fi
candidates+=("/usr/local/bin/python$want" "/usr/bin/python$want" "$HOME/.pyenv/versions/$want/bin/python$want")

for exe in "${candidates[@]}"; do
  # A pyenv shim may exist but point at another version; check() verifies.
  if check "$exe"; then "$exe" -c 'import sys; print(sys.executable)'; exit 0; fi
done

echo "ERROR: Python $want is needed but was not found. $why" >&2
echo "Install it (e.g. 'pyenv install $want') or set $var=/path/to/python$want." >&2
exit 1
