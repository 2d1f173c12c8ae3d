"""Alembic environment: the hub hands us an open connection (see kiosk.storage.migrate)."""

from alembic import context

from kiosk.storage.tables import Base

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,  # SQLite alters tables by copy
)
with context.begin_transaction():
    context.run_migrations()
