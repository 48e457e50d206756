"""The outcome figures of a year, on a small history with known outcomes, against a recount in
plain SQL written from their definitions in reports/README.md (Annual performance report)."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

import pytest
from sqlalchemy import text
from sqlmodel import Session

from camp_manager.db.models import EvidenceOf
from camp_manager.services import companies, exits, follow_ups, mentoring, outcomes, support
from camp_manager.services.evidence import attach_evidence
from camp_manager.services.outcome_figures import SubsidyStatus, outcome_figures, subsidy_watch
from tests.conftest import on_every_backend
from tests.factories import facility_with_rooms, resident

pytestmark = on_every_backend

YEAR = 2024
PDF = b"%PDF-1.4 proof"


def _proof(session: Session, kind: EvidenceOf, record_id: int, name: str = "proof.pdf") -> None:
    attach_evidence(session=session, record_kind=kind.value, record_id=record_id, file_name=name, content=PDF)


def _record(session: Session, data: outcomes.OutcomeInput, *, proved: EvidenceOf | None = None) -> int:
    record_id = outcomes.record_outcome(session=session, data=data).id
    session.flush()
    if proved is not None:
        _proof(session, proved, record_id)
    return record_id


def _invested(session: Session, company, amount: int) -> None:
    data = replace(companies.company_input(company), investment_krw=amount)
    companies.edit_company(session=session, company_id=company.id, data=data)


def _left(session: Session, facility, name: str, move_in: date, exit_on: date, reason: str, region: str | None = None):
    company = resident(session, facility, name=name, move_in_on=move_in)
    return exits.record_exit(session=session, company_id=company.id, exit_on=exit_on, reason=reason, region=region)


def build_history(session: Session) -> dict[str, int]:
    """Two facilities and ten companies whose 2024 outcomes are known (see the expected figures below)."""
    camp, _, _ = facility_with_rooms(session, name="캠프", offices=4)
    iplex, _, _ = facility_with_rooms(session, name="아이플렉스", offices=2)
    c1 = resident(session, camp, name="가온AI", move_in_on=date(2022, 3, 2))
    _invested(session, c1, 60_000_000)
    _record(session, outcomes.SalesInput(c1.id, 2023, 0, 100_000_000, 10_000_000))
    _record(session, outcomes.SalesInput(c1.id, 2024, 1, 60_000_000, 20_000_000), proved=EvidenceOf.SALES)
    _record(session, outcomes.SalesInput(c1.id, 2024, 2, 90_000_000), proved=EvidenceOf.SALES)
    companies.record_headcount(session=session, company_id=c1.id, as_of=date(2023, 6, 1), employees=3)
    headcount = companies.record_headcount(session=session, company_id=c1.id, as_of=date(2024, 6, 1), employees=6)
    session.flush()
    _proof(session, EvidenceOf.HEADCOUNT, headcount.id)
    _record(session, outcomes.InvestmentInput(c1.id, date(2024, 5, 2), 50_000_000), proved=EvidenceOf.INVESTMENT)
    _record(session, outcomes.InvestmentInput(c1.id, date(2024, 7, 1), 30_000_000, kind="grant"))
    _record(session, outcomes.IPInput(c1.id, "patent_filed", date(2024, 2, 1)), proved=EvidenceOf.IP)
    _record(session, outcomes.IPInput(c1.id, "trademark", date(2023, 5, 1)))
    _record(session, outcomes.CertificationInput(c1.id, "venture", date(2023, 1, 2), date(2025, 12, 31)))
    _record(session, outcomes.CertificationInput(c1.id, "innobiz", date(2022, 4, 1), date(2024, 6, 30)))
    _record(session, outcomes.ProjectInput(c1.id, date(2024, 9, 2), "AI 바우처", amount_krw=40_000_000))

    c2 = resident(session, iplex, name="나래데이터", move_in_on=date(2023, 1, 2))
    _invested(session, c2, 90_000_000)
    _record(session, outcomes.SalesInput(c2.id, 2023, 0, 50_000_000))
    _record(session, outcomes.SalesInput(c2.id, 2024, 0, 40_000_000, 5_000_000), proved=EvidenceOf.SALES)
    companies.record_headcount(session=session, company_id=c2.id, as_of=date(2023, 12, 1), employees=4)
    companies.record_headcount(session=session, company_id=c2.id, as_of=date(2024, 3, 4), employees=5)
    _record(session, outcomes.CertificationInput(c2.id, "venture", date(2024, 2, 1)), proved=EvidenceOf.CERTIFICATION)

    c3 = _left(session, camp, "다온로보", date(2022, 1, 3), date(2024, 8, 30), "graduated", "gwangju")
    _record(session, outcomes.SalesInput(c3.company_id, 2024, 0, 30_000_000))
    _record(session, outcomes.InvestmentInput(c3.company_id, date(2024, 3, 4), 20_000_000, kind="convertible"))

    # Left in 2021: the 3-year cohort of 2024.
    c4 = _left(session, camp, "라온헬스", date(2020, 1, 2), date(2021, 6, 30), "relocated_other")
    follow_ups.record_follow_up(
        session=session,
        data=follow_ups.FollowUpInput(c4.id, 3, date(2024, 6, 28), "operating", region="gwangju"),
    )
    _left(session, iplex, "마루핀테크", date(2020, 2, 3), date(2021, 3, 31), "closed")
    c6 = _left(session, camp, "바다에너지", date(2020, 3, 2), date(2021, 9, 30), "graduated")
    follow_ups.record_follow_up(session=session, data=follow_ups.FollowUpInput(c6.id, 1, date(2022, 9, 30), "closed"))
    _left(session, camp, "사랑콘텐츠", date(2020, 3, 2), date(2021, 12, 1), "contract_ended")

    _left(session, iplex, "아라보안", date(2023, 5, 2), date(2024, 4, 30), "relocated_capital")
    _left(session, camp, "자람교육", date(2024, 2, 1), date(2024, 10, 31), "other")
    c10 = resident(session, iplex, name="차오름", move_in_on=date(2024, 6, 3))
    # Before its move-in: counted for no facility.
    _record(session, outcomes.InvestmentInput(c10.id, date(2024, 2, 1), 70_000_000))

    mentor = mentoring.add_mentor(session=session, name="김멘토", field="technology")
    for day in (date(2024, 4, 1), date(2024, 5, 6)):
        planned = mentoring.plan_session(session=session, mentor_id=mentor.id, company_id=c1.id, held_on=day)
        session.flush()
        mentoring.mark_held(session=session, session_id=planned.id)
    done = support.file_support_request(
        session=session, company_id=c1.id, asked_on=date(2024, 5, 1), kind="other", description="홍보"
    )
    declined = support.file_support_request(
        session=session, company_id=c2.id, asked_on=date(2024, 6, 3), kind="other", description="장비"
    )
    session.flush()
    support.start_support(session=session, request_id=done.id, on=date(2024, 5, 2))
    support.finish_support(session=session, request_id=done.id, status="done", on=date(2024, 5, 20), outcome="완료")
    support.finish_support(
        session=session, request_id=declined.id, status="declined", on=date(2024, 6, 5), outcome="예산 없음"
    )
    session.commit()
    return {"camp": camp.id, "iplex": iplex.id, "c1": c1.id, "c2": c2.id}


@pytest.fixture
def history(session) -> dict[str, int]:
    return build_history(session)


# --- the recount: plain SQL from the README's definitions ------------------------------------------
RESIDENT_ON = (
    "EXISTS (SELECT 1 FROM residency r WHERE r.company_id = {company} AND r.move_in <= {day}"
    " AND (r.ended_on IS NULL OR r.ended_on > {day}) [AND r.facility_id = :facility])"
)
RESIDENT_IN_YEAR = (
    "EXISTS (SELECT 1 FROM residency r WHERE r.company_id = {company} AND r.move_in <= :last"
    " AND (r.ended_on IS NULL OR r.ended_on > :first) AND (r.ended_on IS NULL OR r.ended_on > r.move_in)"
    " [AND r.facility_id = :facility])"
)
PROVED = "<<EXISTS (SELECT 1 FROM evidence e WHERE e.record_kind = '{kind}' AND e.record_id = {row}.id)>>"


def _sql(session: Session, sql: str, facility_id: int | None, evidenced_only: bool, **params):
    """Run `sql`: [..] holds only for one facility, <<..>> only for evidenced-only (else TRUE)."""
    sql = re.sub(r"<<(.*?)>>", lambda m: m[1] if evidenced_only else "1 = 1", sql, flags=re.S)
    sql = re.sub(r"\[([^\]]*)\]", lambda m: m[1] if facility_id is not None else "", sql)
    values = {key: value.isoformat() if isinstance(value, date) else value for key, value in params.items()}
    first, last = date(YEAR, 1, 1).isoformat(), date(YEAR, 12, 31).isoformat()
    return (
        session.connection().execute(text(sql), {"facility": facility_id, "first": first, "last": last, **values}).all()
    )


def _one(session, sql, facility_id, evidenced_only=False, **params):
    return _sql(session, sql, facility_id, evidenced_only, **params)[0][0] or 0


def _staff(session, day: str, facility_id, evidenced_only) -> dict[int, int]:
    rows = _sql(
        session,
        f"""SELECT h.company_id, h.employees FROM headcountrecord h
            WHERE h.as_of = (SELECT MAX(h2.as_of) FROM headcountrecord h2
                             WHERE h2.company_id = h.company_id AND h2.as_of <= :day)
              AND {RESIDENT_ON.format(company="h.company_id", day="'2024-12-31'")}
              AND {PROVED.format(kind="headcountrecord", row="h")}""",
        facility_id,
        evidenced_only,
        day=day,
    )
    return dict(rows)


def _sales(session, year: int, facility_id, evidenced_only, at_year_end: bool) -> dict[int, tuple[int, int, int]]:
    scope = RESIDENT_ON.format(company="s.company_id", day=":last") if at_year_end else RESIDENT_IN_YEAR
    rows = _sql(
        session,
        f"""SELECT s.company_id, SUM(s.sales_krw), SUM(s.exports_krw),
                   CASE WHEN MIN(s.half) = 0 OR COUNT(*) = 2 THEN 1 ELSE 0 END
            FROM salesrecord s WHERE s.year = :year AND {scope.format(company="s.company_id")}
              AND {PROVED.format(kind="salesrecord", row="s")}
            GROUP BY s.company_id""",
        facility_id,
        evidenced_only,
        year=year,
    )
    return {company: (sales, exports, whole) for company, sales, exports, whole in rows}


def recount(session: Session, facility_id: int | None, evidenced_only: bool) -> dict[str, object]:
    in_year = "{column} BETWEEN :first AND :last"
    exits_of = "FROM exit x JOIN residency r ON r.id = x.residency_id WHERE x.exit_on BETWEEN {a} AND {b} [AND r.facility_id = :facility]"
    now, before = (
        _sales(session, YEAR, facility_id, evidenced_only, True),
        _sales(session, YEAR - 1, facility_id, evidenced_only, True),
    )
    compared = [c for c in now if now[c][2] and before.get(c, (0, 0, 0))[2]]
    during = _sales(session, YEAR, facility_id, evidenced_only, False)
    staff_now = _staff(session, "2024-12-31", facility_id, evidenced_only)
    staff_before = _staff(session, "2023-12-31", facility_id, evidenced_only)
    both = staff_now.keys() & staff_before.keys()

    def dated(table: str, day: str, select: str) -> list:
        return _sql(
            session,
            f"""SELECT {select} FROM {table} t WHERE {in_year.format(column="t." + day)}
                AND {RESIDENT_ON.format(company="t.company_id", day="t." + day)}
                AND {PROVED.format(kind=table, row="t")} GROUP BY 1""",
            facility_id,
            evidenced_only,
        )

    cohort = _sql(
        session,
        f"""SELECT CASE
                 WHEN x.reason = 'closed' OR EXISTS (SELECT 1 FROM followup f WHERE f.exit_id = x.id
                      AND f.status = 'closed' AND f.checked_on <= :last) THEN 'closed'
                 WHEN EXISTS (SELECT 1 FROM followup f WHERE f.exit_id = x.id AND f.years_after = 3
                      AND f.status = 'operating' AND f.checked_on <= :last) THEN 'operating'
                 ELSE 'unknown' END, COUNT(*)
            {exits_of.format(a="'2021-01-01'", b="'2021-12-31'")} GROUP BY 1""",
        facility_id,
        False,
    )
    regions = [
        region
        for (region,) in _sql(
            session,
            f"""SELECT COALESCE((SELECT f.region FROM followup f WHERE f.exit_id = x.id AND f.checked_on <= :last
                                  AND f.region <> 'unknown' ORDER BY f.checked_on DESC, f.id DESC LIMIT 1), x.region)
                {exits_of.format(a=":first", b=":last")}""",
            facility_id,
            False,
        )
        if region != "unknown"
    ]
    rooms = _one(
        session,
        "SELECT COUNT(*) FROM room WHERE kind IN ('private_office', 'shared_zone')"
        " AND (retired_on IS NULL OR retired_on > :last) [AND facility_id = :facility]",
        facility_id,
    )
    residents_during = _one(
        session, f"SELECT COUNT(*) FROM company c WHERE {RESIDENT_IN_YEAR.format(company='c.id')}", facility_id
    )
    stays = [
        (date.fromisoformat(str(end)) - date.fromisoformat(str(start))).days
        for start, end in _sql(
            session,
            "SELECT move_in, ended_on FROM residency WHERE ended_on BETWEEN :first AND :last [AND facility_id = :facility]",
            facility_id,
            False,
        )
    ]
    survival = dict(cohort)
    known = survival.get("operating", 0) + survival.get("closed", 0)
    return {
        "residents_during_year": residents_during,
        "residents_at_year_end": _one(
            session,
            f"SELECT COUNT(*) FROM company c WHERE {RESIDENT_ON.format(company='c.id', day=':last')}",
            facility_id,
        ),
        "graduates": _one(
            session, f"SELECT COUNT(*) {exits_of.format(a=':first', b=':last')} AND x.reason = 'graduated'", facility_id
        ),
        "sales_krw": sum(v[0] for v in during.values()),
        "exports_krw": sum(v[1] for v in during.values()),
        "sales_compared_now_krw": sum(now[c][0] for c in compared),
        "sales_compared_before_krw": sum(before[c][0] for c in compared),
        "employees_at_year_end": sum(staff_now.values()),
        "employees_compared_now": sum(staff_now[c] for c in both),
        "employees_compared_before": sum(staff_before[c] for c in both),
        "investment_by_kind": {
            kind: (count, amount)
            for kind, count, amount in dated("investmentround", "invested_on", "t.kind, COUNT(*), SUM(t.amount_krw)")
        },
        "ip_by_kind": dict(dated("intellectualproperty", "dated_on", "t.kind, COUNT(*)")),
        "certifications_by_kind": dict(
            _sql(
                session,
                f"""SELECT t.kind, COUNT(*) FROM certification t WHERE t.granted_on <= :last
                    AND (t.valid_until IS NULL OR t.valid_until >= :last)
                    AND {RESIDENT_ON.format(company="t.company_id", day=":last")}
                    AND {PROVED.format(kind="certification", row="t")} GROUP BY t.kind""",
                facility_id,
                evidenced_only,
            )
        ),
        "projects": sum(n for _, n, _ in dated("governmentproject", "selected_on", "1, COUNT(*), SUM(t.amount_krw)")),
        "survival": (survival.get("operating", 0), survival.get("closed", 0), survival.get("unknown", 0)),
        "survival_rate": survival.get("operating", 0) / known if known else None,
        "exits_region_known": len(regions),
        "exits_stayed_gwangju": regions.count("gwangju"),
        "rooms_in_use": rooms,
        "turnover": residents_during / rooms if rooms else None,
        "average_stay_days": sum(stays) / len(stays) if stays else None,
    }


def _figures(session, facility_id, evidenced_only) -> dict[str, object]:
    f = outcome_figures(session, year=YEAR, facility_id=facility_id, evidenced_only=evidenced_only)
    wanted = recount(session, facility_id, evidenced_only)
    found = {key: getattr(f, key) for key in wanted if hasattr(f, key)}
    found["survival"] = (f.survival.operating, f.survival.closed, f.survival.unknown)
    found["survival_rate"] = f.survival.rate
    return {"found": found, "wanted": wanted, "figures": f}


@pytest.mark.parametrize("scope", ["camp", "iplex", None])
@pytest.mark.parametrize("evidenced_only", [False, True])
def test_every_figure_matches_the_recount(session, history, scope, evidenced_only):
    result = _figures(session, history[scope] if scope else None, evidenced_only)
    assert result["found"] == result["wanted"]


def test_the_known_outcomes_of_all_facilities(session, history):
    f = outcome_figures(session, year=YEAR)
    assert (f.residents_during_year, f.residents_at_year_end, f.graduates) == (6, 3, 1)
    # c1 150M (two halves), c2 40M, c3 30M (left in August: counted for the year, not compared).
    assert (f.sales_krw, f.exports_krw) == (220_000_000, 25_000_000)
    assert (f.sales_compared_before_krw, f.sales_compared_now_krw) == (150_000_000, 190_000_000)
    assert f.sales_growth == pytest.approx(40 / 150)
    assert (f.employees_at_year_end, f.employees_compared_before, f.jobs_created) == (11, 7, 4)
    # 50M equity + 30M grant + 20M convertible; the 70M before c10's move-in is nobody's.
    assert f.investment_by_kind == {"equity": (1, 50_000_000), "grant": (1, 30_000_000), "convertible": (1, 20_000_000)}
    assert (f.investment_rounds, f.investment_krw) == (3, 100_000_000)
    assert f.ip_by_kind == {"patent_filed": 1}
    assert f.certifications_by_kind == {"venture": 2}  # innobiz expired in June
    assert (f.projects, f.projects_krw) == (1, 40_000_000)
    assert (f.mentoring_sessions, f.mentoring_companies) == (2, 1)
    assert (f.support_asked, f.support_done, f.support_declined) == (2, 1, 1)
    assert (f.survival.operating, f.survival.closed, f.survival.unknown) == (1, 2, 1)
    assert f.survival.rate == pytest.approx(1 / 3)
    assert (f.exits_region_known, f.exits_stayed_gwangju, f.stayed_gwangju_share) == (2, 1, 0.5)
    assert (f.rooms_in_use, f.turnover) == (8, 6 / 8)
    stays = [(date(2024, 8, 30) - date(2022, 1, 3)).days, (date(2024, 4, 30) - date(2023, 5, 2)).days, 273]
    assert f.average_stay_days == pytest.approx(sum(stays) / 3)


def test_evidenced_only_keeps_the_proven_records(session, history):
    f = outcome_figures(session, year=YEAR, evidenced_only=True)
    assert (f.sales_krw, f.exports_krw) == (190_000_000, 25_000_000)
    assert f.sales_growth is None  # no 2023 sales are proven
    assert f.employees_at_year_end == 6  # c2's latest headcount has no file
    assert f.investment_by_kind == {"equity": (1, 50_000_000)}
    assert f.ip_by_kind == {"patent_filed": 1}
    assert f.certifications_by_kind == {"venture": 1}
    assert f.projects == 0


def test_subsidy_watch(session, history):
    watch = {w.company_id: w for w in subsidy_watch(session, on=date(YEAR, 12, 31))}
    assert set(watch) == {history["c1"], history["c2"]}
    assert (watch[history["c1"]].capital_krw, watch[history["c1"]].status) == (110_000_000, SubsidyStatus.MEETS)
    assert (watch[history["c2"]].capital_krw, watch[history["c2"]].status) == (90_000_000, SubsidyStatus.NEAR)
    # Before the equity round c1 had 60M: neither met nor near.
    assert [w.company_id for w in subsidy_watch(session, on=date(YEAR, 5, 1))] == [history["c2"]]
    assert subsidy_watch(session, on=date(YEAR, 12, 31), facility_id=history["camp"])[0].company_id == history["c1"]
