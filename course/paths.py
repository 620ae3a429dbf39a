"""Where things live: the content folder and the learner's data folder.

Both can be moved by environment variables, so that an instructor, a test or JupyterHub can
point the same package at other content or keep each learner's journal apart.
"""

from __future__ import annotations

import os
from pathlib import Path

CONTENT_ENV = "COURSE_CONTENT_DIR"
"""Environment variable: use this readings/ folder instead of the one shipped with the package."""

HOME_ENV = "COURSE_HOME"
"""Environment variable: keep the learner's journal in this folder instead of the user data folder."""

APP_NAME = "social-media-ethics-course"


_PACKAGE = Path(__file__).resolve().parent


def content_root() -> Path:
    """The readings/ folder: $COURSE_CONTENT_DIR, else the repository's, else the wheel's copy."""
    override = os.environ.get(CONTENT_ENV)
    if override:
        return Path(override)
    in_repo = _PACKAGE.parent / "readings"
    if (in_repo / "manifest.yaml").is_file():
        return in_repo
    return _PACKAGE / "_readings"


def learner_home() -> Path:
    """The folder holding this learner's journal: $COURSE_HOME, else the platform's user data folder."""
    override = os.environ.get(HOME_ENV)
    if override:
        return Path(override)
    from platformdirs import user_data_path

    return user_data_path(APP_NAME, appauthor=False)


HANDIN_ENV = "COURSE_HANDIN_DIR"
"""Environment variable: the instructor's hand-in folder (a drop box; see deploy/setup-handin.sh)."""

CONFIG_ENV = "COURSE_CONFIG"
"""Environment variable: a TOML config file to read instead of /etc/social-media-ethics-course/config.toml."""

SYSTEM_CONFIG = Path("/etc") / APP_NAME / "config.toml"


def handin_dir() -> tuple[Path | None, str]:
    """The configured hand-in folder and where the setting came from, or (None, what was looked at).

    $COURSE_HANDIN_DIR wins; else `handin_dir = "..."` in the config file ($COURSE_CONFIG, or
    /etc/social-media-ethics-course/config.toml, which a hub's image can carry for every user).
    """
    override = os.environ.get(HANDIN_ENV)
    if override:
        return Path(override), f"${HANDIN_ENV}"
    config = Path(os.environ.get(CONFIG_ENV) or SYSTEM_CONFIG)
    try:
        import tomllib

        with open(config, "rb") as handle:
            value = tomllib.load(handle).get("handin_dir")
    except FileNotFoundError:
        return None, f"${HANDIN_ENV} is not set and there is no {config}"
    except (OSError, ValueError) as exc:
        return None, f"${HANDIN_ENV} is not set and {config} cannot be read ({exc})"
    if not isinstance(value, str) or not value:
        return None, f"${HANDIN_ENV} is not set and {config} has no handin_dir"
    return Path(value), str(config)
