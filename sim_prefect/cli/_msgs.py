"""The Prefect CLI's texts, in one place: its help, its messages and cyclopts' usage errors.

Quoted from Prefect 3.9.1 (``prefect/cli/*.py``, cited per block) and from the
transcripts of its CLI (cyclopts 5.5.2, rich 15.0.0). Help texts are given as
the help page prints them: Prefect's docstrings are Markdown, so ```--watch```
is shown as ``--watch``.
"""

from __future__ import annotations

# -- cyclopts: usage errors (cyclopts/exceptions.py) and the root's own help (prefect/cli/_app.py) ------------
USAGE_UNKNOWN_OPTION = "Unknown option: {option}."
USAGE_MISSING = 'Command "{command}" parameter {name} requires an argument.'
USAGE_MISSING_ROOT = "Parameter {name} requires an argument."
USAGE_CONVERT = 'Invalid value for {name}: unable to convert "{value}" into {type}.'
HELP_HELP = "Display this message and exit."
HELP_PROFILE = "Select a profile for this CLI run."
HELP_PROMPT = "Toggle interactive prompts."
ROOT_HELP = "Prefect CLI for workflow orchestration."
UNKNOWN_PROFILE = "Unknown profile {name!r}."

# Every top-level command, in the order Prefect registers them (_app.py): name, aliases, help.
ROOT_COMMANDS = (
    ("deploy", (), "Create and manage deployments."),
    ("init", (), "Initialize a Prefect project."),
    ("flow", ("flows",), "View and serve flows."),
    ("flow-run", ("flow-runs",), "Interact with flow runs."),
    ("deployment", ("deployments",), "Manage deployments."),
    ("server", (), "Start a Prefect server instance and interact with the database."),
    ("worker", (), "Start and interact with workers."),
    ("shell", (), "Serve and watch shell commands as Prefect flows."),
    ("config", (), "View and set Prefect settings."),
    ("profile", ("profiles",), "Select and manage Prefect profiles."),
    ("cloud", (), "Authenticate and interact with Prefect Cloud."),
    ("work-pool", ("work-pools",), "Manage work pools."),
    ("work-queue", ("work-queues",), "Manage work queues."),
    ("variable", (), "Manage variables."),
    ("block", ("blocks",), "Manage blocks."),
    ("concurrency-limit", ("concurrency-limits",), "Manage task-level concurrency limits."),
    ("global-concurrency-limit", ("gcl",), "Manage global concurrency limits."),
    ("artifact", (), "Inspect and delete artifacts."),
    ("experimental", (), "Access experimental features (subject to change)."),
    ("plugins", (), "Plugin system diagnostics."),
    ("automation", ("automations",), "Manage automations."),
    ("events", ("event",), "Stream events."),
    ("task", (), "Work with task scheduling."),
    ("task-run", ("task-runs",), "View and inspect task runs."),
    ("api", (), "Interact with the Prefect API."),
    ("dashboard", (), "Commands for interacting with the Prefect UI."),
    ("dev", (), "Internal Prefect development."),
    ("sdk", (), "Manage Prefect SDKs. (beta)"),
    ("transfer", (), "Transfer resources from one Prefect profile to another."),
    ("version", (), "Get the current Prefect version and integration information."),
)

# -- what every command shares (prefect/cli/_utilities.py, _prompts.py) ------------------------------------------
AN_EXCEPTION_OCCURRED = "An exception occurred."
ONLY_JSON = "Only 'json' output format is supported."
HELP_OUTPUT = "Specify an output format. Currently supports: json"
CONFIRM = "? {message} [y/n]{default}: "
DELETION_ABORTED = "Deletion aborted."
NOT_IMITATED_COMMAND = "prefect {command}"
NOT_IMITATED_WHY = "not one of the commands sim_prefect's CLI runs"
SHELL_SPLIT_ERROR = "prefect: {error}"

