# Shared by the experiment scripts: a private published copy of the CLI, so that rebuilding the
# working tree while an experiment runs cannot change the code under it.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
out_root="${OUT:-experiments/out}"
snapshot="$out_root/bin-$$"
if [ ! -x "$snapshot/metarl" ]; then
  make --no-print-directory build >/dev/null
  # A copy of the build output (not `dotnet publish`: the build output carries the TorchSharp bridge
  # fixed for this system's libstdc++, infra/torchsharp-fix.sh).
  mkdir -p "$snapshot" && cp -r Client/bin/Release/net10.0/. "$snapshot/"
fi
metarl() { dotnet "$snapshot/metarl.dll" "$@"; }
