"""``cmkguard fix``: the smallest edits to a user's own ``.tf`` files that make failing
notebooks PASS (issue 12). Proposals are text edits; nothing is written unless ``--write``."""