# -- prefect version (version.py) -------------------------------------------------------------------------------
HELP_VERSION_OMIT = "Omit integration information"
API_VERSION = "0.8.4"  # prefect.client.constants.SERVER_API_VERSION
GIT_COMMIT = "bd4807c3"  # prefect.__version_info__["full-revisionid"][:8]
BUILT = "Fri, Oct 30, 2026 03:52 PM"  # prefect.__version_info__["date"], as version.py formats it

# -- prefect flow-run (flow_run.py) -------------------------------------------------------------------------------
FLOW_RUN_HELP = "Interact with flow runs."
FLOW_RUN_INSPECT_HELP = "View details about a flow run."
FLOW_RUN_LS_HELP = "View recent flow runs or flow runs for specific flows."
FLOW_RUN_DELETE_HELP = "Delete a flow run by ID."
FLOW_RUN_CANCEL_HELP = "Cancel a flow run by ID."
FLOW_RUN_RETRY_HELP = "Retry a failed or completed flow run."
FLOW_RUN_RETRY_DESCRIPTION = (
    "The flow run can be specified by either its UUID or its name. If multiple flow runs have the same name, "
    "you must use the UUID to disambiguate.",
    "If the flow run has an associated deployment, it will be scheduled for retry and a worker will pick it up. "
    "If there is no deployment, you must provide an --entrypoint to the flow code, and the flow will execute "
    "locally.",
)
FLOW_RUN_LOGS_HELP = "View logs for a flow run."
FLOW_RUN_WATCH_HELP = "Watch a flow run until it reaches a terminal state."
FLOW_RUN_EXECUTE_HELP = "Execute a flow run by ID."
HELP_WEB = "Open the flow run in a web browser."
HELP_FLOW_NAME = "Name of the flow"
HELP_FLOW_RUN_LIMIT = "Maximum number of flow runs to list"
HELP_STATE = "Name of the flow run's state"
HELP_STATE_TYPE = "Type of the flow run's state"
HELP_HEAD = "Show the first 20 logs instead of all logs."
HELP_NUM_LOGS = "Number of logs to show when using the --head or --tail flag. If None, defaults to 20."
HELP_REVERSE = "Reverse the logs order to print the most recent logs first"
HELP_TAIL = "Show the last 20 logs instead of all logs."
HELP_WATCH_TIMEOUT = "Timeout in seconds."
HELP_ENTRYPOINT = (
    "The path to a file containing the flow to run, and the name of the flow function, in the format "
    "path/to/file.py:flow_function_name. Required if the flow run does not have an associated deployment."
)
FLOW_RUN_NOT_FOUND = "Flow run '{id}' not found!"
NO_FLOW_RUNS = "No flow runs found."
UNOFFICIAL_STATE = "State name {name!r} is not one of the official Prefect state names."
INVALID_STATE_TYPE = "Invalid state type. Options are {options}."
FLOW_RUN_DELETE_CONFIRM = "Are you sure you want to delete flow run with id '{id}'?"
FLOW_RUN_DELETED = "Successfully deleted flow run '{id}'."
CANCELLED = "Flow run '{id}' was successfully scheduled for cancellation."
NOT_CANCELLED = "Flow run '{id}' was unable to be cancelled. Reason: '{reason}'"
HEAD_AND_TAIL = "Please provide either a `head` or `tail` option but not both."
LOG_LINE = "{timestamp} | {level:7s} | Flow run {name!r} - {message}"
ALREADY_FINISHED = "Flow run already finished in {state!r}."
ALREADY_FINISHED_BADLY = "Flow run already finished in state {state!r}."
FINISHED = "Flow run finished successfully in {state!r}."
FINISHED_BADLY = "Flow run finished in state {state!r}."
WATCH_TIMEOUT = "Flow run with ID {id} exceeded watch timeout of {timeout} seconds"
EVENT_LINE = "● {timestamp} {run_id} {event} * {name}"
UNKNOWN_FINAL_STATE = "Flow run finished in an unknown state."
NO_BROWSER = "sim_prefect has no Prefect UI to open a browser on"

