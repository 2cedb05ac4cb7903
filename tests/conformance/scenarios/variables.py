"""Variables, after Prefect's how-to guide "Share configuration between workflows" (variables.mdx).

Checks: Variable.set / get (with and without a default) / set with overwrite / unset,
as the guide shows them; what set returns; setting an existing variable without
overwrite; names and values Prefect refuses (pydantic's ValidationError, as Prefect
raises it); JSON values of each kind; the guide's "contextual behavior" example, sync
and async (in an async flow the plain names give coroutines). The server is shared by
the whole test session: the variables have names of this scenario's own, and are
removed at the start and the end.
"""

import asyncio
import sys

from prefect import flow
from prefect.variables import Variable

sys.stdout.reconfigure(line_buffering=True)

OURS = ["conformance_answer", "conformance_crew_members", "conformance_json", "conformance_tmp"]
for name in OURS:
    Variable.unset(name)


# -- the guide's operations ----------------------------------------------------------------

print("set:", repr(Variable.set("conformance_answer", 42)))
print("get:", repr(Variable.get("conformance_answer")))
print("get with a default:", repr(Variable.get("conformance_missing", default=42)))
print("get a missing one:", repr(Variable.get("conformance_missing")))
try:
    Variable.set("conformance_answer", 43)
except ValueError as e:
    print("set again:", type(e).__name__, e)
print("overwrite:", repr(Variable.set("conformance_answer", 43, overwrite=True, tags=["a", "b"])))
print("get after overwrite:", repr(Variable.get("conformance_answer")))
print("unset:", Variable.unset("conformance_answer"), "| again:", Variable.unset("conformance_answer"))

for value in ["text", 1.5, True, None, [1, "x"], {"k": [1, 2]}, (1, 2)]:
    stored = Variable.set("conformance_json", value, overwrite=True)
    print("value", repr(value), "->", repr(Variable.get("conformance_json")), "|", repr(stored))

for bad_name in ["Bad Name", "UPPER", "has.dot", "a" * 256]:
    try:
        Variable.set(bad_name, 1)
    except Exception as e:
        print("name", repr(bad_name[:12]), "->", type(e).__name__, str(e).splitlines()[:3])

for bad_value in [object(), "x" * 6000]:
    try:
        Variable.set("conformance_tmp", bad_value)
    except Exception as e:
        line = str(e).splitlines()[2].split(" [type=")[0]
        print("value refused ->", type(e).__name__, str(e).splitlines()[:2], line)
try:
    Variable.set("conformance_json", {1: 2}, overwrite=True)  # it exists: VariableUpdate says so
except Exception as e:
    print("update refused ->", type(e).__name__, str(e).splitlines()[:3])


# -- the guide's "contextual behavior" examples --------------------------------------------


@flow(log_prints=True)
def space_mission_sync(mission_name: str):
    crew = Variable.get("conformance_crew_members", default=["Backup1", "Backup2"])
    print(f"Launching {mission_name} with crew: {', '.join(crew)}")


@flow(log_prints=True)
async def space_mission_async(mission_name: str):
    crew = await Variable.get("conformance_crew_members", default=["Backup1", "Backup2"])
    print(f"Launching {mission_name} with crew: {', '.join(crew)}")
    pending = Variable.get("conformance_crew_members")
    print(f"Variable.get in an async flow gives a {type(pending).__name__}: {await pending}")
    print("aset:", repr(await Variable.aset("conformance_tmp", {"a": 1}, overwrite=True)))
    print("aget:", await Variable.aget("conformance_tmp"))
    print("aunset:", await Variable.aunset("conformance_tmp"), await Variable.aunset("conformance_tmp"))
    print("forced sync:", Variable.get("conformance_crew_members", _sync=True))


space_mission_sync("Mars Expedition")
Variable.set("conformance_crew_members", ["Zaphod", "Arthur", "Trillian"])
space_mission_sync("Mars Expedition")
asyncio.run(space_mission_async("Mars Expedition"))

for name in OURS:
    Variable.unset(name)
print("cleaned up:", [Variable.get(name) for name in OURS])
