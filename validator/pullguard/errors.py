"""Errors that end a run with exit code 2 and one clear line."""


class InputError(Exception):
    """The input or the command line is wrong. ``str(exc)`` is the one line shown."""
