#!/usr/bin/env bash
# Scores `waybill pack` on packing-bench (../shared/packing-bench beside the repo) with its own checker,
# failing when a family misses its floor (issue #5):
#   every family: 0 invalid plans; small: cost <= 1.005 x the proven optimum;
#   ecom: cost <= 0.90 x the reference (py3dbp); perfect: exactly 3 boxes per instance.
#
#   packaging/packbench-score.sh                 release build, the default 50 ms budget
#   CONFIG=debug BUDGET_MS=250 packaging/...     a debug build (slower, so a larger budget)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BENCH="$ROOT/../shared/packing-bench"
CONFIG="${CONFIG:-release}"
BUDGET_MS="${BUDGET_MS:-50}"

if [ ! -d "$BENCH/instances" ]; then
    echo "packing-bench not found beside the repo: skipped"
    exit 0
fi

cd "$ROOT"
swift build -c "$CONFIG" --product waybill >&2
bin="$(swift build -c "$CONFIG" --show-bin-path)/waybill"
out="$(mktemp -d -t packbench.XXXXXX)"
trap 'rm -rf "$out"' EXIT

failed=0
for family in small ecom perfect; do
    "$bin" pack --instance "$BENCH/instances/$family" --output "$out/$family" --budget-ms "$BUDGET_MS" --json
    count=$(find "$BENCH/instances/$family" -name '*.json' | wc -l)
    if ! line=$(cd "$BENCH" && python3 -m packbench score --inst-dir "instances/$family" --sol-dir "$out/$family"); then
        printf '%s\n' "$line"
        echo "$family: FAILED (invalid or missing plans)"
        failed=1
        continue
    fi
    summary=$(printf '%s\n' "$line" | tail -n 1)
    ratio=$(awk '{for (i = 1; i < NF; i++) if ($i == "ratio") print $(i + 1)}' <<<"$summary")
    boxes=$(awk '{for (i = 1; i < NF; i++) if ($i == "boxes") print $(i + 1)}' <<<"$summary")
    case "$family" in
        small) verdict=$(awk -v r="$ratio" 'BEGIN { print (r <= 1.005 ? "ok" : "FAILED: ratio above 1.005") }') ;;
        ecom) verdict=$(awk -v r="$ratio" 'BEGIN { print (r <= 0.90 ? "ok" : "FAILED: ratio above 0.90") }') ;;
        perfect) verdict=$([ "$boxes" -eq $((3 * count)) ] && echo ok || echo "FAILED: $boxes boxes, not $((3 * count))") ;;
    esac
    echo "$family: $summary -> $verdict"
    [ "$verdict" = ok ] || failed=1
done
exit "$failed"
