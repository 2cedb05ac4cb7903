"""Page 8's rules about global concurrency and rate limits, printed as `CLAIM name: outcome` for the test to read.

The limits have names of this script's own (the real leg's server is shared by
every script of the session), and are removed at the start and the end.
"""

import sys
import time

from prefect import flow, get_client, task
from prefect.client.schemas.actions import GlobalConcurrencyLimitCreate
from prefect.concurrency.sync import concurrency, rate_limit
from prefect.exceptions import ObjectAlreadyExists, ObjectNotFound

sys.stdout.reconfigure(line_buffering=True)
SLOTS, RATE, NO_DECAY, MISSING = "claims-p8-slots", "claims-p8-rate", "claims-p8-no-decay", "claims-p8-missing"


def claim(name, outcome):
    print(f"CLAIM {name}: {outcome}")


def clean(client):
    for name in (SLOTS, RATE, NO_DECAY, MISSING):
        try:
            client.delete_global_concurrency_limit_by_name(name)
        except ObjectNotFound:
            pass


with get_client(sync_client=True) as client:
    clean(client)
    client.create_global_concurrency_limit(GlobalConcurrencyLimitCreate(name=SLOTS, limit=2))
    try:
        client.create_global_concurrency_limit(GlobalConcurrencyLimitCreate(name=SLOTS, limit=2))
        claim("creating a limit twice", "accepted")
    except ObjectAlreadyExists:
        claim("creating a limit twice", "ObjectAlreadyExists")
    client.create_global_concurrency_limit(GlobalConcurrencyLimitCreate(name=RATE, limit=1, slot_decay_per_second=2))
    client.create_global_concurrency_limit(GlobalConcurrencyLimitCreate(name=NO_DECAY, limit=1))

inside = []  # (enter, leave) of each holder of a SLOTS slot


@task
def hold(n):
    with concurrency(SLOTS, occupy=1):
        entered = time.time()
        time.sleep(1)
        inside.append((entered, time.time()))
    return n


@flow
def five_holders():
    hold.map(range(5)).result()


calls = []


@task
def call_api(n):
    rate_limit(RATE)
    calls.append(time.time())
    return n


@flow
def four_calls():
    call_api.map(range(4)).result()


def most_at_once(spans):
    moments = sorted([(start, 1) for start, _ in spans] + [(end, -1) for _, end in spans])
    most = now = 0
    for _, step in moments:
        now += step
        most = max(most, now)
    return most


if __name__ == "__main__":
    five_holders()
    took = max(leave for _, leave in inside) - min(enter for enter, _ in inside)
    claim("five holders of a limit of 2", f"at most {most_at_once(inside)} at once, {took >= 2.9} for 3 s or more")
    four_calls()
    gaps = [b - a for a, b in zip(sorted(calls), sorted(calls)[1:])]
    claim("rate_limit at 2 a second", f"{len(calls)} calls, every gap 0.45 s or more: {all(g >= 0.45 for g in gaps)}")
    with concurrency(MISSING):
        claim("a limit that does not exist", "the block ran")
    try:
        with concurrency(MISSING, strict=True):
            claim("strict=True on a missing limit", "the block ran")
    except Exception as exc:
        claim("strict=True on a missing limit", f"{type(exc).__name__}: {exc}")
    try:
        rate_limit(NO_DECAY)
        claim("rate_limit without decay", "accepted")
    except Exception as exc:
        claim("rate_limit without decay", type(exc).__name__)
    with concurrency(NO_DECAY):
        try:
            with concurrency(NO_DECAY, timeout_seconds=1):
                claim("a timeout", "the block ran")
        except TimeoutError as exc:
            claim("a timeout", f"{type(exc).__name__}, a TimeoutError")
    from prefect import concurrency as imported

    claim("from prefect import concurrency", type(imported).__name__)
    with get_client(sync_client=True) as client:
        clean(client)
