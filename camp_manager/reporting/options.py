"""How a report is dressed, from Settings or the command line: the preparing office's name and an
approval box (결재란). None of it changes a figure; the default is neither."""

from __future__ import annotations

from dataclasses import dataclass

from camp_manager.errors import DomainError
from camp_manager.i18n import tr

MAX_APPROVAL_BOXES = 6


def default_approval_titles() -> tuple[str, ...]:
    """The approval box's headings unless chosen, in the report's language."""
    return (tr("담당"), tr("팀장"), tr("센터장"))


def parse_approval_titles(text: str) -> tuple[str, ...]:
    """'담당, 팀장, 센터장' → its headings, in order; an empty text → none (the default ones)."""
    titles = tuple(part.strip() for part in text.split(",") if part.strip())
    if len(titles) > MAX_APPROVAL_BOXES:
        raise DomainError(
            tr(
                "결재란은 {count}칸까지입니다. 칸 제목을 {count}개 이하로 쉼표로 구분해 쓰세요.",
                count=MAX_APPROVAL_BOXES,
            ),
            field="approval_titles",
        )
    return titles


@dataclass(frozen=True)
class ReportOptions:
    office: str = ""  # the preparing office (작성 부서): in the PDF's header, under the workbook's title
    approval: bool = False  # an approval box at the top right of the first page and of the summary sheet
    approval_titles: tuple[str, ...] = ()  # its boxes' headings; none: `default_approval_titles`

    def approval_headings(self) -> list[str]:
        """The headings of the approval box's boxes, or none when the report has no box."""
        if not self.approval:
            return []
        return list(self.approval_titles or default_approval_titles())

    def with_office(self, text: str) -> str:
        """`text` after the office's name, when there is one."""
        return f"{self.office} · {text}" if self.office else text


PLAIN = ReportOptions()
