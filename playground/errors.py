"""Errors a user can fix, and a command stopped when told. Kept apart from `playground.cli` so
`python -m playground.cli` sees one class of each."""

import signal


class UsageError(Exception):
    """A problem with the user's input: printed as one line on stderr, exit code `code`."""

    def __init__(self, message: str, code: int = 2):
        super().__init__(message)
        self.code = code


class Interrupted(KeyboardInterrupt):
    """Ctrl+C (SIGINT) or SIGTERM stopped a command: exit code 128 + the signal's number (130, 143), as a
    shell reports a process the signal ended. A KeyboardInterrupt, so no `except Exception` swallows it."""

    def __init__(self, signum: int = signal.SIGINT):
        super().__init__(signum)
        self.signum = signal.Signals(signum)
        self.code = 128 + self.signum

    @property
    def name(self) -> str:
        return "Ctrl+C" if self.signum == signal.SIGINT else self.signum.name
