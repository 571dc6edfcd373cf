#!/usr/bin/env bash
# TFTP benchmark, run by hand after a build (npx tsc -p tsconfig.json), as root:
#   bench/tftp/run.sh
# provd against tftp-hpa (in.tftpd), atftpd (/opt/atftpd) and dnsmasq, all serving the same files
# inside a network namespace this script creates (dnsmasq serves TFTP only on port 69), clients
# inside it too, so all traffic stays on the namespace's loopback.
# - boot storm: DEVICES phones x 4 files (a new phone's <mac>.boot: miss; y000000000000.boot: hit;
#   a model file: miss; the phone's <mac>.cfg: hit), blksize 1468 + tsize, at each of LEVELS
#   concurrent phones (bench/tftp/storm.mjs). The reference servers serve a mirror of exactly the
#   bytes provd generated (fetched from provd over HTTP first).
# - one 64 MB firmware at blksize 1468 with the atftp client: lockstep (provd, tftp-hpa) and
#   windowsize 16 (provd, atftpd).
# - provd's resident memory, sampled every 100 ms during the highest storm level.
# Every cell runs each server once per round, ROUNDS rounds, order rotated per round.
# Results: bench/out/tftp-run/{storm,throughput,memory}.jsonl and report.md (bench/tftp/report.mjs).
# Settings (environment): DEVICES=2000 LEVELS="50 200 1000" ROUNDS=3 DEADLINE=1500 (seconds).
set -euo pipefail

DEVICES=${DEVICES:-2000}
LEVELS=${LEVELS:-"50 200 1000"}
ROUNDS=${ROUNDS:-3}
DEADLINE=${DEADLINE:-1500}
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
OUT=$REPO/bench/out/tftp-run
BIN=$REPO/dist/src/cli/bin.js
ATFTPD=${ATFTPD:-/opt/atftpd/usr/sbin/atftpd}
NS=tftp-bench-$$
[ -f "$BIN" ] || { echo "run.sh: $BIN missing; build first" >&2; exit 2; }
for t in node atftp in.tftpd dnsmasq curl ip "$ATFTPD"; do command -v "$t" >/dev/null || { echo "run.sh: $t not found" >&2; exit 2; }; done

PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  # `ip netns exec` may leave the servers as orphans of its own: end whatever runs in our namespace.
  ip netns pids "$NS" 2>/dev/null | xargs -r kill 2>/dev/null || true
  sleep 0.5
  ip netns pids "$NS" 2>/dev/null | xargs -r kill -9 2>/dev/null || true
  ip netns del "$NS" 2>/dev/null || true
}
trap cleanup EXIT
trap 'exit 1' TERM INT
( sleep "$DEADLINE"; echo "run.sh: deadline reached, stopping" >&2; kill -TERM $$ ) &
PIDS+=($!)

rm -rf "$OUT" && mkdir -p "$OUT/mirror"
ip netns add "$NS"
ip netns exec "$NS" ip link set lo up
# tftp-hpa resolves its bind address with AI_ADDRCONFIG, which finds nothing in a namespace that
# has only loopback: a veth pair inside it with an address gives it a configured IPv4 network.
ip netns exec "$NS" ip link add tftp-va type veth peer name tftp-vb
ip netns exec "$NS" ip addr add 10.146.0.1/24 dev tftp-va
ip netns exec "$NS" ip link set tftp-va up
ip netns exec "$NS" ip link set tftp-vb up
inns() { ip netns exec "$NS" "$@"; }

node "$REPO/bench/http/gen-inventory.mjs" --devices "$DEVICES" --out "$OUT/inv" >&2
cat >"$OUT/inv/provd.yaml" <<EOF2
bind: 127.0.0.1
public_host: 127.0.0.1
http:
  port: 8080
tftp:
  enabled: true
  port: 6969
  max_per_address: 2000
state_dir: ./state
root: ./root
inventory: ./inventory
templates:
  shipped: $REPO/templates
  override: ./templates.local
security:
  allowed_networks: [127.0.0.0/8]
  # All simulated phones share 127.0.0.1; the scanner guard would rightly block it.
  scanner:
    unknown_macs: 1000000
log:
  level: info
EOF2
head -c $((64 * 1024 * 1024)) /dev/urandom >"$OUT/inv/root/fw64.bin"
cp "$OUT/inv/root/fw64.bin" "$OUT/mirror/fw64.bin"

# The storm chain and the HTTP list of its hits (for the mirror), one phone after another.
awk -F'\t' '$1 ~ /\.cfg$/ && $1 !~ /^\/y0/ { mac = substr($1, 2, 12);
  printf "00156f%s.boot\tmiss\ny000000000000.boot\thit\ny0000000000ff.cfg\tmiss\n%s.cfg\thit\n", substr(mac, 7), mac }' \
  "$OUT/inv/urls.tsv" >"$OUT/chain.tsv"
awk -F'\t' '$1 ~ /\.cfg$/ && $1 !~ /^\/y0/ { print; if (!done) { print "/y000000000000.boot\t" $2; done = 1 } }' "$OUT/inv/urls.tsv" >"$OUT/hits.tsv"

