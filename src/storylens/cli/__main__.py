"""`python -m storylens.cli`: the same as the `storylens` command."""

import sys

from storylens.cli import main

sys.exit(main())
