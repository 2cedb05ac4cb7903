"""The site's Content-Security-Policy, in one place.

`serve.py` sends it as a header, the build writes it into ``_site/_headers``
for hosts that read that file (Netlify, Cloudflare Pages), and every page
carries it in a ``<meta http-equiv>``, so it holds on a plain static host too.

The page runs only its own module scripts. Python runs in module workers that
the page starts from ``blob:`` URLs (``worker-src 'self' blob:``): such a
worker inherits the page's policy, meta tag included, so the same policy
governs learner code in the worker. It allows no request off the page's origin
(``connect-src 'self'``), no script from elsewhere and no ``eval``; it allows
``'wasm-unsafe-eval'``, which Pyodide needs to compile its WebAssembly (and
nothing else: Pyodide needs no ``'unsafe-eval'``). Learner output is shown as
text, never as HTML, and the policy makes sure nothing else could run either:
no inline scripts or styles (so table alignment is a class, not a ``style``
attribute), no plugins, no forms, no ``<base>``. With Pyodide from a CDN, that
one origin is allowed for scripts and fetches. The header form adds
``frame-ancestors``, which browsers ignore in a meta tag.

No cross-origin isolation (COOP/COEP) is needed: Stop terminates the worker
rather than interrupting it through a SharedArrayBuffer.
"""

from __future__ import annotations


def _policy(origin: str | None) -> dict[str, list[str]]:
    extra = [origin] if origin else []
    return {
        "default-src": ["'self'"],
        "script-src": ["'self'", "'wasm-unsafe-eval'", *extra],
        "worker-src": ["'self'", "blob:"],
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
    return _join(_policy(origin))


def header_policy(origin: str | None = None) -> str:
    """The same policy as an HTTP header, where ``frame-ancestors`` also works."""
    return _join({**_policy(origin), "frame-ancestors": ["'none'"]})


def headers_file(origin: str | None = None) -> str:
    """``_site/_headers``: the CSP for every path; fingerprinted assets cached for good."""
    lines = ["/*", f"  Content-Security-Policy: {header_policy(origin)}"]
    lines += ["/assets/*", "  Cache-Control: public, max-age=31536000, immutable"]
    return "\n".join(lines) + "\n"
