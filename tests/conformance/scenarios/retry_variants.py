"""Retry options: a list of delays (the last one repeats), exponential_backoff,
jitter, retry_condition_fn, a task returning a Failed state, and flow retries."""

from prefect import flow, task
from prefect.states import Failed
from prefect.tasks import exponential_backoff

counters: dict[str, int] = {}


def bump(key: str) -> int:
    counters[key] = counters.get(key, 0) + 1
    return counters[key]


@task(retries=3, retry_delay_seconds=[0.1, 0.2])
def list_delays() -> str:
    n = bump("list")
    print(f"list_delays attempt {n}")
    if n <= 3:
        raise ConnectionError(f"list attempt {n} failed")
    return "list ok"


@task(retries=3, retry_delay_seconds=exponential_backoff(backoff_factor=0.1))
def backoff() -> str:
    n = bump("backoff")
    print(f"backoff attempt {n}")
    if n <= 3:
        raise ConnectionError(f"backoff attempt {n} failed")
    return "backoff ok"


@task(retries=1, retry_delay_seconds=0.2, retry_jitter_factor=0.5)
def jittered() -> str:
    n = bump("jitter")
    print(f"jittered attempt {n}")
    if n == 1:
        raise ConnectionError("jitter attempt 1 failed")
    return "jitter ok"


def only_connection_errors(task, task_run, state) -> bool:
    try:
        state.result()
    except ConnectionError:
        return True
    except Exception:
        return False
    return True


@task(retries=3, retry_condition_fn=only_connection_errors)
def conditional(kind: str) -> str:
    n = bump("cond-" + kind)
    print(f"conditional({kind}) attempt {n}")
    if kind == "connection" and n == 1:
        raise ConnectionError("transient")
    if kind == "value":
        raise ValueError("permanent - do not retry")
    return f"conditional {kind} ok"


@task(retries=1)
def returns_failed() -> str:
    n = bump("state")
    print(f"returns_failed attempt {n}")
    return Failed(message=f"returned a Failed state on attempt {n}")


@flow(retries=1)
def flow_with_retries() -> str:
    n = bump("flow")
    print(f"flow_with_retries attempt {n}")
    if n == 1:
        raise RuntimeError("flow attempt 1 fails")
    return "flow ok"


@flow
def retry_variants() -> str:
    print("exponential_backoff(0.1)(3) ->", exponential_backoff(backoff_factor=0.1)(3))
    print("backoff.retry_delay_seconds ->", backoff.retry_delay_seconds)
    print(list_delays())
    print(backoff())
    print(jittered())
    print(conditional("connection"))
    print("conditional('value'):", conditional("value", return_state=True))
    print("returns_failed:", returns_failed(return_state=True))
    print("counters:", counters)
    return "done"


if __name__ == "__main__":
    print("returned:", retry_variants())
    print("returned:", flow_with_retries())
