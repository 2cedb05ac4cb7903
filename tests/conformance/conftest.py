"""The conformance suite uses the shared `backend` fixture (tests/conftest.py) and harness (tests/harness)."""
