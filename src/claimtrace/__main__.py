"""``python -m claimtrace`` runs the command line."""

import sys

from claimtrace.cli import main

sys.exit(main())
