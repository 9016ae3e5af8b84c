"""Build inputs for the frozen app, shared by tracer.spec, the build scripts and the tests.

Why one module: the PyInstaller spec, the .deb / Inno Setup / AppStream / Info.plist
stamping and the tests must agree on the version (read from `tracer/__init__.py`, the
one place it lives), on the data files shipped and on the native libraries bundled.
It imports nothing from tracer, so a build machine can use it before installing.

Also a small command line for the shell scripts:
    python packaging/tracer_build.py version            (1.2.3rc1)
    python packaging/tracer_build.py version-numeric    (1.2.3.0, for Windows resources)
    python packaging/tracer_build.py render SRC DEST     (fills @VERSION@, @DATE@, ...)
    python packaging/tracer_build.py fingerprint         (hash of what a build is made of)
"""

from __future__ import annotations

import ctypes.util
import datetime as dt
import hashlib
import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
APP_ID = "org.tracer.Tracer"
APP_NAME = "tracer"
GUI_NAME = "tracer-gui"  # windowed launcher (Windows Start menu, macOS .app): runs `tracer gui`
CAMERA_USAGE = "tracer reads barcodes and GS1 DataMatrix codes from the camera at a scan station."

# resources/ files the app needs at run time (sources like .ts and scripts stay out)
RESOURCE_SUFFIXES = {".qm", ".svg", ".png", ".wav", ".ttf", ".ttc", ".otf", ".json", ".txt"}

# Third-party packages that read data files beside their modules at import time
# (PyInstaller has no hook for them): biip's AI table and prefix tries,
# python-barcode's font for the human-readable line under GS1-128 / EAN-13.
DATA_PACKAGES = ("biip", "barcode")

# Qt pieces the PySide6 hooks pull in that tracer never uses (lower-case path fragments):
# the QML virtual keyboard input method (drags in QtQuick twice over) and PDF as an
# image format. QtQuick/Qml themselves stay: the FFmpeg multimedia plugin links them.
DROP_BINARIES = ("virtualkeyboard", "imageformats/libqpdf", "imageformats/qpdf", "qt6pdf",
                 "qtpdf.framework")  # fmt: skip

_PLACEHOLDER = re.compile(r"@([A-Z][A-Z0-9_]*)@")


def version(root: Path = ROOT) -> str:
    """`__version__` from tracer/__init__.py, read as text (no import, no install needed)."""
    text = (root / "tracer" / "__init__.py").read_text(encoding="utf-8")
    match = re.search(r"""^__version__\s*=\s*["']([^"']+)["']""", text, re.MULTILINE)
    if match is None:
        raise SystemExit("tracer/__init__.py has no __version__ = '...' line")
    return match.group(1)


def numeric_version(text: str) -> tuple[int, int, int, int]:
    """Four integers for Windows version resources (1.2.3rc1 -> 1, 2, 3, 0)."""
    parts = [int(m) for m in re.findall(r"\d+", text.split("+")[0])[:3]]
    while len(parts) < 4:
        parts.append(0)
    return parts[0], parts[1], parts[2], parts[3]


