#!/usr/bin/env bash
# Debian/Ubuntu packages tracer's tests and app need beside PyPI:
#   libzbar0         pyzbar's decoder library
#   xvfb xauth       a virtual screen for screenshots and GUI smoke tests
#   libegl1 libgl1 libxkbcommon* libxcb-* libdbus-1-3 libfontconfig1   Qt's runtime
#   libpulse0        QSoundEffect: the scan station's accept / reject sounds
#   fonts-noto-cjk   Chinese text in the UI and in PDF reports
#   fonts-wqy-microhei  TrueType CJK font reportlab embeds in recall PDFs (Noto CJK is CFF)
#   poppler-utils    pdftoppm/pdftotext to look at generated PDFs
#   postgresql       the shared-ledger backend's tests
#   binutils appstream x11-utils   packaging: PyInstaller's objdump, AppStream validation, xwininfo
# As root it installs what is missing; otherwise it prints the exact line to run.
# `system-deps.sh app` checks only what the desktop app needs to run (make demo);
# without an argument, everything the tests need too (make test).
set -euo pipefail
APP="libzbar0 libegl1 libgl1 libxkbcommon0 libxkbcommon-x11-0 libdbus-1-3 \
libfontconfig1 libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-randr0 \
libxcb-render-util0 libxcb-shape0 libxcb-xinerama0 libxcb-xkb1 libpulse0 fonts-noto-cjk fonts-wqy-microhei"
TESTS="xvfb xauth poppler-utils postgresql binutils appstream x11-utils"
if [ "${1:-all}" = "app" ]; then PACKAGES="$APP"; else PACKAGES="$APP $TESTS"; fi
command -v dpkg-query >/dev/null || { echo "system-deps: not a Debian/Ubuntu system; see README for the pip route"; exit 0; }
missing=""
for p in $PACKAGES; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = "0" ]; then
  echo "system-deps: installing$missing"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends $missing
else
  echo "system-deps: missing Debian packages. Run:"
  echo "  sudo apt-get install -y$missing"
  exit 1
fi
