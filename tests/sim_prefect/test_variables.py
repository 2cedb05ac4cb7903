"""Variables (prefect.variables): set / get / unset and their async twins, Prefect's errors, the client's methods.

The expected texts are real Prefect 3.9.1's (research/server/transcripts/var_basic.out,
var_async.out); pydantic's error layout is checked against pydantic itself.
"""

from __future__ import annotations

import asyncio
import datetime
import uuid
from typing import Any

import pydantic
import pytest

import sim_prefect
from sim_prefect import flow
from sim_prefect.client.orchestration import get_client
from sim_prefect.client.schemas.actions import VariableCreate, VariableUpdate
from sim_prefect.exceptions import ObjectAlreadyExists, ObjectNotFound
from sim_prefect.models import ValidationError
from sim_prefect.store import Store
from sim_prefect.variables import Variable

from tests.sim_prefect.conftest import Recorder

NAME_ERROR = (
    "1 validation error for VariableCreate\nname\n  Value error, Variable name must only contain lowercase letters, "
    "numbers, and dashes or underscores. [type=value_error, input_value={shown}, input_type=str]\n"
    "    For further information visit https://errors.pydantic.dev/2.14/v/value_error"
)


def test_set_returns_the_variable_and_get_reads_its_value(sim: Recorder) -> None:
    variable = Variable.set("answer", 42)
    assert repr(variable) == "Variable(name='answer', value=42, tags=[])"
    assert type(variable).__module__ == "prefect.variables"
    assert Variable.get("answer") == 42
    assert Variable.get("nope") is None
    assert Variable.get("nope", default=7) == 7


def test_setting_an_existing_variable_needs_overwrite_and_returns_the_servers_copy(sim: Recorder) -> None:
    Variable.set("answer", 42)
    with pytest.raises(ValueError) as raised:
        Variable.set("answer", 43)
    assert type(raised.value) is ValueError
    assert str(raised.value) == "Variable 'answer' already exists. Use `overwrite=True` to update it."
    again = Variable.set("answer", 43, overwrite=True, tags=["a", "b"])
    assert repr(again) == "Variable(name='answer', value=43, tags=['a', 'b'])"
    assert Variable.get("answer") == 43


@pytest.mark.parametrize("value", ["s", 1.5, True, None, [1, "x"], {"k": [1, 2]}])
def test_every_json_value_comes_back_as_it_was_set(sim: Recorder, value: Any) -> None:
    assert Variable.set("jv", value, overwrite=True).value == value
    assert Variable.get("jv") == value


def test_a_tuple_is_kept_as_a_list(sim: Recorder) -> None:
    assert repr(Variable.set("pair", (1, 2))) == "Variable(name='pair', value=[1, 2], tags=[])"
    assert Variable.get("pair") == [1, 2]


def test_unset_says_whether_there_was_a_variable(sim: Recorder) -> None:
    Variable.set("gone", 1)
    assert Variable.unset("gone") is True
    assert Variable.unset("gone") is False
    assert Variable.get("gone") is None


@pytest.mark.parametrize("name", ["Bad Name", "UPPER", "has.dot"])
def test_an_invalid_name_is_refused_as_pydantic_refuses_it(sim: Recorder, name: str) -> None:
    with pytest.raises(ValidationError) as raised:
        Variable.set(name, 1)
    assert str(raised.value) == NAME_ERROR.format(shown=repr(name))
    assert type(raised.value).__module__ == "pydantic_core._pydantic_core"
    assert isinstance(raised.value, ValueError)
    assert Variable.get(name) is None


def test_a_name_over_255_characters_is_too_long(sim: Recorder) -> None:
    with pytest.raises(ValidationError) as raised:
        Variable.set("a" * 256, 1)
    assert str(raised.value).splitlines()[2] == (
        "  Value should have at most 255 items after validation, not 256 [type=too_long, "
        "input_value='aaaaaaaaaaaaaaaaaaaaaaaa...aaaaaaaaaaaaaaaaaaaaaaa', input_type=str]"
    )


def test_values_that_are_not_json_or_too_long_are_refused(sim: Recorder) -> None:
    with pytest.raises(ValidationError, match="Variable value must be serializable to JSON") as raised:
        Variable.set("badv", object())
    assert str(raised.value).startswith("1 validation error for VariableCreate\nvalue\n  Value error, ")
    with pytest.raises(ValidationError, match=r"Variable value must be less than 5000 characters \[type=value_error"):
        Variable.set("badv", "x" * 6000)
    Variable.set("badv", "fine")
    with pytest.raises(ValidationError) as update:  # an existing variable is updated: VariableUpdate says so
        Variable.set("badv", {1: 2}, overwrite=True)
    assert str(update.value).splitlines()[:2] == ["1 validation error for VariableUpdate", "value"]
    assert Variable.get("badv") == "fine"


def test_the_5000_character_limit_counts_the_compact_json() -> None:
    VariableCreate(name="v", value="x" * 4998)  # "xx...x" with its quotes: 5000 characters
    with pytest.raises(ValidationError):
        VariableCreate(name="v", value="x" * 4999)
    VariableCreate(name="v", value=None)


