#!/usr/bin/env bash
# Makes TorchSharp's native bridge load on Debian 12 (docs/ARCHITECTURE.md, "TorchSharp on Debian 12").
#   infra/torchsharp-fix.sh NATIVE_DIR TOOLS_DIR
# NATIVE_DIR: a build output's runtimes/linux-x64/native (holds libLibTorchSharp.so and libtorch);
# TOOLS_DIR: where the Learning project's native build put torchsharp_fix and libmetarl_iosinit.so.
# Only where this system's libstdc++ lacks GLIBCXX_3.4.32, and only on this output's copy of the
# bridge (written as a new file, so a hard link into the NuGet cache is never changed): the bridge
# gets libmetarl_iosinit.so (which defines std::ios_base_library_init) as a dependency beside it,
# and its need for GLIBCXX_3.4.32 is marked weak. Idempotent; nothing changes on a newer system.
set -euo pipefail
dir="$1"; tools="$2"
lib="$dir/libLibTorchSharp.so"
[ -f "$lib" ] || exit 0
status=0; "$tools/torchsharp_fix" needed || status=$?
case "$status" in
  0) ;;                       # needed
  1) exit 0 ;;                # this libstdc++ has GLIBCXX_3.4.32: nothing to do
  *) echo "torchsharp-fix: cannot tell whether libstdc++ needs the fix" >&2; exit 1 ;;
esac
command -v patchelf >/dev/null || { echo "torchsharp-fix: patchelf is missing; run infra/bootstrap.sh (it installs it)" >&2; exit 1; }
# Files are replaced by rename, never rewritten in place: a running process may have them mapped.
if ! cmp -s "$tools/libmetarl_iosinit.so" "$dir/libmetarl_iosinit.so"; then
  cp -f "$tools/libmetarl_iosinit.so" "$dir/libmetarl_iosinit.so.new.$$"
  mv -f "$dir/libmetarl_iosinit.so.new.$$" "$dir/libmetarl_iosinit.so"
fi
if patchelf --print-needed "$lib" | grep -qx 'libmetarl_iosinit.so'; then exit 0; fi
tmp="$lib.fixing.$$"
cp -f "$lib" "$tmp"
patchelf --add-needed libmetarl_iosinit.so "$tmp"
"$tools/torchsharp_fix" weaken "$tmp" GLIBCXX_3.4.32
mv -f "$tmp" "$lib"
