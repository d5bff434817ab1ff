"""`python -m practices` runs the command line, like the `practices` console script."""

import sys

from practices.cli import main

sys.exit(main())
