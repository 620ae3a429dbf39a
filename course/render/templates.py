"""The Jinja2 environment every HTML page and fragment is rendered from, with autoescaping on.

Templates live in `course/render/templates/` and ship as package data. Pages extend `page.html`
(the one layout: doctype, language, the Content-Security-Policy and the shared styles); fragments
such as an item's HTML import the macros in `macros.html` (feedback marks, citations, the item
frame). Python hands a template the data it shows and never builds HTML itself.

Jinja2 is imported on first use, so `import course` stays cheap, and what it compiles is kept in the
package (`course.render.compiled`), so a fresh kernel does not compile the same templates again.
"""

from __future__ import annotations

from functools import lru_cache
from html import escape

from markupsafe import Markup

from course.render.text import MARKS, PALETTE, cite_pairs

# What every page allows: no scripts, no network, inline styles, images only from data: URLs.
DEFAULT_CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"


@lru_cache(maxsize=1)
def environment():
    """The shared environment: autoescape everywhere, undefined names are errors, compact output."""
    import jinja2

    from course.render.compiled import PackageBytecodeCache

    env = jinja2.Environment(
        loader=jinja2.PackageLoader("course.render", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
        auto_reload=False,  # templates are package data: never re-stat them on every render
        finalize=_escape_like_the_standard_library,
        bytecode_cache=PackageBytecodeCache(),  # compiled code kept in the package, like .pyc files
    )
    env.globals.update(PALETTE=PALETTE, MARKS=MARKS, DEFAULT_CSP=DEFAULT_CSP, cite_pairs=cite_pairs)
    env.filters["paragraphs"] = paragraphs
    return env


def _escape_like_the_standard_library(value):
    """Escape text as `html.escape` does (`'` as `&#x27;`), so pages keep the bytes they had.

    Autoescaping still applies; this only chooses the spelling. Markup (a macro's output, or
    text marked `|safe` because it is already HTML) passes through untouched.
    """
    if isinstance(value, str) and not isinstance(value, Markup):
        return Markup(escape(value))
    return value


def paragraphs(text: str) -> list[str]:
    """Plain content text split into its paragraphs (a template wraps each in <p>)."""
    return [p.strip() for p in str(text).split("\n\n") if p.strip()]


def render(name: str, **context) -> str:
    """Render the template `name` with `context`; the result is a str of safe HTML."""
    return environment().get_template(name).render(**context)


def render_macro(name: str, macro: str, *args, **kwargs) -> str:
    """Call one macro of a template (e.g. a citation line) and return its HTML as a str."""
    module = environment().get_template(name).module
    return str(getattr(module, macro)(*args, **kwargs))
