#!/usr/bin/env bash
# Regenerates packaging/waybill.order: the functions an agent (local HTTP on, as by default) runs
# from start-up through its first full pull and a few idle polls, which release links of `waybill` place together
# (lld --symbol-ordering-file, see Package.swift).
#
# Why: the kernel maps file pages 64 KB at a time around each page an executable touches, so
# scattered start-up code keeps most of the binary's text resident. The agent runs about 1.4 MB of
# code; placed together, the idle agent's RSS drops by 6-7 MB. A stale list still links and still
# helps; functions it no longer names just stay where the linker puts them.
#
#   packaging/waybill-order.sh        needs valgrind, python3, nm; about 3 minutes after the builds
#   WAYBILL_SCRATCH=DIR               build in DIR instead of .build (as packaging/build-deb.sh)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
SCRATCH="${WAYBILL_SCRATCH:-$ROOT/.build}"
unset WAYBILL_SCRATCH # the agent refuses WAYBILL_ variables that are not configuration keys
WORK="$(mktemp -d)"
trap 'kill "${HUB:-0}" 2>/dev/null || true; rm -rf "$WORK"' EXIT

# shellcheck source=packaging/release-flags.sh
source "$ROOT/packaging/release-flags.sh"
BUILD=(swift build "${RELEASE_FLAGS[@]}" --scratch-path "$SCRATCH")
"${BUILD[@]}" --product waybill >&2
"${BUILD[@]}" --product waybill-hub >&2
BIN="$("${BUILD[@]}" --show-bin-path)"
HUBBIN="$BIN/waybill-hub"
# valgrind cannot read the DWARF Swift emits; the symbol table is enough.
strip -g -o "$WORK/waybill" "$BIN/waybill"

"$HUBBIN" seed --db "$WORK/hub.sqlite" --orders 200 --stations 1 >/dev/null
PORT=$((18900 + RANDOM % 500))
"$HUBBIN" serve --listen "127.0.0.1:$PORT" --db "$WORK/hub.sqlite" >/dev/null 2>&1 &
HUB=$!
install -m 0600 "$WORK/secrets/station-1.secret" "$WORK/station.secret"
cat >"$WORK/waybill.yaml" <<EOF
station: {id: station-1}
central: {url: "http://127.0.0.1:$PORT", secret_file: "$WORK/station.secret"}
store: {path: "$WORK/station.sqlite"}
spool: {path: "$WORK/spool"}
http: {listen: "127.0.0.1:$((PORT + 1))"}
sync: {poll_interval: 5s}
log: {level: warning}
EOF
sleep 1
# Start-up, the first full pull and several idle polls (valgrind runs it about 50 times slower).
timeout -s TERM 75 valgrind --tool=callgrind --callgrind-out-file="$WORK/callgrind.out" \
    "$WORK/waybill" agent --config "$WORK/waybill.yaml" >"$WORK/agent.log" 2>&1 || true
grep -q "PullEngine" "$WORK/callgrind.out" || { echo "the agent did not sync under valgrind:" >&2; tail -5 "$WORK/agent.log" >&2; exit 1; }

nm -S --defined-only "$WORK/waybill" >"$WORK/nm.txt"
nm -S -C --defined-only "$WORK/waybill" >"$WORK/nm-demangled.txt"
python3 - "$WORK" >"$ROOT/packaging/waybill.order" <<'EOF'
import re, sys
from collections import Counter
work = sys.argv[1]
objects, names, executed, current = {}, {}, [], {"ob": "", "cob": ""}
for line in open(f"{work}/callgrind.out", errors="replace"):
    match = re.match(r"(c?ob|c?fn)=\((\d+)\)(?: (.*))?$", line.rstrip("\n"))
    if not match:
        continue
    kind, key, name = match.groups()
    table = objects if kind.endswith("ob") else names
    if name:
        table[key] = name
    if kind.endswith("ob"):
        current[kind] = table.get(key, "")
    elif current["ob" if kind == "fn" else "cob"].endswith("/waybill") and table.get(key):
        executed.append(table[key])
raw = [line.split(None, 3) for line in open(f"{work}/nm.txt")]
demangled = [line.rstrip("\n").split(None, 3) for line in open(f"{work}/nm-demangled.txt")]
by_demangled = {d[3]: r[3].strip() for r, d in zip(raw, demangled) if len(r) == 4 and len(d) == 4}
# A name defined more than once (local helpers such as objectdestroyTm, weak copies of generic
# witnesses) would pull every section defining it, most of them cold, in among the agent's code.
defined = Counter(r[3].strip() for r in raw if len(r) == 4)
known = {name for name, count in defined.items() if count == 1}
seen = set()
for name in executed:
    symbol = name if name in known else by_demangled.get(name)
    if symbol in known and symbol not in seen:
        seen.add(symbol)
        print(symbol)
EOF
echo "packaging/waybill.order: $(wc -l <"$ROOT/packaging/waybill.order") functions" >&2
