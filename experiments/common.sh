# Shared by the experiment scripts: a private published copy of the CLI, so that rebuilding the
# working tree while an experiment runs cannot change the code under it.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
out_root="${OUT:-experiments/out}"
snapshot="$out_root/bin-$$"
if [ ! -x "$snapshot/metarl" ]; then
  make --no-print-directory build >/dev/null
  dotnet publish Client -c Release --no-build -o "$snapshot" --nologo -v quiet >/dev/null
fi
metarl() { dotnet "$snapshot/metarl.dll" "$@"; }
