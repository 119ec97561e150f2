#!/usr/bin/env bash
# Builds the waybill Debian package: a release build with the Swift runtime linked in
# (--static-swift-stdlib), so the target needs only Debian's own libraries.
#
#   packaging/build-deb.sh [OUTPUT_DIR]     writes OUTPUT_DIR/waybill_VERSION_ARCH.deb (default .build/deb)
#
# The package installs:
#   /usr/bin/waybill                         the agent and its CLI
#   /etc/waybill/waybill.yaml                the documented default configuration (a conffile)
#   /lib/systemd/system/waybill.service      the unit (Type=notify, watchdog, hardening)
#   /var/lib/waybill, /var/spool/waybill     state (database) and label spool, owned by waybill
#   /usr/share/doc/waybill/README.md
# postinst creates the system user and group `waybill`.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
OUTPUT="${1:-$ROOT/.build/deb}"
SCRATCH="${WAYBILL_SCRATCH:-$ROOT/.build}"

log() { printf '==> %s\n' "$*" >&2; }

# The one build flag that matters for shipping: the Swift runtime linked in.
RELEASE_FLAGS=(-c release --static-swift-stdlib)
log "release build (--static-swift-stdlib)"
swift build "${RELEASE_FLAGS[@]}" --product waybill --scratch-path "$SCRATCH" >&2
BINARY="$(swift build "${RELEASE_FLAGS[@]}" --scratch-path "$SCRATCH" --show-bin-path)/waybill"
VERSION="$("$BINARY" --version)"
ARCH="$(dpkg --print-architecture)"
NAME="waybill_${VERSION}_${ARCH}"
STAGE="$SCRATCH/deb-stage/$NAME"

if ldd "$BINARY" | grep -q 'libswift\|libFoundation'; then
    echo "the binary links the Swift runtime dynamically; it must be built with --static-swift-stdlib" >&2
    exit 1
fi

log "staging $NAME"
rm -rf "$STAGE"
install -d "$STAGE/DEBIAN" "$STAGE/usr/bin" "$STAGE/etc/waybill" "$STAGE/lib/systemd/system" \
    "$STAGE/var/lib/waybill" "$STAGE/var/spool/waybill" "$STAGE/usr/share/doc/waybill"
install -m 0755 "$BINARY" "$STAGE/usr/bin/waybill"
strip --strip-unneeded "$STAGE/usr/bin/waybill"
install -m 0644 packaging/waybill.service "$STAGE/lib/systemd/system/waybill.service"
install -m 0644 README.md "$STAGE/usr/share/doc/waybill/README.md"

# The packaged configuration is the documented default with the installed paths.
sed -e 's|^  secret_file: .*|  secret_file: /etc/waybill/station.secret|' \
    -e 's|^  path: \.waybill/waybill\.sqlite$|  path: /var/lib/waybill/waybill.sqlite|' \
    -e 's|^  path: Spool$|  path: /var/spool/waybill|' \
    config/waybill.yaml >"$STAGE/etc/waybill/waybill.yaml"
chmod 0644 "$STAGE/etc/waybill/waybill.yaml"
for expected in "secret_file: /etc/waybill/station.secret" "path: /var/lib/waybill/waybill.sqlite" "path: /var/spool/waybill"; do
    grep -q "$expected" "$STAGE/etc/waybill/waybill.yaml" || {
        echo "config/waybill.yaml changed shape: the packaged config lacks '$expected'; update packaging/build-deb.sh" >&2
        exit 1
    }
done

echo "/etc/waybill/waybill.yaml" >"$STAGE/DEBIAN/conffiles"
cat >"$STAGE/DEBIAN/control" <<CONTROL
Package: waybill
Version: $VERSION
Architecture: $ARCH
Maintainer: Waybill maintainers <waybill@example.invalid>
Section: net
Priority: optional
Depends: libsqlite3-0, libcups2, libcurl4, fonts-dejavu-core
Recommends: fonts-droid-fallback, fonts-nanum, fonts-noto-core
Installed-Size: $(du -sk "$STAGE" --exclude=DEBIAN | cut -f1)
Homepage: https://example.invalid/waybill
Description: offline-first agent for warehouse packing stations
 Keeps a local SQLite replica of the orders a packing station needs, records every
 local change with an outbox entry, pushes it to the central API exactly once, and
 prints labels through CUPS, online or not. Runs as the systemd service waybill.
CONTROL

cat >"$STAGE/DEBIAN/postinst" <<'POSTINST'
#!/bin/sh
set -e
if [ "$1" = "configure" ]; then
    if ! getent group waybill >/dev/null; then
        groupadd --system waybill
    fi
    if ! getent passwd waybill >/dev/null; then
        useradd --system --gid waybill --home-dir /var/lib/waybill --no-create-home \
            --shell /usr/sbin/nologin --comment "Waybill station agent" waybill
    fi
    chown waybill:waybill /var/lib/waybill /var/spool/waybill
    chmod 0750 /var/lib/waybill /var/spool/waybill
    if [ -d /run/systemd/system ]; then
        systemctl daemon-reload >/dev/null || true
        # An upgrade restarts a running agent; a first install waits for the station secret.
        if systemctl is-active --quiet waybill; then
            systemctl restart waybill || true
        fi
    fi
fi
exit 0
POSTINST

cat >"$STAGE/DEBIAN/prerm" <<'PRERM'
#!/bin/sh
set -e
if [ "$1" = "remove" ] && [ -d /run/systemd/system ]; then
    systemctl stop waybill >/dev/null 2>&1 || true
    systemctl disable waybill >/dev/null 2>&1 || true
fi
exit 0
PRERM

cat >"$STAGE/DEBIAN/postrm" <<'POSTRM'
#!/bin/sh
set -e
if [ -d /run/systemd/system ]; then
    systemctl daemon-reload >/dev/null 2>&1 || true
fi
# purge keeps /var/lib/waybill: the database may hold work the center has not confirmed.
exit 0
POSTRM
chmod 0755 "$STAGE/DEBIAN/postinst" "$STAGE/DEBIAN/prerm" "$STAGE/DEBIAN/postrm"

mkdir -p "$OUTPUT"
dpkg-deb --build --root-owner-group "$STAGE" "$OUTPUT/$NAME.deb" >&2
echo "$OUTPUT/$NAME.deb"
