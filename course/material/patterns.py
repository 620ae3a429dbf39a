"""Post-audit patterns: checked so that none can backtrack without bound, and matched under a time limit.

A rule author writes Python `re` syntax (readings/tools/post-audit.yaml says so), and a learner types the
post, so a pattern such as `^(a+)+$` must neither hang a kernel (Python's `re` took 64 s on 31 characters)
nor pass `course check`. Two guards:

- `problem(pattern)` is what `check` reports: not valid Python `re` syntax, or a repeated group that holds
  another variable repetition or alternatives (the shape of every exponential backtracking pattern).
- `search` runs the pattern in the `regex` module, which takes a timeout, within a deadline for the whole
  post; the shipped rules need lookbehind and lookahead, which linear-time engines such as RE2 lack.
"""

from __future__ import annotations

import re
import time
from functools import lru_cache

import regex

FLAGS = regex.IGNORECASE
SEARCH_SECONDS = 0.02
"""The timeout passed to one search. `regex` checks it coarsely (a search may run ten times longer), so it
is small: a rule's patterns run in microseconds on any real post."""
POST_SECONDS = 1.0
"""All the rules together get this long for one post; rules not reached are skipped (with a warning)."""


class PatternTimeWarning(UserWarning):
    """A post-audit rule took too long on this post and was skipped."""


def problem(pattern: str) -> str | None:
    """Why `pattern` cannot be a post-audit pattern, in words, or None if it can."""
    from re import _parser

    try:
        re.compile(pattern, re.IGNORECASE)
        tree = _parser.parse(pattern, re.IGNORECASE)
        regex.compile(pattern, FLAGS)
    except (re.error, regex.error, OverflowError, RecursionError, ValueError) as exc:
        return f"not a valid regular expression: {exc}"
    shape = _backtracking_shape(tree, repeated=False)
    if shape:
        return (f"a repeated group holds {shape}, so some posts make this pattern backtrack for minutes or "
                "hours; rewrite it so that each character can be matched only one way (for example "
                r"'(\w+\s?)*' as '[\w\s]*')")
    return None


def _backtracking_shape(tree, repeated: bool) -> str | None:
    """What, inside a group repeated more than once, makes the number of ways to match grow exponentially."""
    from re import _constants as c

    for op, arg in tree:
        inner = []
        if op in (c.MAX_REPEAT, c.MIN_REPEAT):
            low, high, body = arg
            if repeated and high > low:
                return "another repetition"
            inner.append((body, repeated or high > 1))
        elif op is c.BRANCH:
            if repeated:
                return "alternatives"
            inner.extend((branch, repeated) for branch in arg[1])
        elif op is c.SUBPATTERN:
            inner.append((arg[-1], repeated))
        elif op in (c.ASSERT, c.ASSERT_NOT):
            inner.append((arg[1], repeated))
        elif op is c.GROUPREF_EXISTS:
            inner.extend((branch, repeated) for branch in arg[1:] if branch is not None)
        # POSSESSIVE_REPEAT and ATOMIC_GROUP never backtrack into themselves.
        for body, now_repeated in inner:
            found = _backtracking_shape(body, now_repeated)
            if found:
                return found
    return None


@lru_cache(maxsize=1024)
def _compiled(pattern: str):
    return regex.compile(pattern, FLAGS)


def deadline() -> float:
    """The moment by which one post's matching must be done."""
    return time.monotonic() + POST_SECONDS


def search(pattern: str, text: str, until: float):
    """`regex.search(pattern, text)` case-insensitively; TimeoutError if it cannot finish by `until`."""
    remaining = until - time.monotonic()
    if remaining <= 0:
        raise TimeoutError("out of time for this post")
    return _compiled(pattern).search(text, timeout=min(remaining, SEARCH_SECONDS))
