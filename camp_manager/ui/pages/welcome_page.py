"""The first page on an empty database: demo data, a resident list to import, or set up by hand."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import QFrame, QGridLayout, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from camp_manager.db.engine import unit_of_work
from camp_manager.i18n import tr
from camp_manager.progress import Progress
from camp_manager.services import demo
from camp_manager.ui.context import AppContext
from camp_manager.ui.pages.base import Page
from camp_manager.ui.style import icon, make_primary
from camp_manager.ui.workers import run_in_background, show_error


def load_demo_job(context: AppContext) -> Callable[[Progress], None]:
    """The demo builder as a background job (about 6 s); cancelling rolls everything back."""
    engine, today = context.engine, context.as_of

    def job(progress: Progress) -> None:
        with unit_of_work(engine) as session:
            demo.load_demo(session=session, today=today, progress=progress)

    return job


class WelcomePage(Page):
    demoLoaded = Signal()

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        logo = QLabel()
        logo.setPixmap(icon("welcome").pixmap(QSize(72, 72)))
        title = QLabel(tr("Camp Manager를 시작합니다"))
        title.setObjectName("welcomeTitle")
        intro = QLabel(
            tr(
                "데이터베이스가 비어 있습니다. 아래에서 시작할 방법을 고르세요. 나중에 언제든 왼쪽 메뉴의 '가져오기'와 '설정'에서 할 수 있습니다."
            )
        )
        intro.setObjectName("pageSubtitle")
        intro.setWordWrap(True)

        self.demo_button = make_primary(QPushButton(tr("데모 데이터 넣기")))
        self.demo_button.clicked.connect(self.load_demo)
        self.import_button = QPushButton(tr("명단 가져오기…"))
        self.import_button.clicked.connect(lambda: context.navigate("import"))
        self.setup_button = QPushButton(tr("시설·호실 설정…"))
        self.setup_button.clicked.connect(lambda: context.navigate("settings", "facilities"))
        cards = QGridLayout()
        cards.setSpacing(16)
        for column, (heading, text, button) in enumerate(
            (
                (
                    tr("데모 데이터로 둘러보기"),
                    tr(
                        "AI 창업캠프와 아이플렉스의 2020년부터 오늘까지 가상 이력(입주기업 약 150곳, 멘토 91명)을 넣습니다. 기능을 익히거나 시연할 때 쓰세요."
                    ),
                    self.demo_button,
                ),
                (
                    tr("입주기업 명단 가져오기"),
                    tr(
                        "지금 쓰는 엑셀 명단(.xlsx, .xls, .csv)을 그대로 가져옵니다. 잘못된 행은 무엇을 고칠지 알려 주고, 기존 자료는 건드리지 않습니다."
                    ),
                    self.import_button,
                ),
                (
                    tr("시설과 호실부터 설정하기"),
                    tr("시설을 만들고 층별 호실을 한 번에 추가한 뒤, 기업당 최대 호실 정책을 정합니다."),
                    self.setup_button,
                ),
            )
        ):
            cards.addWidget(self._card(heading, text, button), 0, column)
        self.status = QLabel()
        self.status.setObjectName("hint")

        header = QHBoxLayout()
        header.addWidget(logo)
        header.addSpacing(12)
        header_text = QVBoxLayout()
        header_text.addWidget(title)
        header_text.addWidget(intro)
        header.addLayout(header_text, 1)
        column = QVBoxLayout()
        column.addStretch(1)
        column.addLayout(header)
        column.addSpacing(24)
        column.addLayout(cards)
        column.addWidget(self.status)
        column.addStretch(2)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(40, 20, 40, 20)
        layout.addStretch(1)
        layout.addLayout(column, 8)
        layout.addStretch(1)

    @staticmethod
    def _card(heading: str, text: str, button: QPushButton) -> QFrame:
        card = QFrame()
        card.setObjectName("welcomeCard")
        title = QLabel(heading)
        title.setObjectName("cardTitle")
        body = QLabel(text)
        body.setWordWrap(True)
        body.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        layout = QVBoxLayout(card)
        layout.setContentsMargins(18, 16, 18, 16)
        layout.addWidget(title)
        layout.addWidget(body, 1)
        layout.addWidget(button, 0, Qt.AlignmentFlag.AlignLeft)
        card.setMinimumHeight(200)
        return card

    def title(self) -> str:
        return tr("시작하기")

    def load_demo(self) -> None:
        self.demo_button.setEnabled(False)
        self.status.setText(tr("데모 데이터를 넣는 중입니다…"))

        def done(_result) -> None:
            self.status.setText(tr("데모 데이터를 넣었습니다."))
            self.context.notify_changed()
            self.demoLoaded.emit()
            self.context.navigate("dashboard")

        def stopped() -> None:
            self.demo_button.setEnabled(True)
            self.status.clear()

        def failed(error: BaseException) -> None:
            stopped()
            show_error(self, error)

        run_in_background(
            self,
            title=tr("데모 데이터 넣기"),
            job=load_demo_job(self.context),
            on_success=done,
            on_error=failed,
            on_cancelled=stopped,
        )
