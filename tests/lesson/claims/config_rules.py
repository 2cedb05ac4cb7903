"""Page 8's rules about variables and Secret blocks, printed as `CLAIM name: outcome` for the test to read.

The names are this script's own (the real leg's server is shared), removed at the start and the end.
"""

import sys

from prefect.blocks.system import Secret
from prefect.variables import Variable

sys.stdout.reconfigure(line_buffering=True)
NAME, SECRET, NUMBER = "claims_p8_batch_size", "claims-p8-password", "claims-p8-number"


def claim(name, outcome):
    print(f"CLAIM {name}: {outcome}")


def attempt(what, fn):
    try:
        claim(what, repr(fn()))
    except Exception as exc:
        lines = [line.strip() for line in str(exc).splitlines()]
        said = next((line for line in lines if line.startswith("Value error")), lines[-1] if lines else "")
        claim(what, f"{type(exc).__name__}: {said}")


def clean():
    Variable.unset(NAME)
    for name in (SECRET, NUMBER):
        try:
            Secret.delete(name)
        except Exception:
            pass


clean()
claim("a missing variable, with a default", repr(Variable.get(NAME, default=100)))
claim("a missing variable", repr(Variable.get(NAME)))
Variable.set(NAME, 500)
attempt("set again without overwrite", lambda: Variable.set(NAME, 600))
Variable.set(NAME, 600, overwrite=True)
claim("set again with overwrite=True", repr(Variable.get(NAME)))
attempt("a name with a capital", lambda: Variable.set("Batch_size", 1))
Secret(value="correct-horse-battery-staple").save(SECRET)
secret = Secret.load(SECRET)
claim("a Secret printed", str(secret))
claim("a Secret's value", repr(secret.get()))
attempt("save twice without overwrite", lambda: Secret(value="x").save(SECRET))
attempt("a block name with an underscore", lambda: Secret(value="x").save("claims_p8"))
Secret(value="123").save(NUMBER)
claim("a Secret holding '123'", repr(Secret.load(NUMBER).get()))
clean()
