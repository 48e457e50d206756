"""The password of a PostgreSQL login lives outside the settings file.

libpq (under psycopg) already reads `PGPASSWORD` and the password file (`~/.pgpass`, on
Windows `%APPDATA%\\postgresql\\pgpass.conf`, or the file `PGPASSFILE` names). Camp Manager
adds the operating system's keyring (Windows Credential Manager, macOS Keychain, the Secret
Service on Linux): a password typed into Settings is kept there, and the server address is
saved without it. keyring is imported only when a password is kept or looked up: its 2.5 MiB of
modules are of no use to a database file.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from camp_manager.errors import DomainError
from camp_manager.i18n import tr

KEYRING_SERVICE = "CampManager"


def keyring_account(url: sa.URL) -> str:
    """The keyring entry of a login: user, server, port and database."""
    return f"{url.username}@{url.host}:{url.port or 5432}/{url.database}"


def without_password(url: str) -> str:
    parsed = sa.make_url(url)
    return sa.URL.create(
        parsed.drivername,
        username=parsed.username,
        host=parsed.host,
        port=parsed.port,
        database=parsed.database,
        query=parsed.query,
    ).render_as_string(hide_password=False)


def keep_password(url: str) -> str:
    """Put the password of `url`, if it has one, into the keyring; the address to save, without it.

    No keyring on this PC: refused, with the other places the password can go.
    """
    parsed = sa.make_url(url)
    if parsed.password is None:
        return url
    import keyring.errors  # noqa: PLC0415 (see the module's docstring)

    try:
        keyring.set_password(KEYRING_SERVICE, keyring_account(parsed), str(parsed.password))
    except keyring.errors.KeyringError:
        raise DomainError(
            tr(
                "이 PC에는 비밀번호를 안전하게 보관할 곳(키링)이 없습니다. 주소에서 비밀번호를 빼고, "
                "비밀번호 파일(.pgpass, Windows: %APPDATA%\\postgresql\\pgpass.conf)이나 PGPASSWORD 환경 변수에 넣으세요."
            ),
            field="server_url",
        ) from None
    return without_password(url)


def keyring_password(url: sa.URL) -> str | None:
    import keyring.errors  # noqa: PLC0415 (see the module's docstring)

    try:
        return keyring.get_password(KEYRING_SERVICE, keyring_account(url))
    except keyring.errors.KeyringError:
        return None  # no keyring here: libpq's own places (PGPASSWORD, the password file) remain


def server_connect_args(url: str) -> dict[str, Any]:
    """What the driver needs beyond the URL: the keyring's password when the URL has none."""
    parsed = sa.make_url(url)
    if parsed.password is not None:
        return {}
    password = keyring_password(parsed)
    return {"password": password} if password is not None else {}
