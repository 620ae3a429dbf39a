"""Run the course command line: `python -m course --help`."""

import os
import sys

from course.cli import main

try:
    sys.exit(main())
except BrokenPipeError:  # `python -m course check | head`: the reader left; stop quietly, as Unix tools do
    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    sys.exit(141)
