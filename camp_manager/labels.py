"""Korean/English labels of the codes, through the one translation mechanism: the home of
every table that maps a code to its label.

The stored codes (db.models), the floor map's room states (services.floorplan) and the
directory's company states (services.directory) are listed by enum member. Codes defined in the layers above, which import this module and so
cannot be imported by it — the monthly report's movement kinds, the kinds of list an
import reads, the Mentoring page's periods — are listed by enum name and value;
`tests/test_labels.py` holds them to their enums.
"""

from __future__ import annotations

from enum import StrEnum
from functools import cache

from camp_manager.db.models import (
    BusinessField,
    CertificationKind,
    EvidenceOf,
    ExitReason,
    FollowUpStatus,
    InvestmentKind,
    IPKind,
    MentorField,
    Region,
    RequestKind,
    RequestStatus,
    RoomKind,
    SessionMode,
    SessionStatus,
    SupportKind,
    SupportStatus,
)
from camp_manager.i18n import current_language, tr
from camp_manager.services.directory import CompanyStatus
from camp_manager.services.floorplan import TileState


def _labels() -> list[tuple[StrEnum, str]]:
    # A list, not a dict: members of different enums can share a value ("other").
    return [
        (RoomKind.PRIVATE_OFFICE, tr("개별 사무실")),
        (RoomKind.SHARED_ZONE, tr("공유 좌석존")),
        (RoomKind.MEETING_ROOM, tr("회의실")),
        (BusinessField.BIGDATA, tr("빅데이터")),
        (BusinessField.HEALTHCARE, tr("헬스케어")),
        (BusinessField.ENERGY, tr("에너지")),
        (BusinessField.CONTENT, tr("콘텐츠")),
        (BusinessField.PLATFORM, tr("플랫폼")),
        (BusinessField.SECURITY, tr("보안")),
        (BusinessField.AUTOMOTIVE, tr("자동차")),
        (BusinessField.MANUFACTURING, tr("제조")),
        (BusinessField.EDUCATION, tr("교육")),
        (BusinessField.FINTECH, tr("핀테크")),
        (BusinessField.OTHER, tr("기타")),
        (MentorField.TECHNOLOGY, tr("기술·R&D")),
        (MentorField.BUSINESS, tr("경영·전략")),
        (MentorField.FINANCE, tr("투자·재무")),
        (MentorField.MARKETING, tr("마케팅·판로")),
        (RequestKind.WAITLIST, tr("입주 대기")),
        (RequestKind.EXPANSION, tr("확장 신청")),
        (RequestStatus.OPEN, tr("대기 중")),
        (RequestStatus.APPROVED, tr("승인")),
        (RequestStatus.DECLINED, tr("반려")),
        (RequestStatus.WITHDRAWN, tr("철회")),
        (SessionMode.IN_PERSON, tr("대면")),
        (SessionMode.ONLINE, tr("온라인")),
        (SessionStatus.PLANNED, tr("예정")),
        (SessionStatus.HELD, tr("완료")),
        (SessionStatus.CANCELLED, tr("취소")),
        (ExitReason.GRADUATED, tr("졸업")),
        (ExitReason.RELOCATED_CAPITAL, tr("수도권 이전")),
        (ExitReason.RELOCATED_OTHER, tr("기타 지역 이전")),
        (ExitReason.CLOSED, tr("폐업")),
        (ExitReason.SUSPENDED, tr("휴업")),
        (ExitReason.LACK_OF_SPACE, tr("공간 부족")),
        (ExitReason.CONTRACT_ENDED, tr("계약 만료")),
        (ExitReason.TERMINATED, tr("자격 상실·계약 해지")),
        (ExitReason.OTHER, tr("기타 사유")),
        (SupportKind.DEMONSTRATION, tr("실증")),
        (SupportKind.COMPUTING, tr("GPU·컴퓨팅")),
        (SupportKind.NETWORKING, tr("입주기업 네트워킹")),
        (SupportKind.CONSULTING, tr("컨설팅")),
        (SupportKind.INVESTMENT, tr("투자 연계")),
        (SupportKind.OTHER, tr("기타")),
        (SupportStatus.RECEIVED, tr("접수")),
        (SupportStatus.IN_PROGRESS, tr("진행 중")),
        (SupportStatus.DONE, tr("지원 완료")),
        (SupportStatus.DECLINED, tr("반려")),
        (SupportStatus.CANCELLED, tr("취소")),
        (Region.GWANGJU, tr("광주")),
        (Region.CAPITAL, tr("수도권")),
        (Region.OTHER_REGION, tr("기타 지역")),
        (Region.ABROAD, tr("해외")),
        (Region.UNKNOWN, tr("확인 안 됨")),
        (InvestmentKind.EQUITY, tr("지분 투자")),
        (InvestmentKind.CONVERTIBLE, tr("전환사채·SAFE")),
        (InvestmentKind.GRANT, tr("정부출연")),
        (InvestmentKind.LOAN, tr("융자")),
        (IPKind.PATENT_FILED, tr("특허 출원")),
        (IPKind.PATENT_REGISTERED, tr("특허 등록")),
        (IPKind.UTILITY_MODEL, tr("실용신안")),
        (IPKind.TRADEMARK, tr("상표")),
        (IPKind.DESIGN, tr("디자인")),
        (IPKind.COPYRIGHT, tr("저작권")),
        (CertificationKind.VENTURE, tr("벤처기업")),
        (CertificationKind.INNOBIZ, tr("이노비즈")),
        (CertificationKind.MAINBIZ, tr("메인비즈")),
        (CertificationKind.RESEARCH_INSTITUTE, tr("기업부설연구소")),
        (CertificationKind.RND_DEPARTMENT, tr("연구개발전담부서")),
        (FollowUpStatus.OPERATING, tr("운영 중")),
        (FollowUpStatus.CLOSED, tr("폐업")),
        (FollowUpStatus.UNKNOWN, tr("확인 안 됨")),
        (EvidenceOf.SALES, tr("매출 실적")),
        (EvidenceOf.INVESTMENT, tr("투자유치")),
        (EvidenceOf.IP, tr("지식재산권")),
        (EvidenceOf.CERTIFICATION, tr("인증")),
        (EvidenceOf.PROJECT, tr("정부지원사업")),
        (EvidenceOf.HEADCOUNT, tr("고용인원 기록")),
        (EvidenceOf.FOLLOW_UP, tr("후속 조사")),
        (TileState.VACANT, tr("빈 호실")),
        (TileState.OCCUPIED, tr("사용 중")),
        (TileState.ENDING_SOON, tr("계약 만료 임박")),
        (TileState.OVER_CAPACITY, tr("정원 초과")),
        (TileState.SHARED, tr("공유 좌석존")),
        (TileState.MEETING, tr("회의실")),
        (CompanyStatus.ACTIVE, tr("입주 중")),
        (CompanyStatus.WAITING, tr("입주 대기")),
        (CompanyStatus.EXITED, tr("퇴거")),
        (CompanyStatus.REGISTERED, tr("미입주")),
    ]


