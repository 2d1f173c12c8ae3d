"""Alembic environment of the central server: it hands us an open connection (sync.central.db)."""

from typing import Any

from alembic import context

from sync.central.schema import metadata


def _render_item(kind: str, obj: Any, autogen_context: Any) -> str | bool:
    # The hub's column types are plain DateTime and String (or uuid) underneath: migrations
    # say so, and never import them.
    name = type(obj).__name__
    if kind == "type" and name == "UTCDateTime":
        return "sa.DateTime()"
    if kind == "type" and name == "DecimalText":
        return "sa.String(length=20)"
    if kind == "type" and name == "UuidText":  # text on SQLite, uuid on PostgreSQL
        autogen_context.imports.add("from sqlalchemy.dialects import postgresql")
        return "sa.String(length=36).with_variant(postgresql.UUID(as_uuid=False), 'postgresql')"
    return False


connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=metadata, render_item=_render_item)
with context.begin_transaction():
    context.run_migrations()
