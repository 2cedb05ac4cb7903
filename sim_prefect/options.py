"""The options of `@task` and `@flow`, each written down once.

`tasks.TASK_OPTIONS` and `flows.FLOW_OPTIONS` are `OptionTable`s: every keyword
argument with its default, and what `with_options` takes to mean "leave it as
it is", which Prefect decides option by option (``NotSet`` for some, ``None``
or any false value for others). Everything else reads the table:

- the decorator and `with_options` accept exactly its options, and refuse any
  other in Python's own words (``task() got an unexpected keyword argument``);
- their signatures, as `inspect.signature()` and `help()` show them, are made
  from it, and made again whenever the table changes;
- the constructor completes the given options with the table's defaults and
  sets one attribute per option, before the object derives what it must.

So a new option is one new line in the table. Type checkers cannot run code:
tasks.py and flows.py also write the decorators' signatures out for them, and
a test holds those equal to the tables.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from .annotations import NotSet

Keep = Literal["none", "notset", "falsy"]
Where = Literal["decorator", "with_options"]


@dataclass(frozen=True)
class Option:
    """One keyword argument: its default, and what `with_options` reads as "keep the current value"."""

    default: Any = None
    keep: Keep = "none"
    in_with_options: bool = True
    in_decorator: bool = True
    # Where the constructor's default differs from the decorator's (Task's log_prints).
    init_default: Any = NotSet
    # The attribute that holds the option's value ("": the option's own name).
    attr: str = ""
    # `with_options` starts from the value the user gave, not from the attribute (Prefect's
    # cache_policy and persist_result).
    from_given: bool = False

    def keeps(self, value: Any) -> bool:
        if self.keep == "notset":
            return value is NotSet
        if self.keep == "falsy":
            return not value
        return value is None


class OptionTable(dict[str, Option]):
    """The options of one kind of object (``Task``, ``Flow``), and the functions whose signatures show them."""

    def __init__(self, owner: str, options: Mapping[str, Option]) -> None:
        super().__init__(options)
        self.owner = owner
        self._shown: list[tuple[Callable[..., Any], Where, list[inspect.Parameter]]] = []

    # -- the table changes: the signatures follow -----------------------------------------
    def __setitem__(self, key: str, value: Option) -> None:
        super().__setitem__(key, value)
        self._show_again()

    def __delitem__(self, key: str) -> None:
        super().__delitem__(key)
        self._show_again()

    def _show_again(self) -> None:
        for fn, where, leading in self._shown:
            fn.__signature__ = self.signature(where, leading)  # type: ignore[attr-defined]

    def shown_in(self, where: Where, leading: Iterable[inspect.Parameter] = ()) -> Callable[[Any], Any]:
        """A decorator: `fn`'s signature shows this table's options (those that `where` takes) after `leading`."""

        def show(fn: Any) -> Any:
            self._shown.append((fn, where, list(leading)))
            fn.__signature__ = self.signature(where, list(leading))
            return fn

        return show

    def signature(self, where: Where, leading: list[inspect.Parameter]) -> inspect.Signature:
        keyword = inspect.Parameter.KEYWORD_ONLY
        return inspect.Signature(
            [*leading, *(inspect.Parameter(key, keyword, default=spec.default) for key, spec in self.takes(where))]
        )

    def takes(self, where: Where) -> list[tuple[str, Option]]:
        attr = "in_decorator" if where == "decorator" else "in_with_options"
        return [(key, spec) for key, spec in self.items() if getattr(spec, attr)]

    # -- the three ways in ------------------------------------------------------------------
    def check(self, caller: str, where: Where, given: Mapping[str, Any]) -> None:
        """Refuse an option that `caller` does not take, in Python's own words."""
        attr = "in_decorator" if where == "decorator" else "in_with_options"
        for key in given:
            spec = self.get(key)
            if spec is None or not getattr(spec, attr):
                raise TypeError(f"{caller}() got an unexpected keyword argument '{key}'")

    def from_decorator(self, caller: str, given: Mapping[str, Any]) -> dict[str, Any]:
        """The decorator's options: the given ones, the decorator's defaults for the rest."""
        self.check(caller, "decorator", given)
        return {key: given.get(key, spec.default) for key, spec in self.takes("decorator")}

    def complete(self, given: Mapping[str, Any]) -> dict[str, Any]:
        """Every option: the given ones, the constructor's defaults for the rest."""
        for key in given:
            if key not in self:
                raise TypeError(f"{self.owner}.__init__() got an unexpected keyword argument '{key}'")
        return {
            key: given.get(key, spec.default if spec.init_default is NotSet else spec.init_default)
            for key, spec in self.items()
        }

    def merge(self, obj: Any, changes: Mapping[str, Any]) -> dict[str, Any]:
        """The options of `obj` (a task or flow) updated by `with_options(**changes)`, as Prefect does it.

        Like Prefect, it starts from the object's attributes (so a callable
        `retry_delay_seconds` stays the list it gave), except where Prefect starts
        from the value the user gave.
        """
        self.check(f"{self.owner}.with_options", "with_options", changes)
        given: dict[str, Any] = obj.options
        merged = {
            key: given[key] if spec.from_given else getattr(obj, spec.attr or key, given[key])
            for key, spec in self.items()
        }
        for key, value in changes.items():
            if not self[key].keeps(value):
                merged[key] = value
        # Hook lists are copied, so that a hook added to the copy does not reach the original.
        return {k: list(v) if isinstance(v, list) else v for k, v in merged.items()}

    def set_attributes(self, obj: Any, options: Mapping[str, Any]) -> None:
        """One attribute per option, holding the value given (the object then derives what it must)."""
        for key, spec in self.items():
            setattr(obj, spec.attr or key, options[key])


__all__ = ["NotSet", "Option", "OptionTable"]
