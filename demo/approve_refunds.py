"""Refunds wait for a person: the flow run pauses until someone approves or refuses them."""

from sim_prefect import flow, get_run_logger, print_state_log, task
from sim_prefect.flow_runs import pause_flow_run
from sim_prefect.input import RunInput


class Approval(RunInput):
    approve: bool
    reviewer: str
    note: str = ""


@task
def find_refunds() -> list[dict]:
    return [{"order": 1041, "amount": 35.0}, {"order": 1042, "amount": 120.0}]


@task
def pay_refunds(refunds: list[dict]) -> float:
    total = sum(refund["amount"] for refund in refunds)
    get_run_logger().info(f"paid {len(refunds)} refunds, {total:.2f} EUR in all")
    return total


@flow(log_prints=True)
def refund_batch() -> None:
    refunds = find_refunds()
    total = sum(refund["amount"] for refund in refunds)
    answer = pause_flow_run(
        wait_for_input=Approval.with_initial_data(
            description=f"**Pay {len(refunds)} refunds, {total:.2f} EUR in all?**", approve=False
        ),
        timeout=600,  # ten minutes to answer; then the run fails
    )
    if not answer.approve:
        print(f"{answer.reviewer} refused the refunds: {answer.note or 'no reason given'}")
        return
    print(f"{answer.reviewer} approved the refunds")
    pay_refunds(refunds)


if __name__ == "__main__":
    refund_batch(return_state=True)  # unanswered after ten minutes, the run fails and pays nothing
    print_state_log()
