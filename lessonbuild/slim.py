"""Python source for the page: the same code without its docstrings and comments.

The page downloads sim_prefect and playground as ``python.zip.gz`` and compiles
them in the learner's browser, so prose that no one reads there costs bytes and
start-up time, as it would in a JavaScript bundle (which esbuild minifies). Each
docstring becomes ``""`` and each comment goes, but every line stays where it
was, so a line number in a traceback still points at the same line of the
repository's file.

The code itself is untouched, and `slim` proves it for every file: the original's
syntax tree, with each docstring it replaced set to ``""`` where the slimmed text
has it, must compile to the same code objects as the slimmed text (``==`` on code
objects compares the bytecode, the constants, the names and every instruction's
line and columns, nested functions and classes included). Both sides are
compiled by CPython's own compiler, so the proof costs two compilations and one
parse, not a pass of Python's pure-Python tokenizer: comments are found by one
regular expression over the text (a ``#`` that no string literal holds), and a
mistake there could only show up as code that compiles differently, which the
proof refuses.
"""

from __future__ import annotations

import ast
import bisect
import pickle
import re
import sys
from dataclasses import dataclass

Span = tuple[int, int, int, int]  # start line, start column, end line, end column (lines from 1, columns in characters)

# A comment, or a string literal (which may hold a '#'): Python's lexical grammar for both. A prefix (r, b, f, u)
# changes nothing here: in every kind of literal a backslash keeps the next character, the quote included.
_COMMENT_OR_STRING = re.compile(
    r"""(\#[^\n]*)"""
    r"""|'''(?:[^'\\]+|\\.|'(?!''))*'''"""
    r'''|"""(?:[^"\\]+|\\.|"(?!""))*"""'''
    r"""|'(?:[^'\\\n]+|\\.)*'"""
    r'''|"(?:[^"\\\n]+|\\.)*"''',
    re.DOTALL,
)
_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)


def _column(line: str, utf8_offset: int) -> int:
    """An AST column (UTF-8 bytes) as an index into the line's characters."""
    return utf8_offset if line.isascii() else len(line.encode("utf-8")[:utf8_offset].decode("utf-8"))


def _docstrings(tree: ast.Module, lines: list[str]) -> tuple[list[Span], list[ast.Expr], list[ast.AST]]:
    """The docstrings to empty (module, class and function bodies' first statements), as spans and as nodes,
    and every statement that holds a body (a docstring's enclosing ones among them).

    Classes and functions are statements, so only statement lists are searched, not every expression.
    A docstring followed by code on its last line is left as it is (emptying it would move that code)."""
    spans: list[Span] = []
    nodes: list[ast.Expr] = []
    compound: list[ast.AST] = []
    stack: list[ast.AST] = [tree]
    while stack:
        node = stack.pop()
        compound.append(node)
        body = getattr(node, "body", None)
        if isinstance(node, (ast.Module, ast.ClassDef, *_FUNCTIONS)) and body:
            first = body[0]
            value = first.value if isinstance(first, ast.Expr) else None
            if isinstance(value, ast.Constant) and isinstance(value.value, str):
                end_line, end_col = value.end_lineno or value.lineno, value.end_col_offset or 0
                same = (first.lineno, first.col_offset, first.end_lineno, first.end_col_offset) == (
                    value.lineno, value.col_offset, end_line, end_col,
                )  # fmt: skip
                last = lines[end_line - 1]
                end = _column(last, end_col)
                tail = last[end:].strip()
                if same and (not tail or tail.startswith("#")):
                    spans.append((value.lineno, _column(lines[value.lineno - 1], value.col_offset), end_line, end))
                    nodes.append(first)
        for name in ("body", "orelse", "finalbody", "handlers", "cases"):
            children = getattr(node, name, None)
            if isinstance(children, list):
                stack.extend(child for child in children if isinstance(getattr(child, "body", None), list))
    return spans, nodes, compound


def _comments(source: str) -> list[Span]:
    starts = [0] + [m.end() for m in re.finditer("\n", source)]
    spans = []
    for match in _COMMENT_OR_STRING.finditer(source):
        if match.group(1) is not None:
            line = bisect.bisect_right(starts, match.start())
            start = match.start() - starts[line - 1]
            spans.append((line, start, line, start + len(match.group(1))))
    return spans


def _emptied(nodes: list[ast.Expr], compound: list[ast.AST]) -> None:
    """Each docstring node as the slimmed text has it: ``""`` where the docstring began; a statement that
    ended with a docstring (a function whose body is only its docstring) now ends with that ``""``."""
    ends = {}
    for expr in nodes:
        line, col = expr.lineno, expr.col_offset
        ends[(expr.end_lineno, expr.end_col_offset)] = (line, col + 2)
        expr.value = ast.Constant("", lineno=line, col_offset=col, end_lineno=line, end_col_offset=col + 2)
        expr.end_lineno, expr.end_col_offset = line, col + 2
    for node in compound:
        end = ends.get((getattr(node, "end_lineno", None), getattr(node, "end_col_offset", None)))
        if end is not None:
            node.end_lineno, node.end_col_offset = end  # type: ignore[attr-defined]


def slim(source: str, name: str = "<source>") -> str:
    """`source` with docstrings emptied and comments removed, every line in its place.

    Raises ValueError if the result would not compile to exactly the same code."""
    tree = ast.parse(source, name)
    lines = source.splitlines(keepends=True)
    docstrings, nodes, compound = _docstrings(tree, lines)
    spans = [(span, '""') for span in docstrings] + [(span, "") for span in _comments(source)]
    for (start_line, start_col, end_line, end_col), replacement in sorted(spans, reverse=True):
        head = lines[start_line - 1][:start_col]
        tail = lines[end_line - 1][end_col:]
        text = (head + replacement).rstrip() if not tail.strip() else head + replacement + tail.rstrip("\n")
        ending = "\n" if lines[end_line - 1].endswith("\n") else ""
        lines[start_line - 1 : end_line] = [text + ending] + ["\n"] * (end_line - start_line)
    result = "".join(line if line.strip() else "\n" for line in lines)
    _emptied(nodes, compound)
    if compile(tree, name, "exec", dont_inherit=True) != compile(result, name, "exec", dont_inherit=True):
        raise ValueError(f"{name}: slimming changed the code")
    return result


@dataclass(frozen=True)
class Failure:
    """Why a file could not be slimmed (it does not parse, or slimming would change its code)."""

    name: str
    line: int | None
    message: str


Result = list[bytes] | Failure


def slim_files(files: list[tuple[str, bytes]]) -> Result:
    """Each (name, UTF-8 source) slimmed, or the first file that could not be."""
    slimmed = []
    for name, data in files:
        try:
            slimmed.append(slim(data.decode("utf-8"), name).encode("utf-8"))
        except SyntaxError as exc:
            return Failure(name, exc.lineno, f"cannot slim a file that does not parse: {exc.msg}")
        except (ValueError, UnicodeDecodeError) as exc:
            return Failure(name, None, str(exc).removeprefix(f"{name}: "))
    return slimmed


def worker() -> None:
    """A worker process (`assets.py`): a pickled list of (name, source) on stdin, `slim_files`' pickled result on stdout."""
    files = pickle.load(sys.stdin.buffer)
    pickle.dump(slim_files(files), sys.stdout.buffer)


__all__ = ["Failure", "slim", "slim_files"]
