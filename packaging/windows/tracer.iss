; Inno Setup 6 script: the tracer installer for Windows (x64).
; Build with packaging\windows\build_windows.ps1: PyInstaller first (build\dist\tracer),
; then ISCC /DAppVersion=<tracer.__version__> - the version is never typed here.
; Installs per user by default (no admin needed); "Install for all users" asks for admin.
; The user's ledger and settings (%LOCALAPPDATA%\tracer) are kept on uninstall.

#ifndef AppVersion
  #error Pass the version: ISCC /DAppVersion=X.Y.Z packaging\windows\tracer.iss (build_windows.ps1 does it)
#endif
#ifndef AppVersionNumeric
  #define AppVersionNumeric "0.0.0.0"
#endif
#define AppName "tracer"
#define DistDir "..\..\build\dist\tracer"

[Setup]
AppId={{8C1F3B2E-5D7A-4E59-9C3B-6A2F1D0E7B41}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=tracer contributors
AppComments=Product traceability and recall: GS1 barcodes, RFID, EPCIS 2.0
VersionInfoVersion={#AppVersionNumeric}
DefaultDirName={autopf}\tracer
DefaultGroupName=tracer
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
OutputDir=..\..\dist
OutputBaseFilename=tracer-{#AppVersion}-windows-x64-setup
SetupIconFile=..\..\resources\icons\app\tracer.ico
UninstallDisplayIcon={app}\tracer-gui.exe
UninstallDisplayName={#AppName} {#AppVersion}
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
ChangesEnvironment=yes

[Languages]
Name: "en"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked
Name: "addtopath"; Description: "Add the tracer command to PATH (for the command prompt)"; Flags: unchecked

[Files]
Source: "{#DistDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\tracer"; Filename: "{app}\tracer-gui.exe"; Comment: "Traceability and recall"
Name: "{autodesktop}\tracer"; Filename: "{app}\tracer-gui.exe"; Tasks: desktopicon

[Registry]
; PATH of the installing user; removed again on uninstall (see [Code])
Root: HKCU; Subkey: "Environment"; ValueType: expandsz; ValueName: "Path"; ValueData: "{olddata};{app}"; Tasks: addtopath; Check: NeedsAddPath(ExpandConstant('{app}'))

[Run]
Filename: "{app}\tracer-gui.exe"; Description: "{cm:LaunchProgram,tracer}"; Flags: nowait postinstall skipifsilent

[Code]
function NeedsAddPath(Dir: string): Boolean;
var
  Path: string;
begin
  if not RegQueryStringValue(HKEY_CURRENT_USER, 'Environment', 'Path', Path) then
  begin
    Result := True;
    exit;
  end;
  Result := Pos(';' + Uppercase(Dir) + ';', ';' + Uppercase(Path) + ';') = 0;
end;

procedure RemoveFromPath(Dir: string);
var
  Path: string;
begin
  if not RegQueryStringValue(HKEY_CURRENT_USER, 'Environment', 'Path', Path) then
    exit;
  Path := ';' + Path + ';';
  if StringChangeEx(Path, ';' + Dir + ';', ';', True) = 0 then
    exit;
  Path := Copy(Path, 2, Length(Path) - 2);
  RegWriteExpandStringValue(HKEY_CURRENT_USER, 'Environment', 'Path', Path);
end;

procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
begin
  if CurUninstallStep = usPostUninstall then
    RemoveFromPath(ExpandConstant('{app}'));
end;