# -- prefect deployment (deployment.py) -------------------------------------------------------------------------
DEPLOYMENT_HELP = "Manage deployments."
DEPLOYMENT_INSPECT_HELP = "View details about a deployment."
DEPLOYMENT_LS_HELP = "View all deployments or deployments for specific flows."
DEPLOYMENT_RUN_HELP = "Create a flow run for the given flow and deployment."
DEPLOYMENT_RUN_DESCRIPTION = (
    "The flow run will be scheduled to run immediately unless --start-in or --start-at is specified. The flow "
    "run will not execute until a worker starts. To watch the flow run until it reaches a terminal state, use "
    "the --watch flag.",
)
DEPLOYMENT_DELETE_HELP = "Delete a deployment."
SCHEDULE_HELP = "Manage deployment schedules."
SCHEDULE_COMMANDS = (
    ("create", "Create a schedule for a given deployment."),
    ("delete", "Delete a deployment schedule."),
    ("pause", "Pause deployment schedules."),
    ("resume", "Resume deployment schedules."),
    ("ls", "View all schedules for a deployment."),
    ("clear", "Clear all schedules for a deployment."),
)
HELP_DEPLOYMENT_NAME = "A deployed flow's name: <FLOW_NAME>/<DEPLOYMENT_NAME>"
HELP_DEPLOYMENT_ID = "A deployment id to search for if no name is given"
HELP_DELETE_ALL = "Delete all deployments"
HELP_FLOW_NAMES = "One or more flow names to filter deployments by."
HELP_BY_CREATED = "Sort by created time instead of name."
HELP_JOB_VARIABLE = (
    "A key, value pair (key=value) specifying a flow run job variable. The value will be interpreted as JSON. "
    "May be passed multiple times to specify multiple job variable values."
)
HELP_PARAM = (
    "A key, value pair (key=value) specifying a flow parameter. The value will be interpreted as JSON. May be "
    "passed multiple times to specify multiple parameter values."
)
HELP_PARAMS = (
    "A mapping of parameters to values. To use a stdin, pass '-'. Any parameters passed with --param will take "
    "precedence over these values."
)
HELP_START_IN = (
    "A human-readable string specifying a time interval to wait before starting the flow run. E.g. 'in 5 "
    "minutes', 'in 1 hour', 'in 2 days'."
)
HELP_START_AT = (
    "A human-readable string specifying a time to start the flow run. E.g. 'at 5:30pm', 'at 2022-08-01 17:30', "
    "'at 2022-08-01 17:30:00'."
)
HELP_RUN_TAG = "Tag(s) to be applied to flow run."
HELP_WATCH = "Whether to poll the flow run until a terminal state is reached."
HELP_WATCH_INTERVAL = "How often to poll the flow run for state changes (in seconds)."
HELP_RUN_WATCH_TIMEOUT = "Timeout for --watch."
HELP_FLOW_RUN_NAME = "Custom name to give the flow run."
INVALID_DEPLOYMENT_NAME = "Invalid deployment name. Expected '<flow-name>/<deployment-name>'"
DEPLOYMENT_NOT_FOUND = "Deployment {name!r} not found!"
INVALID_DEPLOYMENT_ID = "Invalid deployment ID: {id!r}"
NAME_OR_ID = "Must provide a deployed flow's name or id"
ONLY_NAME_OR_ID = "Only provide a deployed flow's name or id"
NO_STDIN = "No data passed to stdin"
BAD_PARAMS_JSON = "Failed to parse JSON: {error}"
PARAM_CONFLICT = (
    "The following parameters were specified by `--param` and `--params`, the `--param` value will be used: "
    "{keys}"
)
BAD_KEY_VALUE_JSON = "Failed to parse JSON for {what} {key!r} with value\n\n{value}\n\nJSON Error: {error}"
START_BOTH = "Only one of `--start-in` or `--start-at` can be set, not both."
START_UNPARSEABLE = "Unable to parse scheduled start time {text!r}."
UNKNOWN_PARAMETERS = "The following parameters were specified but not found on the deployment: {keys}\n{available}"
AVAILABLE_PARAMETERS = "The following parameters are available on the deployment: {keys}"
NO_PARAMETERS = "This deployment does not accept parameters."
RUN_NAME_MISSING = "Missing parameter for flow run name: '{key}' is undefined"
RUN_NAME_FAILED = "Failed to format flow run name: {error}"
CREATING_FLOW_RUN = "Creating flow run for deployment '{flow}/{deployment}'..."
CREATED_FLOW_RUN = "Created flow run {name!r}."
CREATED_FLOW_RUN_TREE = (
    "└── UUID: {id}\n"
    "└── Parameters: {parameters}\n"
    "└── Job Variables: {job_variables}\n"
    "└── Scheduled start time: {scheduled}\n"
    "└── URL: {url}"
)
NO_DASHBOARD = "<no dashboard available>"
FLOW_RUN_URL = "{ui}/runs/flow-run/{id}"
INVALID_NAME_FORMAT = "Invalid deployment name format: {name}. Expected format: <FLOW_NAME>/<DEPLOYMENT_NAME>"
WATCH_INTERVAL_DEPRECATED = (
    "The --watch-interval flag is deprecated and will be removed in a future release. Flow run "
    "watching now uses real-time event streaming."
)
START_FORMS = "sim_prefect reads 'in 10 minutes', 'in 1 hour 30 minutes', 'at 5:30pm', 'at 2022-08-01 17:30'"

