"""One harness for running scripts on real Prefect and on sim_prefect, shared by the conformance
suite (tests/conformance) and the lesson's claims (tests/lesson).

- `real_prefect`: real Prefect's environment (no telemetry), one dedicated server per test session;
- `backends`: run a script on either backend in a fresh process and collect what it printed and its runs;
- `runner`: that process's entry point;
- `transcripts`: mask what varies between runs, and compare.
"""
