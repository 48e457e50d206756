"""Settings (설정): language and folders, the database, facilities with their rooms and room policy."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from camp_manager.db.backup import BackupLabel, backup_database, server_backup_commands
from camp_manager.db.credentials import keep_password
from camp_manager.db.engine import default_db_path, sqlite_file
from camp_manager.db.migrate import CheckedBackup, checked_backups, open_database_noting, probe_database
from camp_manager.db.models import Room, RoomKind
from camp_manager.db.restore import restore_database
from camp_manager.errors import DomainError
from camp_manager.i18n import LANGUAGES, current_language, tr
from camp_manager.labels import label_of
from camp_manager.reporting.options import default_approval_titles, parse_approval_titles
from camp_manager.services import audit, directory, facilities
from camp_manager.services.directory import FacilityRow
from camp_manager.ui.context import AppContext, SettingKey
from camp_manager.ui.dialogs.facility_dialogs import FacilityDialog, FloorRoomsDialog, RetireRoomDialog
from camp_manager.ui.models.table import Column
from camp_manager.ui.pages.base import Page
from camp_manager.ui.style import make_primary
from camp_manager.ui.widgets.table_view import DataTable
from camp_manager.ui.workers import BackgroundQuery, run_in_background, show_error, show_refusal, wait_for_background

# Each language named in itself, so anyone can find their own.
LANGUAGE_NAMES = {"ko": "한국어", "en": "English"}


def start_backup(parent: QWidget, context: AppContext, on_done=None) -> None:
    """Back up the database now (SQLite online backup, verified) into the chosen folder, off the UI thread."""
    url, policy = context.engine.url, context.backup_policy()

    def done(path: Path) -> None:
        if on_done is not None:
            on_done(path)

    run_in_background(
        parent,
        title=tr("백업하는 중…"),
        on_success=done,
        job=lambda progress: backup_database(url, policy=policy, progress=progress),
    )


def backup_kind(label: str) -> str:
    """Why a backup was made, from the label in its file name."""
    kinds = {
        BackupLabel.START: tr("시작할 때 자동"),
        BackupLabel.MANUAL: tr("직접 백업"),
        BackupLabel.BEFORE_IMPORT: tr("가져오기 전"),
        BackupLabel.BEFORE_RESTORE: tr("복원 전"),
        BackupLabel.DAMAGED: tr("손상된 파일의 사본"),
    }
    return kinds.get(label, tr("버전 올리기 전") if label.startswith("before-") else label)


class BackupsTab(QWidget):
    """The backups of the SQLite file with their verdicts, rotation, and restore; for a server, its pg_dump commands."""

    def __init__(self, context: AppContext) -> None:
        super().__init__()
        self.context = context
        self.loader = BackgroundQuery(self)
        layout = QVBoxLayout(self)
        self.database = sqlite_file(context.engine.url)
        if self.database is None:
            commands = server_backup_commands(context.engine.url)
            self.server_commands = QLabel(
                tr(
                    "서버의 데이터베이스는 이 프로그램이 백업하지 않습니다. 서버에서 이렇게 백업하고 복원하세요:\n\n{dump}\n\n{restore}",
                    dump=commands.dump,
                    restore=commands.restore,
                )
            )
            self.server_commands.setWordWrap(True)
            self.server_commands.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            layout.addWidget(self.server_commands)
            layout.addStretch(1)
            return
        policy = context.backup_policy()
        self.keep_daily = QSpinBox()
        self.keep_daily.setRange(1, 365)
        self.keep_daily.setValue(policy.daily)
        self.keep_daily.setSuffix(tr("일"))
        self.keep_monthly = QSpinBox()
        self.keep_monthly.setRange(0, 120)
        self.keep_monthly.setValue(policy.monthly)
        self.keep_monthly.setSuffix(tr("개월"))
        settings = context.settings
        self.keep_daily.valueChanged.connect(lambda value: settings.set_value(SettingKey.BACKUPS_DAILY, value))
        self.keep_monthly.valueChanged.connect(lambda value: settings.set_value(SettingKey.BACKUPS_MONTHLY, value))
        rotation = QGroupBox(tr("보관"))
        rotation_form = QFormLayout(rotation)
        rotation_form.addRow(tr("날마다 최근"), self.keep_daily)
        rotation_form.addRow(tr("달마다 최근"), self.keep_monthly)
        rotation_form.addRow(
            "", _muted(tr("앱을 처음 켤 때(하루 한 번), 가져오기·버전 올리기·복원 전에 자동으로 백업하고 검사합니다."))
        )

        self.table = DataTable(
            [
                Column(
                    title=lambda: tr("만든 때"),
                    text=lambda c: f"{c.backup.made_at:%Y-%m-%d %H:%M:%S}",
                    sort_key=lambda c: c.backup.made_at,
                ),
                Column(title=lambda: tr("종류"), text=lambda c: backup_kind(c.backup.label)),
                Column(
                    title=lambda: tr("크기"),
                    text=lambda c: tr("{size:,} KB", size=max(1, c.backup.size // 1024)),
                    sort_key=lambda c: c.backup.size,
                    align_right=True,
                ),
                Column(title=lambda: tr("검사 결과"), text=lambda c: tr("정상") if c.problem is None else c.problem),
            ],
            name="settings_backups",
            widths=(150, 130, 90),
            empty_text=lambda: tr("아직 백업이 없습니다."),
        )
        self.table.sortByColumn(0, Qt.SortOrder.DescendingOrder)
        self.table.currentRowChanged.connect(lambda _row: self._update_buttons())
        self.restore_button = make_primary(QPushButton(tr("선택한 백업으로 복원…")))
        self.restore_button.clicked.connect(self.restore_selected)
        self.restore_file_button = QPushButton(tr("다른 파일에서 복원…"))
        self.restore_file_button.clicked.connect(self.restore_other_file)
        self.note = _muted("")
        self.note.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        buttons = QHBoxLayout()
        buttons.addWidget(self.restore_button)
        buttons.addWidget(self.restore_file_button)
        buttons.addStretch(1)
        layout.addWidget(rotation)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.note)
        self._update_buttons()

    def refresh(self) -> None:
        if self.database is None:
            return
        database, policy = self.database, self.context.backup_policy()
        self.loader.run(lambda: checked_backups(database, policy), self._loaded)

    def _loaded(self, rows: list[CheckedBackup]) -> None:
        self.table.set_rows(rows)
        self._update_buttons()

    def _update_buttons(self) -> None:
        row = self.table.current_row()
        self.restore_button.setEnabled(row is not None and row.problem is None)

    def restore_selected(self) -> None:
        row = self.table.current_row()
        if row is not None and row.problem is None:
            self.restore_from(row.backup.path)

    def restore_other_file(self) -> None:
        if self.database is None:
            return
        folder = self.context.backup_policy().folder_for(self.database)
        chosen, _ = QFileDialog.getOpenFileName(
            self, tr("복원할 백업 파일"), str(folder), tr("SQLite 데이터베이스 (*.sqlite3 *.db)")
        )
        if chosen:
            self.restore_from(Path(chosen))

    def restore_from(self, source: Path) -> None:
        """Check `source`, back up the current file, swap them, and go on with the restored data."""
        answer = QMessageBox.question(
            self,
            tr("백업에서 복원"),
            tr(
                "지금 데이터베이스를 {source}의 내용으로 바꿉니다. 지금 데이터베이스는 먼저 백업합니다. 복원할까요?",
                source=source,
            ),
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        context, database, policy = self.context, self.database, self.context.backup_policy()
        wait_for_background()
        context.engine.dispose()  # the swap needs every connection closed; the engine opens new ones afterwards

        def job(progress):
            restored = restore_database(database, source, policy=policy, progress=progress)
            return restored, open_database_noting(str(database), policy=policy)

        def done(result) -> None:
            restored, opened = result
            context.replace_engine(opened.engine)
            notes = [tr("{source}(으)로 복원했습니다: {database}", source=restored.source, database=restored.database)]
            if opened.upgraded is not None:  # an older backup: its schema was brought up to date
                notes.append(opened.upgraded.message())
            self.note.setText("\n".join(notes))
            self.refresh()

        run_in_background(self, title=tr("복원하는 중…"), job=job, on_success=done)


def _muted(text: str) -> QLabel:
    note = QLabel(text)
    note.setObjectName("hint")
    note.setWordWrap(True)
    return note


class GeneralTab(QWidget):
    def __init__(self, context: AppContext) -> None:
        super().__init__()
        self.context = context
        settings = context.settings

        self.language = QComboBox()
        for code in LANGUAGES:
            self.language.addItem(LANGUAGE_NAMES[code], code)
        self.language.setCurrentIndex(self.language.findData(settings.value(SettingKey.LANGUAGE, current_language())))
        self.language.currentIndexChanged.connect(self._language_changed)
        self.language_note = _muted("")
        language_box = QGroupBox(tr("언어"))
        language_form = QFormLayout(language_box)
        language_form.addRow(tr("화면과 보고서 언어"), self.language)
        language_form.addRow("", self.language_note)

        self.export_folder = QLineEdit(str(context.export_folder()))
        self.export_folder.setReadOnly(True)
        export_browse = QPushButton(tr("찾아보기…"))
        export_browse.clicked.connect(self._choose_export_folder)
        self.backup_folder = QLineEdit(str(context.backup_folder() or ""))
        self.backup_folder.setReadOnly(True)
        self.backup_folder.setPlaceholderText(tr("데이터베이스 파일 옆의 백업 폴더"))
        backup_browse = QPushButton(tr("찾아보기…"))
        backup_browse.clicked.connect(self._choose_backup_folder)
        self.backup_button = make_primary(QPushButton(tr("지금 백업")))
        self.backup_button.clicked.connect(self.back_up_now)
        self.backup_note = _muted(
            tr("백업은 사용 중에도 안전한 SQLite 온라인 백업으로 만들고, 만든 뒤 원본과 같은지 검사합니다.")
        )
        folders = QGroupBox(tr("폴더와 백업"))
        folders_form = QFormLayout(folders)
        folders_form.addRow(tr("내보내기 기본 폴더"), self._row(self.export_folder, export_browse))
        folders_form.addRow(tr("백업 폴더"), self._row(self.backup_folder, backup_browse, self.backup_button))
        folders_form.addRow("", self.backup_note)

        options = context.report_options()
        self.office = QLineEdit(options.office)
        self.office.setPlaceholderText(tr("예: AI 창업캠프 운영팀"))
        self.office.textChanged.connect(lambda text: settings.set_value(SettingKey.REPORT_OFFICE, text.strip()))
        self.approval = QCheckBox(tr("결재란 넣기"))
        self.approval.setChecked(options.approval)
        self.approval.toggled.connect(self._approval_toggled)
        self.approval_titles = QLineEdit(", ".join(options.approval_titles))
        self.approval_titles.setPlaceholderText(", ".join(default_approval_titles()))
        self.approval_titles.setEnabled(options.approval)
        self.approval_titles.editingFinished.connect(self._save_approval_titles)
        self.approval_note = _muted(self._approval_help())
        reports = QGroupBox(tr("보고서"))
        reports_form = QFormLayout(reports)
        reports_form.addRow(tr("작성 부서"), self.office)
        reports_form.addRow("", self.approval)
        reports_form.addRow(tr("결재란 칸"), self.approval_titles)
        reports_form.addRow("", self.approval_note)

        layout = QVBoxLayout(self)
        layout.addWidget(language_box)
        layout.addWidget(folders)
        layout.addWidget(reports)
        layout.addStretch(1)

    @staticmethod
    def _row(*widgets: QWidget) -> QWidget:
        row = QWidget()
        layout = QHBoxLayout(row)
        layout.setContentsMargins(0, 0, 0, 0)
        for index, widget in enumerate(widgets):
            layout.addWidget(widget, 1 if index == 0 else 0)
        return row

    def _language_changed(self) -> None:
        code = self.language.currentData()
        self.context.settings.set_value(SettingKey.LANGUAGE, code)
        self.language_note.setText(
            ""
            if code == current_language()
            else tr("저장했습니다. 프로그램을 다시 시작하면 {language}로 표시됩니다.", language=LANGUAGE_NAMES[code])
        )

    def _approval_toggled(self, on: bool) -> None:
        self.context.settings.set_value(SettingKey.REPORT_APPROVAL, on)
        self.approval_titles.setEnabled(on)

    def _save_approval_titles(self) -> None:
        try:
            titles = parse_approval_titles(self.approval_titles.text())
        except DomainError as error:
            self.approval_note.setText(error.message)
            return
        self.context.settings.set_value(SettingKey.REPORT_APPROVAL_TITLES, ", ".join(titles))
        self.approval_titles.setText(", ".join(titles))
        self.approval_note.setText(self._approval_help())

    @staticmethod
    def _approval_help() -> str:
        return tr("결재란은 보고서 첫 쪽 오른쪽 위와 Excel 요약 시트에 들어갑니다. 칸 제목은 쉼표로 구분합니다.")

    def _choose_export_folder(self) -> None:
        chosen = QFileDialog.getExistingDirectory(self, tr("내보내기 기본 폴더"), self.export_folder.text())
        if chosen:
            self.context.settings.set_value(SettingKey.EXPORT_FOLDER, chosen)
            self.export_folder.setText(chosen)

    def _choose_backup_folder(self) -> None:
        chosen = QFileDialog.getExistingDirectory(self, tr("백업 폴더"), self.backup_folder.text() or str(Path.home()))
        if chosen:
            self.context.settings.set_value(SettingKey.BACKUP_FOLDER, chosen)
            self.backup_folder.setText(chosen)

    def back_up_now(self) -> None:
        def done(path: Path) -> None:
            self.backup_note.setText(tr("백업했습니다: {path}", path=path))
            self.context.notify_changed()  # the Backups tab lists it

        start_backup(self, self.context, on_done=done)


class DatabaseTab(QWidget):
    """Which database to open at the next start: a SQLite file on this PC or a PostgreSQL server."""

    def __init__(self, context: AppContext) -> None:
        super().__init__()
        self.context = context
        saved = context.settings.value(SettingKey.DATABASE_URL) or ""
        current = QLabel(tr("지금 쓰는 데이터베이스: {where}", where=context.database_label()))
        current.setWordWrap(True)
        current.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.use_file = QRadioButton(tr("이 PC의 데이터베이스 파일 (SQLite)"))
        self.use_server = QRadioButton(tr("공유 서버 (PostgreSQL)"))
        group = QButtonGroup(self)
        group.addButton(self.use_file)
        group.addButton(self.use_server)
        self.file_path = QLineEdit(str(sqlite_file(context.engine.url) or default_db_path()))
        browse = QPushButton(tr("찾아보기…"))
        browse.clicked.connect(self._choose_file)
        self.server_url = QLineEdit()
        self.server_url.setPlaceholderText("postgresql+psycopg://user:password@server:5432/camp")
        if "://" in saved and not saved.startswith("sqlite"):
            self.use_server.setChecked(True)
            self.server_url.setText(saved)
        else:
            self.use_file.setChecked(True)
            if saved:
                self.file_path.setText(saved.removeprefix("sqlite:///"))
        self.test_button = QPushButton(tr("연결 테스트"))
        self.test_button.clicked.connect(self.test_connection)
        self.save_button = make_primary(QPushButton(tr("저장 (다음 시작부터 사용)")))
        self.save_button.clicked.connect(self.save)
        self.result = _muted("")
        self.result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        # Who the audit trail will name for this PC's changes (one database login per manager on a server).
        self.signed_in = _muted("")
        BackgroundQuery(self).run(lambda: self._identity(context), self._show_identity)

        box = QGroupBox(tr("데이터베이스"))
        form = QVBoxLayout(box)
        form.addWidget(current)
        form.addWidget(self.signed_in)
        form.addWidget(self.use_file)
        file_row = QHBoxLayout()
        file_row.addWidget(self.file_path, 1)
        file_row.addWidget(browse)
        form.addLayout(file_row)
        form.addWidget(self.use_server)
        form.addWidget(self.server_url)
        form.addWidget(
            _muted(
                tr(
                    "여러 PC가 한 서버를 함께 쓸 수 있습니다. 주소에 넣은 암호는 설정 파일이 아니라 이 PC의 키링(Windows 자격 증명 관리자)에 저장됩니다."
                )
            )
        )
        buttons = QHBoxLayout()
        buttons.addWidget(self.test_button)
        buttons.addWidget(self.save_button)
        buttons.addStretch(1)
        form.addLayout(buttons)
        form.addWidget(self.result)
        layout = QVBoxLayout(self)
        layout.addWidget(box)
        layout.addStretch(1)

    def chosen(self) -> str:
        return self.server_url.text().strip() if self.use_server.isChecked() else self.file_path.text().strip()

    @staticmethod
    def _identity(context: AppContext) -> dict[str, str]:
        with context.unit_of_work() as session:
            return audit.identity(session)

    def _show_identity(self, who: dict[str, str]) -> None:
        text = tr("변경 기록에 남는 이름: PC 사용자 {user} · PC {machine}", user=who["os_user"], machine=who["machine"])
        if who["db_user"]:
            text += tr(" · 데이터베이스 사용자 {role}", role=who["db_user"])
        self.signed_in.setText(text)

    def _choose_file(self) -> None:
        chosen, _ = QFileDialog.getSaveFileName(
            self,
            tr("데이터베이스 파일"),
            self.file_path.text(),
            tr("SQLite 데이터베이스 (*.sqlite3 *.db)"),
            options=QFileDialog.Option.DontConfirmOverwrite,
        )
        if chosen:
            self.file_path.setText(chosen)
            self.use_file.setChecked(True)

    def test_connection(self) -> None:
        target = self.chosen()
        self.result.setText(tr("연결하는 중…"))

        def failed(error: BaseException) -> None:
            if isinstance(error, DomainError):
                self.result.setText(error.message)
            else:
                self.result.clear()
                show_error(self, error)

        run_in_background(
            self,
            title=tr("연결 테스트"),
            job=lambda _progress: probe_database(target),
            on_success=lambda probe: self.result.setText(probe.summary()),
            on_error=failed,
        )

    def save(self) -> None:
        target = self.chosen()
        if not target:
            self.result.setText(tr("데이터베이스 파일 경로나 서버 주소를 입력하세요."))
            return
        if self.use_server.isChecked():
            try:
                target = keep_password(target)  # the password goes to the keyring, never the settings file
            except DomainError as refusal:
                self.result.setText(refusal.message)
                return
            self.server_url.setText(target)
        self.context.settings.set_value(SettingKey.DATABASE_URL, target)
        self.result.setText(
            tr("저장했습니다. 프로그램을 다시 시작하면 이 데이터베이스를 엽니다: {where}", where=target)
        )


class FacilitiesTab(QWidget):
    """Facilities with their room policy, and the rooms of the selected facility."""

    def __init__(self, context: AppContext) -> None:
        super().__init__()
        self.context = context
        self.facility_table = DataTable(
            [
                Column(title=lambda: tr("시설"), text=lambda f: f.facility.name),
                Column(title=lambda: tr("주소"), text=lambda f: f.facility.address),
                Column(
                    title=lambda: tr("기업당 최대 호실"),
                    text=lambda f: str(f.facility.max_rooms_per_company),
                    sort_key=lambda f: f.facility.max_rooms_per_company,
                    align_right=True,
                ),
                Column(
                    title=lambda: tr("사무실"),
                    text=lambda f: str(f.offices),
                    sort_key=lambda f: f.offices,
                    align_right=True,
                ),
                Column(
                    title=lambda: tr("공유 좌석"),
                    text=lambda f: str(f.shared_seats),
                    sort_key=lambda f: f.shared_seats,
                    align_right=True,
                ),
                Column(
                    title=lambda: tr("사용 중지 호실"),
                    text=lambda f: str(f.rooms_retired),
                    sort_key=lambda f: f.rooms_retired,
                    align_right=True,
                ),
            ],
            name="settings_facilities",
            widths=(140, 240, 110, 70, 80),
            empty_text=lambda: tr("시설이 없습니다. '시설 추가…'로 시작하세요."),
        )
        self.facility_table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)  # in the order they were made
        self.facility_table.currentRowChanged.connect(self._facility_selected)
        self.add_facility_button = make_primary(QPushButton(tr("시설 추가…")))
        self.add_facility_button.clicked.connect(self.add_facility)
        self.policy = QSpinBox()
        self.policy.setRange(1, 20)
        self.policy.setSuffix(tr("실"))
        self.policy_button = QPushButton(tr("정책 적용"))
        self.policy_button.clicked.connect(self.apply_policy)
        self.policy_note = _muted(tr("이 수를 넘는 배정은 예외 사유를 적어야 하며, 사유는 기록에 남습니다."))
        facility_buttons = QHBoxLayout()
        facility_buttons.addWidget(self.add_facility_button)
        facility_buttons.addSpacing(20)
        facility_buttons.addWidget(QLabel(tr("선택한 시설의 기업당 최대 호실")))
        facility_buttons.addWidget(self.policy)
        facility_buttons.addWidget(self.policy_button)
        facility_buttons.addWidget(self.policy_note, 1)

        self.room_table = DataTable(
            [
                Column(
                    title=lambda: tr("층"),
                    text=lambda r: str(r.floor),
                    sort_key=lambda r: (r.floor, r.code),
                    align_right=True,
                ),
                Column(title=lambda: tr("호실"), text=lambda r: r.code),
                Column(title=lambda: tr("유형"), text=lambda r: label_of(RoomKind, r.kind), codes=RoomKind),
                Column(
                    title=lambda: tr("좌석"), text=lambda r: str(r.seats), sort_key=lambda r: r.seats, align_right=True
                ),
                Column(
                    title=lambda: tr("면적(m²)"),
                    text=lambda r: f"{r.area_m2:g}",
                    sort_key=lambda r: r.area_m2,
                    align_right=True,
                ),
                Column(
                    title=lambda: tr("상태"),
                    text=lambda r: tr("{date}부터 사용 중지", date=r.retired_on) if r.retired_on else tr("사용"),
                ),
            ],
            name="settings_rooms",
            widths=(50, 110, 110, 60, 80),
            empty_text=lambda: tr("호실이 없습니다. '한 층 호실 추가…'로 한 번에 만드세요."),
        )
        self.room_table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.room_table.rowActivated.connect(lambda _room: self.retire_room())
        self.add_floor_button = QPushButton(tr("한 층 호실 추가…"))
        self.add_floor_button.clicked.connect(self.add_floor)
        self.retire_button = QPushButton(tr("호실 사용 중지…"))
        self.retire_button.clicked.connect(self.retire_room)
        self.rooms_title = QLabel(tr("호실"))
        self.rooms_title.setObjectName("sectionTitle")
        room_buttons = QHBoxLayout()
        room_buttons.addWidget(self.rooms_title)
        room_buttons.addStretch(1)
        room_buttons.addWidget(self.add_floor_button)
        room_buttons.addWidget(self.retire_button)

        upper = QWidget()
        upper_layout = QVBoxLayout(upper)
        upper_layout.setContentsMargins(0, 0, 0, 0)
        upper_layout.addWidget(self.facility_table, 1)
        upper_layout.addLayout(facility_buttons)
        lower = QWidget()
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        lower_layout.addLayout(room_buttons)
        lower_layout.addWidget(self.room_table, 1)
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.setObjectName("settings_splitter")
        self.splitter.addWidget(upper)
        self.splitter.addWidget(lower)
        self.splitter.setSizes([220, 420])
        layout = QVBoxLayout(self)
        layout.addWidget(self.splitter)
        self._facility_selected(None)

    def refresh(self) -> None:
        chosen = self.selected_facility_id()
        with self.context.unit_of_work() as session:
            rows = directory.facility_rows(session, on=self.context.as_of)
        self.facility_table.set_rows(rows)
        if not self.facility_table.select_first(lambda f: f.facility.id == chosen) and rows:
            self.facility_table.selectRow(0)
        if not rows:
            self._facility_selected(None)

    def selected_facility_id(self) -> int | None:
        row = self.facility_table.current_row()
        return row.facility.id if row is not None else None

    def _facility_selected(self, row: FacilityRow | None) -> None:
        for widget in (self.policy, self.policy_button, self.add_floor_button, self.retire_button):
            widget.setEnabled(row is not None)
        if row is None:
            self.room_table.set_rows([])
            self.rooms_title.setText(tr("호실"))
            return
        self.policy.setValue(row.facility.max_rooms_per_company)
        with self.context.unit_of_work() as session:
            rooms = directory.facility_rooms(session, facility_id=row.facility.id)
        self.room_table.set_rows(rooms)
        self.rooms_title.setText(tr("{facility}의 호실 ({count})", facility=row.facility.name, count=len(rooms)))

    def add_facility(self) -> None:
        dialog = FacilityDialog(self.context, parent=self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.refresh()
            self.facility_table.select_first(lambda f: f.facility.id == dialog.result_row.id)

    def apply_policy(self) -> None:
        row = self.facility_table.current_row()
        if row is None:
            return
        try:
            with self.context.unit_of_work() as session:
                facilities.set_room_policy(
                    session=session,
                    facility_id=row.facility.id,
                    max_rooms_per_company=self.policy.value(),
                    seen_version=row.facility.version,
                )
        except Exception as error:  # noqa: BLE001 (a refusal or a fault: both shown, nothing written)
            show_refusal(self, error, self.context)
            return
        self.context.notify_changed()

    def add_floor(self) -> None:
        row = self.facility_table.current_row()
        if row is None:
            return
        FloorRoomsDialog(self.context, facility_id=row.facility.id, facility_name=row.facility.name, parent=self).exec()

    def retire_room(self) -> None:
        room: Room | None = self.room_table.current_row()
        if room is None or room.retired_on is not None:
            return
        RetireRoomDialog(
            self.context, room_id=room.id, room_code=room.code, room_version=room.version, parent=self
        ).exec()


class SettingsPage(Page):
    TABS = ("general", "database", "backups", "facilities")

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        heading = QLabel(tr("설정"))
        heading.setObjectName("pageTitle")
        self.general = GeneralTab(context)
        self.database = DatabaseTab(context)
        self.backups = BackupsTab(context)
        self.facilities = FacilitiesTab(context)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.general, tr("일반"))
        self.tabs.addTab(self.database, tr("데이터베이스"))
        self.tabs.addTab(self.backups, tr("백업"))
        self.tabs.addTab(self.facilities, tr("시설·호실"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 10, 14, 10)
        layout.addWidget(heading)
        layout.addWidget(self.tabs, 1)

    def title(self) -> str:
        return tr("설정")

    def refresh(self) -> None:
        self.facilities.refresh()
        self.backups.refresh()

    def show_item(self, item: object) -> None:
        """`item` names a tab: "general", "database", "backups" or "facilities"."""
        if item in self.TABS:
            self.tabs.setCurrentIndex(self.TABS.index(item))

    def create_new(self) -> None:
        self.tabs.setCurrentWidget(self.facilities)
        self.facilities.add_facility()

    def delete_selected(self) -> None:
        if self.tabs.currentWidget() is self.facilities:
            self.facilities.retire_room()