# -- prefect variable (variable.py) -----------------------------------------------------------------------------
VARIABLE_HELP = "Manage variables."
VARIABLE_LS_HELP = "List variables."
VARIABLE_INSPECT_HELP = "View details about a variable."
VARIABLE_GET_HELP = "Get a variable's value."
VARIABLE_SET_HELP = "Set a variable."
VARIABLE_SET_DESCRIPTION = ("If the variable already exists, use --overwrite to update it.",)
VARIABLE_UNSET_HELP = "Unset a variable."
HELP_VARIABLE_LIMIT = "The maximum number of variables to return."
HELP_OVERWRITE = "Overwrite the variable if it already exists."
HELP_VARIABLE_TAG = "Tag to associate with the variable."
VARIABLES_TITLE = "Variables"
VARIABLES_CAPTION = "List Variables using `prefect variable ls`"
VARIABLE_NOT_FOUND = "Variable {name!r} not found."
VARIABLE_EXISTS = "Variable {name!r} already exists. Use `--overwrite` to update it."
VARIABLE_SET = "Set variable {name!r}."
VARIABLE_UNSET_CONFIRM = "Are you sure you want to unset variable {name!r}?"
VARIABLE_UNSET_ABORTED = "Unset aborted."
VARIABLE_UNSET = "Unset variable {name!r}."

# -- prefect concurrency-limit (concurrency_limit.py) ----------------------------------------------------------------
CONCURRENCY_LIMIT_HELP = "Manage task-level concurrency limits."
CL_CREATE_HELP = "Create a concurrency limit against a tag."
CL_INSPECT_HELP = "View details about a concurrency limit."
CL_LS_HELP = "View all concurrency limits."
CL_RESET_HELP = "Resets the concurrency limit slots set on the specified tag."
CL_DELETE_HELP = "Delete the concurrency limit set on the specified tag."
HELP_CL_LIMIT = "Maximum number of limits to list."
HELP_OFFSET = "Offset for pagination."
CL_CREATED = """
Created concurrency limit with properties:
    tag - {tag!r}
    concurrency_limit - {limit}

Delete the concurrency limit:
    prefect concurrency-limit delete {tag!r}

Inspect the concurrency limit:
    prefect concurrency-limit inspect {tag!r}
"""
CL_NOT_FOUND = "No concurrency limit found for the tag: {tag}"
CL_TITLE = "Concurrency Limits"
CL_CAPTION = "inspect a concurrency limit to show active task run IDs"
CL_ID_TITLE = "Concurrency Limit ID: [red]{id}"
CL_ACTIVE_IDS = "Active Task Run IDs"
NO_CONCURRENCY_LIMITS = "No concurrency limits found."
CL_RESET = "Reset concurrency limit set on the tag: {tag}"
CL_DELETE_CONFIRM = "Are you sure you want to delete concurrency limit with tag {tag!r}?"
CL_DELETED = "Deleted concurrency limit set on the tag: {tag}"

