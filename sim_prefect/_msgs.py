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
# Prefect's internal loggers (prefect._internal.*) use its "debug" format, with the thread's name.
LINE_INTERNAL = "{time} | {level:<7} | {thread:<12} | {logger} - {message}"

# -- flow runs ----------------------------------------------------------------
BEGINNING_FLOW_RUN = "Beginning flow run {run_name!r} for flow {flow_name!r}"
BEGINNING_SUBFLOW_RUN = "Beginning subflow run {run_name!r} for flow {flow_name!r}"
FINISHED_IN_STATE = "Finished in state {state}"
FLOW_ENCOUNTERED_EXCEPTION = "Encountered exception during execution: {exc!r}"
# A failed run's state message is "{prefix} {type}: {exc}". Note the colon after
# "exception" in the flow's prefix and its absence in the task's: Prefect's own.
FLOW_FAILED_PREFIX = "Flow run encountered an exception:"
FLOW_RETRY = (
    "Received non-final state {state!r} when proposing final state {proposed!r} "
    "and will attempt to run again..."
)
FLOW_TIMEOUT = "Flow run exceeded timeout of {timeout} second(s)"
FLOW_TIMEOUT_FROM_TASK = "Flow run failed due to timeout: {exc!r}"
STATES_FAILED = "{failed}/{total} states failed."

# -- flow parameters (prefect/flows.py validate_parameters, flow_engine.begin_run) -----
# pydantic's errors link to its documentation, for the release installed with Prefect 3.9.1.
PYDANTIC_ERROR_URL = "https://errors.pydantic.dev/2.14/v/{type}"
PARAMETER_VALIDATION_FAILED = "Parameter validation failed for flow {flow_name!r}: {errors}\nParameters: {parameters}"
INVALID_PARAMETERS = "Flow run received invalid parameters:\n - "
VALIDATION_FAILED_PREFIX = "Validation of flow parameters failed with error:"

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
TIMEOUT_IN_WORKER_THREAD = (
    "Timeout of {timeout} seconds configured for this task, but the task is running in a "
    "worker thread. Timeouts in worker threads cannot interrupt blocking operations like "
    "`time.sleep()`, network requests, or file I/O. The timeout will only take effect after "
    "the blocking operation completes. Consider using an async task with `await` statements "
    "for reliable timeout behavior. See https://docs.prefect.io/v3/how-to-guides/workflows/"
    "write-and-run#task-timeout-behavior for more information."
)
# The Failed state a `retry_condition_fn` is shown for an exception (note: "unexpected").
TASK_UNEXPECTED_EXCEPTION = "Task run encountered unexpected exception: {exc!r}"
RETRY_CONDITION_ERROR = (
    "An error was encountered while running `retry_condition_fn` check '{condition!r}' "
    "for task {task!r}"
)
UPSTREAM_NOT_COMPLETED = "Upstream task run '{run_id}' did not reach a 'COMPLETED' state."

# -- caching and results (task_engine, transactions, _internal/result_records) ---------
CACHE_KEY_ERROR = "Error encountered when computing cache key - result will not be persisted."
SERIALIZE_FAILED = (
    "Failed to serialize object of type {type!r} with serializer {serializer!r}. You can try a different "
    'serializer (e.g. result_serializer="json") or disabling persistence (persist_result=False) for this '
    "flow or task."
)
SERIALIZE_WARNING = (
    "Encountered an error while serializing result for transaction {key!r}: {error} Code execution will "
    "continue, but the transaction will not be committed."
)
ROLLED_BACK = "Task rolled back as part of transaction"
IGNORING_CACHE_POLICY = "Ignoring `cache_policy` because `persist_result` is False"
BOTH_CACHE_OPTIONS = "Both `cache_policy` and `cache_key_fn` are set on task {task}. `cache_key_fn` will be used."
SERIALIZABLE_UNSUPPORTED = (
    "Isolation level SERIALIZABLE is not supported by provided configuration. Please ensure you've provided a "
    "lock file directory or lock manager when using the SERIALIZABLE isolation level."
)
NO_LOCK_MANAGER = (
    "Result store is not configured with a lock manager. Please set a lock manager when creating the result "
    "store to enable locking."
)
RECORD_LOCKED = "Cannot write to result record with key {key} because it is locked by another holder."
LOCK_NOT_HELD = "No lock held by {holder} for transaction with key {key}"
# sim_prefect's own words, where Prefect would wait forever.
LOCK_NEVER_RELEASED = "sim_prefect: the lock on {key!r} is held by a transaction that can never release it"

