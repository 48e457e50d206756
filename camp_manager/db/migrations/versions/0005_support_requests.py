"""Support requests (지원 요청): what companies ask the camp for besides rooms, with the dates of each step

Revision ID: 0005_support_requests
Revises: 0004_indexes
"""

import sqlalchemy as sa
from alembic import op

revision = "0005_support_requests"
down_revision = "0004_indexes"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "supportrequest",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("asked_on", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(length=20), server_default="other", nullable=False),
        sa.Column("description", sa.String(length=500), nullable=False),
        sa.Column("status", sa.String(length=20), server_default="received", nullable=False),
        sa.Column("started_on", sa.Date(), nullable=True),
        sa.Column("finished_on", sa.Date(), nullable=True),
        sa.Column("outcome", sa.Text(), server_default="", nullable=False),
        sa.CheckConstraint("started_on IS NULL OR started_on >= asked_on", name=op.f("ck_supportrequest_started_after_asked")),
        sa.CheckConstraint("finished_on IS NULL OR finished_on >= asked_on", name=op.f("ck_supportrequest_finished_after_asked")),
        sa.CheckConstraint(
            "finished_on IS NULL OR started_on IS NULL OR finished_on >= started_on",
            name=op.f("ck_supportrequest_finished_after_started"),
        ),
        sa.ForeignKeyConstraint(["company_id"], ["company.id"], name=op.f("fk_supportrequest_company_id_company")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_supportrequest")),
    )
    with op.batch_alter_table("supportrequest") as batch_op:
        batch_op.create_index(batch_op.f("ix_supportrequest_company_id"), ["company_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_supportrequest_asked_on"), ["asked_on"], unique=False)
        batch_op.create_index(batch_op.f("ix_supportrequest_status"), ["status"], unique=False)


def downgrade() -> None:
    op.drop_table("supportrequest")
