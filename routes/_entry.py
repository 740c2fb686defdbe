"""The ``routes`` console script: signals first, then the command line.

Ctrl-C (SIGINT) and SIGTERM end the command with one line and exit status
130 or 143, never a traceback, at any moment — also while the command line is
still being imported — and every ``finally`` and cleanup runs (an output being
written leaves no temporary file).
"""

from __future__ import annotations

import signal
import sys
from typing import NoReturn


def _terminate(signum: int, frame: object) -> NoReturn:
    raise SystemExit(128 + signum)


def run() -> None:
    """Entry point of the ``routes`` command."""
    signal.signal(signal.SIGTERM, _terminate)
    try:
        from routes.cli import main

        main(prog_name="routes")
    except KeyboardInterrupt:
        sys.stderr.write("Interrupted.\n")
        _exit(130)
    except SystemExit as done:
        _exit(done.code)


def _exit(code: int | str | None) -> NoReturn:
    """Exit with ``code``; a signal that arrives while the interpreter shuts down changes nothing then."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    sys.exit(code)
