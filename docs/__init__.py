"""Makes docs/conftest.py import as docs.conftest, so it never shadows tests/conftest.py."""
