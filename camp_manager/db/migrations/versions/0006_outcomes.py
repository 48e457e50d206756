"""Programme outcomes (성과): sales and exports per period, investment rounds, IP, certifications,
government projects, follow-ups after an exit, files of evidence, contract renewals in progress; where an exit
went; total employees

Revision ID: 0006_outcomes
Revises: 0005_support_requests
"""

from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0006_outcomes'
down_revision = '0005_support_requests'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('evidence',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('record_kind', sa.String(length=30), nullable=False),
    sa.Column('record_id', sa.Integer(), nullable=False),
    sa.Column('file_name', sa.String(length=255), nullable=False),
    sa.Column('media_type', sa.String(length=100), nullable=False),
    sa.Column('size_bytes', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('content', sa.LargeBinary(), nullable=False),
    sa.Column('attached_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.CheckConstraint("record_kind IN ('salesrecord', 'investmentround', 'intellectualproperty', 'certification', 'governmentproject', 'headcountrecord', 'followup')", name=op.f('ck_evidence_record_kind_known')),
    sa.CheckConstraint('size_bytes BETWEEN 1 AND 20971520', name=op.f('ck_evidence_size_within_limit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_evidence'))
    )
    with op.batch_alter_table('evidence', schema=None) as batch_op:
        batch_op.create_index('ix_evidence_record', ['record_kind', 'record_id'], unique=False)

    op.create_table('certification',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=30), server_default='venture', nullable=False),
    sa.Column('number', sa.String(length=50), server_default='', nullable=False),
    sa.Column('granted_on', sa.Date(), nullable=False),
    sa.Column('valid_until', sa.Date(), nullable=True),
    sa.CheckConstraint("kind IN ('venture', 'innobiz', 'mainbiz', 'research_institute', 'rnd_department')", name=op.f('ck_certification_kind_known')),
    sa.CheckConstraint('valid_until IS NULL OR valid_until >= granted_on', name=op.f('ck_certification_valid_until_not_before_granted_on')),
    sa.ForeignKeyConstraint(['company_id'], ['company.id'], name=op.f('fk_certification_company_id_company')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_certification'))
    )
    with op.batch_alter_table('certification', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_certification_company_id'), ['company_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_certification_granted_on'), ['granted_on'], unique=False)

    op.create_table('governmentproject',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('selected_on', sa.Date(), nullable=False),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('agency', sa.String(length=200), server_default='', nullable=False),
    sa.Column('amount_krw', sa.BigInteger(), server_default='0', nullable=False),
    sa.CheckConstraint('amount_krw >= 0', name=op.f('ck_governmentproject_amount_krw_at_least_0')),
    sa.ForeignKeyConstraint(['company_id'], ['company.id'], name=op.f('fk_governmentproject_company_id_company')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_governmentproject'))
    )
    with op.batch_alter_table('governmentproject', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_governmentproject_company_id'), ['company_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_governmentproject_selected_on'), ['selected_on'], unique=False)

    op.create_table('intellectualproperty',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=30), server_default='patent_filed', nullable=False),
    sa.Column('number', sa.String(length=50), server_default='', nullable=False),
    sa.Column('title', sa.String(length=300), server_default='', nullable=False),
    sa.Column('dated_on', sa.Date(), nullable=False),
    sa.CheckConstraint("kind IN ('patent_filed', 'patent_registered', 'utility_model', 'trademark', 'design', 'copyright')", name=op.f('ck_intellectualproperty_kind_known')),
    sa.ForeignKeyConstraint(['company_id'], ['company.id'], name=op.f('fk_intellectualproperty_company_id_company')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_intellectualproperty'))
    )
    with op.batch_alter_table('intellectualproperty', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_intellectualproperty_company_id'), ['company_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_intellectualproperty_dated_on'), ['dated_on'], unique=False)

    op.create_table('investmentround',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('invested_on', sa.Date(), nullable=False),
    sa.Column('amount_krw', sa.BigInteger(), nullable=False),
    sa.Column('investor', sa.String(length=200), server_default='', nullable=False),
    sa.Column('kind', sa.String(length=20), server_default='equity', nullable=False),
    sa.CheckConstraint("kind IN ('equity', 'convertible', 'grant', 'loan')", name=op.f('ck_investmentround_kind_known')),
    sa.CheckConstraint('amount_krw >= 1', name=op.f('ck_investmentround_amount_krw_at_least_1')),
    sa.ForeignKeyConstraint(['company_id'], ['company.id'], name=op.f('fk_investmentround_company_id_company')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_investmentround'))
    )
    with op.batch_alter_table('investmentround', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_investmentround_company_id'), ['company_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_investmentround_invested_on'), ['invested_on'], unique=False)

    op.create_table('salesrecord',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('half', sa.Integer(), server_default='0', nullable=False),
    sa.Column('sales_krw', sa.BigInteger(), nullable=False),
    sa.Column('exports_krw', sa.BigInteger(), server_default='0', nullable=False),
    sa.CheckConstraint('exports_krw <= sales_krw', name=op.f('ck_salesrecord_exports_within_sales')),
    sa.CheckConstraint('exports_krw >= 0', name=op.f('ck_salesrecord_exports_krw_at_least_0')),
    sa.CheckConstraint('half IN (0, 1, 2)', name=op.f('ck_salesrecord_half_known')),
    sa.CheckConstraint('sales_krw >= 0', name=op.f('ck_salesrecord_sales_krw_at_least_0')),
    sa.CheckConstraint('year BETWEEN 1900 AND 2999', name=op.f('ck_salesrecord_year_plausible')),
    sa.ForeignKeyConstraint(['company_id'], ['company.id'], name=op.f('fk_salesrecord_company_id_company')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_salesrecord')),
    sa.UniqueConstraint('company_id', 'year', 'half', name=op.f('uq_salesrecord_company_id_year_half'))
    )
    with op.batch_alter_table('salesrecord', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_salesrecord_company_id'), ['company_id'], unique=False)

    op.create_table('followup',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.Column('exit_id', sa.Integer(), nullable=False),
    sa.Column('years_after', sa.Integer(), nullable=False),
    sa.Column('checked_on', sa.Date(), nullable=False),
    sa.Column('status', sa.String(length=20), server_default='unknown', nullable=False),
    sa.Column('employees', sa.Integer(), nullable=True),
    sa.Column('sales_krw', sa.BigInteger(), nullable=True),
    sa.Column('region', sa.String(length=20), server_default='unknown', nullable=False),
    sa.Column('note', sa.Text(), server_default='', nullable=False),
    sa.CheckConstraint("region IN ('gwangju', 'capital', 'other_region', 'abroad', 'unknown')", name=op.f('ck_followup_region_known')),
    sa.CheckConstraint("status IN ('operating', 'closed', 'unknown')", name=op.f('ck_followup_status_known')),
    sa.CheckConstraint('employees IS NULL OR employees >= 0', name=op.f('ck_followup_employees_at_least_0')),
    sa.CheckConstraint('sales_krw IS NULL OR sales_krw >= 0', name=op.f('ck_followup_sales_krw_at_least_0')),
    sa.CheckConstraint('years_after BETWEEN 1 AND 3', name=op.f('ck_followup_years_after_1_to_3')),
    sa.ForeignKeyConstraint(['exit_id'], ['exit.id'], name=op.f('fk_followup_exit_id_exit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_followup')),
    sa.UniqueConstraint('exit_id', 'years_after', name=op.f('uq_followup_exit_id_years_after'))
    )
    with op.batch_alter_table('followup', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_followup_exit_id'), ['exit_id'], unique=False)

    op.create_table('contractrenewal',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.Column('residency_id', sa.Integer(), nullable=False),
    sa.Column('started_on', sa.Date(), nullable=False),
    sa.Column('finished_on', sa.Date(), nullable=True),
    sa.Column('note', sa.Text(), server_default='', nullable=False),
    sa.CheckConstraint('finished_on IS NULL OR finished_on >= started_on', name=op.f('ck_contractrenewal_finished_on_not_before_started_on')),
    sa.ForeignKeyConstraint(['residency_id'], ['residency.id'], name=op.f('fk_contractrenewal_residency_id_residency')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contractrenewal'))
    )
    with op.batch_alter_table('contractrenewal', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_contractrenewal_residency_id'), ['residency_id'], unique=False)

    with op.batch_alter_table('exit', schema=None) as batch_op:
        batch_op.add_column(sa.Column('region', sa.String(length=20), server_default='unknown', nullable=False))
        batch_op.create_check_constraint(
            op.f('ck_exit_region_known'), "region IN ('gwangju', 'capital', 'other_region', 'abroad', 'unknown')"
        )
    # The one region an earlier exit already tells: a move to the capital region.
    op.execute("UPDATE exit SET region = 'capital' WHERE reason = 'relocated_capital'")

    with op.batch_alter_table('headcountrecord', schema=None) as batch_op:
        batch_op.add_column(sa.Column('total_employees', sa.Integer(), nullable=True))
        batch_op.create_check_constraint(
            op.f('ck_headcountrecord_total_not_below_regular'), 'total_employees IS NULL OR total_employees >= employees'
        )



def downgrade() -> None:
    with op.batch_alter_table('headcountrecord', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_headcountrecord_total_not_below_regular'), type_='check')
        batch_op.drop_column('total_employees')

    with op.batch_alter_table('exit', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_exit_region_known'), type_='check')
        batch_op.drop_column('region')

    with op.batch_alter_table('contractrenewal', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_contractrenewal_residency_id'))

    op.drop_table('contractrenewal')
    with op.batch_alter_table('followup', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_followup_exit_id'))

    op.drop_table('followup')
    with op.batch_alter_table('salesrecord', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_salesrecord_company_id'))

    op.drop_table('salesrecord')
    with op.batch_alter_table('investmentround', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_investmentround_invested_on'))
        batch_op.drop_index(batch_op.f('ix_investmentround_company_id'))

    op.drop_table('investmentround')
    with op.batch_alter_table('intellectualproperty', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_intellectualproperty_dated_on'))
        batch_op.drop_index(batch_op.f('ix_intellectualproperty_company_id'))

    op.drop_table('intellectualproperty')
    with op.batch_alter_table('governmentproject', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_governmentproject_selected_on'))
        batch_op.drop_index(batch_op.f('ix_governmentproject_company_id'))

    op.drop_table('governmentproject')
    with op.batch_alter_table('certification', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_certification_granted_on'))
        batch_op.drop_index(batch_op.f('ix_certification_company_id'))

    op.drop_table('certification')
    with op.batch_alter_table('evidence', schema=None) as batch_op:
        batch_op.drop_index('ix_evidence_record')

    op.drop_table('evidence')
