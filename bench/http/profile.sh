#!/usr/bin/env bash
# CPU profile of provd under the bench/http load, run by hand after a build:
#   bench/http/profile.sh [keepalive|close]
# Starts provd (DEVICES phones, default info log level) under `node --cpu-prof`, fetches every
# file once, drives wrk for DURATION seconds at CONNS connections, stops provd with SIGTERM (the
# profile is written on exit) and prints the top self-time and inclusive functions.
# Settings (environment): DEVICES=2000 CONNS=200 DURATION=10 THREADS=2 LOG_LEVEL=info.
# Output: bench/out/http-profile/<mode>-<level>/ (profile, provd log, wrk output, top.md).
set -euo pipefail

MODE=${1:-keepalive}
DEVICES=${DEVICES:-2000}
CONNS=${CONNS:-200}
DURATION=${DURATION:-10}
THREADS=${THREADS:-2}
LOG_LEVEL=${LOG_LEVEL:-info}
case "$MODE" in keepalive|close) ;; *) echo "usage: profile.sh [keepalive|close]" >&2; exit 2 ;; esac

HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
OUT=$REPO/bench/out/http-profile/$MODE-$LOG_LEVEL
BIN=$REPO/dist/src/cli/bin.js

PID=
cleanup() {
  local status=$?
  if [ -n "$PID" ]; then
    kill -TERM "$PID" 2>/dev/null || true
    for _ in $(seq 100); do kill -0 "$PID" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$PID" 2>/dev/null || true
  fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

rm -rf "$OUT"
mkdir -p "$OUT/prof"
node "$HERE/gen-inventory.mjs" --devices "$DEVICES" --out "$OUT/inv" >&2
MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX:-2} node --cpu-prof --cpu-prof-dir "$OUT/prof" "$BIN" serve --config "$OUT/inv/provd.yaml" --http-port 0 \
  --log-level "$LOG_LEVEL" >>"$OUT/provd.log" 2>&1 &
PID=$!
for _ in $(seq 600); do
  grep -q '"msg":"ready"' "$OUT/provd.log" 2>/dev/null && break
  kill -0 "$PID" 2>/dev/null || { echo "provd exited; see $OUT/provd.log" >&2; exit 1; }
  sleep 0.1
done
# At warn level the listening line is not logged: the port is in the runtime file then.
PORT=$(grep -m1 '"msg":"listening"' "$OUT/provd.log" | sed 's/.*"port":\([0-9]*\).*/\1/' || true)
if [ -z "$PORT" ]; then
  for _ in $(seq 100); do
    PORT=$(grep -rho '"http_url": *"http://[^"]*:[0-9]*"' "$OUT/inv/state" 2>/dev/null | head -1 | sed 's/.*:\([0-9]*\)"$/\1/' || true)
    [ -n "$PORT" ] && break
    sleep 0.1
  done
fi
[ -n "$PORT" ] || { echo "profile.sh: cannot tell provd's port" >&2; exit 1; }
node "$HERE/prefetch.mjs" "http://127.0.0.1:$PORT" "$OUT/inv/urls.tsv" >&2
URLS=$OUT/inv/urls.tsv timeout $((DURATION + 20)) wrk -t"$THREADS" -c"$CONNS" -d"${DURATION}s" --latency \
  -s "$HERE/phones.lua" "http://127.0.0.1:$PORT" -- "$MODE" | tee "$OUT/wrk.txt" >&2
kill -TERM "$PID"
wait "$PID" 2>/dev/null || true
PID=
node "$HERE/cpuprofile-top.mjs" "$(ls "$OUT"/prof/*.cpuprofile | head -1)" 15 | tee "$OUT/top.md"
