"""A first flow: two small tasks called from one flow, run twice.

Read the run names in the log: each flow run gets a random two-word name,
and each task run is named after its task plus three random hex characters.
"""

from sim_prefect import flow, print_state_log, task


@task
def make_greeting(name: str) -> str:
    return f"Hello, {name}!"


@task
def shout(text: str) -> str:
    return text.upper()


@flow(log_prints=True)
def say_hello(name: str = "world") -> str:
    greeting = make_greeting(name)  # a task call returns the task's value
    loud = shout(greeting)
    print(loud)  # log_prints=True turns print() into a log line
    return loud


if __name__ == "__main__":
    say_hello()
    say_hello(name="Prefect")
    print_state_log()  # the simulator's record of every run and its states
