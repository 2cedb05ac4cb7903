"""Blocks (prefect.blocks): Secret, a learner's own Block, their slugs, reprs, saving and loading, Prefect's errors.

The expected texts are real Prefect 3.9.1's (research/server/transcripts/blocks_secret.out,
blocks_custom.out).
"""

from __future__ import annotations

import asyncio
import datetime
import enum
import uuid
from pathlib import Path
from typing import Any, Literal, Optional

import pydantic
import pytest

import sim_prefect
from sim_prefect import flow
from sim_prefect.blocks import core
from sim_prefect.blocks.core import Block, slugify
from sim_prefect.blocks.system import Secret
from sim_prefect.client.orchestration import get_client
from sim_prefect.exceptions import NotImitatedError, UnknownBlockType
from sim_prefect.models import ValidationError
from sim_prefect.store import Store
from tests.sim_prefect.conftest import Recorder


class Cube(Block):
    edge_length_inches: float

    def get_volume(self) -> float:
        return self.edge_length_inches**3


class DatabaseConfig(Block):
    _block_type_slug = "my-db-config"
    host: str
    port: int = 5432
    password: pydantic.SecretStr
    options: Optional[dict] = None  # noqa: UP045 - as the docs write it


def test_secret_is_shown_as_stars_and_gives_its_value_back(sim: Recorder) -> None:
    secret = Secret(value="Marvin's surprise birthday party is on the 15th")
    assert repr(secret) == str(secret) == "Secret(value=Secret('**********'))"
    assert (repr(secret.value), str(secret.value), type(secret.value).__name__) == ("Secret('**********')", "*" * 10, "Secret")
    assert secret.get() == "Marvin's surprise birthday party is on the 15th"
    assert (Secret.get_block_type_slug(), Secret.get_block_type_name(), Secret._block_type_slug) == ("secret", "Secret", None)


def test_secret_get_decodes_json_strings_as_prefect_does() -> None:
    assert Secret(value="123").get() == 123
    assert Secret(value='{"a": 1}').get() == {"a": 1}
    assert Secret(value="not json").get() == "not json"
    assert Secret(value={"username": "johndoe"}).get() == {"username": "johndoe"}


def test_save_load_and_overwrite(sim: Recorder) -> None:
    saved = Secret(value="15th").save("surprise-party")
    assert isinstance(saved, uuid.UUID)
    with pytest.raises(ValueError) as twice:
        Secret(value="again").save("surprise-party")
    assert str(twice.value) == (
        "You are attempting to save values with a name that is already in use for this block type. If you would "
        "like to overwrite the values that are saved, then save with `overwrite=True`."
    )
    assert Secret(value="16th").save("surprise-party", overwrite=True) == saved  # the same document
    loaded = Secret.load("surprise-party")
    assert (repr(loaded), loaded.get(), loaded.value.get_secret_value()) == ("Secret(value=Secret('**********'))", "16th", "16th")
    assert loaded._block_document_name == "surprise-party" and loaded._block_document_id == saved
    json_secret = Secret(value={"username": "johndoe", "password": "s3cr3t"})
    json_secret.save("json-secret")
    assert Secret.load("json-secret").get() == {"username": "johndoe", "password": "s3cr3t"}


def test_loading_saving_and_naming_errors(sim: Recorder) -> None:
    with pytest.raises(ValueError) as missing:
        Secret.load("no-such-secret")
    assert str(missing.value) == "Unable to find block document named no-such-secret for block type secret"
    with pytest.raises(ValidationError) as bad:
        Secret(value="x").save("Bad_Name")
    assert str(bad.value) == (
        "1 validation error for BlockDocument\nname\n  Value error, Block document name must only contain lowercase "
        "letters, numbers, and dashes. [type=value_error, input_value='Bad_Name', input_type=str]\n"
        "    For further information visit https://errors.pydantic.dev/2.14/v/value_error"
    )
    with pytest.raises(ValueError) as unnamed:
        Secret(value="x").save()
    assert str(unnamed.value).startswith("You're attempting to save a block document without a name.")


def test_a_loaded_block_saves_again_under_its_own_name(sim: Recorder) -> None:
    Cube(edge_length_inches=1).save("cube-one")
    cube = Cube.load("cube-one")
    cube.edge_length_inches = 3
    cube.save(overwrite=True)
    assert Cube.load("cube-one").edge_length_inches == 3.0


