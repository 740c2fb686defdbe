"""Pausing the cyclic garbage collector while very many objects are made.

Loading a data set, judging its segments and writing a report or a map make
hundreds of thousands of objects and hardly any cycles: see :func:`gc_paused`.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector (a context manager, or a decorator).

    Loading a data set, building its graph and writing a report or a map make
    very many objects and few cycles; with the collector on, its collections
    traverse all of them again and again (about 40% of the time of loading a
    large data set, and each full collection also traverses the data set
    already loaded). Cycles made meanwhile are collected later, as usual.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            _promote_young_objects()
            gc.enable()


def _promote_young_objects() -> None:
    """Move every object the collector tracks into its oldest generation, without a collection.

    The objects made while the collector was paused all sit in its youngest
    generation; left there, the next young collections would traverse them
    all, twice, before they reach the oldest generation (on a data set of
    hundreds of thousands of rows, about a second each time). ``freeze`` then
    ``unfreeze`` moves them there at once. Nothing stays frozen; a process
    that froze objects itself (before forking, say) is left as it is.
    """
    if gc.get_freeze_count() == 0:
        gc.freeze()
        gc.unfreeze()
