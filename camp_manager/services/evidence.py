"""Files of evidence (증빙) attached to outcome records, kept inside the database so a backup holds them.

An evaluation counts nothing without proof: a record shows whether it has evidence, and the
reports can count evidenced values only. A file is a document, an image or a spreadsheet — told
by its name and confirmed by its first bytes (a renamed program is refused) — of at most 20 MB.
"""

from __future__ import annotations

import hashlib
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from io import BytesIO
from pathlib import PureWindowsPath

import sqlalchemy as sa
from sqlmodel import Session, SQLModel, col, select

from camp_manager.db.models import (
    MAX_EVIDENCE_BYTES,
    Certification,
    Evidence,
    EvidenceOf,
    FollowUp,
    GovernmentProject,
    HeadcountRecord,
    IntellectualProperty,
    InvestmentRound,
    SalesRecord,
)
from camp_manager.errors import RuleViolation
from camp_manager.i18n import tr
from camp_manager.services import audit
from camp_manager.services.book import among
from camp_manager.services.common import fetch, lock, refuse_if_any, table_of
from camp_manager.services.inputs import checked_input, column_problems

_PDF, _PNG, _JPEG, _GIF, _ZIP, _OLE = (
    b"%PDF-",
    b"\x89PNG\r\n\x1a\n",
    b"\xff\xd8\xff",
    b"GIF8",
    b"PK\x03\x04",
    b"\xd0\xcf\x11\xe0",
)
# The file types accepted, by ending: (media type, the first bytes such a file starts with).
ACCEPTED_TYPES: dict[str, tuple[str, bytes]] = {
    ".pdf": ("application/pdf", _PDF),
    ".png": ("image/png", _PNG),
    ".jpg": ("image/jpeg", _JPEG),
    ".jpeg": ("image/jpeg", _JPEG),
    ".gif": ("image/gif", _GIF),
    ".xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", _ZIP),
    ".docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", _ZIP),
    ".hwpx": ("application/hwp+zip", _ZIP),
    ".ods": ("application/vnd.oasis.opendocument.spreadsheet", _ZIP),
    ".xls": ("application/vnd.ms-excel", _OLE),
    ".hwp": ("application/x-hwp", _OLE),
    ".doc": ("application/msword", _OLE),
}


# The records a file can prove, by their `EvidenceOf` code.
PROVABLE: dict[str, type[SQLModel]] = {
    EvidenceOf.SALES: SalesRecord,
    EvidenceOf.INVESTMENT: InvestmentRound,
    EvidenceOf.IP: IntellectualProperty,
    EvidenceOf.CERTIFICATION: Certification,
    EvidenceOf.PROJECT: GovernmentProject,
    EvidenceOf.HEADCOUNT: HeadcountRecord,
    EvidenceOf.FOLLOW_UP: FollowUp,
}


def base_name(file_name: str) -> str:
    """The file's own name, whether the path came from Windows (backslashes) or elsewhere."""
    return PureWindowsPath(file_name).name


def evidence_problems(file_name: str, content: bytes) -> dict[str, str]:
    """Field → problem of a file offered as evidence: its type, its size, its name's length."""
    suffix = PureWindowsPath(file_name).suffix.lower()
    accepted = ", ".join(sorted({s.lstrip(".").upper() for s in ACCEPTED_TYPES}))
    if suffix not in ACCEPTED_TYPES:
        return {
            "file": tr(
                "'{name}'은(는) 증빙으로 받을 수 없는 파일 형식입니다. {types} 파일을 첨부하세요.",
                name=file_name,
                types=accepted,
            )
        }
    if not content:
        return {"file": tr("'{name}'은(는) 빈 파일입니다. 내용이 있는 파일을 첨부하세요.", name=file_name)}
    if len(content) > MAX_EVIDENCE_BYTES:
        return {
            "file": tr(
                "'{name}'은(는) {size} MB로 너무 큽니다. {limit} MB 이하로 줄여(예: PDF로 저장하거나 스캔 해상도를 낮춰) 첨부하세요.",
                name=file_name,
                size=f"{len(content) / 2**20:,.1f}",
                limit=MAX_EVIDENCE_BYTES // 2**20,
            )
        }
    _media, magic = ACCEPTED_TYPES[suffix]
    if not content.startswith(magic) or (magic == _ZIP and not _is_zip(content)):
        return {
            "file": tr(
                "'{name}'의 내용이 {kind} 파일이 아닙니다. 파일이 손상되었거나 이름만 바뀐 파일입니다. 원본 파일을 첨부하세요.",
                name=file_name,
                kind=suffix.lstrip(".").upper(),
            )
        }
    return column_problems(Evidence, {"file_name": base_name(file_name)})


