"""a TUPA procedure's deciding authority and its appeals (issue 20)

`procedures` gains `authority` and `appeals` (reconsideración, apelación with their
authorities and deadlines); both empty for procedures stored before: the catalogue did not say.

Revision ID: 0014
Revises: 0013
"""

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("procedures") as batch:
        batch.add_column(sa.Column("authority", sa.String(length=120), nullable=True))
        batch.add_column(sa.Column("appeals", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("procedures") as batch:
        batch.drop_column("appeals")
        batch.drop_column("authority")
