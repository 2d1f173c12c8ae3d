"""Storage: SQLAlchemy models, the SQLite store, migrations and backups."""
