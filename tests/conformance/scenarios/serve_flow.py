"""Serving a flow, and running its deployment from another terminal.

From docs/v3/how-to-guides/deployments/create-deployments.mdx ("Create a deployment with
`serve`": ``my_flow.serve(name="my-first-deployment")``) and run-deployments.mdx ("Run a
deployment from the CLI": ``prefect deployment run my-flow/my-deployment --param
my_param=42``). The conformance suite types the command while this serves (tests/harness/
serving.py), then presses Ctrl-C once the run has ended: the serving process prints its start
message, the run's lines, and the runner's shutdown lines.
"""

from prefect import flow


@flow(log_prints=True)
def my_flow(name: str = "world"):
    print(f"Hello, {name}!")


if __name__ == "__main__":
    my_flow.serve(name="my-first-deployment")
    print("serve() returned")
