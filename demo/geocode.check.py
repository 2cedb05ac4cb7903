"""Check for the geocoding exercise.

It passes when each of the three cities was geocoded once, across both flow
runs, and every other stop came from the cache (state Cached), with
geocoding_service exactly as the lesson gives it. It reads the runs the code
made, not what it printed. The page runs a Check on an empty cache, as a
first `python geocode.py` at home would.
"""

CITIES = 3  # Oslo, Lima, Pune
STOPS = 6  # three on Monday, three on Tuesday


def check(attempt):
    if not attempt.unchanged("geocoding_service"):
        raise AssertionError(
            "geocoding_service has changed. It stands for the paid API, which you cannot change: put it back "
            "as it was (Reset, then Undo reset, shows both) and let Prefect's cache avoid the calls instead."
        )
    flows = attempt.flows()
    assert len(flows) >= 2, "Both delivery plans must run: keep the Monday and Tuesday calls at the bottom of the file."
    runs = attempt.tasks("geocode")
    assert len(runs) >= STOPS, (
        f"geocode ran for {len(runs)} stops, not {STOPS}. Keep calling geocode for every stop: "
        "the point is that Prefect's cache, not your code, skips the repeats."
    )
    cached = [r for r in runs if r.state is not None and r.state.name == "Cached"]
    computed = [r for r in runs if r.state is not None and r.state.name == "Completed"]
    if not cached:
        raise AssertionError(
            f"All {len(runs)} geocode runs called the service: nothing came from the cache. "
            "Give geocode a cache policy in its decorator, @task(cache_policy=...)."
        )
    if len(computed) < CITIES:
        raise AssertionError(
            f"Only {len(computed)} geocode call{'s' if len(computed) != 1 else ''} really ran, so other cities got "
            "coordinates cached for a different city. Your cache key leaves out the place: key on the task's inputs."
        )
    if len(computed) > CITIES:
        raise AssertionError(
            f"{len(computed)} geocode runs called the service, for {CITIES} cities: Tuesday asked again for cities "
            "Monday had geocoded. Your cache key changes with each flow run (the DEFAULT policy includes RUN_ID). "
            "Key on the inputs alone."
        )
    return (
        f"Well done: {len(computed)} calls billed for {len(runs)} stops. "
        f"The other {len(cached)} ended Cached, with the result stored by the first call for that city."
    )
