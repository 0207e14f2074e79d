"""What every command of the command line shares: exit statuses, the usage error, reading files.

The exit statuses are documented in :mod:`mock_sagemaker_pipelines.cli.help`.
"""

from __future__ import annotations

from pathlib import Path

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_WAITING = 3
#: Standard output was closed before the command finished writing (``... | head``): 128 + SIGPIPE,
#: what a shell reports for a command the pipe's end killed.
EXIT_BROKEN_PIPE = 141


class UsageError(Exception):
    """Bad input on the command line or in a file: reported in one line, exit status 2."""


def invalid_definition(path: str, problems: list[str]) -> UsageError:
    """The one-line error for a definition with ``problems``: each on one line, ``; ``-joined."""
    lines = (" ".join(str(p).split()).rstrip(".") for p in problems)
    return UsageError(f"{path} is not a valid pipeline definition: " + "; ".join(lines) + ".")


def _read_text(path: str, what: str) -> str:
    try:
        return Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = getattr(exc, "strerror", None) or str(exc)
        raise UsageError(f"cannot read {what} {path}: {reason}") from exc