def test_a_learners_block_its_slug_repr_and_methods(sim: Recorder) -> None:
    assert (Cube.get_block_type_slug(), Cube.get_block_type_name(), Cube._block_type_slug) == ("cube", "Cube", None)
    assert DatabaseConfig.get_block_type_slug() == "my-db-config"
    rubiks = Cube(edge_length_inches=2.25)
    assert repr(rubiks) == str(rubiks) == "Cube(edge_length_inches=2.25)"
    rubiks.save("rubiks-cube")
    loaded = Cube.load("rubiks-cube")
    assert (repr(loaded), loaded.get_volume()) == ("Cube(edge_length_inches=2.25)", 11.390625)
    assert repr(Block.load("cube/rubiks-cube")) == "Cube(edge_length_inches=2.25)"  # by "type slug/name"
    assert Cube(edge_length_inches="2").edge_length_inches == 2.0  # converted, as pydantic converts


@pytest.mark.parametrize(
    ("name", "slug"), [("Cube", "cube"), ("DatabaseConfig", "databaseconfig"), ("My_Thing", "my-thing"),
                       ("My Nice Block", "my-nice-block"), ("Ünïcode's Block", "unicodes-block")],
)  # fmt: skip
def test_slugs_as_prefect_makes_them(name: str, slug: str) -> None:
    assert slugify(name) == slug


def test_a_block_type_name_makes_the_slug() -> None:
    class Named(Block):
        _block_type_name = "My Nice Block"
        size: int = 1

    assert (Named.get_block_type_name(), Named.get_block_type_slug()) == ("My Nice Block", "my-nice-block")


def test_a_field_that_does_not_fit_is_refused_with_pydantics_error(sim: Recorder) -> None:
    with pytest.raises(ValidationError) as raised:
        Cube(edge_length_inches="abc")
    assert str(raised.value).splitlines() == [
        "1 validation error for Cube",
        "edge_length_inches",
        "  Input should be a valid number, unable to parse string as a number [type=float_parsing, "
        "input_value='abc', input_type=str]",
        "    For further information visit https://errors.pydantic.dev/2.14/v/float_parsing",
    ]
    with pytest.raises(ValidationError, match="edge_length_inches\n  Field required"):
        Cube()


def test_secret_fields_of_pydantics_own_types(sim: Recorder) -> None:
    db = DatabaseConfig(host="localhost", password="hunter2")
    assert repr(db) == "DatabaseConfig(host='localhost', port=5432, password=SecretStr('**********'), options=None)"
    db.save("prod-db")
    stored = sim_prefect.session().store.blocks["my-db-config/prod-db"]
    assert stored.data == {"host": "localhost", "port": 5432, "password": "hunter2", "options": None}
    loaded = DatabaseConfig.load("prod-db")
    assert (str(loaded.password), loaded.password.get_secret_value()) == ("*" * 10, "hunter2")
    with get_client(sync_client=True) as client:
        hidden = client.read_block_document_by_name("prod-db", "my-db-config", include_secrets=False)
        assert hidden.data["password"] == "********"  # as the server sends a secret it does not reveal
        assert client.read_block_document_by_name("prod-db", "my-db-config").data["password"] == "hunter2"


def test_block_types_and_documents_through_the_client(sim: Recorder) -> None:
    Cube(edge_length_inches=1).save("one")
    Cube(edge_length_inches=2).save("two")
    with get_client(sync_client=True) as client:
        assert [(t.name, t.slug) for t in client.read_block_types()] == [("Cube", "cube")]
        documents = client.read_block_documents()
        assert [(d.name, d.block_type_name, d.data) for d in documents] == [
            ("one", "Cube", {"edge_length_inches": 1.0}), ("two", "Cube", {"edge_length_inches": 2.0}),
        ]  # fmt: skip
        client.delete_block_document(documents[0].id)
    with pytest.raises(ValueError, match="Unable to find block document named one for block type cube"):
        Cube.load("one")
    Cube.delete("two")
    assert sim_prefect.session().store.blocks == {}


def test_blocks_outlive_a_run_in_the_stores_json(sim: Recorder) -> None:
    Secret(value="kept").save("kept")
    sim_prefect.configure("deterministic", terminal=False)
    session = sim_prefect.session()
    session.store = Store.from_dict(Store.from_dict({}).to_dict())  # an empty server: nothing
    with pytest.raises(ValueError):
        Secret.load("kept")


