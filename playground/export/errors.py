"""What goes wrong in an export, as one-line messages: the user's input (exit 2) or the work itself (exit 1)."""


class ExportError(ValueError):
    """A link that cannot be exported (the user's input); the message is one line."""


class ExportFailed(ExportError):
    """A notebook that could not be run or written; the message is one line."""
