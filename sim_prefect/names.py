"""Run names, as Prefect 3 generates them.

- Flow runs get a random ``adjective-animal`` slug (Prefect uses coolname; we
  keep our own short word lists of the same shape).
- Task runs get ``{task name}-{3 hex characters}``; Prefect takes the first
  three characters of a uuid4. They are not numbered ``-0``, ``-1`` (that was
  Prefect 2).
- Flow names come from the function name with ``_`` turned into ``-``; task
  names keep the function name.

Randomness comes from a `random.Random` the caller owns, so a seeded run
gives the same names every time.
"""

from __future__ import annotations

import inspect
import random
from typing import Any

ADJECTIVES = (
    "amber agile amiable arcane azure bold brave bright calm capable cheerful clever "
    "cosmic crimson curious daring dapper eager electric emerald fancy fearless "
    "festive fiery gentle gifted glossy golden gracious hallowed happy hidden humble "
    "icy imposing jolly keen lavender lively lucky luminous magnetic mellow merry "
    "mighty misty modest nimble noble olive opal orange patient persimmon placid "
    "polished precise proud quick quiet radiant rapid rustic sapphire scarlet serene "
    "silver smart snowy spirited steady stellar sturdy sunny swift tactful teal "
    "tidy tireless tranquil turquoise vivid warm whimsical wise witty zealous"
).split()

ANIMALS = (
    "agama albatross alpaca antelope armadillo badger beaver bison bobcat bonobo "
    "caracara caribou chamois cheetah chipmunk cormorant coyote crane dingo dolphin "
    "donkey eagle echidna egret falcon ferret finch flamingo gazelle gecko gibbon "
    "gorilla hedgehog heron hyena ibex iguana jackal jaguar kestrel kingfisher koala "
    "lemur leopard llama loris lynx macaw marmot meerkat mongoose moose narwhal ocelot "
    "okapi orca osprey otter panda pelican penguin petrel pika puffin quokka rat "
    "raven seal skunk sloth spaniel starling swan tapir toucan turtle viper wallaby "
    "walrus waxbill weasel wolf wombat yak zebra"
).split()


def flow_name_from_function(fn_name: str) -> str:
    """``plain_flow`` -> ``plain-flow``, as Prefect names flows."""
    return fn_name.replace("_", "-")


def flow_run_name(rng: random.Random) -> str:
    return f"{rng.choice(ADJECTIVES)}-{rng.choice(ANIMALS)}"


def task_run_suffix(rng: random.Random) -> str:
    return f"{rng.getrandbits(12):03x}"


def task_run_name(task_name: str, rng: random.Random) -> str:
    return f"{task_name}-{task_run_suffix(rng)}"


def resolve_custom_run_name(kind: str, template: Any, parameters: dict[str, Any]) -> str:
    """A run name from ``flow_run_name=`` / ``task_run_name=``: a template or a callable.

    As Prefect's ``resolve_custom_flow_run_name`` and ``resolve_custom_task_run_name``:
    a string is formatted with the call's parameters; a callable is called (a task's
    with ``parameters=`` when it takes that keyword) and must return a string. The
    caller enters the run's context first, so the callable can read ``prefect.runtime``.
    """
    check_run_name_template(kind, template)
    if callable(template):
        if kind == "task" and "parameters" in inspect.signature(template).parameters:
            name = template(parameters=parameters)
        else:
            name = template()
        if not isinstance(name, str):
            raise TypeError(
                f"Callable {template} for '{kind}_run_name' returned type {type(name).__name__} but a string is required."
            )
        return name
    return str(template).format(**parameters)


def check_run_name_template(kind: str, template: Any) -> None:
    """A run-name template must be a string or a callable (None: a generated name), as Prefect checks it."""
    if template is not None and not isinstance(template, str) and not callable(template):
        raise TypeError(f"Expected string or callable for '{kind}_run_name'; got {type(template).__name__} instead.")
