"""Alembic environment: runs on the engine handed over by `camp_manager.db.migrate`."""

from alembic import context
from sqlmodel import SQLModel

import camp_manager.db.models  # noqa: F401  (registers the tables)
from camp_manager.db.migrate import COMPARE_OPTIONS

target_metadata = SQLModel.metadata


def run_migrations() -> None:
    engine = context.config.attributes["engine"]
    with engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            # Batch mode rebuilds a table by copy, drop and rename; with foreign keys on,
            # dropping a table that other rows refer to fails. Off only while migrating
            # (the pragma is ignored inside a transaction), then checked and back on.
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
            connection.commit()
            # Python's sqlite3 commits each DDL statement on its own; with its transaction
            # handling off and an explicit BEGIN, a migration that fails halfway rolls back whole.
            driver = connection.connection.driver_connection
            driver_isolation = driver.isolation_level
            driver.isolation_level = None
        try:
            with connection.begin():
                if sqlite:
                    connection.exec_driver_sql("BEGIN")
                context.configure(
                    connection=connection,
                    target_metadata=target_metadata,
                    render_as_batch=sqlite,
                    **COMPARE_OPTIONS,
                )
                context.run_migrations()
                if sqlite:
                    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                    if broken:
                        raise RuntimeError(f"a migration left rows pointing at missing rows: {broken[:5]}")
        finally:
            if sqlite:
                driver.isolation_level = driver_isolation
                connection.exec_driver_sql("PRAGMA foreign_keys=ON")
                connection.commit()


run_migrations()
