"""Start-up and memory, each in a fresh process: `python -m tools.benchmarks.probe bare|app [--db PATH] [--visit]`.

Prints `painted` when the first window has painted (the app's start window), `main_painted` when the
app's main window has, then (with `--visit`, app only) shows
every page in turn, waits for its data, and prints `peak_mib N`, the process's peak resident
memory. `bare` is the baseline: a plain PySide6 window painting one label.
"""

from __future__ import annotations

import argparse
import resource
import sys
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow


def peak_mib() -> float:
    """The process's peak resident memory (VmHWM: unlike ru_maxrss, not inherited from the parent)."""
    status = Path("/proc/self/status")
    if status.exists():
        line = next(line for line in status.read_text(encoding="utf-8").splitlines() if line.startswith("VmHWM:"))
        return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes elsewhere on Unix


class FirstPaint(QObject):
    """Reports the first paint of a window (`painted`: the app's start window), then of the app's main
    window (`main_painted`), and hands over to `after` once the window `last` names has painted."""

    def __init__(self, after, last: str) -> None:
        super().__init__()
        self.after = after
        self.last = last
        self.seen: set[str] = set()

    def eventFilter(self, watched, event) -> bool:
        if event.type() == QEvent.Type.Paint and isinstance(watched, QMainWindow):
            kind = type(watched).__name__
            if not self.seen:
                print("painted", flush=True)
            if kind == "MainWindow" and kind not in self.seen:
                print("main_painted", flush=True)
            if kind == self.last and kind not in self.seen:
                QTimer.singleShot(0, self.after)
            self.seen.add(kind)
        return False


def visit_every_page() -> None:
    from camp_manager.ui.main_window import MainWindow
    from camp_manager.ui.workers import wait_for_background

    window = next(widget for widget in QApplication.topLevelWidgets() if isinstance(widget, MainWindow))
    for key in window.pages:
        window.show_page(key)
        window.repaint()
        wait_for_background()
    print(f"peak_mib {peak_mib():.1f}", flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.benchmarks.probe")
    parser.add_argument("kind", choices=("bare", "app"))
    parser.add_argument("--db")
    parser.add_argument("--visit", action="store_true")
    args = parser.parse_args(argv)
    app = QApplication(sys.argv[:1])

    def after() -> None:
        if args.visit and args.kind == "app":
            visit_every_page()
        elif args.visit:
            print(f"peak_mib {peak_mib():.1f}", flush=True)
        app.quit()

    watcher = FirstPaint(after, last="QMainWindow" if args.kind == "bare" else "MainWindow")
    app.installEventFilter(watcher)
    if args.kind == "bare":
        window = QMainWindow()
        window.setCentralWidget(QLabel("Camp Manager"))
        window.show()
        return app.exec()
    from camp_manager.app import main as start_app

    return start_app(db=args.db)


if __name__ == "__main__":
    sys.exit(main())
