"""Edit versions on every editable record; an append-only audit trail that names the PC and the login

Revision ID: 0003_versions_audit
Revises: 0002_constraints
"""

import sqlalchemy as sa
from alembic import op

revision = "0003_versions_audit"
down_revision = "0002_constraints"
branch_labels = None
depends_on = None

VERSIONED_TABLES = (
    "facility", "room", "company", "headcountrecord", "residency", "allocation", "roomrequest", "mentor",
    "mentoringsession", "exit",
)
AUDIT_IDENTITY_COLUMNS = ("os_user", "machine", "db_user")
APPEND_ONLY_MESSAGE = "auditentry is append-only"

SQLITE_TRIGGERS = [
    f"CREATE TRIGGER auditentry_append_only_{event.lower()} BEFORE {event} ON auditentry "
    f"BEGIN SELECT RAISE(ABORT, '{APPEND_ONLY_MESSAGE}'); END"
    for event in ("UPDATE", "DELETE")
]
POSTGRES_FUNCTION = f"""
CREATE FUNCTION auditentry_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '{APPEND_ONLY_MESSAGE}' USING ERRCODE = 'insufficient_privilege';
END
$$"""
POSTGRES_TRIGGERS = [
    "CREATE TRIGGER auditentry_append_only_rows BEFORE UPDATE OR DELETE ON auditentry "
    "FOR EACH ROW EXECUTE FUNCTION auditentry_append_only()",
    "CREATE TRIGGER auditentry_append_only_truncate BEFORE TRUNCATE ON auditentry "
    "FOR EACH STATEMENT EXECUTE FUNCTION auditentry_append_only()",
]


def upgrade() -> None:
    for table in VERSIONED_TABLES:
        op.add_column(table, sa.Column("version", sa.Integer(), server_default="1", nullable=False))
    for name in AUDIT_IDENTITY_COLUMNS:
        op.add_column("auditentry", sa.Column(name, sa.String(length=100), server_default="", nullable=False))
    if op.get_bind().dialect.name == "postgresql":
        for statement in (POSTGRES_FUNCTION, *POSTGRES_TRIGGERS):
            op.execute(statement)
    else:
        for statement in SQLITE_TRIGGERS:
            op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER auditentry_append_only_rows ON auditentry")
        op.execute("DROP TRIGGER auditentry_append_only_truncate ON auditentry")
        op.execute("DROP FUNCTION auditentry_append_only()")
    else:
        for event in ("update", "delete"):
            op.execute(f"DROP TRIGGER auditentry_append_only_{event}")
    # Plain DROP COLUMN (SQLite 3.35+), not a batch rebuild: rebuilding allocation or residency on
    # SQLite would lose the office trigger and the partial index of 0002_constraints.
    for name in AUDIT_IDENTITY_COLUMNS:
        op.drop_column("auditentry", name)
    for table in VERSIONED_TABLES:
        op.drop_column(table, "version")
