"""Guards the PySide6 pin: 6.12.0 on Python 3.11 drops a reference to None on every
Qt call that returns nothing, and the app aborts (`none_dealloc`) after a few minutes
of repainting. pyproject.toml pins PySide6 below 6.12; this test fails on a binding
with that bug, whatever its version number."""

import sys

import pytest
from PySide6.QtWidgets import QLabel

CALLS = 2000

# Since Python 3.12 None is immortal (PEP 683): its reference count never moves, so a binding
# that drops references to None does no harm there, and this test could not fail.
pytestmark = pytest.mark.skipif(sys.version_info >= (3, 12), reason="None is immortal on Python 3.12+ (PEP 683)")


def test_void_qt_calls_keep_the_reference_to_none(qapp):
    label = QLabel()
    before = sys.getrefcount(None)
    for _ in range(CALLS):
        label.setText("입주기업")
    lost = before - sys.getrefcount(None)
    assert lost < CALLS // 2, f"{lost} references to None lost in {CALLS} calls"
