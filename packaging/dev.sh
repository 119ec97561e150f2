#!/usr/bin/env bash
# Waybill developer entry point: everything a fresh Debian 12 machine with the Swift toolchain needs.
#
#   packaging/dev.sh demo    install what is missing, build, run the demo (--storefront: a Shopify store
#                            and ShipEngine, emulated, instead of the hub)
#   packaging/dev.sh test    install what is missing, build, lint and run the whole test suite
#   packaging/dev.sh long    the long crash tests: 1,000 SIGKILLs of a syncing agent (KILLS=N to change),
#                            then the chaos harness with 1,000 SIGKILLs of the autonomous agent (CHAOS_KILLS=N)
#   packaging/dev.sh deb     build the .deb (packaging/build-deb.sh) and check its contents and binary
#
# Both install missing Debian packages with apt-get (non-interactive; skipped when present).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

# Build needs the C libraries' headers; tests and the demo need a CUPS scheduler and poppler too,
# and the station screen's browser tests Chromium, its driver and Selenium (Debian's own packages).
BUILD_PACKAGES=(libsqlite3-dev libcups2-dev libcurl4-openssl-dev)
RUN_PACKAGES=(cups cups-client poppler-utils fonts-dejavu-core fonts-droid-fallback fonts-nanum fonts-noto-core)
BROWSER_PACKAGES=(chromium chromium-driver python3-selenium)
# The shift report's tests send mail to a real SMTP server (aiosmtpd, with STARTTLS and AUTH).
MAIL_PACKAGES=(python3-aiosmtpd openssl)

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
    ensure_packages "${BUILD_PACKAGES[@]}" "${RUN_PACKAGES[@]}" "${BROWSER_PACKAGES[@]}" "${MAIL_PACKAGES[@]}"
    log "lint (swift format)"
    swift format lint --strict -r Sources Tests Package.swift
    log "validate the central API contract (OpenAPI 3.1)"
    ensure_python_module openapi_spec_validator openapi-spec-validator
    python3 -m openapi_spec_validator Sources/WaybillHub/Resources/openapi.yaml
    log "build"
    swift build --build-tests 2>&1 | tee .build-log.txt
    # Zero warnings in our own code (dependencies' warnings are theirs). A warning inside a macro's
    # expansion (#expect) prints as "macro expansion …: warning:", with our file on the next line.
    if grep -E "^/.*(Sources|Tests)/.*warning:" .build-log.txt | grep -v "/.build/checkouts/" \
        || grep -E -A1 "^macro expansion .*warning:" .build-log.txt | grep -E "originates here" | grep -v "/.build/checkouts/"; then
        echo "the build has warnings in our own code (above)" >&2
        exit 1
    fi
    rm -f .build-log.txt
    log "test"
    # One test at a time: the suite starts many real cupsd, hub and agent processes, and in parallel on a
    # small (2-core) machine some of them starved past their deadlines.
    # REQUIRE_BROWSER: the station screen's browser tests fail, not skip, without Chromium.
    REQUIRE_BROWSER=1 with_test_folder swift test --skip-build --no-parallel
    # The planner against packing-bench's own checker, when ../shared/packing-bench is beside the repo.
    # The debug build is already there; it is several times slower than release, hence the larger budget.
    log "packing-bench score (waybill pack)"
    CONFIG=debug BUDGET_MS=1000 packaging/packbench-score.sh
}

# Runs a test command with TMPDIR in a folder of its own. Every process the tests start (cupsd, hubs,
# agents, Chromium) keeps its files there and names it on its command line, so whatever a killed or
# hung test left running is stopped when the command ends, however it ends.
with_test_folder() {
    local root status=0
    root="$(mktemp -d /tmp/wbrun-XXXXXX)"
    # Readable by cupsd's backends, which run as lp (mktemp makes it 0700).
    chmod 0755 "$root"
    trap 'pkill -KILL -f -- "'"$root"'" 2>/dev/null || true' EXIT
    TMPDIR="$root" "$@" || status=$?
    pkill -KILL -f -- "$root" 2>/dev/null || true
    trap - EXIT
    # Files cupsd's backends wrote as lp may refuse to go; a passing run does not fail for them.
    rm -rf "$root" 2>/dev/null || true
    return "$status"
}

