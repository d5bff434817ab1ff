"""`python -m practices` runs the command line, like the `practices` console script."""

import sys

from practices.cli import main

# The guard matters: the fork server that starts worker processes imports the main module again.
if __name__ == "__main__":
    sys.exit(main())
