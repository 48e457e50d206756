"""QtCharts with the app's look: Korean font, calm colours, no wasted margins."""

from __future__ import annotations

from PySide6.QtCharts import QAbstractAxis, QChart, QChartView
from PySide6.QtCore import QMargins, Qt
from PySide6.QtGui import QColor, QFont, QPainter
from PySide6.QtWidgets import QApplication, QWidget

# Distinguishable on screen and in grey print; the first two are the facilities.
SERIES_COLOURS = (
    "#2F6FB5",
    "#3E9B63",
    "#D4901A",
    "#D1453B",
    "#8D7BC2",
    "#4BA3B5",
    "#A0703C",
    "#6B7785",
    "#C266A3",
    "#9BB03A",
)


def colour(index: int) -> QColor:
    return QColor(SERIES_COLOURS[index % len(SERIES_COLOURS)])


def app_font(point_size: float, *, bold: bool = False) -> QFont:
    font = QFont(QApplication.font())
    font.setPointSizeF(point_size)
    font.setBold(bold)
    return font


class ChartView(QChartView):
    """A chart that is cleared and refilled on each refresh (its axes go with the series)."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        chart = QChart()
        chart.setTitle(title)
        chart.setTitleFont(app_font(10, bold=True))
        chart.setTitleBrush(QColor("#1F2A3C"))
        chart.setBackgroundRoundness(6)
        chart.setMargins(QMargins(4, 2, 4, 2))
        chart.layout().setContentsMargins(0, 0, 0, 0)
        chart.legend().setFont(app_font(8))
        chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
        chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
        super().__init__(chart, parent)
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setMinimumHeight(180)

    def clear(self) -> QChart:
        chart = self.chart()
        chart.removeAllSeries()
        for axis in chart.axes():
            chart.removeAxis(axis)
            axis.deleteLater()
        return chart

    def attach(self, series, *axes: tuple[QAbstractAxis, Qt.AlignmentFlag]) -> None:
        chart = self.chart()
        chart.addSeries(series)
        for axis, alignment in axes:
            if axis not in chart.axes():
                axis.setLabelsFont(app_font(8))
                axis.setGridLineColor(QColor("#E3E8EF"))
                axis.setLinePenColor(QColor("#AEB8C2"))
                chart.addAxis(axis, alignment)
            series.attachAxis(axis)
