"""The control from ``shared/control.md``: reason codes, checks and the verdict."""
