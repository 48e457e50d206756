"""Starts the desktop app (the `camp-manager-gui` entry point, and `camp-manager` alone)."""

from __future__ import annotations

import sys


def main(db: str | None = None, *, smoke: bool = False) -> int:
    from camp_manager.ui.application import run  # noqa: PLC0415 (Qt loads only when the window opens)

    return run(db=db, argv=sys.argv, smoke=smoke)


if __name__ == "__main__":
    sys.exit(main())