def test_our_validation_error_reads_as_pydantics() -> None:
    class Probe(pydantic.BaseModel):
        name: str

        @pydantic.field_validator("name")
        @classmethod
        def check(cls, value: str) -> str:
            raise ValueError("Variable name must only contain lowercase letters, numbers, and dashes or underscores.")

    with pytest.raises(pydantic.ValidationError) as real:
        Probe(name="Bad Name")
    with pytest.raises(ValidationError) as ours:
        VariableCreate(name="Bad Name", value=1)
    assert str(ours.value) == str(real.value).replace("for Probe", "for VariableCreate")


def test_unknown_keywords_are_refused_by_the_actions() -> None:
    with pytest.raises(ValidationError) as raised:
        VariableCreate(name="v", value=1, colour="red")  # type: ignore[call-arg]
    assert "colour\n  Extra inputs are not permitted [type=extra_forbidden, input_value='red', input_type=str]" in str(raised.value)


def test_variables_live_in_the_store_with_the_clocks_times_and_the_sessions_ids(sim: Recorder) -> None:
    session = sim_prefect.session()
    start = session.now()
    Variable.set("kept", {"a": 1}, tags=["t"])
    record = session.store.variables["kept"]
    assert (record.value, record.tags, record.created, record.updated) == ({"a": 1}, ["t"], start, start)
    assert uuid.UUID(record.id).version == 7
    copy = Store.from_dict(session.store.to_dict())  # what the page keeps between Runs
    assert copy.variables["kept"] == record


def test_the_same_ids_in_every_deterministic_session() -> None:
    def first_id() -> str:
        sim_prefect.configure("deterministic", terminal=False)
        Variable.set("x", 1)
        return sim_prefect.session().store.variables["x"].id

    assert first_id() == first_id()


def test_inside_flows_too(sim: Recorder) -> None:
    @flow(log_prints=True)
    def space_mission(mission_name: str) -> None:
        crew = Variable.get("crew_members", default=["Backup1", "Backup2"])
        print(f"Launching {mission_name} with crew: {', '.join(crew)}")

    space_mission("Mars Expedition")
    Variable.set("crew_members", ["Zaphod", "Arthur", "Trillian"])
    space_mission("Mars Expedition")
    launches = [m for m in sim.messages() if m.startswith("Launching")]
    assert launches == [
        "Launching Mars Expedition with crew: Backup1, Backup2",
        "Launching Mars Expedition with crew: Zaphod, Arthur, Trillian",
    ]


def test_in_async_code_the_plain_names_give_coroutines(sim: Recorder) -> None:
    seen: dict[str, Any] = {}

    @flow
    async def mission() -> None:
        pending = Variable.get("crew", default=["Backup"])
        seen["type"] = type(pending).__name__
        seen["crew"] = await pending
        seen["set"] = repr(await Variable.aset("tmp", {"a": 1}, overwrite=True))
        seen["aget"] = await Variable.aget("tmp")
        seen["unset"] = (await Variable.aunset("tmp"), await Variable.aunset("tmp"))
        seen["forced"] = Variable.get("crew", default="sync", _sync=True)

    asyncio.run(mission())
    assert seen == {
        "type": "coroutine", "crew": ["Backup"], "set": "Variable(name='tmp', value={'a': 1}, tags=[])",
        "aget": {"a": 1}, "unset": (True, False), "forced": "sync",
    }  # fmt: skip


# -- the client ------------------------------------------------------------------------------


def test_the_clients_variable_methods(sim: Recorder) -> None:
    with get_client(sync_client=True) as client:
        created = client.create_variable(VariableCreate(name="client_var", value={"a": 1}, tags=["t"]))
        assert list(type(created).model_fields) == ["id", "created", "updated", "name", "value", "tags"]
        assert (created.name, created.value, created.tags) == ("client_var", {"a": 1}, ["t"])
        assert isinstance(created.id, uuid.UUID) and isinstance(created.created, datetime.datetime)
        with pytest.raises(ObjectAlreadyExists) as twice:
            client.create_variable(VariableCreate(name="client_var", value=2))
        assert str(twice.value) == ""
        assert client.read_variable_by_name("client_var").value == {"a": 1}
        assert client.read_variable_by_name("nope") is None
        client.create_variable(VariableCreate(name="a_first", value=0))
        assert [v.name for v in client.read_variables()] == ["a_first", "client_var"]
        assert [v.name for v in client.read_variables(limit=1)] == ["a_first"]
        client.update_variable(VariableUpdate(name="client_var", value=3))
        assert client.read_variable_by_name("client_var").tags == ["t"]  # what was not given stays
        assert client.delete_variable_by_name("client_var") is None
        with pytest.raises(ObjectNotFound) as missing:
            client.delete_variable_by_name("client_var")
        assert str(missing.value) == "None"


def test_the_async_client_gives_the_same_as_coroutines(sim: Recorder) -> None:
    async def use() -> Any:
        async with get_client() as client:
            await client.create_variable(VariableCreate(name="v", value=1))
            return (await client.read_variable_by_name("v")).value

    assert asyncio.run(use()) == 1
