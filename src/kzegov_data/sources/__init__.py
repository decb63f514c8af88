"""One module per source, all of the same shape: ``SOURCE = Source(...)`` and ``parse(paths)``."""
