"""`python -m practices` runs the command line, like the `practices` console script."""

import sys

from practices.cli import main

# The guard matters: worker processes are spawned and import the main module again.
if __name__ == "__main__":
    sys.exit(main())
