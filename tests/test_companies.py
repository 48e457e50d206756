"""Registering and editing companies, and their headcount history."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from sqlmodel import select

from camp_manager.db.models import BusinessField, Company, ExitReason, HeadcountRecord
from camp_manager.errors import DomainError
from camp_manager.services import companies, exits, residency
from camp_manager.services.companies import CompanyInput
from tests.factories import facility_with_rooms, resident, valid_bizno


def register(session, name="딥러닝랩스", number=None, **extra):
    return companies.register_company(
        session=session, data=CompanyInput(name=name, biz_reg_no=number or valid_bizno(), **extra)
    )


def test_number_is_stored_as_ten_digits_and_shown_with_dashes(session):
    company = register(session, number="１１６－８２－００２７６")
    stored = session.execute(sa.text("SELECT biz_reg_no FROM company WHERE id = :id"), {"id": company.id}).scalar_one()
    assert stored == "1168200276"


def test_duplicate_number_is_refused_in_any_spelling(session):
    register(session, name="뉴로웍스", number="116-82-00276")
    with pytest.raises(DomainError) as raised:
        register(session, name="다른회사", number="116 82 00276")
    assert raised.value.field == "biz_reg_no"
    assert "116-82-00276" in raised.value.message and "뉴로웍스" in raised.value.message
    assert session.exec(select(sa.func.count()).select_from(Company)).one() == 1


def test_database_itself_keeps_numbers_unique(session):
    register(session, number="1168200276")
    session.commit()
    with pytest.raises(sa.exc.IntegrityError):
        session.execute(sa.text("INSERT INTO company (name, biz_reg_no) VALUES ('우회', '1168200276')"))
        session.flush()


def test_edit_keeps_own_number_but_cannot_take_anothers(session):
    first = register(session, name="첫째", number="116-82-00276")
    second = register(session, name="둘째", number="134-86-72683")
    edited = companies.edit_company(
        session=session,
        company_id=first.id,
        data=CompanyInput(name="첫째(주)", biz_reg_no="1168200276", field=BusinessField.HEALTHCARE.value),
    )
    assert (edited.name, edited.field) == ("첫째(주)", "healthcare")
    with pytest.raises(DomainError) as raised:
        companies.edit_company(
            session=session, company_id=second.id, data=CompanyInput(name="둘째", biz_reg_no="116-82-00276")
        )
    assert raised.value.field == "biz_reg_no"
    session.refresh(second)
    assert second.biz_reg_no == "1348672683"


def test_company_input_round_trips_for_an_edit_form(session):
    company = register(
        session, name="라온테크", representative="김민서", investment_krw=100_000_000, founded_on=date(2020, 3, 1)
    )
    data = companies.company_input(company)
    assert (data.name, data.representative, data.investment_krw, data.founded_on) == (
        "라온테크",
        "김민서",
        100_000_000,
        date(2020, 3, 1),
    )


@pytest.mark.parametrize(
    ("changes", "field", "hint"),
    [
        ({"name": "  "}, "name", "기업명"),
        ({"field": "astrology"}, "field", "astrology"),
        ({"investment_krw": -1}, "investment_krw", "0 이상"),
        ({"email": "ceo.example.com"}, "email", "ceo@example.com"),
        ({"founded_on": date.today() + timedelta(days=1)}, "founded_on", "설립일"),
        ({"biz_reg_no": "116-82-00277"}, "biz_reg_no", "검증번호"),
    ],
)
def test_bad_values_name_the_field_and_the_fix(session, changes, field, hint):
    values = {"name": "코어랩스", "biz_reg_no": valid_bizno()} | changes
    with pytest.raises(DomainError) as raised:
        companies.register_company(session=session, data=CompanyInput(**values))
    assert raised.value.field == field
    assert hint in raised.value.message
    assert session.exec(select(sa.func.count()).select_from(Company)).one() == 0


def test_headcount_history_is_read_as_of_a_date(session):
    company = register(session)
    companies.record_headcount(session=session, company_id=company.id, as_of=date(2024, 1, 2), employees=3)
    companies.record_headcount(session=session, company_id=company.id, as_of=date(2024, 7, 1), employees=8)
    assert companies.employees_on(session, company.id, date(2024, 1, 1)) is None
    assert companies.employees_on(session, company.id, date(2024, 6, 30)) == 3
    assert companies.employees_on(session, company.id, date(2024, 7, 1)) == 8


def test_same_day_headcount_replaces_the_figure(session):
    company = register(session)
    first = companies.record_headcount(session=session, company_id=company.id, as_of=date(2024, 1, 2), employees=3)
    again = companies.record_headcount(session=session, company_id=company.id, as_of=date(2024, 1, 2), employees=4)
    assert again.id == first.id and again.employees == 4
    assert session.exec(select(sa.func.count()).select_from(HeadcountRecord)).one() == 1


def test_negative_headcount_is_refused(session):
    company = register(session)
    with pytest.raises(DomainError) as raised:
        companies.record_headcount(session=session, company_id=company.id, as_of=date(2024, 1, 2), employees=-1)
    assert raised.value.field == "employees"


def test_headcount_after_an_exit_waits_for_the_next_move_in(session):
    facility, _, _ = facility_with_rooms(session)
    company = resident(session, facility, move_in_on=date(2023, 1, 2))
    exits.record_exit(
        session=session, company_id=company.id, exit_on=date(2023, 6, 1), reason=ExitReason.GRADUATED.value
    )
    with pytest.raises(DomainError) as raised:
        companies.record_headcount(session=session, company_id=company.id, as_of=date(2023, 6, 2), employees=3)
    assert raised.value.field == "as_of" and "2023-06-01" in raised.value.message
    residency.move_in(session=session, company_id=company.id, facility_id=facility.id, move_in_on=date(2024, 1, 2))
    # Back in residence: a figure from the new stay is fine, one from the gap between stays is not.
    companies.record_headcount(session=session, company_id=company.id, as_of=date(2024, 2, 1), employees=5)
    with pytest.raises(DomainError) as raised:
        companies.record_headcount(session=session, company_id=company.id, as_of=date(2023, 9, 1), employees=4)
    assert raised.value.field == "as_of"
    # Up to the exit day itself the old stay may still be recorded.
    companies.record_headcount(session=session, company_id=company.id, as_of=date(2023, 6, 1), employees=4)


def test_unknown_company_is_reported_not_crashed(session):
    with pytest.raises(DomainError) as raised:
        companies.record_headcount(session=session, company_id=999, as_of=date(2024, 1, 2), employees=1)
    assert "999" in raised.value.message
