"""What every step of the import wizard shares: the state they hand on, and the step itself."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from camp_manager.importing.commit import ImportResult
from camp_manager.importing.mapping import ColumnMapping, ListKind, MappingStore
from camp_manager.importing.plan import ImportPlan
from camp_manager.importing.read import Sheet, SourceFile
from camp_manager.importing.survey import SurveyImport, SurveyPlan
from camp_manager.ui.context import AppContext

ERROR_COLOUR = QColor("#B3261E")


@dataclass
class ImportState:
    """What the steps hand on: the file, the sheet as read, its column mapping, the checked plan (or the
    survey's), the result."""

    store: MappingStore
    requested_kind: ListKind | None = None  # ROOMS when the user said so; None: the headers decide
    source: SourceFile | None = None
    sheet: Sheet | None = None
    mapping: ColumnMapping | None = None
    header_by_hand: bool = False  # the user pointed at the header row: remember the mapping as it is
    plan: ImportPlan | None = None
    survey: SurveyPlan | None = None  # a returned performance survey: every sheet checked, no mapping
    result: ImportResult | SurveyImport | None = None

    def restart(self) -> None:
        self.source = self.sheet = self.mapping = self.plan = self.survey = self.result = None


class WizardStep(QWidget):
    """One step: its heading and widgets, and what 'Next' does on it.

    The wizard calls `start()` when it arrives at the step going forward (not when it
    comes back to it), and `go_on()` for 'Next'; the step emits `finished` once its work
    is done (some run in the background) and the wizard moves on.
    """

    finished = Signal()
    completeChanged = Signal()  # whether 'Next' may be pressed has changed

    def __init__(self, context: AppContext, state: ImportState, title: str) -> None:
        super().__init__()
        self.context = context
        self.state = state
        self.body = QVBoxLayout(self)
        self.body.setContentsMargins(0, 0, 0, 0)
        heading = QLabel(title)
        heading.setObjectName("sectionTitle")
        self.body.addWidget(heading)

    def start(self) -> None:
        """Show what the previous step handed on."""

    def can_go_on(self) -> bool:
        return True

    def go_on(self) -> None:
        self.finished.emit()


def plain_label(text: str) -> QLabel:
    """Text from the user's file, shown as it is (never read as HTML)."""
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    return label