# -- transactions (prefect/transactions.py) --------------------------------------------
# {kind} is "commit" or "rollback"; {Kind} the same, capitalised.
TXN_HOOK_RUNNING = "Running {kind} hook {name!r}"
TXN_HOOK_FINISHED = "{Kind} hook {name!r} finished running successfully"
TXN_HOOK_ERROR = "An error was encountered while running {kind} hook {name!r}"
TXN_COMMIT_ERROR = "An error was encountered while committing transaction {key!r}"
TXN_ROLLBACK_ERROR = "An error was encountered while rolling back transaction {key!r}"
TXN_UNKNOWN_KEY = "Could not retrieve value for unknown key: {name}"
TXN_ENTERED_TWICE = "Context already entered. Context enter calls cannot be nested."
TXN_EXIT_WITHOUT_ENTER = "Asymmetric use of context. Context exit called without an enter."
ASYNC_TXN_IN_WITH = (
    "AsyncTransaction does not support the `with` statement. Use the `async with` statement instead."
)

# -- artifacts (prefect/artifacts.py) -------------------------------------------------
ARTIFACT_KEY_INVALID = "Artifact key must only contain lowercase letters, numbers, and dashes."
ARTIFACT_OUTSIDE_RUN = (
    "Artifact creation outside of a flow or task run is deprecated and will be removed in a later version."
)

# What a task run that ends still Pending adds to its "Finished in state Pending()" (task_engine.py:385).
TASK_LEFT_PENDING = (
    "\nPlease wait for all submitted tasks to complete before exiting your flow by calling `.wait()` on the "
    "`PrefectFuture` returned from your `.submit()` calls.\n\nExample:\n\nfrom prefect import flow, task\n\n"
    '@task\ndef say_hello(name):\n    print(f"Hello, {name}!")\n\n@flow\ndef example_flow():\n'
    '    future = say_hello.submit(name="Marvin")\n    future.wait()\n\nexample_flow()\n'
)

# -- variables (prefect/variables.py, prefect/types/names.py, prefect/types/__init__.py) ----------
VARIABLE_EXISTS = "Variable {name!r} already exists. Use `overwrite=True` to update it."
VARIABLE_NAME_INVALID = "Variable name must only contain lowercase letters, numbers, and dashes or underscores."
VARIABLE_NOT_JSON = "Variable value must be serializable to JSON"
VARIABLE_TOO_LONG = "Variable value must be less than {limit} characters"

# -- blocks (prefect/blocks/core.py) ------------------------------------------------------
BLOCK_NAME_TAKEN = (
    "You are attempting to save values with a name that is already in use for this block type. If you would "
    "like to overwrite the values that are saved, then save with `overwrite=True`."
)
BLOCK_WITHOUT_NAME = (
    "You're attempting to save a block document without a name. Please either call `save` with a `name` or "
    "pass `is_anonymous=True` to save an anonymous block."
)
BLOCK_NOT_FOUND = "Unable to find block document named {name} for block type {slug}"
BLOCK_DOCUMENT_NAME_INVALID = "Block document name must only contain lowercase letters, numbers, and dashes."
BLOCK_CLASS_NOT_FOUND = (
    "No block class found for slug {slug!r}. Please ensure that the block class is available in the current "
    "environment."
)
BLOCK_LOAD_INVALID = (
    "Unable to load {name!r} of block type {slug!r} due to failed validation. To load without validation, try "
    "loading again with `validate=False`."
)
BLOCK_LOAD_PARTIAL = (
    "Could not fully load {name!r} of block type {slug!r} - this is likely because one or more required fields "
    "were added to the schema for {cls!r} that did not exist on the class when this block was last saved. Please "
    "specify values for new field(s): {fields}, then run `{cls}.save(\"{name}\", overwrite=True)`, and load this "
    "block again before attempting to use it."
)

# -- concurrency limits (prefect/concurrency/_asyncio.py; the server's words in api/concurrency_limits_v2.py) ---
CONCURRENCY_LIMITS_MISSING = "Concurrency limits {names!r} do not exist - skipping acquisition."
CONCURRENCY_LIMITS_STRICT = "Concurrency limits {names!r} must be created before acquiring slots"
CONCURRENCY_TIMEOUT = "Attempt to acquire concurrency slots timed out after {timeout} second(s)"
CONCURRENCY_REFUSED = "Unable to acquire concurrency slots on {names!r}: {status}"
SLOTS_OVER_LIMIT = "Slots requested is greater than the limit"
RATE_LIMIT_WITHOUT_DECAY = (
    "Only concurrency limits with slot decay can be used for rate limiting. The following limits do not have a "
    "decay configured: {names!r}"
)
HTTP_STATUS_ERROR = (
    "Client error '{status}' for url '{url}' - Response: {body} - For more information check: "
    "https://developer.mozilla.org/en-US/docs/Web/HTTP/Status/{code}"
)
# Prefect's service thread logs each failed acquisition on its internal logger (_internal/concurrency/services.py).
SERVICE_FAILED = "Service {service!r} failed to process item {item}"

