"""Every speed figure of the app against its baseline, measured in one run: `python -m tools.benchmarks`.

Each figure is measured several times after a warm-up, next to a baseline measured in
the same run on the same machine (an indexed SQL count, a bare PySide6 window, calamine
reading the file): on a busy machine both slow down together, so their ratio is steadier
than either. One table comes out: figure, median, spread (lowest–highest), baseline,
ratio, target, met or not. It prints numbers only; no test asserts a time.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class Figure:
    """One line of the table: samples of a measurement, its baseline's, and the target they should meet."""

    name: str
    values: list[float]
    unit: str = "ms"
    baseline: list[float] = field(default_factory=list)
    baseline_name: str = ""
    limit: float | None = None  # the figure must stay at or below this
    ratio_limit: float | None = None  # … and at most this many times its baseline
    worst: bool = False  # the limit holds for the worst sample, not the median

    @property
    def median(self) -> float:
        return statistics.median(self.values)

    @property
    def judged(self) -> float:
        return max(self.values) if self.worst else self.median

    @property
    def ratio(self) -> float | None:
        return self.median / statistics.median(self.baseline) if self.baseline else None

    @property
    def met(self) -> bool:
        within_limit = self.limit is None or self.judged <= self.limit
        within_ratio = self.ratio_limit is None or (self.ratio is not None and self.ratio <= self.ratio_limit)
        return within_limit and within_ratio

    def target(self) -> str:
        parts = []
        if self.ratio_limit is not None:
            parts.append(f"≤ {self.ratio_limit:g}× baseline")
        if self.limit is not None:
            parts.append(f"{'worst ' if self.worst else ''}≤ {self.limit:g} {self.unit}")
        return ", ".join(parts)


def repeat(measure: Callable[[], float], runs: int, *, warm_up: int = 1) -> list[float]:
    """`runs` samples of `measure` (each returns its own figure) after `warm_up` discarded ones."""
    for _ in range(warm_up):
        measure()
    return [measure() for _ in range(runs)]


def milliseconds(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return (time.perf_counter() - started) * 1000


def _number(value: float, unit: str) -> str:
    return f"{value:,.0f} {unit}" if value >= 100 else f"{value:,.1f} {unit}"


def table(figures: list[Figure]) -> str:
    """The figures as a Markdown table (it reads as plain text too, and goes into the README as it is)."""
    lines = [
        "| figure | median | spread | baseline | ratio | target | met |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for figure in figures:
        spread = f"{_number(min(figure.values), figure.unit)} – {_number(max(figure.values), figure.unit)}"
        baseline = (
            f"{figure.baseline_name}: {_number(statistics.median(figure.baseline), figure.unit)}"
            if figure.baseline
            else "–"
        )
        ratio = f"{figure.ratio:.2f}×" if figure.ratio is not None else "–"
        lines.append(
            f"| {figure.name} | {_number(figure.median, figure.unit)} | {spread} | {baseline} | {ratio} | "
            f"{figure.target() or '–'} | {('yes' if figure.met else 'NO') if figure.target() else '–'} |"
        )
    return "\n".join(lines)
