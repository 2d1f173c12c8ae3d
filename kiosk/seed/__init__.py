"""Seed data of the demo office (TOML catalogues) and deterministic generators of test data."""
