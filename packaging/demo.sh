#!/usr/bin/env bash
# The end-to-end demo on real parts (called by `packaging/dev.sh demo` after the build):
#   a private cupsd with capture printers, a waybill-hub seeded with 200 orders, and the agent in
#   autonomous mode. Halfway the hub goes away (the network is cut); the station keeps packing and
#   printing box labels offline; the hub comes back with a few orders cancelled and edited
#   centrally on purpose, and everything drains. A summary follows; everything started is stopped.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BIN="${BIN:-$(cd "$ROOT" && swift build --show-bin-path)}"
ORDERS="${ORDERS:-200}"
STATE="$(mktemp -d -t waybill-demo.XXXXXX)"
chmod 755 "$STATE"
OUT="$STATE/out"
mkdir -p "$OUT"

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

start_hub() {
    "$BIN/waybill-hub" serve --listen "127.0.0.1:$HUB_PORT" --db "$STATE/hub.sqlite" >>"$STATE/hub.log" 2>&1 &
    HUB_PID=$!
    for _ in $(seq 1 100); do
        curl -fsS "$HUB_URL/openapi.yaml" >/dev/null 2>&1 && return 0
        sleep 0.1
    done
    cat "$STATE/hub.log" >&2
    echo "the hub did not start" >&2
    exit 1
}

stop_hub() {
    kill -TERM "$HUB_PID"
    wait "$HUB_PID" 2>/dev/null || true
    HUB_PID=""
}

waybill() { "$BIN/waybill" "$@"; }
count() { python3 -c "import json,sys; d=json.load(sys.stdin); print(d['counts'].get('$1', 0))"; }
captured() { find "$STATE/cups/capture" -maxdepth 1 -type f -name "$1*" | wc -l; }

say "private CUPS with capture printers 'label' and 'document' on 127.0.0.1:$CUPS_PORT"
"$ROOT/packaging/private-cupsd.sh" start "$STATE/cups" "$CUPS_PORT" label document >/dev/null

say "waybill-hub on $HUB_URL, seeded with $ORDERS orders for station-1"
"$BIN/waybill-hub" seed --db "$STATE/hub.sqlite" --orders "$ORDERS" --stations 1 >"$STATE/seed.log"
start_hub

export WAYBILL_STATION_ID=station-1
export WAYBILL_STATION_MODE=auto
export WAYBILL_CENTRAL_URL="$HUB_URL"
export WAYBILL_CENTRAL_SECRET_FILE="$STATE/secrets/station-1.secret"
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
export WAYBILL_LOG_LEVEL=info
CONFIG="$ROOT/config/waybill.yaml"

say "the agent, autonomous mode (log: $STATE/agent.log)"
"$BIN/waybill" agent --config "$CONFIG" >"$STATE/agent.log" 2>&1 &
AGENT_PID=$!
for _ in $(seq 1 200); do
    grep -q "Agent started" "$STATE/agent.log" && break
    kill -0 "$AGENT_PID" 2>/dev/null || { cat "$STATE/agent.log" >&2; exit 1; }
    sleep 0.1
done
grep -q "Agent started" "$STATE/agent.log" || { cat "$STATE/agent.log" >&2; echo "the agent did not start" >&2; exit 1; }

TOTAL="$(waybill orders list --config "$CONFIG" --json | python3 -c 'import json,sys; print(sum(json.load(sys.stdin)["counts"].values()))')"
for _ in $(seq 1 600); do
    TOTAL="$(waybill orders list --config "$CONFIG" --json | python3 -c 'import json,sys; print(sum(json.load(sys.stdin)["counts"].values()))')"
    [ "$TOTAL" -ge "$ORDERS" ] && break
    sleep 0.1
done
say "replica holds $TOTAL orders; packing and printing unattended"
for _ in $(seq 1 600); do
    SHIPPED="$(waybill orders list --config "$CONFIG" --json | count shipped)"
    [ "$SHIPPED" -ge $((ORDERS / 4)) ] && break
    sleep 0.2
done
say "$SHIPPED orders shipped; cutting the network to the hub (stopping it)"
stop_hub
BEFORE_BOX="$(captured BX-)"
for _ in $(seq 1 20); do
    sleep 1
    NOW_BOX="$(captured BX-)"
    [ "$NOW_BOX" -gt "$BEFORE_BOX" ] && break
done
sleep 3
waybill status --config "$CONFIG" || true
OFFLINE_BOX="$(captured BX-)"
say "offline: box labels printed so far $OFFLINE_BOX (were $BEFORE_BOX when the hub went away); carrier labels wait"

