"""The module's version, in one place: the package face, the journal, exports and caches read it."""

__version__ = "0.1.0"
