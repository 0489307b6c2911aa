"""Errors raised by the pipeline. Every message names the raw file (and line where known)."""


class PipelineError(Exception):
    """A raw input is missing, corrupt or inconsistent, or an output failed validation."""

    def __init__(self, message: str, path=None, line: int | None = None):
        where = ""
        if path is not None:
            where = f"{path}"
            if line is not None:
                where += f", linje {line}"
            where += ": "
        super().__init__(where + message)
        self.path = path
        self.line = line
