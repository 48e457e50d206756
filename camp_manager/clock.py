"""The date of today, as the use cases see it: the PC's clock, or a fixed day in tests and demos.

A unit of work carries its clock (`unit_of_work(engine, clock=...)`), so every rule that
compares with today reads the same day within one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Protocol


class Clock(Protocol):
    def today(self) -> date: ...


class SystemClock:
    def today(self) -> date:
        return date.today()


@dataclass(frozen=True)
class FixedClock:
    day: date

    def today(self) -> date:
        return self.day


SYSTEM_CLOCK = SystemClock()
