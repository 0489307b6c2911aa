"""Errors raised by the read side (store/)."""


class StoreError(Exception):
    """A data file is missing, unreadable or does not match the data contract (data/README.md).

    The message always starts with the file's path, e.g.
    ``data/catalog.parquet: mangler kolonne(r): unit``.
    """

    def __init__(self, message: str, path=None):
        self.path = path
        super().__init__(f"{path}: {message}" if path is not None else message)


class QueryError(ValueError):
    """A query asked for something that does not exist (unknown indicator, level or region)."""
