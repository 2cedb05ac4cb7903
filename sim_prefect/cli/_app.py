"""The command line itself: commands, their parameters, and how a typed line is understood (Prefect's cyclopts app).

Prefect 3.9.1 builds its CLI with cyclopts: an app of command groups
(``flow-run``, ``variable``, ...), each a list of commands whose parameters
come from their Python signatures. This module holds the same shape as data:

- a `Param` is one parameter: a keyword option (``--limit INT``), a flag
  (``--watch --no-watch``), a list (``--tag STR... --empty-tag``), or a
  parameter that may also be given by position (``ID --id``);
- a `Command` is a command's parameters, its help and the function that runs
  it (none: a command sim_prefect does not imitate, which fails loudly);
- a `Group` lists commands and sub-groups in the order Prefect registers them
  (the order of cyclopts' "Available commands"), with their aliases.

`dispatch` reads a typed line as cyclopts does (session parameters anywhere,
command names normalised, options, values and positions bound to
parameters, values converted) and reports a mistake with cyclopts' message
(`UsageError`), which `run` prints in its error panel. Help pages are made in
help.py.
"""

from __future__ import annotations

import difflib
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from . import _msgs

ParamType = Literal["str", "int", "float", "UUID", "bool", "Path"]
_METAVARS = {"str": "STR", "int": "INT", "float": "FLOAT", "UUID": "UUID", "Path": "PATH", "bool": ""}
_TRUE = ("true", "t", "yes", "y", "1", "on")
_FALSE = ("false", "f", "no", "n", "0", "off")


class UsageError(Exception):
    """A line cyclopts refuses: its message goes in the error panel, and the CLI exits with 1."""


@dataclass(frozen=True)
class Param:
    """One parameter of a command, as its signature and ``cyclopts.Parameter`` declare it."""

    name: str  # the handler's keyword
    flag: str  # the long option ("--num-logs"); a positional one is shown as its upper-case form ("NUM-LOGS")
    aliases: tuple[str, ...] = ()  # short forms ("-n")
    type: ParamType = "str"
    positional: bool = False  # may also be given by position
    many: bool = False  # a list: repeatable, emptied with --empty-<name>
    required: bool = False
    default: Any = None
    help: str = ""
    show_default: bool = False  # "[default: ...]" after the help
    leading_hyphen: bool = False  # its value may start with "-"

    @property
    def label(self) -> str:
        """How a positional parameter is named in the usage line and in errors (``ID``, ``CONCURRENCY-LIMIT``)."""
        return self.flag.lstrip("-").upper()

    @property
    def negative(self) -> str | None:
        if self.type == "bool":
            return f"--no-{self.flag[2:]}"
        if self.many:
            return f"--empty-{self.flag[2:]}"
        return None

    @property
    def names(self) -> tuple[str, ...]:
        return (self.flag, *self.aliases, *((self.negative,) if self.negative else ()))

    def display(self) -> str:
        """The parameter's names as its help row shows them: ``--output -o STR``, ``ID --id``, ``--watch --no-watch``."""
        parts = [self.label] if self.positional else []
        parts += [self.flag, *self.aliases]
        if not self.positional and self.type != "bool":
            parts.append(_METAVARS[self.type] + ("..." if self.many else ""))
        if self.negative:
            parts.append(self.negative)
        return " ".join(parts)

    def description(self) -> str:
        extra = []
        if self.show_default:
            extra.append(f"[default: {self.default}]")
        if self.required:
            extra.append("[required]")
        return " ".join([self.help, *extra]) if self.help else " ".join(extra)


