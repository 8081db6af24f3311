#!/usr/bin/env bash
# Installs what MetaRl.Orleans needs on a Debian machine, idempotently.
#   infra/bootstrap.sh           build + test prerequisites
#   infra/bootstrap.sh --bench   also the Python PyTorch reference used by bench/
# When everything is present it only checks and returns (a few seconds).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bench=0
for arg in "$@"; do
  case "$arg" in
    --bench) bench=1 ;;
    *) echo "bootstrap: unknown argument '$arg' (allowed: --bench)" >&2; exit 2 ;;
  esac
done

say() { echo "bootstrap: $*"; }
fail() { echo "bootstrap: ERROR: $*" >&2; exit 1; }

# ---- Debian packages -------------------------------------------------------------------------
packages=(g++ gcc make cmake zip libtorch-dev libopenblas0-openmp libmujoco-dev)
command -v npm >/dev/null 2>&1 || packages+=(nodejs npm)
[ "$bench" = 1 ] && packages+=(python3 python3-torch python3-numpy)

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

# libtorch's BLAS: prefer OpenBLAS (OpenMP build) over the reference BLAS (~30x on matmul).
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

# ---- local NuGet feed: System.IO.Hashing, which the registry mirror lacks --------------------
# Azure.Storage.Blobs needs System.IO.Hashing. The SDK ships that assembly; we pack it into a
# repo-local feed (.feed/, git-ignored). NuGet.config maps only that id to the feed and keeps its
# package folder inside the repo, so no other project on the machine ever sees it.
sdk_dir="$(dirname "$(dotnet --list-sdks | tail -n1 | sed -E 's/^([^ ]+) \[(.*)\]$/\2\/\1/')/x")"
hashing_dll="$(ls "$sdk_dir"/Sdks/Microsoft.NET.Sdk/tools/net*/System.IO.Hashing.dll 2>/dev/null | tail -n1 || true)"
[ -n "$hashing_dll" ] || fail "System.IO.Hashing.dll not found in the .NET SDK at $sdk_dir"
hashing_version="$(tr -d '\0' < "$hashing_dll" | grep -aoE 'FileVersion[^0-9]*[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+' | grep -oE '[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+' | head -n1)"
[ -n "$hashing_version" ] || fail "could not read the file version of $hashing_dll"
feed="$root/.feed"
nupkg="$feed/system.io.hashing.$hashing_version.nupkg"
props="$root/.feed/versions.props"
if [ ! -f "$nupkg" ] || [ ! -f "$props" ]; then
  say "packing System.IO.Hashing $hashing_version into .feed/"
  rm -rf "$feed" && mkdir -p "$feed"
  work="$(mktemp -d)"
  mkdir -p "$work/lib/net10.0"
  cp "$hashing_dll" "$work/lib/net10.0/"
  cat > "$work/System.IO.Hashing.nuspec" <<NUSPEC
<?xml version="1.0" encoding="utf-8"?>
<package xmlns="http://schemas.microsoft.com/packaging/2013/05/nuspec.xsd">
  <metadata>
    <id>System.IO.Hashing</id>
    <version>$hashing_version</version>
    <authors>Microsoft (repacked locally from the .NET SDK)</authors>
    <description>System.IO.Hashing as shipped inside the installed .NET SDK, repacked by infra/bootstrap.sh.</description>
  </metadata>
</package>
NUSPEC
  (cd "$work" && zip -q -r "$nupkg" System.IO.Hashing.nuspec lib)
  rm -rf "$work"
  cat > "$props" <<PROPS
<Project>
  <PropertyGroup><SystemIoHashingVersion>$hashing_version</SystemIoHashingVersion></PropertyGroup>
</Project>
PROPS
fi

# ---- Azurite (the official Azure Storage emulator), repo-local -------------------------------
if [ ! -x "$root/infra/azurite/node_modules/.bin/azurite-blob" ]; then
  say "installing Azurite from the npm registry into infra/azurite/node_modules"
  (cd "$root/infra/azurite" && npm ci --no-audit --no-fund --loglevel=error >/dev/null) \
    || fail "npm ci in infra/azurite failed; run it by hand to see why"
fi

say "ready"
