"""The headers the site wants, in one place: its Content-Security-Policy and cross-origin isolation.

Cross-origin isolation (COOP + COEP on every response) lets Stop interrupt
Python at once through a SharedArrayBuffer; without it Stop replaces the
worker, which works everywhere but takes a moment. `serve.py` sends these
headers, and the build writes them into ``_site/_headers`` for hosts that read
that file (Netlify, Cloudflare Pages).

The page runs only its own module scripts; Python runs in a module worker
from the same origin. Learner output is shown as text, never as HTML, and the
policy makes sure nothing else could run either: no inline scripts or styles
(so table alignment is a class, not a ``style`` attribute), no plugins, no
forms, no ``<base>``. With Pyodide from a CDN, that one origin is allowed for
scripts and fetches.

`meta_policy` goes in each page's ``<meta http-equiv>``. A meta policy governs
the page only, never the worker (a worker takes its policy from its own
response headers), and the page itself compiles no WebAssembly, so it needs no
``'wasm-unsafe-eval'``. `header_policy` is for hosts that send headers
(``_headers``, `serve.py`): it also governs the worker, which compiles Pyodide's
WebAssembly, so it allows ``'wasm-unsafe-eval'`` (and nothing else: Pyodide
needs no ``'unsafe-eval'``), and it adds ``frame-ancestors``, which browsers
ignore in a meta tag. Both were checked in Chromium: a page load and a run
report no ``securitypolicyviolation``.
"""

from __future__ import annotations

ISOLATION_HEADERS = {
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Embedder-Policy": "require-corp",
    "Cross-Origin-Resource-Policy": "same-origin",
}


def _policy(origin: str | None, *, worker: bool) -> dict[str, list[str]]:
    extra = [origin] if origin else []
    return {
        "default-src": ["'self'"],
        "script-src": ["'self'", *(["'wasm-unsafe-eval'"] if worker else []), *extra],
        "worker-src": ["'self'"],
        "connect-src": ["'self'", *extra],
        "style-src": ["'self'"],
        "img-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'none'"],
    }


def _join(policy: dict[str, list[str]]) -> str:
    return "; ".join(f"{name} {' '.join(values)}" for name, values in policy.items())


def meta_policy(origin: str | None = None) -> str:
    """The policy for the pages' ``<meta http-equiv="Content-Security-Policy">``."""
    return _join(_policy(origin, worker=False))


def header_policy(origin: str | None = None) -> str:
    """The same policy as an HTTP header, where ``frame-ancestors`` also works."""
    return _join({**_policy(origin, worker=True), "frame-ancestors": ["'none'"]})


def headers_file(origin: str | None = None) -> str:
    """``_site/_headers``: isolation and CSP for every path; fingerprinted assets cached for good."""
    lines = ["/*"] + [f"  {key}: {value}" for key, value in ISOLATION_HEADERS.items()]
    lines.append(f"  Content-Security-Policy: {header_policy(origin)}")
    lines += ["/assets/*", "  Cache-Control: public, max-age=31536000, immutable"]
    return "\n".join(lines) + "\n"