@dataclass(frozen=True)
class Command:
    """A command: its help, its parameters, and what runs it (None: not imitated, it fails loudly)."""

    name: str
    help: str
    params: tuple[Param, ...] | None = ()  # None: not known here (a command not imitated; its help too)
    handler: Callable[..., None] | None = None
    description: tuple[str, ...] = ()  # the docstring's paragraphs after the first line
    help_flag: bool = True  # `prefect version --help` is an unknown option under Prefect
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Group:
    """A command group: its commands and sub-groups, in the order Prefect registers them."""

    name: str
    help: str
    entries: tuple[Command | Group, ...] = ()
    aliases: tuple[str, ...] = ()
    show_help_row: bool = False  # only the root's command list has a "--help" row

    def visible_names(self) -> list[str]:
        """Every name the group answers to, in registration order (cyclopts' "Available commands")."""
        return [name for entry in self.entries for name in (entry.name, *entry.aliases)]

    def find(self, token: str) -> Command | Group | None:
        return next((e for e in self.entries if token == e.name or token in e.aliases), None)


# -- the session parameters: the root's own options, read wherever they are ----------------------

SESSION_PARAMS = (
    Param("profile", "--profile", help=_msgs.HELP_PROFILE),
    Param("prompt", "--prompt", type="bool", help=_msgs.HELP_PROMPT),
)


@dataclass
class Line:
    """A typed line once understood: the command, its arguments, and the session's options."""

    path: list[str]  # the command's names as typed (aliases kept), normalised
    target: Command | Group
    arguments: dict[str, Any] = field(default_factory=dict)
    help: bool = False  # show the target's help
    profile: str | None = None
    prompt: bool | None = None


def _session_options(tokens: list[str]) -> tuple[list[str], str | None, bool | None]:
    """The tokens without the session parameters, which the root takes wherever they are."""
    rest: list[str] = []
    profile: str | None = None
    prompt: bool | None = None
    seen_command = False
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token == "-p" and not seen_command:
            token = "--profile"  # Prefect rewrites a short flag before the command (_app.py)
        key, eq, value = token.partition("=")
        if key == "--profile":
            if not eq:
                if i + 1 >= len(tokens):
                    raise UsageError(_msgs.USAGE_MISSING_ROOT.format(name="--profile"))
                value = tokens[i + 1]
                i += 1
            profile = value
        elif token in ("--prompt", "--no-prompt"):
            prompt = token == "--prompt"
        else:
            if not token.startswith("-"):
                seen_command = True
            rest.append(token)
        i += 1
    return rest, profile, prompt


def _key(name: str) -> str:
    return name.replace("-", "").replace("_", "").lower()


def _normalised(tokens: list[str], root: Group) -> list[str]:
    """Command names as Prefect matches them: ``flow_run`` and ``Flow-Run`` are ``flow-run``."""
    out = list(tokens)
    group: Command | Group = root
    for i, token in enumerate(out):
        if token.startswith("-") or not isinstance(group, Group):
            break
        names = group.visible_names()
        if token not in names:
            matches = [name for name in names if _key(name) == _key(token)]
            if len(matches) != 1:
                break
            out[i] = token = matches[0]
        found = group.find(token)
        assert found is not None
        group = found
    return out


def dispatch(tokens: Sequence[str], root: Group) -> Line:
    """Understand a typed line (without the program's name): which command, with which arguments."""
    tokens, profile, prompt = _session_options(list(tokens))
    tokens = _normalised(tokens, root)
    target: Command | Group = root
    path: list[str] = []
    i = 0
    while i < len(tokens) and isinstance(target, Group):
        found = target.find(tokens[i])
        if found is None:
            break
        path.append(tokens[i])
        target = found
        i += 1
    rest = tokens[i:]
    line = Line(path, target, profile=profile, prompt=prompt)
    if isinstance(target, Command) and target.params is None:
        return line  # a command not imitated, whose parameters are not known here: it fails loudly when run
    if isinstance(target, Group):
        if "--help" in rest or not rest:
            line.help = True
            return line
        raise UsageError(_unknown_command(rest[0], target))
    if target.help_flag and "--help" in rest:
        line.help = True
        return line
    line.arguments = _bind(rest, target, path)
    return line


def _unknown_command(token: str, group: Group) -> str:
    names = group.visible_names()
    message = f'Unknown command "{token}".'
    close = difflib.get_close_matches(token, names, n=1, cutoff=0.6)
    if close:
        message += f' Did you mean "{close[0]}"?'
    shown = [n for n in names if not n.startswith("-")]
    if len(shown) > 8:
        return message + f" Available commands: {', '.join(shown[:8])}, ..."
    return message + f" Available commands: {', '.join(shown)}."


