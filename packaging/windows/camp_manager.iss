; Inno Setup 6.4+ script: the Windows installer of the frozen app (dist\CampManager, built by
; `python -m tools.build_app`). Build both with `python -m tools.build_app --installer`, or by hand:
;   iscc /DAppVersion=0.1.0 packaging\windows\camp_manager.iss
; The installer's output: dist\installer\CampManager-Setup-<version>.exe.
;
; Updates: the AppId never changes, so a newer installer replaces the program in place (same folder,
; same Start-menu entry) and asks to close a running Camp Manager first. The user's data is never in
; the program folder: the database, its backups and the logs live in %LOCALAPPDATA%\CampManager
; (platformdirs' user data and log folders), the settings in HKEY_CURRENT_USER\Software\CampManager.
; Neither an update nor the uninstaller touches them; the first start of a newer version backs the
; database up and upgrades it.
; This file is UTF-8 with a byte-order mark, which Inno Setup needs to read its Korean text.

#if Ver < EncodeVer(6, 4, 0)
  #error Inno Setup 6.4 or newer is needed (its Korean translation comes with it from 6.4 on)
#endif
#ifndef AppVersion
  #error Pass the version: iscc /DAppVersion=0.1.0 (tools.build_app --installer does)
#endif
#ifndef BundleDir
  #define BundleDir "..\..\dist\CampManager"
#endif

[Setup]
; Fixed for ever: Windows recognises an update of the installed Camp Manager by it.
AppId={{3F52129C-3EF1-4155-809C-F3D555275B91}
AppName=Camp Manager
AppVersion={#AppVersion}
AppVerName=Camp Manager {#AppVersion}
AppPublisher=Camp Manager
DefaultDirName={autopf}\Camp Manager
DefaultGroupName=Camp Manager
DisableProgramGroupPage=yes
; An office PC's user often has no administrator rights: install for that user unless they choose all users.
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir=..\..\dist\installer
OutputBaseFilename=CampManager-Setup-{#AppVersion}
SetupIconFile=..\..\resources\icons\camp-manager.ico
UninstallDisplayIcon={app}\CampManager.exe
UninstallDisplayName=Camp Manager
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
CloseApplications=yes
RestartApplications=no
ShowLanguageDialog=auto

[Languages]
Name: "korean"; MessagesFile: "compiler:Languages\Korean.isl"
Name: "english"; MessagesFile: "compiler:Default.isl"

[CustomMessages]
korean.DataKept=데이터는 지우지 않았습니다. 데이터베이스와 백업, 로그는 %1에, 설정은 레지스트리 HKEY_CURRENT_USER\Software\CampManager에 그대로 있습니다. 다시 설치하면 그대로 이어서 씁니다. 데이터가 더는 필요 없을 때에만 그 폴더를 직접 지우세요.
english.DataKept=Your data was kept: the database, its backups and the logs are still in %1, the settings in the registry under HKEY_CURRENT_USER\Software\CampManager. Installing again carries on with them. Delete that folder yourself only when you no longer need the data.

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[InstallDelete]
; The previous version's program files (never data: that is not in {app}), so no stale library stays behind.
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "{#BundleDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\Camp Manager"; Filename: "{app}\CampManager.exe"; WorkingDir: "{app}"
Name: "{autodesktop}\Camp Manager"; Filename: "{app}\CampManager.exe"; WorkingDir: "{app}"; Tasks: desktopicon

[Run]
Filename: "{app}\CampManager.exe"; Description: "{cm:LaunchProgram,Camp Manager}"; Flags: nowait postinstall skipifsilent

[Code]
procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
begin
  if (CurUninstallStep = usPostUninstall) and not UninstallSilent then
    MsgBox(FmtMessage(CustomMessage('DataKept'), [ExpandConstant('{localappdata}\CampManager')]), mbInformation, MB_OK);
end;