def release_date(root: Path = ROOT) -> str:
    """ISO date of the release: $SOURCE_DATE_EPOCH, else the last commit, else today."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC).date().isoformat()
    try:
        out = subprocess.run(
            ["git", "-C", str(root), "log", "-1", "--format=%cs"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", out):
            return out
    except (OSError, subprocess.CalledProcessError):
        pass
    return dt.date.today().isoformat()


def template_values(root: Path = ROOT) -> dict[str, str]:
    v = version(root)
    return {
        "VERSION": v,
        "VERSION_NUMERIC": ".".join(str(n) for n in numeric_version(v)),
        "DATE": release_date(root),
        "APP_ID": APP_ID,
    }


def render(text: str, values: dict[str, str]) -> str:
    """Fill @NAME@ placeholders; an unknown one is an error, not a silent leftover."""

    def fill(match: re.Match[str]) -> str:
        key = match.group(1)
        if key not in values:
            raise KeyError(f"no value for @{key}@")
        return values[key]

    return _PLACEHOLDER.sub(fill, text)


def render_file(src: Path, dest: Path, values: dict[str, str] | None = None) -> Path:
    dest.parent.mkdir(parents=True, exist_ok=True)
    dest.write_text(render(src.read_text(encoding="utf-8"), values or template_values()))
    return dest


def resource_datas(root: Path = ROOT) -> list[tuple[str, str]]:
    """(source file, folder in the bundle) for resources/: icons, translations, sounds.

    They land in `<bundle>/resources/...`, which is where `tracer.ui.i18n.resources_dir()`
    looks (two folders above the package's modules).
    """
    base = root / "resources"
    out = []
    for path in sorted(base.rglob("*")):
        if path.is_file() and path.suffix.lower() in RESOURCE_SUFFIXES:
            out.append((str(path), str(path.parent.relative_to(root))))
    return out


def keep_binary(dest: str) -> bool:
    """False for a bundled binary listed in DROP_BINARIES."""
    name = dest.replace("\\", "/").lower()
    return not any(fragment in name for fragment in DROP_BINARIES)


def _ldconfig_paths(soname: str) -> list[Path]:
    """Files the dynamic loader knows for a soname (`ldconfig -p` lines `name (flags) => path`)."""
    try:
        out = subprocess.run(["ldconfig", "-p"], capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return []
    found = []
    for line in out.splitlines():
        left, sep, target = line.strip().partition(" => ")
        if sep and left.split(" ", 1)[0] == soname:
            found.append(Path(target))
    return found


def find_zbar() -> Path | None:
    """The zbar shared library pyzbar loads, as a file path (None when not installed).

    pyzbar finds it with ctypes.util.find_library("zbar") at import time. On Linux
    that gives a soname ("libzbar.so.0") which we resolve to a file; on macOS it is
    already a path (Homebrew). On Windows the pyzbar wheel ships its own DLLs.
    """
    name = ctypes.util.find_library("zbar")
    if not name:
        return None
    path = Path(name)
    if path.is_absolute():
        return path.resolve() if path.exists() else None
    for candidate in _ldconfig_paths(name):
        if candidate.exists():
            return candidate
    for folder in ("/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu", "/usr/lib64",
                   "/usr/lib", "/lib/aarch64-linux-gnu", "/usr/lib/aarch64-linux-gnu"):  # fmt: skip
        if (Path(folder) / name).exists():
            return Path(folder) / name
    return None


# TrueType fonts with Latin and CJK glyphs in one face (reportlab can embed them).
CJK_FONTS = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/wenquanyi/wqy-microhei/wqy-microhei.ttc",
    "/usr/share/fonts/wqy-microhei/wqy-microhei.ttc",
)
CJK_FONT_LICENCES = (
    "/usr/share/doc/fonts-wqy-microhei/copyright",
    "/usr/share/licenses/wqy-microhei-fonts/LICENSE_Apache2.txt",
)


def find_cjk_font() -> tuple[Path, Path | None] | None:
    """A bundleable CJK font for PDF notices and its licence text, if this machine has one.

    Bundled so that recall letters print Chinese on a machine without CJK fonts;
    the frozen app points $TRACER_CJK_FONT at it (see rthooks/pyi_rth_tracer.py).
    """
    override = os.environ.get("TRACER_BUNDLE_FONT")
    candidates = [override] if override else list(CJK_FONTS)
    for c in candidates:
        if c and Path(c).is_file():
            licence = next((Path(x) for x in CJK_FONT_LICENCES if Path(x).is_file()), None)
            return Path(c), licence
    return None


def fingerprint(root: Path = ROOT) -> str:
    """sha256 over what a frozen build is made of, to tell whether build/ is current."""
    digest = hashlib.sha256()
    files = [root / "pyproject.toml"]
    files += sorted((root / "tracer").rglob("*"))
    files += sorted((root / "resources").rglob("*"))
    files += sorted(p for p in (root / "packaging").rglob("*") if "linux" not in p.parts
                    and "windows" not in p.parts and "macos" not in p.parts)  # fmt: skip
    for path in files:
        if not path.is_file() or "__pycache__" in path.parts or path.suffix == ".pyc":
            continue
        digest.update(str(path.relative_to(root)).encode())
        digest.update(path.read_bytes())
    digest.update(sys.version.encode())
    # installed libraries (and PyInstaller) are part of the build too
    from importlib.metadata import distributions

    installed = sorted(f"{d.metadata['Name']}=={d.version}" for d in distributions())
    digest.update("\n".join(installed).encode())
    return digest.hexdigest()


def windows_version_info(dest: Path, root: Path = ROOT) -> Path:
    """A PyInstaller version-resource file (Explorer's Properties > Details) for tracer.exe."""
    v = version(root)
    n = numeric_version(v)
    text = f"""VSVersionInfo(
  ffi=FixedFileInfo(filevers={n}, prodvers={n}, mask=0x3f, flags=0x0, OS=0x40004,
                    fileType=0x1, subtype=0x0, date=(0, 0)),
  kids=[
    StringFileInfo([StringTable('040904B0', [
      StringStruct('CompanyName', 'tracer contributors'),
      StringStruct('FileDescription', 'tracer: product traceability and recall'),
      StringStruct('FileVersion', '{v}'),
      StringStruct('InternalName', 'tracer'),
      StringStruct('LegalCopyright', 'Apache-2.0'),
      StringStruct('OriginalFilename', 'tracer.exe'),
      StringStruct('ProductName', 'tracer'),
      StringStruct('ProductVersion', '{v}')])]),
    VarFileInfo([VarStruct('Translation', [1033, 1200])])
  ]
)
"""
    dest.parent.mkdir(parents=True, exist_ok=True)
    dest.write_text(text, encoding="utf-8")
    return dest


def info_plist(root: Path = ROOT) -> dict[str, object]:
    """Info.plist entries of the macOS .app (the camera prompt needs NSCameraUsageDescription)."""
    v = version(root)
    return {
        "CFBundleName": APP_NAME,
        "CFBundleDisplayName": APP_NAME,
        "CFBundleIdentifier": APP_ID,
        "CFBundleShortVersionString": v,
        "CFBundleVersion": v,
        "NSCameraUsageDescription": CAMERA_USAGE,
        "NSHighResolutionCapable": True,
        "LSMinimumSystemVersion": "11.0",
        "LSApplicationCategoryType": "public.app-category.business",
        "NSHumanReadableCopyright": "Apache-2.0",
    }


def _main(argv: list[str]) -> int:
    if argv[:1] == ["version"]:
        print(version())
    elif argv[:1] == ["version-numeric"]:
        print(".".join(str(n) for n in numeric_version(version())))
    elif argv[:1] == ["render"] and len(argv) == 3:
        render_file(Path(argv[1]), Path(argv[2]))
    elif argv[:1] == ["fingerprint"]:
        print(fingerprint())
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(_main(sys.argv[1:]))
