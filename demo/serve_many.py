"""Two deployments in one serving process; the evening one runs the other, and waits for it."""

import sim_prefect
from sim_prefect import flow, print_state_log, serve
from sim_prefect.deployments import run_deployment


@flow(log_prints=True)
def refresh_prices(source: str = "all", currency: str = "EUR") -> None:
    print(f"Refreshing {source} prices in {currency}")


@flow(log_prints=True)
def close_the_day() -> None:
    run = run_deployment("refresh-prices/on-demand", parameters={"currency": "USD"})
    print(f"{type(run).__name__} {run.name!r} ended {run.state.name}, with parameters {run.parameters}")


if __name__ == "__main__":
    prices = refresh_prices.to_deployment(name="on-demand", parameters={"source": "suppliers"})
    closing = close_the_day.to_deployment(name="evenings", cron="30 17 * * *")
    # The page only: stop serving after a day of its clock, as Ctrl-C would at home.
    sim_prefect.session().serving.until = sim_prefect.session().now() + 24 * 3600
    serve(prices, closing)
    print_state_log()
