"""The `course` command line (`python -m course ...`): content checks, exports and seminar tools."""

from __future__ import annotations

import argparse
import sys


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m course", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    check = commands.add_parser("check", help="validate all course content against its schemas")
    check.add_argument("directory", nargs="?", help="readings folder to check (default: the course's own)")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "check":
        from .check import run

        return run(args.directory)
    return 2  # argparse rejects unknown commands before this


if __name__ == "__main__":
    sys.exit(main())
