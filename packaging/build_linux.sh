#!/usr/bin/env bash
# Build the Linux one-folder app with PyInstaller:
#   build/dist/tracer/tracer        the `tracer` command (CLI and `tracer gui`)
#   build/dist/tracer/_internal/    Python, Qt, libraries, schemas, translations, icons
# Usage: packaging/build_linux.sh [--if-stale]
#   --if-stale  keep the existing build when nothing it is made of changed
#               (sources, resources, packaging/, installed libraries, Python)
# Then: packaging/linux/build_deb.sh makes dist/tracer_<version>_<arch>.deb from it.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-.venv/bin/python}
STAMP=build/pyinstaller/tracer.fingerprint

if ! "$PY" -c "import PyInstaller, PySide6" 2>/dev/null; then
  echo "build_linux: installing the 'packaging' extra (PyInstaller) into the venv"
  "$PY" -m pip install -q -e '.[gui,packaging]'
fi

fingerprint=$("$PY" packaging/tracer_build.py fingerprint)
if [ "${1:-}" = "--if-stale" ] && [ -x build/dist/tracer/tracer ] && [ -f "$STAMP" ] \
   && [ "$(cat "$STAMP")" = "$fingerprint" ]; then
  echo "build_linux: build/dist/tracer is current (fingerprint ${fingerprint:0:12})"
  exit 0
fi

start=$(date +%s)
rm -f "$STAMP"
"$PY" -m PyInstaller --noconfirm --log-level WARN \
  --distpath build/dist --workpath build/pyinstaller packaging/tracer.spec
mkdir -p build/pyinstaller
echo "$fingerprint" > "$STAMP"
echo "build_linux: built build/dist/tracer ($("$PY" packaging/tracer_build.py version))" \
  "in $(( $(date +%s) - start )) s, $(du -sh build/dist/tracer | cut -f1)"
