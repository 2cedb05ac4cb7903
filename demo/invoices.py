"""Exercise: retry only what can succeed.

The billing API is busy when it is first asked for invoice 2, and invoice 3
does not exist at all. load_invoice retries every failure, so invoice 3 is
asked for four times before the run gives up. Add a retry_condition_fn to
load_invoice so that Prefect still retries the busy API but stops at once
when an invoice does not exist. Leave billing_api() as it is.
"""

from sim_prefect import flow, print_state_log, task

asked: dict[int, int] = {}


def billing_api(number: int) -> dict:
    """Stands in for the billing service: busy once for invoice 2; invoice 3 does not exist."""
    asked[number] = asked.get(number, 0) + 1
    if number == 3:
        raise LookupError(f"invoice {number} does not exist")
    if number == 2 and asked[number] == 1:
        raise ConnectionError("billing API busy, try again")
    return {"number": number, "total": 100 * number}


@task(retries=3, retry_delay_seconds=2)
def load_invoice(number: int) -> dict:
    return billing_api(number)


@flow(log_prints=True)
def invoice_totals(numbers: list[int]) -> int:
    states = [load_invoice(n, return_state=True) for n in numbers]
    invoices = [s.result() for s in states if s.is_completed()]
    total = sum(invoice["total"] for invoice in invoices)
    print(f"Loaded {len(invoices)} of {len(numbers)} invoices, total {total}; the API was asked {sum(asked.values())} times")
    return total


if __name__ == "__main__":
    invoice_totals([1, 2, 3])
    print_state_log()