def test_a_block_of_an_undefined_class_cannot_be_loaded_by_slug(sim: Recorder) -> None:
    session = sim_prefect.session()
    Cube(edge_length_inches=1).save("c")
    session.store.blocks["ghost/c"] = session.store.blocks.pop("cube/c")
    session.store.blocks["ghost/c"].block_type_slug = "ghost"
    with pytest.raises(UnknownBlockType, match="No block class found for slug 'ghost'"):
        Block.load("ghost/c")


def test_a_changed_schema_fails_to_load_unless_validate_is_false(sim: Recorder) -> None:
    Cube(edge_length_inches=1).save("old")

    class Cube2(Block):
        _block_type_slug = "cube"
        edge_length_inches: float
        colour: str

    with pytest.raises(RuntimeError, match="Unable to load 'old' of block type 'cube' due to failed validation"):
        Cube2.load("old")
    with pytest.warns(UserWarning, match=r"Please specify values for new field\(s\): 'colour'"):
        partial = Cube2.load("old", validate=False)
    assert (partial.edge_length_inches, partial.colour) == (1, None)


def test_save_load_and_delete_are_coroutines_in_async_code(sim: Recorder) -> None:
    seen: dict[str, Any] = {}

    @flow
    async def use_secret() -> None:
        pending = Secret(value="async").save("async-secret")
        seen["save"] = type(pending).__name__
        await pending
        seen["value"] = (await Secret.load("async-secret")).get()
        seen["aload"] = (await Secret.aload("async-secret")).get()
        await Secret.delete("async-secret")

    asyncio.run(use_secret())
    assert seen == {"save": "coroutine", "value": "async", "aload": "async"}
    assert sim_prefect.session().store.blocks == {}


def test_fields_of_the_types_sim_prefect_checks(sim: Recorder) -> None:
    class Colour(enum.Enum):
        RED = "red"

    class Rich(Block):
        when: datetime.datetime
        colour: Colour = Colour.RED
        mode: Literal["a", "b"] = "a"
        tags: list[str] = []
        limits: dict[str, int] = {}
        maybe: int | None = None

    rich = Rich(when="2026-01-01T09:00:00", tags=("x",), limits={"a": "1"})
    assert (rich.when, rich.tags, rich.limits) == (datetime.datetime(2026, 1, 1, 9), ["x"], {"a": 1})
    rich.save("rich")
    assert Rich.load("rich").when == datetime.datetime(2026, 1, 1, 9)
    assert Rich(when="2026-01-01").tags is not Rich(when="2026-01-01").tags  # a default list per block


def test_what_needs_pydantic_fails_loudly(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(NotImitatedError, match=r"pydantic's validators on a block \(Checked.check\)"):

        class Checked(Block):
            size: int

            @pydantic.field_validator("size")
            @classmethod
            def check(cls, value: int) -> int:
                return value

    with pytest.raises(NotImitatedError, match=r"model_config on a block"):

        class Configured(Block):
            model_config = pydantic.ConfigDict(frozen=True)
            size: int

    with pytest.raises(NotImitatedError, match=r"a block field that holds another block \(Outer.inner: Cube\)"):

        class Outer(Block):
            inner: Cube

    monkeypatch.setattr(core, "_pydantic_available", lambda: False)  # the page: no pydantic to hand a type to
    with pytest.raises(NotImitatedError, match=r"the field Pathy.where: Path, a type sim_prefect cannot check"):

        class Pathy(Block):
            where: Path


def test_where_pydantic_is_importable_it_checks_the_types_we_do_not(sim: Recorder) -> None:
    class Pathy(Block):
        where: Path
        count: int = pydantic.Field(default=1, gt=0)

    assert Pathy(where="/tmp").where == Path("/tmp")
    with pytest.raises(ValidationError, match="Input should be greater than 0"):
        Pathy(where="/tmp", count=0)


def test_extra_keywords_are_kept_but_not_shown(sim: Recorder) -> None:
    cube = Cube(edge_length_inches=1, colour="red")
    assert repr(cube) == "Cube(edge_length_inches=1.0)"
    assert cube.model_dump() == {"edge_length_inches": 1.0, "colour": "red", "block_type_slug": "cube"}
