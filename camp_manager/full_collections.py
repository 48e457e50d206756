"""Full garbage collections kept out of long work: a background job, an import.

A full collection walks every tracked object with the GIL held. With a job's rows in memory it takes
100–500 ms, and the UI thread freezes meanwhile, whichever thread set it off; an import of 10,000 rows
makes hundreds of thousands of objects and met several, about a fifth of its time. Young collections go
on; most objects are freed by their reference counts anyway, only cycles wait for a full collection.

Long work holds full collections off (`held_off`). The app goes further (`leave_to_the_app`): Python
never starts one on its own, and the app runs it while idle (`collect_if_due`, from a timer on the UI
thread), so none lands in the middle of showing a page either.
"""

from __future__ import annotations

import gc
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

NEVER = 2**30  # a full-collection threshold Python never reaches


class FullCollections:
    PASSES = gc.get_threshold()[2]  # Python's own: middle collections between two full ones
    _lock = threading.Lock()
    _holders = 0
    _last_released = 0.0  # time.monotonic() when the last long work ended
    _automatic = True  # whether Python starts them on its own outside long work

    @classmethod
    @contextmanager
    def held_off(cls) -> Iterator[None]:
        """No full collection until the last block holding them off (in any thread) ends."""
        cls.hold()
        try:
            yield
        finally:
            cls.release()

    @classmethod
    def hold(cls) -> None:
        """Long work begins (it may end on another thread: `release`)."""
        with cls._lock:
            if cls._holders == 0:
                cls._set_automatic(False)
            cls._holders += 1

    @classmethod
    def release(cls) -> None:
        with cls._lock:
            cls._holders -= 1
            cls._last_released = time.monotonic()
            if cls._holders == 0:
                cls._set_automatic(cls._automatic)

    @classmethod
    def long_work_running(cls) -> bool:
        with cls._lock:
            return cls._holders > 0

    @classmethod
    def leave_to_the_app(cls) -> None:
        """From now on Python starts no full collection; the app runs them with `collect_if_due`."""
        with cls._lock:
            cls._automatic = False
            cls._set_automatic(False)

    @classmethod
    def collect_if_due(cls, *, quiet_s: float) -> bool:
        """A full collection if as much has survived the young ones as Python itself waits for and no
        long work has run for `quiet_s` seconds (a page is not still showing what a job read); whether it ran."""
        with cls._lock:
            quiet = cls._holders == 0 and time.monotonic() - cls._last_released >= quiet_s
        if not quiet or gc.get_count()[2] < cls.PASSES:
            return False
        gc.collect()
        return True

    @classmethod
    def _set_automatic(cls, automatic: bool) -> None:
        young, middle, _full = gc.get_threshold()
        gc.set_threshold(young, middle, cls.PASSES if automatic else NEVER)
