"""Packaging inputs that need no build: version stamping, desktop/AppStream/udev files,
the icon set, the installer scripts, the runtime hook. (The build itself: test_frozen.py.)

No __init__.py in this folder on purpose: as a package it would be named `packaging`
and hide the PyPI `packaging` library that pytest and pip import.
"""

from __future__ import annotations

import configparser
import ctypes.util
import importlib.util
import os
import plistlib
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path
from types import ModuleType

import pytest

from tracer import __version__

REPO = Path(__file__).resolve().parents[2]
PACKAGING = REPO / "packaging"
LINUX = PACKAGING / "linux"
ICONS = REPO / "resources" / "icons" / "app"


def _load(name: str, path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def tb() -> ModuleType:
    return _load("tracer_build", PACKAGING / "tracer_build.py")


def test_version_comes_from_the_package(tb: ModuleType) -> None:
    assert tb.version() == __version__
    out = subprocess.run(
        [sys.executable, str(PACKAGING / "tracer_build.py"), "version"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.strip() == __version__


def test_version_is_read_from_one_line(tb: ModuleType, tmp_path: Path) -> None:
    (tmp_path / "tracer").mkdir()
    (tmp_path / "tracer" / "__init__.py").write_text('"""x"""\n\n__version__ = "2.3.4rc1"\n')
    assert tb.version(tmp_path) == "2.3.4rc1"
    assert tb.numeric_version("2.3.4rc1") == (2, 3, 4, 0)
    assert tb.numeric_version("1.0") == (1, 0, 0, 0)
    assert tb.numeric_version("0.1.0+local.5") == (0, 1, 0, 0)


def test_render_fills_placeholders_and_refuses_unknown_ones(tb: ModuleType) -> None:
    assert tb.render("v@VERSION@ on @DATE@", {"VERSION": "1.2", "DATE": "2025-01-02"}) == (
        "v1.2 on 2025-01-02"
    )
    with pytest.raises(KeyError, match="@NAME@"):
        tb.render("@NAME@", {"VERSION": "1"})
    assert tb.render("a@b.c stays", {}) == "a@b.c stays"  # e-mail-like text is not a placeholder


def test_release_date_follows_source_date_epoch(
    tb: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1735776000")  # 2025-01-02T00:00:00Z
    assert tb.release_date() == "2025-01-02"
    assert tb.template_values()["DATE"] == "2025-01-02"


def test_no_version_number_typed_into_packaging_files() -> None:
    """The version lives in tracer/__init__.py only; packaging files use @VERSION@ / AppVersion."""
    literal = re.compile(rf"(?<![\d.]){re.escape(__version__)}(?![\d.])")
    for path in PACKAGING.rglob("*"):
        if path.is_file() and path.suffix not in {".pyc"} and "__pycache__" not in path.parts:
            assert not literal.search(path.read_text(errors="replace")), path


def test_appstream_metadata_validates(tb: ModuleType, tmp_path: Path) -> None:
    tool = shutil.which("appstreamcli")
    assert tool, "appstreamcli missing: make test installs the Debian package appstream"
    out = tb.render_file(
        LINUX / "org.tracer.Tracer.metainfo.xml", tmp_path / "org.tracer.Tracer.metainfo.xml"
    )
    text = out.read_text()
    assert f'<release version="{__version__}"' in text
    assert "<id>org.tracer.Tracer</id>" in text
    assert '<launchable type="desktop-id">org.tracer.Tracer.desktop</launchable>' in text
    proc = subprocess.run([tool, "validate", "--no-net", str(out)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_desktop_entry_runs_the_installed_command() -> None:
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # keys are case-sensitive
    parser.read(LINUX / "tracer.desktop", encoding="utf-8")
    entry = parser["Desktop Entry"]
    assert entry["Type"] == "Application"
    scripts = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["scripts"]
    assert entry["Exec"].split() == ["tracer", "gui"] and "tracer" in scripts
    assert entry["TryExec"] == "tracer"
    assert entry["Icon"] == "org.tracer.Tracer"
    assert entry["Terminal"] == "false"
    for key in ("Categories", "Keywords"):
        assert entry[key].endswith(";"), key
    assert "zh_CN" in "".join(parser["Desktop Entry"].keys())


READERS = {("1a86", "7523"), ("10c4", "ea60"), ("0403", "6001"), ("0403", "6015"), ("067b", "2303")}
RULE_PAIR = re.compile(r'^\s*([A-Z_]+(?:\{[^}]+\})?)\s*(==|!=|\+=|:=|=)\s*"([^"]*)"\s*$')


def test_udev_rule_covers_the_reader_chips() -> None:
    seen = set()
    for line in (LINUX / "99-tracer-readers.rules").read_text().splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        pairs = {}
        for part in line.split(","):
            match = RULE_PAIR.match(part)
            assert match, f'not KEY op "value": {part!r}'
            pairs[match.group(1), match.group(2)] = match.group(3)
        assert pairs["SUBSYSTEM", "=="] == "tty"
        assert pairs["MODE", "="] == "0660"
        assert pairs["GROUP", "="] == "dialout"
        assert pairs["SYMLINK", "+="] == "tracer-reader-%n"
        seen.add((pairs["ATTRS{idVendor}", "=="], pairs["ATTRS{idProduct}", "=="]))
    assert seen == READERS


def test_icon_set_is_rendered_from_the_svg(tmp_path: Path) -> None:
    from PIL import Image, ImageChops, ImageStat

    make_icons = _load("make_icons", PACKAGING / "make_icons.py")
    for size in make_icons.PNG_SIZES:
        with Image.open(ICONS / make_icons.png_name(size)) as im:
            assert im.size == (size, size)
    assert min(make_icons.PNG_SIZES) == 16 and max(make_icons.PNG_SIZES) == 512
    with Image.open(ICONS / "tracer.ico") as ico:
        assert {(s, s) for s in make_icons.ICO_SIZES} <= set(ico.info["sizes"])
    with Image.open(ICONS / "tracer.icns") as icns:
        assert (512, 512, 1) in icns.info["sizes"]
    # the committed PNGs are what the SVG renders to now (edited SVG, forgotten re-run);
    # in a child process: a QGuiApplication here would break pytest-qt tests in this worker
    subprocess.run(
        [sys.executable, str(PACKAGING / "make_icons.py"), "--out", str(tmp_path)],
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        check=True,
        capture_output=True,
    )
    for size in (48, 256):
        with (
            Image.open(ICONS / make_icons.png_name(size)) as a,
            Image.open(tmp_path / make_icons.png_name(size)) as b,
        ):
            diff = ImageChops.difference(a.convert("RGBA"), b.convert("RGBA"))
            assert max(ImageStat.Stat(diff).mean) < 2.0, size


def test_inno_setup_script_takes_the_version_from_the_build(tb: ModuleType) -> None:
    iss = (PACKAGING / "windows" / "tracer.iss").read_text(encoding="utf-8")
    assert "#ifndef AppVersion" in iss and "{#AppVersion}" in iss
    for rel in re.findall(r'(?:Source:\s*"|SetupIconFile=|LicenseFile=)([^";\r\n]+)', iss):
        if "*" in rel or "{" in rel:
            continue
        assert (PACKAGING / "windows" / rel.replace("\\", "/")).resolve().exists(), rel
    script = (PACKAGING / "windows" / "build_windows.ps1").read_text(encoding="utf-8")
    assert "tracer_build.py version" in script and "/DAppVersion=" in script


def test_macos_info_plist_asks_for_the_camera(tb: ModuleType) -> None:
    info = tb.info_plist()
    assert info["CFBundleShortVersionString"] == __version__
    assert info["CFBundleIdentifier"] == "org.tracer.Tracer"
    assert "camera" in str(info["NSCameraUsageDescription"]).lower()
    plistlib.dumps(info)  # serialisable as PyInstaller will write it
    entitlements = plistlib.loads((PACKAGING / "macos" / "entitlements.plist").read_bytes())
    assert entitlements["com.apple.security.device.camera"] is True  # hardened runtime


def test_windows_version_resource(tb: ModuleType, tmp_path: Path) -> None:
    text = tb.windows_version_info(tmp_path / "v.txt").read_text()
    assert f"StringStruct('ProductVersion', '{__version__}')" in text
    assert str(tb.numeric_version(__version__)) in text
    compile(text, "version_info.txt", "eval")  # PyInstaller eval()s it


def test_spec_and_scripts_parse() -> None:
    compile((PACKAGING / "tracer.spec").read_text(), "tracer.spec", "exec")
    for script in [*PACKAGING.rglob("*.sh"), LINUX / "postinst"]:
        subprocess.run(["bash", "-n", str(script)], check=True)


def test_resources_shipped_are_runtime_files(tb: ModuleType) -> None:
    datas = tb.resource_datas()
    names = {Path(src).name: dest for src, dest in datas}
    for qm in (REPO / "resources" / "i18n").glob("*.qm"):
        assert names[qm.name] == "resources/i18n"
    assert names["tracer-512.png"] == "resources/icons/app"
    assert not [n for n in names if n.endswith((".ts", ".py"))]


def test_dropped_qt_parts(tb: ModuleType) -> None:
    assert not tb.keep_binary(
        "PySide6/Qt/plugins/platforminputcontexts/libqtvirtualkeyboardplugin.so"
    )
    assert not tb.keep_binary("PySide6\\Qt\\plugins\\imageformats\\qpdf.dll")
    assert tb.keep_binary("PySide6/Qt/plugins/platforms/libqxcb.so")
    assert tb.keep_binary("PySide6/Qt/lib/libQt6Quick.so.6")  # the FFmpeg audio plugin needs it


def test_entry_maps_the_gui_launcher() -> None:
    entry = _load("tracer_entry", PACKAGING / "tracer_entry.py")
    assert entry.launcher_args(["/opt/tracer/tracer", "stats"]) == ["stats"]
    assert entry.launcher_args(["C:\\tracer\\tracer-gui.exe"]) == ["gui"]
    assert entry.launcher_args(["tracer-gui", "-psn_0_123", "--ledger", "x"]) == [
        "gui", "--ledger", "x",
    ]  # fmt: skip


def test_runtime_hook_finds_bundled_zbar_and_font(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if sys.platform.startswith("win"):
        pytest.skip("the hook leaves Windows alone (pyzbar loads its own DLLs)")
    (tmp_path / "libzbar.so.0").write_bytes(b"")
    (tmp_path / "fonts").mkdir()
    (tmp_path / "fonts" / "wqy-microhei.ttc").write_bytes(b"")
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    monkeypatch.setattr(ctypes.util, "find_library", ctypes.util.find_library)
    monkeypatch.setenv("TRACER_CJK_FONT", "")  # records the original, so the hook's value is undone
    monkeypatch.delenv("TRACER_CJK_FONT")
    _load("pyi_rth_tracer", PACKAGING / "rthooks" / "pyi_rth_tracer.py")
    assert ctypes.util.find_library("zbar") == str(tmp_path / "libzbar.so.0")
    assert ctypes.util.find_library("c") != str(tmp_path / "libzbar.so.0")
    assert os.environ["TRACER_CJK_FONT"] == str(tmp_path / "fonts" / "wqy-microhei.ttc")


def test_fingerprint_changes_with_the_sources(tb: ModuleType, tmp_path: Path) -> None:
    for rel in ("tracer/__init__.py", "resources/i18n/a.qm", "packaging/tracer.spec"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("1")
    (tmp_path / "pyproject.toml").write_text("")
    first = tb.fingerprint(tmp_path)
    assert tb.fingerprint(tmp_path) == first
    (tmp_path / "resources" / "i18n" / "a.qm").write_text("2")
    assert tb.fingerprint(tmp_path) != first


def test_zbar_is_found_for_bundling(tb: ModuleType) -> None:
    path = tb.find_zbar()
    assert path is not None and path.is_file(), "libzbar0 missing: make test installs it"
    assert "zbar" in path.name
