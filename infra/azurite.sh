#!/usr/bin/env bash
# Azurite (blob, queue and table services) on 127.0.0.1 for development: the storage a cluster of
# metarl-silo processes shares (membership and reminders in tables, grain state and data in blobs).
#   infra/azurite.sh start [DATA_DIR]   start it in the background (default .metarl/azurite), print the connection string
#   infra/azurite.sh stop               stop it gracefully (SIGTERM: Azurite saves its data)
#   infra/azurite.sh env                print `export METARL_…` lines for a shell: eval "$(infra/azurite.sh env)"
# Ports: 10000 (blob), 10001 (queue), 10002 (table), or AZURITE_BLOB_PORT / _QUEUE_PORT / _TABLE_PORT.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
exe="$root/infra/azurite/node_modules/.bin/azurite"
blob="${AZURITE_BLOB_PORT:-10000}"; queue="${AZURITE_QUEUE_PORT:-10001}"; table="${AZURITE_TABLE_PORT:-10002}"
state="$root/.metarl/azurite.pid"
key="Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==" # Azurite's documented development key
cs="DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=$key;BlobEndpoint=http://127.0.0.1:$blob/devstoreaccount1;QueueEndpoint=http://127.0.0.1:$queue/devstoreaccount1;TableEndpoint=http://127.0.0.1:$table/devstoreaccount1;"

case "${1:-}" in
  start)
    [ -x "$exe" ] || "$root/infra/bootstrap.sh"
    data="${2:-$root/.metarl/azurite}"
    mkdir -p "$data" "$(dirname "$state")"
    if [ -f "$state" ] && kill -0 "$(cat "$state")" 2>/dev/null; then
      echo "azurite: already running (pid $(cat "$state"))" >&2
    else
      setsid "$exe" --blobHost 127.0.0.1 --blobPort "$blob" --queueHost 127.0.0.1 --queuePort "$queue" \
        --tableHost 127.0.0.1 --tablePort "$table" --location "$data" --disableTelemetry --silent \
        --skipApiVersionCheck --loose > "$data/azurite.log" 2>&1 &
      echo $! > "$state"
      for _ in $(seq 1 100); do (exec 3<>"/dev/tcp/127.0.0.1/$table") 2>/dev/null && break; sleep 0.1; done
      echo "azurite: pid $(cat "$state"), data in $data" >&2
    fi
    echo "$cs" ;;
  stop)
    if [ -f "$state" ]; then kill -TERM "$(cat "$state")" 2>/dev/null || true; rm -f "$state"; echo "azurite: stopped" >&2; fi ;;
  env)
    echo "export METARL_STORAGE=azure"
    echo "export METARL_AZURE_CONNECTION_STRING='$cs'" ;;
  *) echo "usage: infra/azurite.sh start [DATA_DIR] | stop | env" >&2; exit 2 ;;
esac
