"""Every code has its label in one table (camp_manager/labels.py), in Korean and in English."""

from __future__ import annotations

import pytest

from camp_manager import labels
from camp_manager.db.models import (
    BusinessField,
    ExitReason,
    MentorField,
    RequestKind,
    RequestStatus,
    RoomKind,
    SessionMode,
    SessionStatus,
    SupportKind,
    SupportStatus,
)
from camp_manager.i18n import language_scope
from camp_manager.importing.mapping import ListKind
from camp_manager.labels import label, label_of
from camp_manager.reporting.monthly import MovementKind
from camp_manager.services.directory import CompanyStatus
from camp_manager.services.floorplan import TileState
from camp_manager.services.outcome_figures import SubsidyStatus
from camp_manager.services.outcome_status import OutcomeState
from camp_manager.ui.pages.mentoring_page import Period

LABELLED = [
    RoomKind,
    BusinessField,
    MentorField,
    RequestKind,
    RequestStatus,
    SessionMode,
    SessionStatus,
    ExitReason,
    SupportKind,
    SupportStatus,
    TileState,
    CompanyStatus,
    MovementKind,
    ListKind,
    Period,
    SubsidyStatus,
    OutcomeState,
]


@pytest.mark.parametrize("language", ["ko", "en"])
def test_every_code_has_a_label_in_each_language(language):
    with language_scope(language):
        for enum in LABELLED:
            for member in enum:
                assert label(member) != member.value, f"{enum.__name__}.{member.name} has no label"
                assert label_of(enum, member.value) == label(member)


def test_the_tables_by_name_name_existing_codes_only():
    """Codes listed by enum name (their enums live above labels.py) are held to those enums."""
    enums = {enum.__name__: enum for enum in LABELLED}
    assert len(enums) == len(LABELLED), "two labelled enums share a name"
    for name, code, _ in labels._labels_by_name():
        assert code in {member.value for member in enums[name]}, f"{name} has no code '{code}'"


def test_the_same_code_reads_differently_in_different_enums():
    assert label(BusinessField.OTHER) == "기타" and label(ExitReason.OTHER) == "기타 사유"
    assert label(MovementKind.EXIT) == "퇴거" and label(Period.ALL) == "전체 기간"
    assert label(CompanyStatus.WAITING) == "입주 대기" and label(CompanyStatus.REGISTERED) == "미입주"
    with language_scope("en"):
        assert label(TileState.OVER_CAPACITY) != "정원 초과"


def test_an_unknown_code_reads_as_itself():
    assert label_of(ExitReason, "no_such_reason") == "no_such_reason"
