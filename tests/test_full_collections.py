"""Full garbage collections are held off while long work runs (a background job, an import) and come back after."""

from __future__ import annotations

import gc
import threading

import pytest

from camp_manager.full_collections import FullCollections


def full_threshold() -> int:
    return gc.get_threshold()[2]


def test_they_come_back_when_the_last_holder_ends_in_any_thread():
    usual = full_threshold()
    inside, release = threading.Event(), threading.Event()

    def job() -> None:
        with FullCollections.held_off():
            inside.set()
            release.wait(timeout=10)

    worker = threading.Thread(target=job)
    with FullCollections.held_off():
        worker.start()
        assert inside.wait(timeout=10) and full_threshold() > usual
    assert full_threshold() > usual, "the other thread's job still runs"
    release.set()
    worker.join(timeout=10)
    assert full_threshold() == usual


def test_they_come_back_after_a_failure():
    usual = full_threshold()
    with pytest.raises(OSError), FullCollections.held_off():
        raise OSError("disk full")
    assert full_threshold() == usual
