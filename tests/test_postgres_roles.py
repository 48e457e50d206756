"""The README's server set-up, run as written: one login per manager, who can do the work, whom the
audit trail names, and who cannot change or remove an audit entry."""

from __future__ import annotations

import subprocess
import uuid

import pytest
import sqlalchemy as sa

from camp_manager.db.engine import make_engine, unit_of_work
from camp_manager.resources import resource_path
from camp_manager.services import facilities
from camp_manager.services.audit import identity
from tests.conftest import BACKENDS

pytestmark = pytest.mark.parametrize("backend", [BACKENDS[1]], indirect=True)


@pytest.fixture
def manager(db_url):
    """A manager's login made by resources/sql/manager_roles.sql through psql, dropped afterwards."""
    name = f"kim_{uuid.uuid4().hex[:8]}"
    owner = sa.make_url(db_url)
    libpq_url = owner.set(drivername="postgresql").render_as_string(hide_password=False)
    subprocess.run(
        [
            "psql",
            libpq_url,
            "-v",
            "ON_ERROR_STOP=1",
            "-v",
            f"manager={name}",
            "-v",
            "password='s3cret'",
            "-f",
            str(resource_path("sql", "manager_roles.sql")),
        ],
        check=True,
        capture_output=True,
        text=True,
        encoding="utf-8",
    )
    engine = make_engine(owner.set(username=name).render_as_string(hide_password=False))
    yield name, engine
    engine.dispose()
    admin = make_engine(db_url)
    with admin.begin() as connection:
        connection.exec_driver_sql(f'DROP OWNED BY "{name}"')
        connection.exec_driver_sql(f'DROP ROLE "{name}"')
    admin.dispose()


def test_a_manager_login_does_the_work_and_the_audit_trail_names_it(manager):
    name, engine = manager
    with unit_of_work(engine) as session:
        facilities.create_facility(session=session, name="역할테스트")
        assert identity(session)["db_user"] == name
    with engine.connect() as connection:
        assert connection.exec_driver_sql("SELECT db_user, actor FROM auditentry").all() == [(name, name)]


@pytest.mark.parametrize(
    "statement", ["UPDATE auditentry SET actor = 'x'", "DELETE FROM auditentry", "TRUNCATE auditentry"]
)
def test_a_manager_login_cannot_change_the_audit_trail(manager, statement):
    _name, engine = manager
    with unit_of_work(engine) as session:
        facilities.create_facility(session=session, name="역할테스트")
    with pytest.raises(sa.exc.ProgrammingError, match="permission denied"), engine.begin() as connection:
        connection.exec_driver_sql(statement)
