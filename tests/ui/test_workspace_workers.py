"""Large object graphs handed to ``dispose`` are freed on a pool thread, every part of them."""

from __future__ import annotations

import gc
import weakref

from PySide6.QtCore import QThreadPool

from janus_gui.ui.background import dispose


class Item:
    """A small object that can be watched with a weak reference."""

    def __init__(self, number: int) -> None:
        self.number = number


class Holder:
    """A result-like object: a big tuple, a big list, a big dict and a small list."""

    def __init__(self, items: list[Item]) -> None:
        self.bars = tuple(items[:3000])
        self.rows = items[3000:9000]
        self.by_id = {item.number: item for item in items[9000:9500]}
        self.small = items[9500:]


def test_dispose_frees_every_item_of_a_large_graph(qapp) -> None:
    items = [Item(n) for n in range(10_000)]
    watched = [weakref.ref(item) for item in items]
    holder = Holder(items)
    del items
    gc.collect()
    assert sum(ref() is not None for ref in watched) == 10_000
    dispose(holder)
    del holder
    assert QThreadPool.globalInstance().waitForDone(10_000)
    assert sum(ref() is not None for ref in watched) == 0


def test_dispose_of_nothing_is_harmless(qapp) -> None:
    dispose(None)
    assert QThreadPool.globalInstance().waitForDone(10_000)
