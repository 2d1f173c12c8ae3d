"""notice_consents and notices: a citizen's contact and consent for notices (Ley 29733), and
the outbox of notices (one per event and channel: `idempotency_key` is unique)

The hub's own: contacts and notices stay in the office (central gets the consent's events,
without the address), so central needs no migration.

Revision ID: 0021
Revises: 0020
"""

import sqlalchemy as sa
from alembic import op

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "notice_consents",
        sa.Column("id", sa.String(length=36), primary_key=True),
        sa.Column("office_id", sa.String(length=36), sa.ForeignKey("offices.id"),
                  nullable=False),
        sa.Column("subject_kind", sa.String(length=20), nullable=False),
        sa.Column("subject_id", sa.String(length=36), nullable=False),
        sa.Column("mobile", sa.String(length=9), nullable=True),
        sa.Column("email", sa.String(length=120), nullable=True),
        sa.Column("given_at", sa.DateTime(), nullable=False),
        sa.Column("given_by", sa.String(length=36), nullable=True),
        sa.Column("given_by_name", sa.String(length=120), nullable=False),
        sa.Column("withdrawn_at", sa.DateTime(), nullable=True),
        sa.Column("withdrawn_by", sa.String(length=36), nullable=True),
        sa.Column("withdrawn_by_name", sa.String(length=120), nullable=True),
    )
    op.create_index("ix_notice_consents_subject", "notice_consents",
                    ["subject_kind", "subject_id"])
    op.create_table(
        "notices",
        sa.Column("id", sa.String(length=36), primary_key=True),
        sa.Column("office_id", sa.String(length=36), sa.ForeignKey("offices.id"),
                  nullable=False),
        sa.Column("idempotency_key", sa.String(length=120), nullable=False, unique=True),
        sa.Column("consent_id", sa.String(length=36), sa.ForeignKey("notice_consents.id"),
                  nullable=False),
        sa.Column("channel", sa.String(length=8), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("reference", sa.String(length=30), nullable=False),
        sa.Column("subject", sa.String(length=200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(), nullable=False),
        sa.Column("last_error", sa.String(length=300), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("sent_at", sa.DateTime(), nullable=True),
        sa.CheckConstraint("state IN ('pending', 'sent', 'failed', 'cancelled')",
                           name="ck_notices_state"),
    )
    op.create_index("ix_notices_due", "notices", ["state", "next_attempt_at"])


def downgrade() -> None:
    op.drop_index("ix_notices_due", table_name="notices")
    op.drop_table("notices")
    op.drop_index("ix_notice_consents_subject", table_name="notice_consents")
    op.drop_table("notice_consents")
