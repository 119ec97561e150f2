#!/bin/sh
# Waybill's test backend: copies each job's bytes to <root>/capture/<job title>.<job id>.
# A fault file <root>/faults/<queue> makes it fail like a real printer:
#   media-empty  -> reports media-empty-error and stops the queue (exit 4), as a thermal printer out of labels
#   unreachable  -> reports offline and fails the job (exit 1; cupsd retries it per ErrorPolicy)
if [ $# -eq 0 ]; then
    echo 'direct capture "Unknown" "Waybill capture backend"'
    exit 0
fi
ROOT="@ROOT@"
# The fallback of capture-backend.c beside it, when no C compiler is at hand.
# Shell builtins where they do (a real backend costs far less CPU than a fork per step, and the
# benchmarks share two cores with it): only cat and mv run as programs.
FAULT=
if [ -f "$ROOT/faults/$PRINTER" ]; then read -r FAULT <"$ROOT/faults/$PRINTER" || true; fi
case "$FAULT" in
    media-empty)
        echo "STATE: +media-empty-error" >&2
        echo "ERROR: Out of labels" >&2
        exit 4
        ;;
    unreachable)
        echo "STATE: +offline-report" >&2
        echo "ERROR: Printer not reachable" >&2
        exit 1
        ;;
esac
echo "STATE: -media-empty-error,offline-report" >&2
case "$3" in
    '' | *[!A-Za-z0-9._-]*) NAME=$(printf '%s' "$3" | tr -c 'A-Za-z0-9._-' '_') ;;
    *) NAME="$3" ;;
esac
TEMP="$ROOT/capture/.$1.tmp"
if [ -n "$6" ]; then cat "$6" > "$TEMP"; else cat > "$TEMP"; fi
mv "$TEMP" "$ROOT/capture/$NAME.$1"
exit 0
