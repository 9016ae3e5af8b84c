# Build tracer for Windows: the PyInstaller folder, then the Inno Setup installer.
#   powershell -ExecutionPolicy Bypass -File packaging\windows\build_windows.ps1
# Needs Python 3.11 (x64) and Inno Setup 6 (ISCC.exe on PATH or in its default folder).
# Output: build\dist\tracer\ (tracer.exe = CLI, tracer-gui.exe = the app without a console)
#         dist\tracer-<version>-windows-x64-setup.exe
$ErrorActionPreference = "Stop"
Set-Location (Join-Path $PSScriptRoot "..\..")

if (-not (Test-Path .venv\Scripts\python.exe)) { py -3.11 -m venv .venv }
$py = ".venv\Scripts\python.exe"
& $py -m pip install -q -e ".[gui,packaging]"
if ($LASTEXITCODE) { throw "pip install failed" }

& $py -m PyInstaller --noconfirm --distpath build\dist --workpath build\pyinstaller packaging\tracer.spec
if ($LASTEXITCODE) { throw "PyInstaller failed" }

# smoke test of the frozen app before packing it
$env:QT_QPA_PLATFORM = "offscreen"
& build\dist\tracer\tracer.exe --version
& build\dist\tracer\tracer.exe demo --ledger build\smoke.sqlite --events 500
& build\dist\tracer\tracer.exe verify --ledger build\smoke.sqlite
if ($LASTEXITCODE) { throw "frozen tracer failed its smoke test" }
Remove-Item build\smoke.sqlite* -ErrorAction SilentlyContinue
Remove-Item Env:QT_QPA_PLATFORM

# the version comes from tracer\__init__.py, through the same helper as on Linux
$version = (& $py packaging\tracer_build.py version).Trim()
$numeric = (& $py packaging\tracer_build.py version-numeric).Trim()
$iscc = (Get-Command ISCC.exe -ErrorAction SilentlyContinue).Source
if (-not $iscc) { $iscc = Join-Path ${env:ProgramFiles(x86)} "Inno Setup 6\ISCC.exe" }
& $iscc "/DAppVersion=$version" "/DAppVersionNumeric=$numeric" packaging\windows\tracer.iss
if ($LASTEXITCODE) { throw "Inno Setup failed" }
Get-ChildItem dist\tracer-$version-windows-x64-setup.exe
