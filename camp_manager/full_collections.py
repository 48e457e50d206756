"""Full garbage collections held off while long work runs: a background job, an import.

A full collection walks every tracked object with the GIL held: with a job's rows in memory it
takes 100–500 ms, and the UI thread freezes meanwhile (the thread that triggers it does not matter).
An import of 10,000 rows makes hundreds of thousands of objects and met several: about a fifth of
its time. Young collections go on; the work's objects are freed by their reference counts when it ends.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager


class FullCollections:
    _lock = threading.Lock()
    _holders = 0
    _threshold = gc.get_threshold()

    @classmethod
    @contextmanager
    def held_off(cls) -> Iterator[None]:
        """No full collection until the last block holding them off (in any thread) ends."""
        with cls._lock:
            if cls._holders == 0:
                cls._threshold = gc.get_threshold()
                gc.set_threshold(cls._threshold[0], cls._threshold[1], 2**30)
            cls._holders += 1
        try:
            yield
        finally:
            with cls._lock:
                cls._holders -= 1
                if cls._holders == 0:
                    gc.set_threshold(*cls._threshold)
