"""Rewrite the generated pages of docs/ (or, with --check, report which differ).

python scripts/gen_docs.py           # write
python scripts/gen_docs.py --check   # exit 1 if any page is out of date
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from cmkguard.docs import REGENERATE, generate

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    """Write or check every generated page."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report stale pages")
    args = parser.parse_args()
    stale = []
    for relative, content in generate().items():
        path = ROOT / relative
        current = path.read_text(encoding="utf-8") if path.exists() else None
        if current == content:
            continue
        stale.append(relative)
        if not args.check:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(content, encoding="utf-8")
    if args.check and stale:
        print(f"out of date: {', '.join(stale)}; run `{REGENERATE}`", file=sys.stderr)
        return 1
    for relative in stale:
        print(f"wrote {relative}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
