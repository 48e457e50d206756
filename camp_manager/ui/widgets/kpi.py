"""A KPI tile: a label, a large figure and a short note under it."""

from __future__ import annotations

from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout, QWidget


class KpiTile(QFrame):
    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("kpiTile")
        self.title_label = QLabel(title)
        self.title_label.setObjectName("kpiTitle")
        self.value_label = QLabel("–")
        self.value_label.setObjectName("kpiValue")
        self.caption_label = QLabel("")
        self.caption_label.setObjectName("kpiCaption")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 6, 12, 6)
        layout.setSpacing(1)
        layout.addWidget(self.title_label)
        layout.addWidget(self.value_label)
        layout.addWidget(self.caption_label)

    def set_value(self, value: str, caption: str = "") -> None:
        self.value_label.setText(value)
        self.caption_label.setText(caption)
        self.setToolTip(f"{self.title_label.text()}: {value}" + (f"\n{caption}" if caption else ""))

    def value(self) -> str:
        return self.value_label.text()