say "the hub is back, with a block on station pushes while orders are changed centrally on purpose"
start_hub
"$BIN/waybill-hub" admin faults --url "$HUB_URL" "ops:503:1.0,labels:503:1.0" >/dev/null
LABELLED="$(waybill orders list --config "$CONFIG" --state labelled --json | python3 -c 'import json,sys; print(" ".join(o["id"] for o in json.load(sys.stdin)["orders"]))')"
set -- $LABELLED
CANCEL="${1:-}"; EDIT="${2:-}"
[ -n "$CANCEL" ] && "$BIN/waybill-hub" admin cancel --url "$HUB_URL" "$CANCEL" >/dev/null && echo "cancelled $CANCEL centrally (packed and labelled here while offline)"
[ -n "$EDIT" ] && "$BIN/waybill-hub" admin address --url "$HUB_URL" "$EDIT" \
    '{"name":"Dana ^XA^FO0,0^GB812,400,400^FS Lee","street1":"12 New Road","city":"Springfield","region":"IL","postal_code":"62704","country":"US"}' >/dev/null \
    && echo "changed the address of $EDIT centrally (labelled here)"
"$BIN/waybill-hub" admin faults --url "$HUB_URL" "" >/dev/null

say "waiting until every plannable order is shipped and everything is confirmed"
# Done when no order is between claimed and labelled except those with a conflict for a person,
# and the orders still assigned (units no box can carry, the warehouse pool) stopped changing.
LAST=""
STABLE=0
for _ in $(seq 1 120); do
    STATE_NOW="$(waybill orders list --config "$CONFIG" --json | python3 -c 'import json,sys; c=json.load(sys.stdin)["counts"]; print(c.get("claimed",0)+c.get("packed",0)+c.get("labelled",0), c.get("assigned",0), c.get("shipped",0))')"
    CONFLICTS="$(waybill conflicts list --config "$CONFIG" --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')"
    set -- $STATE_NOW
    if [ "$1" -le "$CONFLICTS" ] && [ "$STATE_NOW" = "$LAST" ]; then
        STABLE=$((STABLE + 1))
        [ "$STABLE" -ge 2 ] && break
    else
        STABLE=0
    fi
    LAST="$STATE_NOW"
    sleep 1
done
waybill sync --config "$CONFIG" --wait --timeout 60

say "conflicts: resolved by a person (keep the central version)"
for id in $(waybill conflicts list --config "$CONFIG" --json | python3 -c 'import json,sys; print(" ".join(str(c["id"]) for c in json.load(sys.stdin)))'); do
    waybill conflicts resolve --config "$CONFIG" "$id" --keep central --note "demo: the center decides" || true
done
waybill sync --config "$CONFIG" --wait --timeout 60

say "PNG previews of packing slips (pdftoppm at 203 dpi) in $OUT"
mkdir -p "$OUT/previews"
for slip in $(find "$STATE/cups/capture" -maxdepth 1 -type f -name 'PS-*' | sort | head -n 3); do
    pdftoppm -r 203 -png -singlefile "$slip" "$OUT/previews/$(basename "$slip")"
done

say "summary"
waybill orders list --config "$CONFIG" --json >"$OUT/orders.json"
python3 - "$OUT/orders.json" <<'PY'
import json, sys
counts = json.load(open(sys.argv[1]))["counts"]
print("orders by state: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
PY
UNPLANNABLE="$(grep -c 'cannot be planned automatically' "$STATE/agent.log" || true)"
echo "orders shipped: $(count shipped <"$OUT/orders.json"); left for a person (no box or service can carry a unit): $UNPLANNABLE; still assigned include the warehouse pool (no station)"
echo "labels printed (captured by the printers): carrier $(captured CL-), box $(captured BX-), packing slips $(captured PS-)"
"$BIN/waybill-hub" admin ledger --url "$HUB_URL" >"$OUT/ledger.json"
python3 - "$OUT/ledger.json" <<'PY'
import collections, json, sys
entries = json.load(open(sys.argv[1]))
entries = entries.get("entries", entries) if isinstance(entries, dict) else entries
kinds = collections.Counter(e.get("type") for e in entries)
keys = [e.get("idempotency_key") for e in entries if e.get("idempotency_key")]
print(f"operations confirmed by the hub: {len(entries)} ({', '.join(f'{k} {v}' for k, v in sorted(kinds.items()))}); duplicates: {len(keys) - len(set(keys))}")
PY
echo "conflicts raised and how they were resolved:"
waybill conflicts list --config "$CONFIG" --all
# Every conflict is resolved and everything confirmed: the station must say so (exit 0, "State ok").
if ! waybill status --config "$CONFIG"; then
    echo "the demo ends with the station degraded (the State line above says why); it must read ok" >&2
    exit 1
fi
echo "label files: $STATE/cups/capture   spool: $STATE/station/spool   previews: $OUT/previews   logs: $STATE/*.log"

say "stopping the agent, the hub and cupsd"
STARTED="$AGENT_PID $HUB_PID $(cat "$STATE/cups/cupsd.pid")"
kill -TERM "$AGENT_PID"; wait "$AGENT_PID" || true; AGENT_PID=""
stop_hub
"$ROOT/packaging/private-cupsd.sh" stop "$STATE/cups"
trap - EXIT
for pid in $STARTED; do
    if kill -0 "$pid" 2>/dev/null; then echo "process $pid the demo started is still running" >&2; exit 1; fi
done
echo "nothing the demo started is still running (agent, hub, cupsd: $STARTED)"
echo "demo finished"
