#!/usr/bin/env bash
# Make dist/tracer_<version>_<arch>.deb from the PyInstaller folder (packaging/build_linux.sh).
#   /opt/tracer/                          the app (tracer, tracer-gui, _internal/)
#   /usr/bin/tracer                       -> /opt/tracer/tracer
#   /usr/share/applications/org.tracer.Tracer.desktop, metainfo, hicolor icons
#   /usr/lib/udev/rules.d/99-tracer-readers.rules   USB-serial scanners and RFID readers
# Usage: packaging/linux/build_deb.sh [--no-build]
#   DEB_COMPRESSION=xz (default, level 2: ~170 MB, a few minutes; higher levels gain
#   little on this content) | zstd (faster; dpkg >= 1.21.18 / Ubuntu >= 21.10 to install)
#   | none (seconds, ~500 MB: for tests)
# The version comes from tracer/__init__.py (packaging/tracer_build.py), never typed here.
set -euo pipefail
cd "$(dirname "$0")/../.."
PY=${PYTHON:-.venv/bin/python}
HERE=packaging/linux
APP_ID=org.tracer.Tracer

[ "${1:-}" = "--no-build" ] || bash packaging/build_linux.sh --if-stale
[ -x build/dist/tracer/tracer ] || { echo "build_deb: no build/dist/tracer; run packaging/build_linux.sh"; exit 1; }

version=$("$PY" packaging/tracer_build.py version)
arch=$(dpkg --print-architecture)
glibc=$(ldd --version | awk 'NR == 1 {print $NF}')  # awk reads all: no SIGPIPE under pipefail
root=build/deb/root
out=dist/tracer_${version}_${arch}.deb
rm -rf build/deb && mkdir -p "$root/opt" "$root/DEBIAN" dist

# the app: hard links when possible (same disk), it is ~500 MB
cp -al build/dist/tracer "$root/opt/tracer" 2>/dev/null || cp -a build/dist/tracer "$root/opt/tracer"
mkdir -p "$root/usr/bin"
ln -s ../../opt/tracer/tracer "$root/usr/bin/tracer"

install -D -m 0644 "$HERE/tracer.desktop" "$root/usr/share/applications/$APP_ID.desktop"
"$PY" packaging/tracer_build.py render "$HERE/$APP_ID.metainfo.xml" \
  "$root/usr/share/metainfo/$APP_ID.metainfo.xml"
chmod 0644 "$root/usr/share/metainfo/$APP_ID.metainfo.xml"
for png in resources/icons/app/tracer-*.png; do
  size=${png##*/tracer-}; size=${size%.png}
  install -D -m 0644 "$png" "$root/usr/share/icons/hicolor/${size}x${size}/apps/$APP_ID.png"
done
install -D -m 0644 resources/icons/app/tracer.svg "$root/usr/share/icons/hicolor/scalable/apps/$APP_ID.svg"
install -D -m 0644 "$HERE/99-tracer-readers.rules" "$root/usr/lib/udev/rules.d/99-tracer-readers.rules"
install -D -m 0644 "$HERE/copyright" "$root/usr/share/doc/tracer/copyright"

installed_kb=$(du -sk --exclude=DEBIAN "$root" | cut -f1)
cat > "$root/DEBIAN/control" <<CONTROL
Package: tracer
Version: $version
Architecture: $arch
Maintainer: tracer contributors <tracer@localhost>
Section: misc
Priority: optional
Installed-Size: $installed_kb
Depends: libc6 (>= $glibc), libgl1, libegl1, libxcb1, libdrm2
Recommends: fonts-noto-cjk, libpulse0, libwayland-client0, libwayland-cursor0, libwayland-egl1
Suggests: libgtk-3-0
Description: product traceability and recall (GS1 barcodes, RFID, EPCIS 2.0)
 tracer records where every batch and item went: scan stations for barcode
 scanners, serial/USB RFID readers and cameras write GS1 EPCIS 2.0 events into
 an append-only, tamper-evident ledger. When a lot turns out defective, tracer
 traces it forward to every retailer that received it and runs the recall
 campaign (retailer lists, notices, progress). English and Simplified Chinese.
 .
 This package carries its own Python, Qt and libraries in /opt/tracer.
CONTROL
install -m 0755 "$HERE/postinst" "$root/DEBIAN/postinst"
install -m 0755 "$HERE/postinst" "$root/DEBIAN/postrm"

case "${DEB_COMPRESSION:-xz}" in
  none) zopts=(-Znone) ;;
  zstd) zopts=(-Zzstd) ;;
  *)    zopts=(-Zxz -z2) ;;
esac
start=$(date +%s)
dpkg-deb --root-owner-group "${zopts[@]}" --build "$root" "$out" >/dev/null
echo "build_deb: $out ($(du -h "$out" | cut -f1), installed ${installed_kb} kB)" \
  "in $(( $(date +%s) - start )) s"
