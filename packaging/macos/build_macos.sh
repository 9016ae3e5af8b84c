#!/usr/bin/env bash
# Build tracer.app for macOS and a .dmg around it.
#   brew install zbar          (pyzbar's library; the spec copies it into the app)
#   packaging/macos/build_macos.sh
# Output: build/dist/tracer.app (Info.plist: version from tracer/__init__.py, camera
#         usage string; see packaging/tracer_build.py info_plist) and
#         dist/tracer-<version>-macos-<arch>.dmg
# Signing and notarisation (needed to open it without a Gatekeeper warning) are
# described in docs/install.md; they need an Apple Developer ID and are not done here.
set -euo pipefail
cd "$(dirname "$0")/../.."
PY=${PYTHON:-.venv/bin/python}
[ -x "$PY" ] || python3.11 -m venv .venv
"$PY" -m pip install -q -e '.[gui,packaging]'
"$PY" -m PyInstaller --noconfirm --distpath build/dist --workpath build/pyinstaller packaging/tracer.spec

app=build/dist/tracer.app
QT_QPA_PLATFORM=offscreen "$app/Contents/MacOS/tracer" --version
/usr/libexec/PlistBuddy -c "Print :NSCameraUsageDescription" "$app/Contents/Info.plist"

version=$("$PY" packaging/tracer_build.py version)
mkdir -p dist
dmg=dist/tracer-$version-macos-$(uname -m).dmg
rm -f "$dmg"
hdiutil create -volname "tracer $version" -srcfolder "$app" -ov -format UDZO "$dmg"
echo "build_macos: $dmg"