inns node "$BIN" serve --config "$OUT/inv/provd.yaml" >"$OUT/provd.log" 2>&1 &
PROVD=$!
PIDS+=($PROVD)
for _ in $(seq 100); do grep -q '"msg":"ready"' "$OUT/provd.log" && break; sleep 0.2; done
grep -q '"msg":"ready"' "$OUT/provd.log" || { echo "provd did not start" >&2; tail "$OUT/provd.log" >&2; exit 1; }
inns node "$REPO/bench/http/prefetch.mjs" http://127.0.0.1:8080 "$OUT/hits.tsv" "$OUT/mirror" >&2

inns in.tftpd -L -a 127.0.0.1:6970 -B 1468 -u root -s "$OUT/mirror" &
PIDS+=($!)
inns "$ATFTPD" --daemon --no-fork --user root.root --port 6971 --bind-address 127.0.0.1 --maxthread 2000 --logfile /dev/null "$OUT/mirror" &
PIDS+=($!)
inns dnsmasq --keep-in-foreground --port=0 --enable-tftp --tftp-root="$OUT/mirror" --listen-address=127.0.0.1 \
  --bind-interfaces --tftp-max=2000 --user=root --pid-file="$OUT/dnsmasq.pid" --log-facility="$OUT/dnsmasq.log" &
PIDS+=($!)
sleep 1
declare -A PORT=([provd]=6969 [tftp-hpa]=6970 [atftpd]=6971 [dnsmasq]=69)
SERVERS=(provd tftp-hpa atftpd dnsmasq)

# Sanity: every server answers a hit with the same bytes.
want=$(md5sum <"$OUT/mirror/y000000000000.boot" | cut -d' ' -f1)
for s in "${SERVERS[@]}"; do
  got=$(inns curl -s --max-time 10 --tftp-blksize 1468 "tftp://127.0.0.1:${PORT[$s]}/y000000000000.boot" | md5sum | cut -d' ' -f1)
  [ "$got" = "$want" ] || { echo "run.sh: $s serves different bytes" >&2; exit 1; }
done

rss_sampler() {
  local max=0
  while kill -0 "$1" 2>/dev/null; do
    local kb
    kb=$(awk '/VmRSS/ {print $2}' /proc/"$PROVD_NODE"/status 2>/dev/null || echo 0)
    [ "${kb:-0}" -gt "$max" ] && max=$kb
    sleep 0.1
  done
  echo "$max"
}
PROVD_NODE=$(pgrep -P "$PROVD" node || echo "$PROVD")
TOP=$(echo "$LEVELS" | awk '{print $NF}')

for round in $(seq "$ROUNDS"); do
  rot=$(( (round - 1) % ${#SERVERS[@]} ))
  order=("${SERVERS[@]:$rot}" "${SERVERS[@]:0:$rot}")
  for c in $LEVELS; do
    for s in "${order[@]}"; do
      inns node "$HERE/storm.mjs" 127.0.0.1 "${PORT[$s]}" "$OUT/chain.tsv" "$c" 1468 >"$OUT/one.json" &
      gen=$!
      rss=
      if [ "$s" = provd ] && [ "$c" = "$TOP" ]; then rss=$(rss_sampler "$gen"); fi
      wait "$gen"
      line=$(cat "$OUT/one.json")
      echo "{\"round\":$round,\"server\":\"$s\",\"concurrency\":$c,${line#\{}" >>"$OUT/storm.jsonl"
      [ -n "$rss" ] && echo "{\"round\":$round,\"concurrency\":$c,\"max_rss_kb\":$rss}" >>"$OUT/memory.jsonl"
      echo "round $round c=$c $s: $line" >&2
      sleep 1
    done
  done
  for mode in lockstep window16; do
    if [ $mode = lockstep ]; then pair=(provd tftp-hpa); opts=(--option "blksize 1468"); else pair=(provd atftpd); opts=(--option "blksize 1468" --option "windowsize 16"); fi
    [ $((round % 2)) = 0 ] && pair=("${pair[1]}" "${pair[0]}")
    for s in "${pair[@]}"; do
      rm -f "$OUT/fw.out"
      t0=$(date +%s%N)
      inns atftp "${opts[@]}" -g -r fw64.bin -l "$OUT/fw.out" 127.0.0.1 "${PORT[$s]}" >/dev/null 2>&1 || true
      t1=$(date +%s%N)
      ok=$(cmp -s "$OUT/fw.out" "$OUT/mirror/fw64.bin" && echo true || echo false)
      ms=$(( (t1 - t0) / 1000000 ))
      echo "{\"round\":$round,\"mode\":\"$mode\",\"server\":\"$s\",\"ms\":$ms,\"ok\":$ok,\"mb_s\":$(awk "BEGIN{printf \"%.1f\", 64*1.048576/($ms/1000)}")}" >>"$OUT/throughput.jsonl"
      echo "round $round $mode $s: ${ms} ms ok=$ok" >&2
    done
  done
done
node "$HERE/report.mjs" "$OUT" >"$OUT/report.md"
cat "$OUT/report.md"