# -- state change hooks (task_engine.call_hooks, flow_engine.call_hooks) -------------
HOOK_RUNNING = "Running hook {name!r} in response to entering state {state!r}"
HOOK_FINISHED = "Hook {name!r} finished running successfully"
HOOK_ERROR = "An error was encountered while running hook {name!r}"
# {decorator} is "task" or "flow"; the tab before `pass` is Prefect's.
HOOKS_NOT_ITERABLE = (
    "Expected iterable for '{option}'; got {type} instead. Please provide a list of hooks to "
    "'{option}':\n\n@{decorator}({option}=[hook1, hook2])\ndef my_{decorator}():\n\tpass"
)
HOOK_NOT_CALLABLE = (
    "Expected callables in '{option}'; got {type} instead. Please provide a list of hooks to "
    "'{option}':\n\n@{decorator}({option}=[hook1, hook2])\ndef my_{decorator}():\n\tpass"
)

# -- crashes --------------------------------------------------------------------
CRASH_MESSAGE = "Execution was interrupted by an unexpected exception: {exc}"
CRASH_DETECTED = "Crash detected! {message}"
CANCELLED_BY_TASK_RUNNER = "Task run cancelled by the task runner"

# -- errors ---------------------------------------------------------------------
NOT_IN_SIM = "sim_prefect, the stand-in for Prefect that these pages use, has no such module (see sim_prefect/PORT.yaml)."
# What sim_prefect says about a Prefect feature it leaves out (not Prefect's text).
NOT_IMITATED = (
    "{feature} ({detail}) cannot run on sim_prefect, the stand-in for Prefect that these pages use. "
    "It works with real Prefect; sim_prefect/PORT.yaml lists what the stand-in leaves out."
)
MISSING_CONTEXT = "There is no active flow or task run context."
SUBMIT_OUTSIDE_FLOW = (
    "Unable to determine task runner to use for submission. If you are submitting a task "
    "outside of a flow, please use `.delay` to submit the task run for deferred execution."
)
MAP_OUTSIDE_FLOW = (
    "Unable to determine task runner to use for mapped task runs. If you are mapping a task "
    "outside of a flow, please provide `deferred=True` to submit the mapped task runs for "
    "deferred execution."
)
MAP_NO_ITERABLE = (
    "No iterable parameters were received. Parameters for map must include at least one "
    "iterable. Parameters: {parameters}"
)
MAP_LENGTH_MISMATCH = (
    "Received iterable parameters with different lengths. Parameters for map must all be "
    "the same length. Got lengths: {lengths}"
)
# -- futures (prefect/futures.py) ----------------------------------------------------
NEGATIVE_TIMEOUT = "'timeout' must be a non-negative number, got {timeout}"
FUTURE_TIMEOUT = "Task run {run_id} did not complete within {timeout} seconds"
FUTURE_LIST_TIMEOUT = "Timed out waiting for all futures to complete within {timeout} seconds"
AS_COMPLETED_TIMEOUT = "{pending} (of {total}) futures unfinished"

# Python's warning (from Prefect's API log handler) when a task outside any flow logs.
LOGS_WITHOUT_FLOW_RUN = (
    "Logger {logger!r} attempted to send logs to the API without a flow run id. The API log "
    "handler can only send logs within flow run contexts unless the flow run id is manually "
    "provided. Set PREFECT_LOGGING_TO_API_WHEN_MISSING_FLOW=ignore to suppress this warning."
)

# pydantic's warning for State.copy(update=...) (the docs' example of cancelling runs through the client).
PYDANTIC_COPY_DEPRECATED = (
    "The `copy` method is deprecated; use `model_copy` instead. See the docstring of `BaseModel.copy` for "
    "details about how to handle `include` and `exclude`. Deprecated in Pydantic V2.0 to be removed in V3.0. "
    "See Pydantic V2 Migration Guide at https://errors.pydantic.dev/2.14/migration/"
)

# -- the client (prefect/client, prefect/states.py) --------------------------------------------
STATE_DATA_MISSING = (
    "State data is missing. Typically, this occurs when result persistence is disabled and the state has been "
    "retrieved from the API."
)

