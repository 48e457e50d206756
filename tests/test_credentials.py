"""A PostgreSQL password is never kept in the settings file: the keyring holds a typed one, libpq's own places the rest."""

from __future__ import annotations

import subprocess
import sys

import keyring
import pytest
import sqlalchemy as sa
from keyring.errors import NoKeyringError

from camp_manager.db import credentials
from camp_manager.db.engine import make_engine, resolve_db_url
from camp_manager.errors import DomainError
from tests.conftest import MemoryKeyring


class NoKeyring(MemoryKeyring):
    def get_password(self, service: str, username: str) -> str | None:
        raise NoKeyringError("none")

    def set_password(self, service: str, username: str, password: str) -> None:
        raise NoKeyringError("none")


def test_a_typed_password_goes_to_the_keyring_and_the_address_is_kept_without_it(memory_keyring):
    saved = credentials.keep_password("postgresql+psycopg://kim:s3cret@camp-db:5432/camp")
    assert saved == "postgresql+psycopg://kim@camp-db:5432/camp"
    assert memory_keyring.entries == {("CampManager", "kim@camp-db:5432/camp"): "s3cret"}
    assert credentials.server_connect_args(saved) == {"password": "s3cret"}
    engine = make_engine(saved)  # the engine connects with the keyring's password
    assert "s3cret" not in str(engine.url)


def test_without_a_keyring_a_password_in_the_address_is_refused_with_the_other_places(memory_keyring):
    keyring.set_keyring(NoKeyring())
    with pytest.raises(DomainError) as refused:
        credentials.keep_password("postgresql+psycopg://kim:s3cret@camp-db/camp")
    assert ".pgpass" in refused.value.message and "PGPASSWORD" in refused.value.message
    assert credentials.server_connect_args("postgresql+psycopg://kim@camp-db/camp") == {}  # libpq looks itself


def test_an_address_without_a_driver_uses_psycopg_3():
    assert sa.make_url(resolve_db_url("postgresql://kim@camp-db/camp")).drivername == "postgresql+psycopg"


def test_a_database_file_opens_without_loading_the_keyring(tmp_path):
    """keyring's modules (about 2.5 MiB) load only for a server's password."""
    code = (
        "import sys; from camp_manager.db.migrate import open_database; "
        f"open_database({str(tmp_path / 'camp.sqlite3')!r}, create=True).dispose(); "
        "print('keyring' in sys.modules)"
    )
    shown = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert shown.stdout.strip() == "False"
