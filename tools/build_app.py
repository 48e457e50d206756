"""Builds the frozen app: `python -m tools.build_app` writes dist/CampManager/ (one folder, no Python needed).

The folder holds `CampManager` (the desktop app, no console window on Windows) and `camp-manager` (the
command line). The same command builds it on Windows and on Linux; PyInstaller comes with the `build`
extra (`pip install -e ".[build]"`). PyInstaller's work folder is kept between builds (in the user cache
folder, or `--work DIR`), so a rebuild after a small change takes a fraction of the first one.
On Windows, `--installer` then makes dist/installer/CampManager-Setup-<version>.exe with Inno Setup 6.4+
(packaging/windows/camp_manager.iss).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import platformdirs

from camp_manager import __version__

REPO = Path(__file__).resolve().parent.parent
SPEC = REPO / "packaging" / "camp_manager.spec"
INSTALLER_SCRIPT = REPO / "packaging" / "windows" / "camp_manager.iss"
BUNDLE_NAME = "CampManager"
# Where the Inno Setup 6 installer (and `choco install innosetup`) puts the compiler.
ISCC_FOLDERS = (
    Path(os.environ.get("ProgramFiles(x86)", r"C:\Program Files (x86)")) / "Inno Setup 6",
    Path(os.environ.get("ProgramFiles", r"C:\Program Files")) / "Inno Setup 6",
)


def folder_size(folder: Path) -> int:
    return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file() and not path.is_symlink())


def default_work_folder() -> Path:
    return Path(platformdirs.user_cache_dir("CampManager", appauthor=False)) / "pyinstaller-work"


def inno_setup_compiler() -> str | None:
    found = shutil.which("iscc")
    if found:
        return found
    return next((str(folder / "ISCC.exe") for folder in ISCC_FOLDERS if (folder / "ISCC.exe").is_file()), None)


def build_installer(bundle: Path) -> int:
    compiler = inno_setup_compiler()
    if compiler is None:
        print(
            "Inno Setup 6 (iscc) not found: install it (choco install innosetup) or put ISCC.exe on PATH",
            file=sys.stderr,
        )
        return 2
    command = [compiler, f"/DAppVersion={__version__}", f"/DBundleDir={bundle}", str(INSTALLER_SCRIPT)]
    return subprocess.run(command, check=False).returncode


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.build_app", description=__doc__.splitlines()[0])
    parser.add_argument(
        "--dist", type=Path, default=REPO / "dist", help="where the bundle folder goes (default: dist/)"
    )
    parser.add_argument(
        "--work",
        type=Path,
        default=Path(os.environ.get("CAMP_MANAGER_BUILD_CACHE") or default_work_folder()),
        help="PyInstaller's work folder, kept between builds (default: the user cache folder)",
    )
    parser.add_argument("--clean", action="store_true", help="forget PyInstaller's cached work first")
    parser.add_argument("--installer", action="store_true", help="then the Windows installer (Inno Setup 6.4+)")
    args = parser.parse_args(argv)
    try:
        import PyInstaller.__main__ as pyinstaller  # noqa: PLC0415 (an optional build dependency)
    except ModuleNotFoundError:
        print('PyInstaller is not installed: pip install -e ".[build]"', file=sys.stderr)
        return 2
    started = time.perf_counter()
    options = [
        str(SPEC),
        "--noconfirm",
        "--log-level",
        "WARN",
        "--distpath",
        str(args.dist),
        "--workpath",
        str(args.work),
    ]
    pyinstaller.run(options + (["--clean"] if args.clean else []))
    bundle = args.dist / BUNDLE_NAME
    print(f"built {bundle} in {time.perf_counter() - started:.0f} s: {folder_size(bundle) / 2**20:.0f} MiB")
    return build_installer(bundle) if args.installer else 0


if __name__ == "__main__":
    sys.exit(main())
