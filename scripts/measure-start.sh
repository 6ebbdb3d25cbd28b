#!/usr/bin/env bash
# Times `node apps/api/dist/main.js` on the embedded database until /api/health/ready answers 200:
# three runs on a new data directory (cold), then three on the one the last run left (warm).
set -euo pipefail
cd "$(dirname "$0")/.."
PORT="${PORT:-3917}"
DATA_DIR="$(mktemp -d)/pglite"
time_one() {
  local started pid
  started=$(date +%s%N)
  env -u DATABASE_URL -u REDIS_URL PORT="$PORT" HOST=127.0.0.1 PGLITE_DATA_DIR="$DATA_DIR" LOG_LEVEL=warn \
    node apps/api/dist/main.js >/dev/null 2>&1 &
  pid=$!
  until curl -fs "http://127.0.0.1:$PORT/api/health/ready" >/dev/null 2>&1; do
    kill -0 "$pid" 2>/dev/null || { echo "the API exited"; return 1; }
    sleep 0.05
  done
  echo "$1: $(( ($(date +%s%N) - started) / 1000000 )) ms"
  kill "$pid"; wait "$pid" 2>/dev/null || true
}
for run in 1 2 3; do rm -rf "$DATA_DIR"; time_one "cold $run"; done
for run in 1 2 3; do time_one "warm $run"; done
rm -rf "$(dirname "$DATA_DIR")"
