#!/usr/bin/env bash
# Waybill developer entry point: everything a fresh Debian 12 machine with the Swift toolchain needs.
#
#   packaging/dev.sh demo    install what is missing, build, run the demo
#   packaging/dev.sh test    install what is missing, build, lint and run the whole test suite
#   packaging/dev.sh long    the long crash test: 1,000 SIGKILLs of a syncing agent (KILLS=N to change)
#
# Both install missing Debian packages with apt-get (non-interactive; skipped when present).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

# Build needs the C libraries' headers; tests and the demo need a CUPS scheduler and poppler too.
BUILD_PACKAGES=(libsqlite3-dev libcups2-dev libcurl4-openssl-dev)
RUN_PACKAGES=(cups cups-client poppler-utils)

log() { printf '==> %s\n' "$*" >&2; }

as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

ensure_packages() {
    local missing=() package
    for package in "$@"; do
        dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
    done
    if [ "${#missing[@]}" -gt 0 ]; then
        log "installing ${missing[*]}"
        as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
        as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
    fi
}

ensure_python_module() {
    python3 -c "import $1" 2>/dev/null || {
        log "installing $2 (PyPI)"
        python3 -m pip install --quiet "$2"
    }
}

ensure_swift() {
    command -v swift >/dev/null 2>&1 || {
        echo "swift is not on PATH: install the Swift 6 toolchain first (https://swift.org/install)" >&2
        exit 1
    }
}

cmd_test() {
    ensure_swift
    ensure_packages "${BUILD_PACKAGES[@]}" "${RUN_PACKAGES[@]}"
    log "lint (swift format)"
    swift format lint --strict -r Sources Tests Package.swift
    log "validate the central API contract (OpenAPI 3.1)"
    ensure_python_module openapi_spec_validator openapi-spec-validator
    python3 -m openapi_spec_validator Sources/WaybillHub/Resources/openapi.yaml
    log "build"
    swift build --build-tests 2>&1 | tee .build-log.txt
    # Zero warnings in our own code (dependencies' warnings are theirs).
    if grep -E "^/.*(Sources|Tests)/.*warning:" .build-log.txt | grep -v "/.build/checkouts/"; then
        echo "the build has warnings in our own code (above)" >&2
        exit 1
    fi
    rm -f .build-log.txt
    log "test"
    swift test --skip-build
    # The planner against packing-bench's own checker, when ../shared/packing-bench is beside the repo.
    # The debug build is already there; it is several times slower than release, hence the larger budget.
    log "packing-bench score (waybill pack)"
    CONFIG=debug BUDGET_MS=1000 packaging/packbench-score.sh
}

cmd_long() {
    ensure_swift
    ensure_packages "${BUILD_PACKAGES[@]}"
    swift build --build-tests
    WAYBILL_CRASH_KILLS="${KILLS:-1000}" swift test --skip-build --filter CrashTests
}

cmd_demo() {
    ensure_swift
    ensure_packages "${BUILD_PACKAGES[@]}" "${RUN_PACKAGES[@]}"
    log "build"
    swift build
    local bin state agent_log agent_pid
    bin="$(swift build --show-bin-path)"
    state="$(mktemp -d -t waybill-demo.XXXXXX)"
    agent_log="$state/agent.log"
    export WAYBILL_STORE_PATH="$state/waybill.sqlite"
    export WAYBILL_SPOOL_PATH="$state/spool"
    export WAYBILL_HTTP_LISTEN=off

    log "starting the agent on config/waybill.yaml (state in $state)"
    "$bin/waybill" agent --config config/waybill.yaml >"$agent_log" 2>&1 &
    agent_pid=$!
    trap 'kill "$agent_pid" 2>/dev/null || true' EXIT
    for _ in $(seq 1 100); do
        grep -q "Agent started" "$agent_log" && break
        kill -0 "$agent_pid" 2>/dev/null || { cat "$agent_log" >&2; exit 1; }
        sleep 0.1
    done
    grep -q "Agent started" "$agent_log" || { cat "$agent_log" >&2; echo "the agent did not start" >&2; exit 1; }
    cat "$agent_log"

    log "waybill status"
    "$bin/waybill" status --config config/waybill.yaml

    log "stopping the agent (SIGTERM)"
    kill -TERM "$agent_pid"
    wait "$agent_pid"
    trap - EXIT
    tail -n 1 "$agent_log"
    rm -rf "$state"
    log "demo finished"
}

case "${1:-}" in
    demo) cmd_demo ;;
    test) cmd_test ;;
    long) cmd_long ;;
    *)
        echo "usage: packaging/dev.sh demo|test|long" >&2
        exit 64
        ;;
esac
