"""A flow served as a deployment, as Prefect 3.9.1's guide serves one
(docs/v3/how-to-guides/deployments/run-flows-in-local-processes.mdx): it runs until Ctrl-C, and runs what
`prefect deployment run` asks for meanwhile."""

from prefect import flow, task


@task
def fetch(url: str) -> list[int]:
    print(f"Fetching {url}")
    return [1, 2, 3]


@task
def process(data: list[int], fail: bool) -> int:
    if fail:
        raise ValueError("Bad record encountered while processing")
    return sum(data)


@flow(name="cli-served", log_prints=True)
def served(url: str = "https://example.com/data.json", n: int = 5, fail: bool = False) -> int:
    total = process(fetch(url), fail)
    print(f"n={n}, total={total}")
    return total


if __name__ == "__main__":
    served.serve(
        name="cli-demo",
        parameters={"url": "https://example.com/data.json", "n": 5},
        tags=["demo"],
        description="A deployment the CLI runs",
    )
