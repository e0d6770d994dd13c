"""A served worker settles its heap after start-up (issue 17: full collections walking the
start-up objects paused workers ~200 ms each, the checkout's p99)."""

from __future__ import annotations

import gc

from marketplace.server import YOUNG_GENERATION_THRESHOLD, settle_heap


def test_settling_the_heap_freezes_what_start_up_built_and_collects_young_objects_less_often() -> (
    None
):
    threshold = gc.get_threshold()
    gc.unfreeze()
    try:
        # when a worker settles its heap
        settle_heap()

        # then what exists is out of the collector's sight, and the youngest generation waits
        # for more allocations; the older generations keep their thresholds
        assert gc.get_freeze_count() > 1000
        assert gc.get_threshold() == (YOUNG_GENERATION_THRESHOLD, *threshold[1:])
    finally:
        gc.unfreeze()
        gc.set_threshold(*threshold)
