"""Prefect's events (``prefect.events``): `emit_event`, and the `Event` it sends.

Events are what Prefect's automations react to, and what ``client.read_events``
reads back: the ones emitted here, with every run's state changes (see
state_changes.py). Automations and their triggers and actions are not
imitated: naming one (``from prefect.events import EventTrigger``) fails,
saying so.
"""

from __future__ import annotations

from typing import Any

from ..exceptions import not_imitated
from .schemas.events import Event, ReceivedEvent, RelatedResource, Resource, ResourceSpecification
from .utilities import emit_event


# Prefect's names here for what is not imitated: automations (their triggers and actions), and the clients
# that send and stream events to a server.
_NOT_IMITATED = {
    **dict.fromkeys((
        "Action", "ActionTypes", "Automation", "AutomationCore", "CallWebhook", "CancelFlowRun", "ChangeFlowRunState",
        "CompositeTrigger", "CompoundTrigger", "DeclareIncident", "DeleteFlowRun", "DeploymentCompoundTrigger",
        "DeploymentEventTrigger", "DeploymentMetricTrigger", "DeploymentSequenceTrigger", "DeploymentTriggerTypes",
        "DoNothing", "EventTrigger", "MetricTrigger", "MetricTriggerOperator", "MetricTriggerQuery", "PauseAutomation",
        "PauseDeployment", "PauseWorkPool", "PauseWorkQueue", "Posture", "ResourceTrigger", "ResumeAutomation",
        "ResumeDeployment", "ResumeWorkPool", "ResumeWorkQueue", "RunDeployment", "SendNotification",
        "SequenceTrigger", "SuspendFlowRun", "Trigger", "TriggerTypes", "UnknownAction",
    ), "automations"),
    **dict.fromkeys(("FlowRunSubscriber", "get_events_client", "get_events_subscriber"), "events clients"),
}  # fmt: skip


def __getattr__(name: str) -> Any:
    feature = _NOT_IMITATED.get(name)
    if feature is not None:
        raise not_imitated(feature, f"prefect.events.{name}")
    raise AttributeError(f"module 'prefect.events' has no attribute {name!r}")


__all__ = ["Event", "ReceivedEvent", "RelatedResource", "Resource", "ResourceSpecification", "emit_event"]
