"""indexes for the as-of queries of all facilities together

The all-facility questions "who is resident on D" and "which allocations run on D" test
`end IS NULL OR end > D` and `start <= D` with no facility or room to start from:
the existing indexes begin with facility_id, room_id or company_id, so those queries
read the whole table. An index on (end, start) answers both halves of the OR directly.

Revision ID: 0004_indexes
Revises: 0003_versions_audit
"""

from alembic import op

revision = "0004_indexes"
down_revision = "0003_versions_audit"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("residency", schema=None) as batch_op:
        batch_op.create_index("ix_residency_period", ["ended_on", "move_in"], unique=False)
    with op.batch_alter_table("allocation", schema=None) as batch_op:
        batch_op.create_index("ix_allocation_period", ["end_on", "start_on"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("allocation", schema=None) as batch_op:
        batch_op.drop_index("ix_allocation_period")
    with op.batch_alter_table("residency", schema=None) as batch_op:
        batch_op.drop_index("ix_residency_period")
