"""``python -m cmkguard``."""

from cmkguard.cli import main

raise SystemExit(main())
