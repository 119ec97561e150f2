#!/usr/bin/env bash
# The storefront demo on real parts (called by `packaging/dev.sh demo --storefront` after the build):
#   a private cupsd with capture printers, and waybill-hub emulating a Shopify store (its
#   fulfillment orders for location 1, under /shopify) and ShipEngine (labels, under /shipengine),
#   with lost answers on both; the agent in autonomous mode with central.kind: storefront takes the
#   orders, buys a label per box from the shipping API, prints it and fulfils each order with its
#   tracking numbers. Halfway it is SIGKILLed and started again. A summary checks every order was
#   fulfilled once with all its boxes' tracking numbers and every label bought and printed once.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BIN="${BIN:-$(cd "$ROOT" && swift build --show-bin-path)}"
ORDERS="${ORDERS:-40}"
STATE="$(mktemp -d -t waybill-storefront-demo.XXXXXX)"
chmod 755 "$STATE"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
say() { printf '\n==> %s\n' "$*"; }
HUB_PORT="$(free_port)"; CUPS_PORT="$(free_port)"; HTTP_PORT="$(free_port)"
HUB_URL="http://127.0.0.1:$HUB_PORT"
HUB_PID=""; AGENT_PID=""

cleanup() {
    [ -n "$AGENT_PID" ] && kill -TERM "$AGENT_PID" 2>/dev/null && wait "$AGENT_PID" 2>/dev/null || true
    [ -n "$HUB_PID" ] && kill -TERM "$HUB_PID" 2>/dev/null && wait "$HUB_PID" 2>/dev/null || true
    "$ROOT/packaging/private-cupsd.sh" stop "$STATE/cups" || true
}
trap cleanup EXIT

waybill() { "$BIN/waybill" "$@"; }
start_agent() {
    "$BIN/waybill" agent --config "$CONFIG" >>"$STATE/agent.log" 2>&1 &
    AGENT_PID=$!
    for _ in $(seq 1 100); do
        [ "$(grep -c "Agent started" "$STATE/agent.log")" -ge "$1" ] && return 0
        kill -0 "$AGENT_PID" 2>/dev/null || { cat "$STATE/agent.log" >&2; exit 1; }
        sleep 0.1
    done
    echo "the agent did not start" >&2
    exit 1
}

say "private CUPS with capture printers 'label' and 'document' on 127.0.0.1:$CUPS_PORT"
"$ROOT/packaging/private-cupsd.sh" start "$STATE/cups" "$CUPS_PORT" label document >/dev/null

say "waybill-hub emulating a Shopify store and ShipEngine on $HUB_URL ($ORDERS orders, 10% of answers lost)"
"$BIN/waybill-hub" seed --db "$STATE/hub.sqlite" --orders "$ORDERS" --stations 1 >"$STATE/seed.log"
mkdir -p "$STATE/keys" "$STATE/station"
(umask 077; echo "demo-$(date +%s)-key" >"$STATE/keys/api.key")
"$BIN/waybill-hub" serve --listen "127.0.0.1:$HUB_PORT" --db "$STATE/hub.sqlite" \
    --emulate storefront,shipping --emulator-key-file "$STATE/keys/api.key" --shipping-requests-per-minute 3000 \
    --faults "storefront:lost:0.1,shipping:lost:0.1" >>"$STATE/hub.log" 2>&1 &
HUB_PID=$!
for _ in $(seq 1 100); do curl -fsS "$HUB_URL/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
curl -fsS "$HUB_URL/admin/emulators/storefront/catalog?station=station-1" -o "$STATE/station/catalog.json"
echo "catalog (SKUs, stock, boxes, rates, rules): $STATE/station/catalog.json"

export WAYBILL_STATION_ID=station-1
export WAYBILL_STATION_MODE=auto
export WAYBILL_CENTRAL_KIND=storefront
export WAYBILL_STOREFRONT_URL="$HUB_URL/shopify"
export WAYBILL_STOREFRONT_TOKEN_FILE="$STATE/keys/api.key"
export WAYBILL_STOREFRONT_LOCATION_ID=1
export WAYBILL_STOREFRONT_CATALOG_FILE="$STATE/station/catalog.json"
export WAYBILL_SHIPPING_URL="$HUB_URL/shipengine"
export WAYBILL_SHIPPING_API_KEY_FILE="$STATE/keys/api.key"
export WAYBILL_SHIPPING_CARRIER_ID=se-1001
export WAYBILL_SHIPPING_WAREHOUSE_ID=se-2002
export WAYBILL_SHIPPING_SERVICE_CODES=SIM_GROUND=sim_ground,SIM_POSTAL=sim_postal
# A larger account than ShipEngine's default 200 requests a minute (two a label): the demo's few
# hundred boxes would take minutes of pacing at 200.
export WAYBILL_SHIPPING_REQUESTS_PER_MINUTE=3000
export WAYBILL_STORE_PATH="$STATE/station/waybill.sqlite"
export WAYBILL_SPOOL_PATH="$STATE/station/spool"
export WAYBILL_CUPS_SERVER="127.0.0.1:$CUPS_PORT"
export WAYBILL_PRINTERS_LABEL=label
export WAYBILL_PRINTERS_DOCUMENT=document
export WAYBILL_HTTP_LISTEN="127.0.0.1:$HTTP_PORT"
export WAYBILL_SYNC_POLL_INTERVAL=1s
export WAYBILL_SYNC_RETRY_BASE=200ms
export WAYBILL_SYNC_RETRY_CAP=2s
export WAYBILL_SYNC_REQUEST_TIMEOUT=5s
CONFIG="$ROOT/config/waybill.yaml"