def _is_option(token: str) -> bool:
    if not token.startswith("-") or token == "-":
        return False
    try:
        float(token)
    except ValueError:
        return True
    return False  # a negative number is a value


def _bind(tokens: list[str], command: Command, path: list[str]) -> dict[str, Any]:
    """Each parameter's value from the tokens (cyclopts' parsing, then conversion, then what is missing)."""
    given: dict[str, list[tuple[str, str | None]]] = {}  # name -> (value, keyword it came with or None)
    flags: dict[str, Any] = {}
    unused: list[str] = []
    params = command.params or ()
    by_name = {name: p for p in params for name in p.names}
    positionals = [p for p in params if p.positional]
    only_positional = False
    i = 0
    while i < len(tokens):
        token = tokens[i]
        i += 1
        if token == "--" and not only_positional:
            only_positional = True
            continue
        if not only_positional and _is_option(token):
            key, eq, value = token.partition("=") if token.startswith("--") else (token, "", "")
            param = by_name.get(key)
            if param is None:
                raise UsageError(_unknown_option(token, command))
            if key == param.negative:
                flags[param.name] = False if param.type == "bool" else []
                given.pop(param.name, None)
            elif param.type == "bool":
                flags[param.name] = _as_bool(value, key) if eq else True
            else:
                if not eq:
                    if i >= len(tokens) or (_is_option(tokens[i]) and not param.leading_hyphen):
                        raise UsageError(_msgs.USAGE_MISSING.format(command=" ".join(path), name=key))
                    value = tokens[i]
                    i += 1
                if not param.many:
                    given[param.name] = []
                given.setdefault(param.name, []).append((value, key))
                flags.pop(param.name, None)
            continue
        free = [p for p in positionals if p.name not in given and p.name not in flags]
        if not free:
            unused.append(token)
            continue
        given.setdefault(free[0].name, []).append((token, None))
        if free[0].many:  # a positional list takes every value after it
            while i < len(tokens) and not _is_option(tokens[i]):
                given[free[0].name].append((tokens[i], None))
                i += 1
    if unused:
        raise UsageError(f"Unused Tokens: {unused}.")
    arguments: dict[str, Any] = {}
    for param in params:
        if param.name in flags:
            arguments[param.name] = flags[param.name]
        elif param.name in given:
            values = [_converted(param, value, keyword) for value, keyword in given[param.name]]
            arguments[param.name] = values if param.many else values[-1]
        elif param.required:
            raise UsageError(_msgs.USAGE_MISSING.format(command=" ".join(path), name=param.flag))
        else:
            arguments[param.name] = param.default
    return arguments


def _unknown_option(token: str, command: Command) -> str:
    message = _msgs.USAGE_UNKNOWN_OPTION.format(option=token)
    key = token.split("=", 1)[0]
    if not key.startswith("--") and len(key) > 2:
        return message + f" {key[:2]} is not a recognized option."
    candidates = [name for p in command.params or () for name in p.names]
    close = difflib.get_close_matches(key, candidates, n=1, cutoff=0.6)
    return message + (f" Did you mean {close[0]}?" if close else "")


def _as_bool(value: str, keyword: str) -> bool:
    if value.lower() in _TRUE:
        return True
    if value.lower() in _FALSE:
        return False
    raise UsageError(_msgs.USAGE_CONVERT.format(name=keyword, value=value, type="bool"))


def _converted(param: Param, value: str, keyword: str | None) -> Any:
    name = keyword if keyword is not None else param.label
    try:
        if param.type == "int":
            return int(value)
        if param.type == "float":
            return float(value)
        if param.type == "UUID":
            return uuid.UUID(value)
    except ValueError:
        raise UsageError(_msgs.USAGE_CONVERT.format(name=name, value=value, type=param.type)) from None
    return value


__all__ = ["SESSION_PARAMS", "Command", "Group", "Line", "Param", "UsageError", "dispatch"]
