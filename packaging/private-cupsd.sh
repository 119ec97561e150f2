#!/usr/bin/env bash
# A private CUPS scheduler with capture printers, for the demo: never touches the machine's own CUPS.
#
#   packaging/private-cupsd.sh start ROOT PORT QUEUE...   start cupsd on 127.0.0.1:PORT (+ ROOT/cups.sock)
#                                                       with a capture queue per QUEUE; prints its PID
#   packaging/private-cupsd.sh stop ROOT                 stop it by the PID it recorded
#
# Each job's bytes land in ROOT/capture/<job title>.<job id> (the capture backend of the tests).
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
FIXTURES="$REPO/Tests/WaybillTestSupport/Fixtures"
BACKEND="$FIXTURES/capture-backend.sh"

start() {
    local root="$1" port="$2"
    shift 2
    mkdir -p "$root"/{etc,state,cache,spool/tmp,log,bin/backend,faults,capture}
    chmod 755 "$root"
    chmod 777 "$root/capture"
    chmod 710 "$root/spool"
    for link in filter daemon cgi-bin notifier driver monitor; do
        ln -sfn "/usr/lib/cups/$link" "$root/bin/$link"
    done
    sed "s|@ROOT@|$root|" "$BACKEND" >"$root/bin/backend/capture"
    chmod 755 "$root/bin/backend/capture"
    cp /etc/cups/raw.types /etc/cups/raw.convs "$root/etc/"
    # The same templates as the tests' PrivateCupsd: one configuration (every job kept, log level info).
    local file
    for file in cupsd.conf cups-files.conf; do
        sed -e "s|@PORT@|$port|g" -e "s|@ROOT@|$root|g" -e "s|@LOG_LEVEL@|info|g" -e "s|@MAX_JOBS@|0|g" \
            "$FIXTURES/$file.in" >"$root/etc/$file"
    done
    cupsd -f -c "$root/etc/cupsd.conf" -s "$root/etc/cups-files.conf" >"$root/log/cupsd.out" 2>&1 &
    echo $! >"$root/cupsd.pid"
    for _ in $(seq 1 100); do
        lpstat -h "127.0.0.1:$port" -r >/dev/null 2>&1 && break
        sleep 0.1
    done
    lpstat -h "127.0.0.1:$port" -r >/dev/null 2>&1 || { cat "$root/log/cupsd.out" "$root/log/error_log" >&2 2>/dev/null; echo "cupsd did not start" >&2; exit 1; }
    local queue
    for queue in "$@"; do
        lpadmin -h "127.0.0.1:$port" -p "$queue" -v "capture:/$queue" -E
    done
    cat "$root/cupsd.pid"
}

stop() {
    local root="$1" pid
    [ -f "$root/cupsd.pid" ] || return 0
    pid="$(cat "$root/cupsd.pid")"
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 100); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    kill -KILL "$pid" 2>/dev/null || true
    rm -f "$root/cupsd.pid"
}

case "${1:-}" in
    start) shift; start "$@" ;;
    stop) shift; stop "$@" ;;
    *) echo "usage: $0 start ROOT PORT QUEUE... | stop ROOT" >&2; exit 64 ;;
esac
