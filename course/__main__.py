"""Run the course command line: `python -m course --help`."""

import sys

from course.cli import main

sys.exit(main())
