"""List exports to Excel: residents, mentoring sessions and exits, with the lists' filters.

`export_table` writes any list a screen shows (its visible columns and filtered rows);
`export_residents`, `export_mentoring` and `export_exits` build those lists headless for
`camp-manager export`. Every workbook gets the same safe, typed, print-ready table.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from pathlib import Path

from openpyxl.workbook import Workbook
from sqlmodel import Session

from camp_manager.db.models import BusinessField, ExitReason, MentorField, Residency, SessionMode, SessionStatus
from camp_manager.files import atomic_write, check_output_folder
from camp_manager.i18n import tr
from camp_manager.labels import label_of
from camp_manager.reporting.build import facility_label
from camp_manager.reporting.workbook import CellKind, SheetColumn, new_sheet, write_table
from camp_manager.services import mentoring_figures, movements, occupancy
from camp_manager.services.bizno import format_bizno


def export_table(
    path: Path,
    *,
    sheet_title: str,
    heading: str,
    subheading: str,
    columns: Sequence[SheetColumn],
    rows: Iterable[Sequence[object]],
) -> Path:
    """One sheet with a title, the table (auto-filter, frozen header, print set-up) and nothing else."""
    path = Path(path)
    check_output_folder(path.parent)
    workbook = Workbook()
    workbook.remove(workbook.worksheets[0])  # openpyxl's default sheet
    sheet = new_sheet(workbook, sheet_title[:31], heading=heading, subheading=subheading)
    write_table(sheet, columns, rows, frozen_columns=1)
    workbook.properties.title = heading
    workbook.properties.creator = "Camp Manager"
    with atomic_write(path) as temporary:
        workbook.save(temporary)
    return path


def _period(start: date, end: date) -> str:
    return tr("기간 {start} ~ {end}", start=start.isoformat(), end=end.isoformat())


def export_residents(session: Session, path: Path, *, on: date, facility_id: int | None = None) -> Path:
    """Residents on `on` (of a facility or all), with rooms, dates and headcount."""
    columns = [
        SheetColumn(tr("기업명")),
        SheetColumn(tr("시설")),
        SheetColumn(tr("대표자")),
        SheetColumn(tr("사업자등록번호"), width=15),
        SheetColumn(tr("분야")),
        SheetColumn(tr("호실")),
        SheetColumn(tr("보유 좌석"), CellKind.INTEGER),
        SheetColumn(tr("입주일"), CellKind.DATE, width=12),
        SheetColumn(tr("계약 만료일"), CellKind.DATE, width=12),
        SheetColumn(tr("상시 고용인원"), CellKind.INTEGER),
        SheetColumn(tr("전화")),
        SheetColumn(tr("이메일")),
    ]
    facilities = {f.facility.id: f.facility.name for f in occupancy.occupancy(session, on=on, facility_id=facility_id)}
    rows = [
        [
            row.company.name,
            facilities[row.residency.facility_id],
            row.company.representative,
            format_bizno(row.company.biz_reg_no),
            label_of(BusinessField, row.company.field),
            ", ".join(row.room_codes),
            row.seats_held,
            row.residency.move_in,
            row.contract_end,
            row.employees,
            row.company.phone,
            row.company.email,
        ]
        for row in occupancy.residents_on(session, on=on, facility_id=facility_id)
    ]
    return export_table(
        path,
        sheet_title=tr("입주기업"),
        heading=tr("입주기업 목록 — {facility}", facility=facility_label(session, facility_id)),
        subheading=tr("기준일 {date} · {count}개", date=on.isoformat(), count=len(rows)),
        columns=columns,
        rows=rows,
    )


def export_mentoring(
    session: Session, path: Path, *, start: date, end: date, facility_id: int | None = None, status: str | None = None
) -> Path:
    """Mentoring sessions dated within [start, end] (inclusive), optionally of one status."""
    columns = [
        SheetColumn(tr("날짜"), CellKind.DATE, width=12),
        SheetColumn(tr("기업명")),
        SheetColumn(tr("멘토")),
        SheetColumn(tr("멘토 분야")),
        SheetColumn(tr("주제")),
        SheetColumn(tr("방식")),
        SheetColumn(tr("상태")),
        SheetColumn(tr("시간(분)"), CellKind.INTEGER),
        SheetColumn(tr("메모")),
    ]
    held = mentoring_figures.mentoring_sessions(
        session, start=start, end=end + timedelta(days=1), facility_id=facility_id, status=status
    )
    rows = [
        [
            row.held_on,
            company.name,
            mentor.name,
            label_of(MentorField, mentor.field),
            row.topic,
            label_of(SessionMode, row.mode),
            label_of(SessionStatus, row.status),
            row.minutes,
            row.notes,
        ]
        for row, mentor, company in held
    ]
    return export_table(
        path,
        sheet_title=tr("멘토링"),
        heading=tr("멘토링 목록 — {facility}", facility=facility_label(session, facility_id)),
        subheading=f"{_period(start, end)} · {tr('{count}건', count=len(rows))}",
        columns=columns,
        rows=rows,
    )


def export_exits(
    session: Session, path: Path, *, start: date, end: date, facility_id: int | None = None, reason: str | None = None
) -> Path:
    """Exits dated within [start, end] (inclusive), optionally of one reason."""
    columns = [
        SheetColumn(tr("퇴거일"), CellKind.DATE, width=12),
        SheetColumn(tr("기업명")),
        SheetColumn(tr("사업자등록번호"), width=15),
        SheetColumn(tr("입주일"), CellKind.DATE, width=12),
        SheetColumn(tr("입주 기간(일)"), CellKind.INTEGER),
        SheetColumn(tr("사유")),
        SheetColumn(tr("이전 지역·행선지")),
        SheetColumn(tr("메모")),
    ]
    exits = movements.movements(session, start=start, end=end + timedelta(days=1), facility_id=facility_id).exits
    rows = []
    for company, exit_row in exits:
        if reason is not None and exit_row.reason != reason:
            continue
        stay = session.get(Residency, exit_row.residency_id)
        assert stay is not None, "an exit's residency is a foreign key"
        rows.append(
            [
                exit_row.exit_on,
                company.name,
                format_bizno(company.biz_reg_no),
                stay.move_in,
                (exit_row.exit_on - stay.move_in).days,
                label_of(ExitReason, exit_row.reason),
                exit_row.destination,
                exit_row.notes,
            ]
        )
    return export_table(
        path,
        sheet_title=tr("퇴거"),
        heading=tr("퇴거 목록 — {facility}", facility=facility_label(session, facility_id)),
        subheading=f"{_period(start, end)} · {tr('{count}건', count=len(rows))}",
        columns=columns,
        rows=rows,
    )
