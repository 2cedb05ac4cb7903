"""Prefect 3's exact message texts, in one place.

Quoted from real Prefect 3.9.1 transcripts (and the same in 3.8.8). The engine,
the lesson, the demos and the tests all take the wording from here, so a change
of wording is a change of one line. Where Prefect's punctuation differs between
two near-identical messages, that difference is Prefect's, not a typo.
"""

from __future__ import annotations

# -- log line layout (prefect/logging/logging.yml, formatter "standard") -------
LINE_FLOW = "{time} | {level:<7} | Flow run {run_name!r} - {message}"
LINE_TASK = "{time} | {level:<7} | Task run {run_name!r} - {message}"
LINE_OTHER = "{time} | {level:<7} | {logger} - {message}"

# -- flow runs ----------------------------------------------------------------
BEGINNING_FLOW_RUN = "Beginning flow run {run_name!r} for flow {flow_name!r}"
BEGINNING_SUBFLOW_RUN = "Beginning subflow run {run_name!r} for flow {flow_name!r}"
FINISHED_IN_STATE = "Finished in state {state}"
FLOW_ENCOUNTERED_EXCEPTION = "Encountered exception during execution: {exc!r}"
# A failed run's state message is "{prefix} {type}: {exc}". Note the colon after
# "exception" in the flow's prefix and its absence in the task's: Prefect's own.
FLOW_FAILED_PREFIX = "Flow run encountered an exception:"
FLOW_RETRY = (
    "Received non-final state 'AwaitingRetry' when proposing final state {proposed!r} "
    "and will attempt to run again..."
)
FLOW_TIMEOUT = "Flow run exceeded timeout of {timeout} second(s)"
FLOW_TIMEOUT_FROM_TASK = "Flow run failed due to timeout: {exc!r}"
STATES_FAILED = "{failed}/{total} states failed."

# -- task runs ----------------------------------------------------------------
TASK_FAILED_PREFIX = "Task run encountered an exception"
# {kind} is "exception", or "state" when the task returned a Failed state.
TASK_RETRY = "Task run failed with {kind}: {exc!r} - Retry {attempt}/{retries} will start {when}"
RETRY_IMMEDIATELY = "immediately"
RETRY_IN_SECONDS = "{delay} second(s) from now"
TASK_RETRIES_EXHAUSTED = "Task run failed with {kind}: {exc!r} - Retries are exhausted"
TASK_FAILED = "Task run failed with {kind}: {exc!r}"
TASK_TIMEOUT = "Task run exceeded timeout of {timeout} second(s)"
TASK_TIMEOUT_OTHER = "Task run failed due to timeout: {exc!r}"
SCOPE_TIMED_OUT = "Scope timed out after {timeout} second(s)."

# -- crashes --------------------------------------------------------------------
CRASH_MESSAGE = "Execution was interrupted by an unexpected exception: {exc}"
CRASH_DETECTED = "Crash detected! {message}"

# -- errors ---------------------------------------------------------------------
MISSING_CONTEXT = "There is no active flow or task run context."
RUN_ENDED_WITHOUT_RESULT = "Run ended in state {state} without a result."
