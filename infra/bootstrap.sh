#!/usr/bin/env bash
# Installs what MetaRl.Orleans needs on a Debian machine, idempotently.
#   infra/bootstrap.sh           build, test and benchmark prerequisites
# When everything is present it only checks and returns (a few seconds).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
for arg in "$@"; do
  echo "bootstrap: unknown argument '$arg' (it takes none)" >&2; exit 2
done

say() { echo "bootstrap: $*"; }
fail() { echo "bootstrap: ERROR: $*" >&2; exit 1; }

# ---- Debian packages -------------------------------------------------------------------------
# patchelf: the Debian 12 fix of TorchSharp's native bridge (infra/torchsharp-fix.sh) and libmetarl_scalars's link to it; python3-torch:
# the PyTorch-export test loads an exported policy with Debian's PyTorch (and bench/ compares with it);
# fontconfig and DejaVu: the report's plots (ScottPlot on SkiaSharp) draw their text with a system font;
# chromium: the report test opens the HTML page headless and takes a screenshot.
packages=(g++ gcc make cmake libmujoco-dev patchelf python3 python3-torch python3-numpy libopenblas0-openmp
          libfontconfig1 fonts-dejavu-core chromium)
command -v npm >/dev/null 2>&1 || packages+=(nodejs npm)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  command -v apt-get >/dev/null 2>&1 || fail "missing packages ${missing[*]} and no apt-get: this project needs Debian 12 (bookworm) or a derivative."
  if [ "$(id -u)" = 0 ]; then sudo=""
  elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then sudo="sudo"
  else fail "missing Debian packages: ${missing[*]}. Run: sudo apt-get update && sudo apt-get install -y ${missing[*]}"
  fi
  say "installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq >/dev/null || fail "apt-get update failed; check the machine's package sources"
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
    || fail "apt-get install ${missing[*]} failed; run it by hand to see why"
fi

# Debian's PyTorch (the bench reference, the export test) uses the system BLAS: prefer OpenBLAS
# (OpenMP build) over the reference BLAS (~30x on matmul). TorchSharp's libtorch brings its own.
if [ -e /usr/lib/x86_64-linux-gnu/openblas-openmp/libblas.so.3 ] && command -v update-alternatives >/dev/null; then
  current="$(readlink -f /usr/lib/x86_64-linux-gnu/libblas.so.3 || true)"
  case "$current" in
    *openblas-openmp*) ;;
    *) if [ "$(id -u)" = 0 ]; then
         update-alternatives --quiet --set libblas.so.3-x86_64-linux-gnu /usr/lib/x86_64-linux-gnu/openblas-openmp/libblas.so.3 || true
         update-alternatives --quiet --set liblapack.so.3-x86_64-linux-gnu /usr/lib/x86_64-linux-gnu/openblas-openmp/liblapack.so.3 || true
       else say "note: BLAS in use is $current; OpenBLAS (openmp) is faster: sudo update-alternatives --config libblas.so.3-x86_64-linux-gnu"
       fi ;;
  esac
fi

# ---- .NET SDK --------------------------------------------------------------------------------
command -v dotnet >/dev/null 2>&1 || fail "the .NET SDK 10 is not on PATH. Install it (https://learn.microsoft.com/dotnet/core/install/linux-debian) and run again."
dotnet_major="$(dotnet --version 2>/dev/null | cut -d. -f1)"
[ "${dotnet_major:-0}" -ge 10 ] || fail "the .NET SDK on PATH is $(dotnet --version 2>/dev/null); this project needs 10.0 or later."

# ---- Azurite (the official Azure Storage emulator), repo-local -------------------------------
if [ ! -x "$root/infra/azurite/node_modules/.bin/azurite" ]; then
  say "installing Azurite from the npm registry into infra/azurite/node_modules"
  (cd "$root/infra/azurite" && npm ci --no-audit --no-fund --loglevel=error >/dev/null) \
    || fail "npm ci in infra/azurite failed; run it by hand to see why"
fi

# ---- playwright-core, repo-local: drives Debian's Chromium in the report test ---------------------
if [ ! -d "$root/infra/browser/node_modules/playwright-core" ]; then
  say "installing playwright-core from the npm registry into infra/browser/node_modules"
  (cd "$root/infra/browser" && npm ci --no-audit --no-fund --loglevel=error >/dev/null) \
    || fail "npm ci in infra/browser failed; run it by hand to see why"
fi

say "ready"
