"""What Prefect's server does by itself, beside keeping records: the session's server-side rules and services.

Prefect's server (``prefect.server``) creates a deployment's scheduled runs
ahead of time (its scheduler service), marks runs nobody picked up as Late,
fails paused runs whose pause expired, validates the parameters a deployment
run is created with, and decides what a resume does. Here the store
(store.py) keeps the records and these modules apply the rules, on the
session's clock, when something asks (the serving loop, run_deployment, a
pause's poll, the client): a service that runs every few seconds in Prefect is
worked out at the moment its outcome is looked at, each state stamped with the
time the service would have set it.

- `deployments`: deployments and their schedules, the runs made from them;
- `flow_runs`: states set by the server, pauses and resumes, run inputs.

``import prefect.server`` stays refused: this is the session's server, not
Prefect's, and nothing here is Prefect's public API.
"""
