"""The ``routes`` console script: signals first, then the command line.

Ctrl-C (SIGINT) and SIGTERM end the command with one line and exit status
130 or 143, never a traceback, at any moment — also while the command line is
still being imported — and every ``finally`` and cleanup runs (an output being
written leaves no temporary file).
"""

from __future__ import annotations

import os
import signal
import sys
from typing import Any, NoReturn


def _terminate(signum: int, frame: object) -> NoReturn:
    done = SystemExit(128 + signum)
    done.routes_signal = signum  # type: ignore[attr-defined]
    raise done


def _interrupt(signum: int, frame: object) -> NoReturn:
    stop = KeyboardInterrupt()
    stop.routes_signal = signum  # type: ignore[attr-defined]
    raise stop


def _unraisable(hook: Any) -> None:
    """A signal that landed where Python cannot raise (a weakref callback, a ``__del__``): deliver it again.

    Python would print "Exception ignored in …" with a traceback and go on;
    sent again, the signal raises at the next point where it can propagate.
    """
    signum = getattr(hook.exc_value, "routes_signal", None)
    if signum is None:
        sys.__unraisablehook__(hook)
    elif not sys.is_finalizing():  # already on the way out: nothing to stop
        os.kill(os.getpid(), signum)


def run() -> None:
    """Entry point of the ``routes`` command."""
    sys.unraisablehook = _unraisable
    signal.signal(signal.SIGTERM, _terminate)
    signal.signal(signal.SIGINT, _interrupt)
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
