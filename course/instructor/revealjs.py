"""reveal.js for the seminar deck, taken from the copy that the `sphinx-revealjs` wheel ships.

Instructors pip-install this module, so reveal.js arrives the same way: the `instructor` extra
depends on sphinx-revealjs (pinned in constraints.txt), whose wheel carries reveal.js's built
files (`sphinx_revealjs/_static/revealjs/`: dist/, plugin/, LICENSE; reveal.js 5.2.0 in
sphinx-revealjs 3.2.1, MIT licence, Hakim El Hattab and contributors, https://revealjs.com).
No npm and no network at run time. The package is located with `importlib.util.find_spec`,
which finds its folder without running its `__init__` (that would import Sphinx).

`bundle(folder)` copies the few files a deck needs, and reveal.js's licence, into `folder`, so
the deck works from a USB stick in a room with no network.
"""

from __future__ import annotations

import importlib.util
import re
import shutil
from pathlib import Path

PACKAGE = "sphinx_revealjs"
MAJOR = 5  # the deck's markup and configuration are written for reveal.js 5

# What a deck needs, relative to sphinx_revealjs/_static/revealjs/, and where it goes in the bundle.
FILES = {
    "LICENSE": "LICENSE",
    "dist/reveal.js": "reveal.js",
    "dist/reveal.css": "reveal.css",
    "dist/theme/white.css": "theme/white.css",
    "dist/theme/fonts/source-sans-pro/source-sans-pro.css": "theme/fonts/source-sans-pro/source-sans-pro.css",
    "dist/theme/fonts/source-sans-pro/LICENSE": "theme/fonts/source-sans-pro/LICENSE",
    "plugin/notes/notes.js": "plugin/notes.js",
}
FONTS = ("regular", "italic", "semibold", "semibolditalic")  # the .woff files the theme's CSS names first
FILES.update({f"dist/theme/fonts/source-sans-pro/source-sans-pro-{f}.woff": f"theme/fonts/source-sans-pro/source-sans-pro-{f}.woff"
              for f in FONTS})


class RevealMissing(LookupError):
    """reveal.js is not installed, or not in the shape this deck expects."""


def source() -> Path:
    """The folder holding reveal.js's built files inside the installed sphinx-revealjs."""
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise RevealMissing("the slides need reveal.js, which comes with the instructor tools: "
                            "pip install 'social-media-ethics-course[instructor]' (it installs sphinx-revealjs)")
    root = Path(next(iter(spec.submodule_search_locations))) / "_static" / "revealjs"
    missing = [name for name in FILES if not (root / name).is_file()]
    if missing:
        raise RevealMissing(f"sphinx-revealjs at {root} lacks {', '.join(missing)}; install the version in constraints.txt")
    return root


def version(root: Path | None = None) -> str:
    """reveal.js's version, from the banner at the top of dist/reveal.js."""
    head = ((root or source()) / "dist" / "reveal.js").read_text(encoding="utf-8", errors="replace")[:400]
    found = re.search(r"reveal\.js (\d+\.\d+\.\d+)", head)
    if not found:
        raise RevealMissing("cannot read reveal.js's version from dist/reveal.js")
    return found.group(1)


def bundle(folder: Path) -> str:
    """Copy reveal.js into `folder` (replacing an older copy there); returns its version."""
    root = source()
    found = version(root)
    if int(found.split(".")[0]) != MAJOR:
        raise RevealMissing(f"the deck is written for reveal.js {MAJOR}.x; sphinx-revealjs ships {found}")
    folder = Path(folder)
    for name, target in FILES.items():
        destination = folder / target
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(root / name, destination)
    return found
