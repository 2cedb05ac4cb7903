"""Blocks, after Prefect's how-to guide "Store secrets" (store-secrets.mdx) and the blocks concept page.

Checks: the guide's Secret examples (save, load in a flow, overwrite), Secret's masked
repr and get() (which decodes JSON strings), a JSON secret; the concept page's Cube
block (slug, repr, save, load, its methods, Block.load("slug/name")); a block with a
SecretStr field and a default, as the custom-blocks guide writes them; the errors
Prefect raises for a taken name, a missing block, a bad document name, no name, and a
field that does not validate. The server is shared by the whole test session: the
documents have names of this scenario's own, and are deleted at the start and the end.
"""

import sys
from typing import Optional

from pydantic import SecretStr

from prefect import flow
from prefect.blocks.core import Block
from prefect.blocks.system import Secret

sys.stdout.reconfigure(line_buffering=True)


class Cube(Block):
    edge_length_inches: float

    def get_volume(self):
        return self.edge_length_inches**3

    def get_surface_area(self):
        return 6 * self.edge_length_inches**2


class DatabaseConfig(Block):
    _block_type_slug = "conformance-db-config"
    host: str
    port: int = 5432
    password: SecretStr
    options: Optional[dict] = None


OURS = [(Secret, "conformance-surprise-party"), (Secret, "conformance-json-secret"),
        (Cube, "conformance-rubiks-cube"), (Cube, "conformance-tiny"), (DatabaseConfig, "conformance-prod-db")]


def clean():
    for block_class, name in OURS:
        try:
            block_class.delete(name)
        except ValueError:
            pass


clean()

# -- the guide's Secret ------------------------------------------------------------------------

secret = Secret(value="Marvin's surprise birthday party is on the 15th")
print("repr:", repr(secret), "| str:", str(secret))
print("value:", repr(secret.value), str(secret.value), type(secret.value).__name__)
print("slug:", Secret.get_block_type_slug(), "| name:", Secret.get_block_type_name())
print("save returns a", type(secret.save("conformance-surprise-party")).__name__)
try:
    Secret(value="again").save("conformance-surprise-party")
except ValueError as e:
    print("save again:", type(e).__name__, e)
Secret(value="Marvin's surprise birthday party is actually on the 16th").save("conformance-surprise-party", overwrite=True)


@flow
def my_flow():
    secret = Secret.load("conformance-surprise-party")
    print(secret.get())


my_flow()
loaded = Secret.load("conformance-surprise-party")
print("loaded:", repr(loaded), "|", loaded.value.get_secret_value())
Secret(value={"username": "johndoe", "password": "s3cr3t"}).save("conformance-json-secret")
print("json secret:", Secret.load("conformance-json-secret").get())
print("a numeric string comes back as:", repr(Secret(value="123").get()))

# -- a block of one's own ---------------------------------------------------------------------

print("Cube slug:", Cube.get_block_type_slug(), "| DatabaseConfig slug:", DatabaseConfig.get_block_type_slug())
rubiks_cube = Cube(edge_length_inches=2.25)
print("repr:", repr(rubiks_cube), "| str:", str(rubiks_cube))
rubiks_cube.save("conformance-rubiks-cube")
Cube(edge_length_inches=0.001).save("conformance-tiny")
cube = Cube.load("conformance-rubiks-cube")
print("loaded:", repr(cube), cube.get_volume(), cube.get_surface_area())
print("by slug:", repr(Block.load("cube/conformance-tiny")))
db = DatabaseConfig(host="localhost", password="hunter2")
print("db:", repr(db))
db.save("conformance-prod-db")
loaded_db = DatabaseConfig.load("conformance-prod-db")
print("db loaded:", repr(loaded_db), "|", loaded_db.password, loaded_db.password.get_secret_value())


@flow(log_prints=True)
def use_block():
    cube = Cube.load("conformance-rubiks-cube")
    print(f"Volume: {cube.get_volume()}")


use_block()

# -- errors -----------------------------------------------------------------------------------

try:
    Secret.load("conformance-no-such-secret")
except ValueError as e:
    print("load missing:", type(e).__name__, e)
for bad in ["Bad_Name", "UPPER"]:
    try:
        Secret(value="x").save(bad)
    except Exception as e:
        print("bad name:", type(e).__name__, str(e).splitlines()[:3])
try:
    Secret(value="x").save()
except ValueError as e:
    print("no name:", type(e).__name__, e)
try:
    Cube(edge_length_inches="abc")
except Exception as e:
    print("bad field:", type(e).__name__, str(e).splitlines()[:3])

clean()
for block_class, name in OURS:
    try:
        block_class.load(name)
    except ValueError as e:
        print("deleted:", e)
