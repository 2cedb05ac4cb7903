"""States print, compare and give results the way Prefect's do."""

from __future__ import annotations

import pytest

from sim_prefect import states
from sim_prefect.exceptions import CancelledRun, CrashedRun, FailedRun, UnfinishedRun
from sim_prefect.states import State, StateType


def test_str_of_completed_state_has_no_message_or_type() -> None:
    assert str(states.Completed()) == "Completed()"


def test_str_of_failed_state_shows_the_message_quoted() -> None:
    state = states.Failed(message="Task run encountered an exception ValueError: bad value")
    assert str(state) == "Failed('Task run encountered an exception ValueError: bad value')"


def test_str_of_special_state_shows_its_type() -> None:
    assert str(states.TimedOut(message="Task run exceeded timeout of 1.0 second(s)")) == (
        "TimedOut('Task run exceeded timeout of 1.0 second(s)', type=FAILED)"
    )
    assert str(states.AwaitingRetry()) == "AwaitingRetry(type=SCHEDULED)"
    assert str(states.Retrying()) == "Retrying(type=RUNNING)"


def test_str_uses_double_quotes_when_the_message_has_a_quote() -> None:
    state = states.Failed(message="Flow run encountered an exception: KeyError: 'child failed'")
    assert str(state) == "Failed(\"Flow run encountered an exception: KeyError: 'child failed'\")"


def test_repr_shows_message_type_and_the_raw_result() -> None:
    assert repr(states.Completed(data=42)) == "Completed(message=None, type=COMPLETED, result=42)"
    assert repr(states.Pending()) == "Pending(message=None, type=PENDING, result=None)"


def test_state_type_prints_as_enum_member_and_its_value_is_its_name() -> None:
    assert repr(StateType.COMPLETED) == str(StateType.COMPLETED) == "StateType.COMPLETED"
    assert StateType.COMPLETED.value == "COMPLETED"
    assert [t.value for t in StateType] == [t.name for t in StateType]


@pytest.mark.parametrize(
    ("factory", "type_", "name"),
    [
        (states.Scheduled, StateType.SCHEDULED, "Scheduled"),
        (states.Pending, StateType.PENDING, "Pending"),
        (states.Running, StateType.RUNNING, "Running"),
        (states.Completed, StateType.COMPLETED, "Completed"),
        (states.Failed, StateType.FAILED, "Failed"),
        (states.Crashed, StateType.CRASHED, "Crashed"),
        (states.Cancelled, StateType.CANCELLED, "Cancelled"),
        (states.Paused, StateType.PAUSED, "Paused"),
        (states.AwaitingRetry, StateType.SCHEDULED, "AwaitingRetry"),
        (states.Retrying, StateType.RUNNING, "Retrying"),
        (states.TimedOut, StateType.FAILED, "TimedOut"),
    ],
)
def test_factory_gives_prefects_type_and_name(factory, type_: StateType, name: str) -> None:
    state = factory()
    assert (state.type, state.name) == (type_, name)


def test_predicates_follow_the_type_not_the_name() -> None:
    timed_out = states.TimedOut()
    assert timed_out.is_failed() and timed_out.is_final() and not timed_out.is_completed()
    retrying = states.Retrying()
    assert retrying.is_running() and not retrying.is_final()
    awaiting = states.AwaitingRetry()
    assert awaiting.is_scheduled() and not awaiting.is_pending()
    assert states.Cancelled().is_cancelled() and states.Crashed().is_crashed()


def test_result_of_completed_state_is_its_data() -> None:
    assert states.Completed(data=[1, 2]).result() == [1, 2]


def test_result_of_failed_state_raises_the_original_exception() -> None:
    error = ValueError("bad value")
    state = states.Failed(message="...", data=error)
    with pytest.raises(ValueError) as caught:
        state.result()
    assert caught.value is error
    assert state.result(raise_on_failure=False) is error


@pytest.mark.parametrize(
    ("factory", "wrapper"),
    [(states.Failed, FailedRun), (states.Crashed, CrashedRun), (states.Cancelled, CancelledRun)],
)
def test_result_without_data_raises_a_wrapper_with_the_message(factory, wrapper) -> None:
    state = factory(message="it went wrong")
    with pytest.raises(wrapper, match="it went wrong"):
        state.result()
    returned = state.result(raise_on_failure=False)
    assert isinstance(returned, wrapper) and str(returned) == "it went wrong"


def test_result_of_state_holding_a_failed_state_raises_the_inner_exception() -> None:
    inner = states.Failed(message="inner", data=KeyError("k"))
    outer = states.Failed(message="1/1 states failed.", data=inner)
    with pytest.raises(KeyError):
        outer.result()
    assert outer.result(raise_on_failure=False) is inner


def test_result_of_unfinished_state_raises_unfinished_run() -> None:
    with pytest.raises(UnfinishedRun, match="Run is in RUNNING state"):
        states.Running().result()


def test_state_reports_prefects_class_path() -> None:
    assert f"{State.__module__}.{State.__qualname__}" == "prefect.client.schemas.objects.State"


def test_to_dict_is_plain_data() -> None:
    d = states.Failed(message="m", data=ValueError("x")).to_dict()
    assert d["name"] == "Failed" and d["type"] == "FAILED" and d["message"] == "m"
    assert isinstance(d["timestamp"], float)
