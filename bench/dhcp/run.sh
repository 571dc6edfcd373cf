#!/bin/sh
# DHCPINFORM answers per second and latency: provd (inform mode) against dnsmasq, same namespace
# pair, interleaved rounds. Needs root (ip netns), a built dist/ (npx tsc -p tsconfig.json) and
# dnsmasq. Every round is bounded (COUNT requests, 60 s at most); namespaces are removed at exit.
#   sh bench/dhcp/run.sh [ROUNDS] [COUNT] [WINDOW]
set -eu
ROUNDS=${1:-3}
COUNT=${2:-20000}
WINDOW=${3:-16}
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
S=dhcp-bench-s
C=dhcp-bench-c
WORK=$(mktemp -d /tmp/provd-dhcp-bench.XXXXXX)
PID=""
cleanup() {
  [ -n "$PID" ] && kill "$PID" 2>/dev/null || true
  ip netns del "$S" 2>/dev/null || true
  ip netns del "$C" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT INT TERM
ip netns add "$S"; ip netns add "$C"
ip link add veth-s netns "$S" type veth peer name veth-c netns "$C"
ip -n "$S" addr add 10.78.0.1/24 dev veth-s; ip -n "$S" link set veth-s up; ip -n "$S" link set lo up
ip -n "$C" addr add 10.78.0.50/24 dev veth-c; ip -n "$C" link set veth-c up; ip -n "$C" link set lo up

cp -r "$REPO/config/inventory" "$WORK/inventory"; mkdir -p "$WORK/root"
cat > "$WORK/provd.yaml" <<YAML
public_host: 10.78.0.1
http:
  port: 0
state_dir: ./var
root: ./root
inventory: ./inventory
templates:
  shipped: $REPO/templates
log:
  level: warn
dhcp:
  enabled: true
  mode: inform
  broadcast_address: 10.78.0.255
YAML

start_provd() {
  (cd "$WORK" && ip netns exec "$S" node "$REPO/dist/src/cli/bin.js" serve --config provd.yaml > provd.log 2>&1 & echo $! > "$WORK/pid")
  PID=$(cat "$WORK/pid"); sleep 2
}
start_dnsmasq() {
  ip netns exec "$S" dnsmasq --port=0 --interface=veth-s --bind-interfaces --dhcp-range=10.78.0.100,10.78.0.200 \
    --dhcp-vendorclass=set:yl,yealink --dhcp-option-force=tag:yl,66,'"tftp://10.78.0.1/$PN/"' \
    --dhcp-leasefile="$WORK/dnsmasq.leases" --pid-file="$WORK/dnsmasq.pid" --keep-in-foreground &
  PID=$!; sleep 1
}
load() { ip netns exec "$C" node "$HERE/inform-load.mjs" 10.78.0.1 10.78.0.50 "$COUNT" "$WINDOW" 60000; }

echo "rounds=$ROUNDS count=$COUNT window=$WINDOW"
i=1
while [ "$i" -le "$ROUNDS" ]; do
  start_provd; printf 'provd   %s ' "$i"; load; kill "$PID"; wait "$PID" 2>/dev/null || true; PID=""
  start_dnsmasq; printf 'dnsmasq %s ' "$i"; load; kill "$PID"; wait "$PID" 2>/dev/null || true; PID=""
  i=$((i + 1))
done