say "waybill doctor against the storefront"
waybill doctor --config "$CONFIG" | grep -E "storefront|configuration" || true

say "the agent, autonomous mode, central.kind: storefront (log: $STATE/agent.log)"
start_agent 1
for _ in $(seq 1 300); do
    [ "$(curl -fsS "$HUB_URL/admin/emulators/storefront" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["fulfillments"]))')" -ge 3 ] && break
    sleep 0.2
done
say "SIGKILL the agent mid-run, then start it again"
kill -KILL "$AGENT_PID"; wait "$AGENT_PID" 2>/dev/null || true; AGENT_PID=""
start_agent 2

say "waiting until every order of location 1 is fulfilled"
for _ in $(seq 1 600); do
    OPEN="$(waybill orders list --config "$CONFIG" --json | python3 -c 'import json,sys; c=json.load(sys.stdin)["counts"]; print(sum(v for k,v in c.items() if k not in ("shipped","cancelled")))')"
    # `waybill status` exits non-zero while the station is degraded (answers lost on purpose).
    DEPTH="$( (waybill status --config "$CONFIG" --json || true) | python3 -c 'import json,sys; print(json.load(sys.stdin)["outbox"]["depth"])')"
    [ "$OPEN" = "0" ] && [ "$DEPTH" = "0" ] && break
    sleep 0.5
done

say "summary"
waybill orders list --config "$CONFIG" --json >"$STATE/orders.json"
curl -fsS "$HUB_URL/admin/emulators/storefront" >"$STATE/fulfillments.json"
curl -fsS "$HUB_URL/admin/emulators/shipping" >"$STATE/labels.json"
python3 - "$STATE" <<'PY'
import json, os, sys
state = sys.argv[1]
orders = json.load(open(f"{state}/orders.json"))
fulfillments = json.load(open(f"{state}/fulfillments.json"))["fulfillments"]
labels = json.load(open(f"{state}/labels.json"))["labels"]
captured = os.listdir(f"{state}/cups/capture")
shipped = [o for o in orders["orders"] if o["state"] == "shipped"]
by_order = {}
for f in fulfillments:
    by_order.setdefault(f["fulfillment_order"], []).append(f)
twice = [k for k, v in by_order.items() if len(v) > 1]
numbers = sum(len(f["tracking_numbers"]) for f in fulfillments)
bought = {}
for label in labels:
    bought[label["external_shipment_id"]] = bought.get(label["external_shipment_id"], 0) + 1
printed = {label["label_id"].upper(): sum(1 for name in captured if name.startswith(label["label_id"].upper())) for label in labels}
print(f"orders shipped: {len(shipped)} of {len(orders['orders'])}; fulfillments created: {len(fulfillments)} "
      f"(orders fulfilled twice: {len(twice)}), tracking numbers reported: {numbers}")
print(f"labels bought from ShipEngine: {len(labels)} for {len(bought)} boxes (bought twice: {sum(1 for v in bought.values() if v > 1)}); "
      f"printed once each: {sum(1 for v in printed.values() if v == 1)} of {len(printed)}")
ok = shipped and len(fulfillments) == len(shipped) and not twice and numbers == len(labels) == len(bought) \
    and all(v == 1 for v in printed.values())
sys.exit(0 if ok else 1)
PY
echo "answers lost on purpose: $(curl -fsS "$HUB_URL/admin/faults" | python3 -c 'import json,sys; print(json.load(sys.stdin)["injected"].get("lost", 0))')"
echo "label files: $STATE/cups/capture   logs: $STATE/*.log"

say "stopping the agent, the hub and cupsd"
kill -TERM "$AGENT_PID"; wait "$AGENT_PID" || true; AGENT_PID=""
kill -TERM "$HUB_PID"; wait "$HUB_PID" 2>/dev/null || true; HUB_PID=""
"$ROOT/packaging/private-cupsd.sh" stop "$STATE/cups"
trap - EXIT
echo "storefront demo finished"
