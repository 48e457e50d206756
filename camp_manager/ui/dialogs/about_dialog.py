"""About Camp Manager: the version, where this PC keeps the data, backups, logs and settings, and the licences."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from camp_manager import __version__
from camp_manager.db.engine import sqlite_file
from camp_manager.i18n import tr
from camp_manager.resources import resource_path
from camp_manager.ui.context import AppContext
from camp_manager.ui.logs import log_file

FONT_LICENCE = ("fonts", "OFL.txt")
# What the installed folder carries besides the app, with each one's licence.
COMPONENT_LICENCES = (
    ("NanumGothic", "SIL Open Font License 1.1"),
    ("Qt / Qt for Python (PySide6)", "LGPL-3.0"),
    ("SQLAlchemy · SQLModel · Alembic", "MIT"),
    ("ReportLab", "BSD"),
    ("openpyxl · python-calamine · platformdirs", "MIT"),
)


def backup_folder(context: AppContext) -> Path | None:
    """Where `지금 백업` writes: the chosen folder, else beside the database file (None: a server database)."""
    database = sqlite_file(context.engine.url)
    return context.backup_folder() or (database.parent if database is not None else None)


def licences_text() -> str:
    lines = [tr("Camp Manager: 비공개 소프트웨어(Proprietary). 이 프로그램에 함께 든 구성 요소와 라이선스:")]
    lines += [f"  • {name}: {licence}" for name, licence in COMPONENT_LICENCES]
    font_licence = resource_path(*FONT_LICENCE).read_text(encoding="utf-8")
    return "\n".join(lines) + "\n\n" + tr("NanumGothic 글꼴의 라이선스 전문:") + "\n\n" + font_licence


class AboutDialog(QDialog):
    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Camp Manager 정보"))
        self.setMinimumWidth(560)
        heading = QLabel(f"<b>Camp Manager {__version__}</b><br>{tr('AI 창업캠프·아이플렉스 입주기업 관리')}")
        heading.setObjectName("aboutHeading")

        backups = backup_folder(context)
        self.paths = {
            "database": context.database_label(),
            "backups": str(backups) if backups else tr("서버의 데이터베이스는 서버에서 pg_dump로 백업합니다"),
            "logs": str(log_file().parent),
            "settings": context.settings.location(),
        }
        form = QFormLayout()
        form.addRow(tr("버전"), QLabel(__version__))
        form.addRow(tr("데이터베이스"), self._path_row(self.paths["database"], None))
        form.addRow(tr("백업 폴더"), self._path_row(self.paths["backups"], backups))
        form.addRow(tr("로그 폴더"), self._path_row(self.paths["logs"], log_file().parent))
        form.addRow(tr("설정"), self._path_row(self.paths["settings"], None))

        self.licences = QPlainTextEdit(licences_text())
        self.licences.setReadOnly(True)
        self.licences.setMinimumHeight(220)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addLayout(form)
        layout.addWidget(QLabel(tr("라이선스")))
        layout.addWidget(self.licences, 1)
        layout.addWidget(buttons)

    def _path_row(self, text: str, folder: Path | None) -> QWidget:
        """The path, selectable for copying, and a button that opens the folder when there is one."""
        row = QWidget()
        layout = QHBoxLayout(row)
        layout.setContentsMargins(0, 0, 0, 0)
        path = QLabel(text)
        path.setWordWrap(True)
        path.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(path, 1)
        if folder is not None:
            button = QPushButton(tr("폴더 열기"))
            button.clicked.connect(lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder))))
            layout.addWidget(button)
        return row
