"""The nightly export's settings come from the server: a variable for the batch size, a Secret block for the password."""

from sim_prefect import flow, print_state_log, task
from sim_prefect.blocks.system import Secret
from sim_prefect.variables import Variable


def connect(password: str) -> str:
    """Stands in for your database driver."""
    return f"a warehouse connection (password of {len(password)} characters)"


@task
def export(rows: int, batch_size: int) -> int:
    secret = Secret.load("warehouse-password")  # loaded where it is used, not passed around
    print(f"loaded {secret}")
    print(f"opened {connect(secret.get())}")
    batches = -(-rows // batch_size)  # rounded up
    print(f"exporting {rows} rows in {batches} batches of {batch_size}")
    return batches


@flow(log_prints=True)
def nightly_export(rows: int = 1200) -> int:
    batch_size = Variable.get("export_batch_size", default=100)
    return export(rows, batch_size)


if __name__ == "__main__":
    # Once, by whoever runs the pipeline (or with the prefect CLI):
    Secret(value="correct-horse-battery-staple").save("warehouse-password", overwrite=True)
    Variable.unset("export_batch_size")  # start without the variable, so that every Run shows both cases
    nightly_export()  # no variable: the default, 100
    Variable.set("export_batch_size", 500, overwrite=True)
    nightly_export()  # the same code, now 500 per batch
    print_state_log()
