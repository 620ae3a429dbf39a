"""The nbgitpuller link that opens the course on a JupyterHub (`python -m course link --hub URL`).

A learner who follows it logs in to the hub; nbgitpuller then clones the course repository into
their home folder (or, on later clicks, pulls the updates, keeping the learner's own edits: it
commits them and merges with local changes winning) and opens notebooks/00-orientation.ipynb in
JupyterLab. The link carries no personal data and works for every learner of the class.
"""

from __future__ import annotations

from urllib.parse import quote, urlencode

DEFAULT_BRANCH = "main"
TARGET = "social-media-ethics-course"
FIRST_NOTEBOOK = "notebooks/00-orientation.ipynb"


def nbgitpuller_link(hub: str, repo: str, branch: str = DEFAULT_BRANCH,
                     target: str = TARGET, notebook: str = FIRST_NOTEBOOK) -> str:
    """The hub URL that pulls `repo` at `branch` into ~/`target` and opens `notebook` in JupyterLab."""
    if not hub.startswith(("http://", "https://")):
        raise ValueError(f"the hub address must start with http:// or https://, not {hub!r}")
    query = urlencode({"repo": repo, "branch": branch, "targetpath": target,
                       "urlpath": f"lab/tree/{target}/{notebook}"}, quote_via=quote, safe="/")
    return f"{hub.rstrip('/')}/hub/user-redirect/git-pull?{query}"


def add_arguments(parser) -> None:
    parser.add_argument("--hub", required=True, help="the hub's address, e.g. https://hub.example.edu")
    parser.add_argument("--repo", help="the course repository to pull (default: this checkout's git remote 'origin')")
    parser.add_argument("--branch", default=DEFAULT_BRANCH, help=f"its branch (default: {DEFAULT_BRANCH})")
    parser.add_argument("--target", default=TARGET, help=f"folder in each learner's home (default: {TARGET})")


def run(args) -> int:
    import sys

    repo = args.repo or origin_url()
    if not repo:
        print("link: give the course repository with --repo URL (this checkout has no remote 'origin')", file=sys.stderr)
        return 2
    try:
        print(nbgitpuller_link(args.hub, repo, args.branch, args.target))
    except ValueError as exc:
        print(f"link: {exc}", file=sys.stderr)
        return 2
    return 0


def origin_url() -> str | None:
    """The git remote 'origin' of the checkout this package runs from, if it is one."""
    import subprocess
    from pathlib import Path

    try:
        done = subprocess.run(["git", "config", "--get", "remote.origin.url"], capture_output=True, text=True,
                              cwd=Path(__file__).resolve().parents[2], timeout=10)
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.strip() or None