# -- deployments and serving (prefect/flows.py, prefect/runner, prefect/deployments) -------------
# flow.serve's start message (rich expands the tab to 8 spaces); the UI line only when a UI address is known.
SERVE_FLOW_TOP = "Your flow {flow_name!r} is being served and polling for scheduled runs!"
SERVE_FLOW_HOW = "To trigger a run for this flow, use the following command:"
SERVE_FLOW_COMMAND = "\t$ prefect deployment run '{flow_name}/{name}'"
SERVE_FLOW_UI = "You can also run your flow via the Prefect UI: {ui_url}/deployments/deployment/{deployment_id}"
# serve(*deployments)'s start message, around its table of deployments.
SERVE_MANY_TOP = "Your deployments are being served and polling for scheduled runs!"
SERVE_MANY_TABLE_TITLE = "Deployments"
SERVE_MANY_HOW = "To trigger any of these deployments, use the following command:"
SERVE_MANY_COMMAND = "\t$ prefect deployment run [DEPLOYMENT_NAME]"
SERVE_MANY_UI = "You can also trigger your deployments via the Prefect UI: {ui_url}/deployments"
PAUSING_DEPLOYMENTS = "Pausing all deployments..."
DEPLOYMENTS_PAUSED = "All deployments have been paused!"
SHUTTING_DOWN = "Received {signal}, shutting down..."
SERVE_IN_ASYNC = "Cannot call `serve` in an asynchronous context. Use `aserve` instead."
SERVE_WORK_POOL_IGNORED = (
    "Work pools are not necessary for served deployments - the `work_pool_name` argument will be ignored. "
    "Omit the `work_pool_name` argument from `to_deployment` for {name!r}."
)
RUNNER_NAME_INVALID = "Runner name cannot contain '/' or '%'"
# A served deployment added as a deployment (serve(...)), not as a flow (flow.serve()): its run loads the flow.
DOWNLOADING_FLOW_CODE = "Downloading flow code from storage at {path!r}"
AT_CAPACITY = "{count} scheduled runs skipped (at capacity)"
# A served run whose process fails before the flow starts (an unknown parameter).
ENGINE_UNEXPECTED_EXIT = "Execution of flow run '{flow_run_id}' exited with unexpected exception"
PROCESS_EXITED = "Process exited with status code: {code}. {explanation}"
GENERAL_ERROR = "Process exited with a general error."
GENERAL_ERROR_RESOLUTION = "Check the flow run logs for an unhandled exception or assertion error."
REPORTED_CRASHED = "Reported flow run '{flow_run_id}' as crashed: {message}"
INVALID_NAME = "Name {name!r} contains an invalid character. Must not contain any of: {banned}."
BANNED_NAME_CHARACTERS = ["/", "%", "&", ">", "<"]
ONE_SCHEDULE_KIND = "Only one of interval, cron, rrule, schedule, or schedules can be provided."
INVALID_SCHEDULE = "Invalid schedule provided. Must be a schedule object, a dict,or a `DeploymentScheduleCreate` object"
INTERACTIVE_FLOW = (
    "Flows defined interactively cannot be deployed. Check out the quickstart guide for help getting started: "
    "https://www.prefect.io/docs/latest/get-started/quickstart"
)
# The server's scheduler and its run-creation endpoint (prefect/server).
SCHEDULED_BY_SCHEDULER = "Flow run scheduled"
RUN_CREATION_FAILED = "Error creating flow run: {reason}"
# run_deployment (prefect/deployments/flow_runs.py).
NEGATIVE_RUN_TIMEOUT = "`timeout` cannot be negative"

# -- pausing and resuming (prefect/flow_runs.py, the server's resume endpoint) -------------------
PAUSING = "Pausing flow, execution will continue when this flow run is resumed."
RESUMING = "Resuming flow run execution!"
SUSPENDING = "Suspending flow run, execution will be rescheduled when this flow run is resumed."
PAUSE_OUTSIDE_FLOW = "Flow runs can only be paused from within a flow run."
SUSPEND_OUTSIDE_FLOW = "Flow runs can only be suspended from within a flow run."
SUSPEND_IN_TASK = "Cannot suspend task runs."
CANNOT_SUSPEND_WITHOUT_DEPLOYMENT = "Cannot suspend flows without a deployment."
SUSPEND_ABORTED = "Flow run cannot be suspended: {reason}"
PAUSE_TIMED_OUT = "Flow run was paused and never resumed."
RESUME_TOO_LATE = "Flow run can no longer be resumed."
NOT_PAUSED = "Cannot resume a run that isn't paused!"
CANNOT_RESUME = "Cannot resume this run: {reason}"
# The server fails a run whose pause expired; the name is the state it was given then ("paused", "running", ...).
NEVER_RESUMED = "The flow was {state} and never resumed."
ENGINE_PAUSED = "Execution of flow run '{flow_run_id}' is paused."
