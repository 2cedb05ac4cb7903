"""Runs learner snippets on sim_prefect for the page and the tests (see runner.py)."""