# -- prefect global-concurrency-limit (global_concurrency_limit.py) ------------------------------------------------------
GCL_HELP = "Manage global concurrency limits."
GCL_LS_HELP = "List all global concurrency limits."
GCL_INSPECT_HELP = "Inspect a global concurrency limit."
GCL_DELETE_HELP = "Delete a global concurrency limit."
GCL_ENABLE_HELP = "Enable a global concurrency limit."
GCL_DISABLE_HELP = "Disable a global concurrency limit."
GCL_UPDATE_HELP = "Update a global concurrency limit."
GCL_CREATE_HELP = "Create a global concurrency limit."
HELP_GCL_FILE = "Path to .json file to write the global concurrency limit output to."
HELP_GCL_ENABLE = "Enable the global concurrency limit."
HELP_GCL_DISABLE = "Disable the global concurrency limit."
HELP_GCL_LIMIT = "The limit of the global concurrency limit."
HELP_GCL_ACTIVE_SLOTS = "The number of active slots."
HELP_GCL_DECAY = "The slot decay per second."
HELP_GCL_CREATE_DISABLE = "Create an inactive global concurrency limit."
GCL_TITLE = "Global Concurrency Limits"
GCL_CAPTION = "List Global Concurrency Limits using `prefect global-concurrency-limit ls`"
NO_GCLS = "No global concurrency limits found."
GCL_FILE_NEEDS_OUTPUT = "The --file/-f option requires the --output option to be set."
GCL_NOT_FOUND = "Global concurrency limit {name!r} not found."
GCL_WRITTEN = "Global concurrency limit {name!r} written to {path}"
GCL_DELETE_CONFIRM = "Are you sure you want to delete global concurrency limit with name {name!r}?"
GCL_DELETED = "Deleted global concurrency limit with name {name!r}."
GCL_ALREADY = "Global concurrency limit with name {name!r} is already {what}."
GCL_ENABLED = "Enabled global concurrency limit with name {name!r}."
GCL_DISABLED = "Disabled global concurrency limit with name {name!r}."
GCL_BOTH = "Cannot enable and disable a global concurrency limit at the same time."
GCL_NO_UPDATE = "No update arguments provided."
GCL_INVALID = "Invalid arguments provided: {error}"
GCL_UPDATED = "Updated global concurrency limit with name {name!r}."
GCL_EXISTS = "Global concurrency limit {name!r} already exists. Please try creating with a different name."
GCL_CREATED = (
    "Created global concurrency limit with name {name!r} and ID '{id}'. Run `prefect gcl inspect {name}` to view "
    "details."
)

# -- prefect block (block.py) -----------------------------------------------------------------------------------------
BLOCK_HELP = "Manage blocks."
BLOCK_TYPE_HELP = "Inspect and delete block types."
BLOCK_REGISTER_HELP = "Register blocks types within a module or file."
BLOCK_LS_HELP = "View all configured blocks."
BLOCK_DELETE_HELP = "Delete a configured block."
BLOCK_CREATE_HELP = "Generate a link to the Prefect UI to create a block."
BLOCK_INSPECT_HELP = "Displays details about a configured block."
BLOCK_TYPE_LS_HELP = "List all block types."
BLOCK_TYPE_INSPECT_HELP = "Display details about a block type."
BLOCK_TYPE_DELETE_HELP = "Delete an unprotected Block Type."
BLOCKS_TITLE = "Blocks"
BLOCKS_CAPTION = "List Block Types using `prefect block type ls`"
NO_BLOCK_SCHEMAS = "sim_prefect's server keeps a block's values, not its block schema"
