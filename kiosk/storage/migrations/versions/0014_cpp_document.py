"""the carné de permiso temporal de permanencia (CPP/PTP) as a person's document

Revision ID: 0014
Revises: 0013
"""

from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def _doc_types(allowed: str) -> None:
    with op.batch_alter_table("persons") as batch:
        batch.drop_constraint("ck_persons_doc_type", type_="check")
        batch.create_check_constraint("ck_persons_doc_type", f"doc_type IN ({allowed})")


def upgrade() -> None:
    _doc_types("'DNI', 'CE', 'CPP', 'PAS'")


def downgrade() -> None:
    _doc_types("'DNI', 'CE', 'PAS'")
