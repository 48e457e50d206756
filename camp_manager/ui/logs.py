"""The log file in the user log folder, where unexpected errors are written."""

from __future__ import annotations

import logging
from pathlib import Path

import platformdirs

from camp_manager import APP_NAME


def log_file() -> Path:
    folder = Path(platformdirs.user_log_dir(APP_NAME, appauthor=False))
    folder.mkdir(parents=True, exist_ok=True)
    return folder / "camp_manager.log"


def configure_logging() -> Path:
    path = log_file()
    logging.basicConfig(
        level=logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        handlers=[logging.FileHandler(path, encoding="utf-8")],
    )
    return path