def _is_zip(content: bytes) -> bool:
    try:
        with zipfile.ZipFile(BytesIO(content)) as archive:
            return bool(archive.namelist())
    except zipfile.BadZipFile:
        return False


def _record_to_prove(session: Session, record_kind: str, record_id: int) -> SQLModel:
    model = PROVABLE.get(record_kind)
    if model is None:
        raise RuleViolation(tr("증빙을 붙일 수 없는 기록입니다."), field="record")
    row: SQLModel = fetch(session, model, record_id, what=tr("성과 기록"))
    return row


@checked_input
def attach_evidence(*, session: Session, record_kind: str, record_id: int, file_name: str, content: bytes) -> Evidence:
    """Keep `content` (the file called `file_name`) as evidence of the record `record_id` of `record_kind`."""
    record = _record_to_prove(session, record_kind, record_id)
    lock(session, record)
    refuse_if_any(evidence_problems(file_name, content))
    suffix = PureWindowsPath(file_name).suffix.lower()
    evidence = Evidence(
        record_kind=record_kind,
        record_id=record_id,
        file_name=base_name(file_name),
        media_type=ACCEPTED_TYPES[suffix][0],
        size_bytes=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        content=content,
    )
    audit.record(session, action="attach", row=evidence)
    return evidence


@checked_input
def remove_evidence(*, session: Session, evidence_id: int) -> None:
    evidence = fetch(session, Evidence, evidence_id, what=tr("증빙 파일"))
    audit.record(session, action="delete", row=evidence, before=audit.snapshot(evidence))
    session.delete(evidence)


@dataclass(frozen=True)
class EvidenceFile:
    """A file of evidence as a list shows it (its content stays in the database until saved)."""

    evidence_id: int
    record_kind: str
    record_id: int
    file_name: str
    media_type: str
    size_bytes: int
    sha256: str
    attached_at: datetime


def evidence_of(session: Session, record_kind: str, record_ids: Iterable[int]) -> dict[int, list[EvidenceFile]]:
    """The files attached to each of these records of `record_kind` (records without any are left out)."""
    ids = list(record_ids)
    found: dict[int, list[EvidenceFile]] = {}
    if not ids:
        return found
    columns = (
        col(Evidence.id),
        col(Evidence.record_kind),
        col(Evidence.record_id),
        col(Evidence.file_name),
        col(Evidence.media_type),
        col(Evidence.size_bytes),
        col(Evidence.sha256),
        col(Evidence.attached_at),
    )
    rows = session.execute(
        sa.select(*columns)
        .where(col(Evidence.record_kind) == record_kind, among(session, col(Evidence.record_id), ids))
        .order_by(col(Evidence.id))
    )
    for row in rows:
        found.setdefault(row.record_id, []).append(EvidenceFile(*row))
    return found


def evidence_content(session: Session, evidence_id: int) -> tuple[str, bytes]:
    """The file's name and bytes, to save it where the user chooses."""
    evidence = fetch(session, Evidence, evidence_id, what=tr("증빙 파일"))
    return evidence.file_name, evidence.content


def evidenced_ids(session: Session, record_kind: str) -> set[int]:
    """The records of `record_kind` that have at least one file of evidence."""
    return set(session.exec(select(col(Evidence.record_id)).where(col(Evidence.record_kind) == record_kind).distinct()))


def record_kind_of(model: type[SQLModel]) -> str:
    """The `EvidenceOf` code of a table class."""
    return EvidenceOf(table_of(model).name).value
