"""Sources: the only code that reads files or calls AWS."""
