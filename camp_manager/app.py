"""Starts the desktop app (the `camp-manager-gui` entry point, and `camp-manager` alone)."""

from __future__ import annotations

import sys


def main(db: str | None = None, *, smoke: bool = False) -> int:
    # Qt loads only when the window opens; the window is painted before the database modules load.
    from camp_manager.ui.start import show_start_window  # noqa: PLC0415

    start_window = show_start_window(sys.argv)
    from camp_manager.ui.application import run  # noqa: PLC0415

    try:
        return run(db=db, argv=sys.argv, smoke=smoke, start_window=start_window)
    finally:
        start_window.close()  # a start that gave up (a dialog's Quit) leaves no window behind


if __name__ == "__main__":
    sys.exit(main())