def _labels_by_name() -> list[tuple[str, str, str]]:
    """(enum name, code, label) of the codes defined above this module."""
    return [
        ("MovementKind", "move_in", tr("입주")),
        ("MovementKind", "allocate", tr("호실 배정")),
        ("MovementKind", "move", tr("호실 이동")),
        ("MovementKind", "expand", tr("확장")),
        ("MovementKind", "exit", tr("퇴거")),
        ("ListKind", "residents", tr("입주기업 목록")),
        ("ListKind", "rooms", tr("호실 목록")),
        ("ListKind", "survey_sales", tr("매출·고용")),
        ("ListKind", "survey_investment", tr("투자유치")),
        ("ListKind", "survey_ip", tr("지식재산권")),
        ("ListKind", "survey_certification", tr("인증")),
        ("ListKind", "survey_project", tr("정부지원사업")),
        ("Period", "month", tr("기준일이 속한 달")),
        ("Period", "year", tr("기준일이 속한 해")),
        ("Period", "last_12_months", tr("최근 12개월")),
        ("Period", "all", tr("전체 기간")),
        ("Period", "custom", tr("직접 지정")),
        ("SubsidyStatus", "meets", tr("요건 충족")),
        ("SubsidyStatus", "near", tr("요건 근접")),
        ("OutcomeState", "missing", tr("누락")),
        ("OutcomeState", "unevidenced", tr("증빙 없음")),
        ("OutcomeState", "complete", tr("완료")),
    ]


@cache
def _labels_in(language: str) -> dict[tuple[str, str], str]:
    # Built once per language: lists call this for every shown cell and every sorted row.
    # Keyed by enum name and value: `BusinessField.OTHER` and `ExitReason.OTHER` are both
    # "other" but read differently.
    labels = {(type(member).__name__, member.value): text for member, text in _labels()}
    labels.update({(name, code): text for name, code, text in _labels_by_name()})
    return labels


def label(member: StrEnum) -> str:
    """The user-facing name of a code, in the current language."""
    return _labels_in(current_language()).get((type(member).__name__, member.value), member.value)


def label_of(enum_type: type[StrEnum], code: str) -> str:
    """The label of a code read from the database, e.g. `label_of(ExitReason, row.reason)`."""
    return _labels_in(current_language()).get((enum_type.__name__, code), code)


def half_label(half: int) -> str:
    """The period of a sales record within its year: the whole year (0) or a half (1, 2)."""
    return {0: tr("연간"), 1: tr("상반기"), 2: tr("하반기")}[half]


def sales_period(year: int, half: int) -> str:
    """A sales record's period, e.g. 2024년 상반기."""
    return tr("{year}년 {half}", year=year, half=half_label(half))
