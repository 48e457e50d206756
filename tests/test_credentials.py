"""A PostgreSQL password is never kept in the settings file: the keyring holds a typed one, libpq's own places the rest."""

from __future__ import annotations

import keyring
import pytest
import sqlalchemy as sa
from keyring.backend import KeyringBackend
from keyring.errors import NoKeyringError

from camp_manager.db import credentials
from camp_manager.db.engine import make_engine, resolve_db_url
from camp_manager.errors import DomainError


class MemoryKeyring(KeyringBackend):
    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.entries: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.entries.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.entries[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.entries.pop((service, username), None)


class NoKeyring(MemoryKeyring):
    def get_password(self, service: str, username: str) -> str | None:
        raise NoKeyringError("none")

    def set_password(self, service: str, username: str, password: str) -> None:
        raise NoKeyringError("none")


@pytest.fixture
def memory_keyring():
    before = keyring.get_keyring()
    store = MemoryKeyring()
    keyring.set_keyring(store)
    yield store
    keyring.set_keyring(before)


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
