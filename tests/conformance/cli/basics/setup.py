"""What a learner's server holds after a few runs: the flow runs of a small pipeline (one fails, one retries a
task), variables, a Secret block, a tag's concurrency limit and a global one (Prefect 3.9.1's guides:
docs/v3/how-to-guides/workflows/write-and-run.mdx, configuration/variables.mdx, configuration/store-secrets.mdx,
workflows/global-concurrency-limits.mdx, workflows/tag-based-concurrency-limits.mdx)."""

from prefect import flow, task, get_run_logger
from prefect.blocks.system import Secret
from prefect.client.orchestration import get_client
from prefect.client.schemas.actions import GlobalConcurrencyLimitCreate
from prefect.variables import Variable

ATTEMPTS = {"n": 0}


@task(retries=1, retry_delay_seconds=1)
def fetch_data(url: str, flaky: bool = False) -> list[int]:
    print(f"Fetching data from {url}")
    if flaky:
        ATTEMPTS["n"] += 1
        if ATTEMPTS["n"] == 1:
            raise ConnectionError(f"Temporary failure fetching {url}")
    return [1, 2, 3, 4, 5]


@task
def process_data(data: list[int], fail: bool = False) -> int:
    print(f"Processing {len(data)} records")
    if fail:
        raise ValueError("Bad record encountered while processing")
    total = sum(data)
    get_run_logger().info("Total is %s", total)
    return total


@flow(name="cli-pipeline", log_prints=True)
def pipeline(url: str = "https://example.com/data.json", n: int = 5, fail: bool = False, flaky: bool = False) -> int:
    print(f"Starting pipeline for {url} (n={n})")
    data = fetch_data(url, flaky=flaky)
    total = process_data(data, fail=fail)
    print(f"Pipeline finished: total={total}")
    return total


if __name__ == "__main__":
    pipeline.with_options(flow_run_name="cli-ok")()
    pipeline.with_options(flow_run_name="cli-fail")(url="https://example.com/broken.json", fail=True, return_state=True)
    pipeline.with_options(flow_run_name="cli-retry")(url="https://example.com/flaky.json", flaky=True)
    Secret(value="s3cr3t").save("cli-api-key")
    Variable.set("cli_environment", "production")
    Variable.set("cli_max_retries", 3)
    Variable.set("cli_config", {"region": "us-east-1", "debug": False, "batch_size": 100})
    Variable.set("cli_flags", {"a": 1, "b": [True, None]})
    with get_client(sync_client=True) as client:
        client.create_concurrency_limit(tag="cli-database", concurrency_limit=5)
        client.create_global_concurrency_limit(GlobalConcurrencyLimitCreate(name="cli-slow-api", limit=10))