cmd_long() {
    ensure_swift
    ensure_packages "${BUILD_PACKAGES[@]}"
    swift build --build-tests
    log "a syncing agent under ${KILLS:-1000} SIGKILLs"
    WAYBILL_CRASH_KILLS="${KILLS:-1000}" with_test_folder swift test --skip-build --no-parallel --filter 'WaybillAgentTests\.CrashTests/'
    log "the chaos harness: the autonomous agent under ${CHAOS_KILLS:-1000} SIGKILLs, 2 hub kills and faults"
    WAYBILL_CHAOS_KILLS="${CHAOS_KILLS:-1000}" with_test_folder swift test --skip-build --no-parallel --filter 'WaybillAgentTests\.ChaosTests/'
}

cmd_deb() {
    ensure_swift
    ensure_packages "${BUILD_PACKAGES[@]}"
    local deb
    deb="$(packaging/build-deb.sh)"
    log "checking $deb"
    # Read each listing once: `producer | grep -q` fails under pipefail when grep stops reading early.
    local info contents
    info="$(dpkg-deb --info "$deb")"
    printf '%s\n' "$info"
    grep -q "Depends: libsqlite3-0, libcups2, libcurl4" <<<"$info" || { echo "the package's Depends are wrong" >&2; exit 1; }
    contents="$(dpkg-deb --contents "$deb")"
    printf '%s\n' "$contents"
    for path in ./usr/bin/waybill ./etc/waybill/waybill.yaml ./lib/systemd/system/waybill.service ./var/lib/waybill/ ./var/spool/waybill/; do
        awk '{print $NF}' <<<"$contents" | grep -qx "$path" || { echo "the package lacks $path" >&2; exit 1; }
    done
    dpkg-deb --field "$deb" Package >/dev/null
    check="$(mktemp -d -t waybill-deb.XXXXXX)"
    trap 'rm -rf "$check"' EXIT
    dpkg-deb -x "$deb" "$check/root"
    dpkg-deb -e "$deb" "$check/control"
    grep -qx "/etc/waybill/waybill.yaml" "$check/control/conffiles" || { echo "waybill.yaml is not a conffile" >&2; exit 1; }
    log "the extracted binary: --version"
    "$check/root/usr/bin/waybill" --version
    [ "$("$check/root/usr/bin/waybill" --version)" = "$(dpkg-deb --field "$deb" Version)" ] || { echo "--version differs from the package version" >&2; exit 1; }
    log "the extracted binary: status on the packaged configuration (state in a throwaway folder)"
    set +e
    WAYBILL_STORE_PATH="$check/state/waybill.sqlite" WAYBILL_SPOOL_PATH="$check/spool" \
        "$check/root/usr/bin/waybill" status --config "$check/root/etc/waybill/waybill.yaml"
    local status=$?
    set -e
    # 3: degraded (a new station that never synced) is the expected answer here.
    [ "$status" -eq 3 ] || { echo "waybill status exited $status on the packaged configuration" >&2; exit 1; }
    if command -v systemd-analyze >/dev/null 2>&1; then
        log "systemd-analyze verify (ExecStart pointed at the extracted binary)"
        sed "s|/usr/bin/waybill|$check/root/usr/bin/waybill|" "$check/root/lib/systemd/system/waybill.service" >"$check/waybill.service"
        systemd-analyze verify "$check/waybill.service"
    fi
    log "package ok: $deb"
}

cmd_demo() {
    ensure_swift
    ensure_packages "${BUILD_PACKAGES[@]}" "${RUN_PACKAGES[@]}"
    log "build"
    swift build
    if [ "${1:-}" = "--storefront" ]; then
        BIN="$(swift build --show-bin-path)" "$ROOT/packaging/demo-storefront.sh"
    else
        BIN="$(swift build --show-bin-path)" "$ROOT/packaging/demo.sh"
    fi
}

case "${1:-}" in
    demo) cmd_demo "${2:-}" ;;
    test) cmd_test ;;
    long) cmd_long ;;
    deb) cmd_deb ;;
    *)
        echo "usage: packaging/dev.sh demo|test|long|deb" >&2
        exit 64
        ;;
esac
