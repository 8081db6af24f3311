#!/usr/bin/env bash
# A local cluster of metarl-silo processes on Azurite, every one bound to 127.0.0.1 on its own ports.
#   infra/cluster.sh start [N] [CORES]   start Azurite (if needed) and N silos (default 2) with CORES cores each (default 1)
#   infra/cluster.sh stop                stop the silos (SIGTERM: each run checkpoints and lets go), then Azurite
#   infra/cluster.sh status              the silos' processes
# Silo i listens on 11111+i (silo-to-silo) and 30000+i (gateway); logs in .metarl/cluster/silo-i.log.
# Then, in another shell: eval "$(infra/azurite.sh env)"; ./metarl sweep submit my-sweep.json; ./metarl silos
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dir="$root/.metarl/cluster"
silo="$root/Silo/bin/Release/net10.0/metarl-silo.dll"

case "${1:-}" in
  start)
    n="${2:-2}"; cores="${3:-1}"
    [ -f "$silo" ] || make -C "$root" --no-print-directory build >&2
    cs="$("$root/infra/azurite.sh" start)"
    mkdir -p "$dir"
    for i in $(seq 0 $((n - 1))); do
      METARL_STORAGE=azure METARL_AZURE_CONNECTION_STRING="$cs" METARL_CLUSTER__SILONAME="silo-$i" \
      METARL_CLUSTER__SILOPORT=$((11111 + i)) METARL_CLUSTER__GATEWAYPORT=$((30000 + i)) METARL_SILO__COREBUDGET="$cores" \
        setsid dotnet "$silo" > "$dir/silo-$i.log" 2>&1 &
      echo $! > "$dir/silo-$i.pid"
      echo "cluster: silo-$i pid $! (gateway 127.0.0.1:$((30000 + i)), log $dir/silo-$i.log)" >&2
    done ;;
  stop)
    for f in "$dir"/silo-*.pid; do [ -f "$f" ] || continue; kill -TERM "$(cat "$f")" 2>/dev/null || true; done
    for f in "$dir"/silo-*.pid; do
      [ -f "$f" ] || continue
      for _ in $(seq 1 600); do kill -0 "$(cat "$f")" 2>/dev/null || break; sleep 0.5; done
      rm -f "$f"
    done
    "$root/infra/azurite.sh" stop ;;
  status)
    for f in "$dir"/silo-*.pid; do [ -f "$f" ] || continue; p="$(cat "$f")"; echo "$(basename "$f" .pid): pid $p $(kill -0 "$p" 2>/dev/null && echo running || echo gone)"; done ;;
  *) echo "usage: infra/cluster.sh start [N] [CORES] | stop | status" >&2; exit 2 ;;
esac
