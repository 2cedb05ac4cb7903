"""The client's methods for one part of Prefect's API: Variables (create_variable, read_variable_by_name, ...).

Prefect keeps them in ``prefect/client/orchestration/_variables/client.py``; the
async client (``get_client()``) gets the same methods as coroutines. The
variable's rules (its name, its JSON value) are checked where Prefect checks
them, by `VariableCreate` / `VariableUpdate` (client/schemas/actions.py);
``prefect.variables.Variable`` goes through these methods.
"""

from __future__ import annotations

from ... import store
from ...exceptions import ObjectAlreadyExists, ObjectNotFound, PrefectHTTPStatusError
from ..schemas.actions import VariableCreate, VariableUpdate
from ..schemas.objects import Variable
from .base import BaseClient, paged


class VariableClient(BaseClient):
    """Variables (create_variable, read_variable_by_name, ...)."""

    def create_variable(self, variable: VariableCreate) -> Variable:
        variables = self.store.variables
        if variable.name in variables:
            raise ObjectAlreadyExists()  # the server's 409
        now = self.session.now()
        record = store.Variable(self.session.new_id(), variable.name, variable.value, list(variable.tags or []), now, now)
        variables[record.name] = record
        return Variable.of(record)

    def read_variable_by_name(self, name: str) -> Variable | None:
        record = self.store.variables.get(name)
        return Variable.of(record) if record is not None else None

    def read_variables(self, limit: int | None = None) -> list[Variable]:
        records = sorted(self.store.variables.values(), key=lambda r: r.name)  # the server's NAME_ASC
        return [Variable.of(r) for r in paged(records, limit, None, "/variables/filter")]

    def update_variable(self, variable: VariableUpdate) -> None:
        record = self.store.variables.get(variable.name or "")
        if record is None:
            raise PrefectHTTPStatusError.of(404, f"/variables/name/{variable.name}", "Variable not found")
        if "value" in variable.model_fields_set:
            record.value = variable.value
        if "tags" in variable.model_fields_set:
            record.tags = list(variable.tags or [])
        record.updated = self.session.now()

    def delete_variable_by_name(self, name: str) -> None:
        if self.store.variables.pop(name, None) is None:
            raise ObjectNotFound()  # the server's 404


__all__ = ["VariableClient"]
