"""Train the clean stage's block model on the scrapinghub pages and ship it in the package.

Pages are rendered to plain text as a scraper without extraction would (``render.visible_lines``);
blocks are labelled from the gold bodies (``training.block_labels``). The cross-validated figure
(model trained and tested on disjoint pages) is printed by ``benchmarks/clean.py``. Usage:

    python benchmarks/train_clean_model.py [--data DIR] [--out PATH]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import joblib

sys.path.insert(0, str(Path(__file__).resolve().parent))

from clean import DEFAULT_DATA, load_pages
from storylens.clean.blockmodel import MODEL_FILE
from storylens.clean.render import visible_lines
from storylens.clean.training import Page, fit, page_matrix

PACKAGE_MODEL = Path(__file__).resolve().parent.parent / "src" / "storylens" / "clean" / MODEL_FILE


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--out", type=Path, default=PACKAGE_MODEL)
    args = parser.parse_args()
    pages = [Page(page.id, visible_lines(page.html), page.gold) for page in load_pages(args.data)]
    features, labels, _ = page_matrix(pages)
    model = fit(features, labels)
    joblib.dump(model, args.out, compress=3)
    size = args.out.stat().st_size
    print(f"trained on {len(pages)} pages, {len(labels)} blocks ({labels.mean():.1%} body); "
          f"wrote {args.out} ({size / 1024:.0f} KiB)")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
