"""Finds the files under `resources/`, from a checkout or from an installed wheel."""

from __future__ import annotations

from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent


def resources_dir() -> Path:
    # A wheel carries them inside the package; a checkout keeps them at the top level.
    for candidate in (_PACKAGE_DIR / "resources", _PACKAGE_DIR.parent / "resources"):
        if (candidate / "fonts").is_dir():
            return candidate
    raise FileNotFoundError("Camp Manager resources folder not found next to the package")


def resource_path(*parts: str) -> Path:
    return resources_dir().joinpath(*parts)
