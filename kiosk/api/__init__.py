"""The office hub's HTTP API (FastAPI)."""
