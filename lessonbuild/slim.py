"""Python source for the page: the same code without its docstrings and comments.

The page downloads sim_prefect and playground as ``python.zip`` and compiles
them in the learner's browser, so prose that no one reads there costs bytes and
start-up time, as it would in a JavaScript bundle (which esbuild minifies). Each
docstring becomes ``""`` and each comment goes, but every line stays where it
was, so a line number in a traceback still points at the same line of the
repository's file. The code itself is untouched: `slim` checks that the result
compiles to the same structure.
"""

from __future__ import annotations

import ast
import io
import tokenize

Span = tuple[int, int, int, int]  # start line, start column, end line, end column (lines from 1)


def _docstrings(tree: ast.Module) -> list[Span]:
    spans = []
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) and isinstance(first.value.value, str):
                spans.append((first.lineno, first.col_offset, first.end_lineno or first.lineno, first.end_col_offset or 0))
    return spans


def _comments(source: str) -> list[Span]:
    tokens = tokenize.generate_tokens(io.StringIO(source).readline)
    return [(*t.start, *t.end) for t in tokens if t.type == tokenize.COMMENT]


def _shape(tree: ast.AST) -> str:
    """The code's structure, docstrings left out."""
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and isinstance(body[0], ast.Expr):
            value = body[0].value
            if isinstance(value, ast.Constant) and isinstance(value.value, str):
                body[0] = ast.Expr(ast.Constant(""))
    return ast.dump(tree)


def slim(source: str) -> str:
    """`source` with docstrings emptied and comments removed, every line in its place."""
    tree = ast.parse(source)
    lines = source.splitlines(keepends=True)
    spans = [(span, '""') for span in _docstrings(tree)] + [(span, "") for span in _comments(source)]
    for (start_line, start_col, end_line, end_col), replacement in sorted(spans, reverse=True):
        head = lines[start_line - 1][:start_col]
        tail = lines[end_line - 1][end_col:]
        text = (head + replacement).rstrip() if not tail.strip() else head + replacement + tail.rstrip("\n")
        ending = "\n" if lines[end_line - 1].endswith("\n") else ""
        lines[start_line - 1 : end_line] = [text + ending] + ["\n"] * (end_line - start_line)
    result = "".join(line if line.strip() else "\n" for line in lines)
    if _shape(ast.parse(result)) != _shape(tree):
        raise ValueError("slimming changed the code")
    return result


__all__ = ["slim"]
