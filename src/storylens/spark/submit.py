"""spark-submit entry point: ``spark-submit .../storylens/spark/submit.py PATHS -o OUT [--partitions N]``.

The master and resources come from spark-submit (``--master yarn`` ...); the arguments are those of
``storylens spark``.
"""

import sys

from storylens.cli import main

if __name__ == "__main__":
    sys.exit(main(["spark", "--master", "", *sys.argv[1:]]))
