"""The dialog at start when the database cannot be opened: restore the newest sound backup,
make a new database, open the default one, or quit."""

from __future__ import annotations

from enum import Enum, auto

from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from camp_manager.db.backup import BackupFile
from camp_manager.errors import DatabaseFileError
from camp_manager.i18n import tr
from camp_manager.ui.style import make_primary


class DatabaseChoice(Enum):
    RESTORE = auto()
    NEW = auto()
    DEFAULT = auto()
    QUIT = auto()


class DatabaseProblemDialog(QDialog):
    """Says what is wrong with the file (nothing was changed) and offers what can be done about it."""

    def __init__(
        self,
        problem: DatabaseFileError,
        *,
        backup: BackupFile | None,
        offer_default: bool,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("데이터베이스를 열 수 없습니다"))
        self.choice = DatabaseChoice.QUIT
        self.message = QLabel(problem.message)
        self.message.setWordWrap(True)
        self.message.setMinimumWidth(520)
        layout = QVBoxLayout(self)
        layout.addWidget(self.message)
        buttons = QHBoxLayout()
        self.restore_button = self._button(buttons, tr("백업에서 복원"), DatabaseChoice.RESTORE)
        self.new_button = self._button(buttons, tr("새 데이터베이스"), DatabaseChoice.NEW)
        self.default_button = self._button(buttons, tr("기본 데이터베이스 열기"), DatabaseChoice.DEFAULT)
        buttons.addStretch(1)
        self.quit_button = self._button(buttons, tr("끝내기"), DatabaseChoice.QUIT)
        self.restore_button.setVisible(backup is not None)
        if backup is not None:
            self.backup_note = QLabel(
                tr("가장 최근의 정상 백업: {path} ({made_at:%Y-%m-%d %H:%M})", path=backup.path, made_at=backup.made_at)
            )
            self.backup_note.setWordWrap(True)
            layout.addWidget(self.backup_note)
            make_primary(self.restore_button)
        self.new_button.setVisible(not problem.damaged)
        self.default_button.setVisible(offer_default)
        layout.addLayout(buttons)

    def _button(self, row: QHBoxLayout, text: str, choice: DatabaseChoice) -> QPushButton:
        button = QPushButton(text)
        button.clicked.connect(lambda: self._choose(choice))
        row.addWidget(button)
        return button

    def _choose(self, choice: DatabaseChoice) -> None:
        self.choice = choice
        if choice == DatabaseChoice.QUIT:
            self.reject()
        else:
            self.accept()
