"""A page's held-back parts wait while other pages of the process are joining (playground/views/page_joins.py)."""

import asyncio
import functools
from concurrent.futures import ThreadPoolExecutor

from playground.views.page_joins import PageJoins, process_joins


def on_a_thread_of_its_own(test):
    """Run `test` where no event loop runs: in the whole suite the browser tests' Playwright keeps one running
    on the main thread, and `PageJoins` would schedule its releases there."""
    @functools.wraps(test)
    def run():
        with ThreadPoolExecutor(1) as pool:
            return pool.submit(test).result()
    return run


class Clock:
    def __init__(self):
        self.now = 100.0

    def __call__(self):
        return self.now


@on_a_thread_of_its_own
def test_a_lone_page_shows_its_rest_at_once():
    joins, shown = PageJoins(clock=Clock()), []
    joins.started("a")
    joins.drawn("a")
    joins.when_others_joined("a", lambda: shown.append("a"))
    assert shown == ["a"] and joins.waiting == 0


@on_a_thread_of_its_own
def test_a_rest_waits_for_the_other_pages_first_frames_and_goes_out_oldest_first():
    clock = Clock()
    joins, shown = PageJoins(clock=clock), []
    for page in "abc":
        joins.started(page)
    joins.drawn("a")
    joins.when_others_joined("a", lambda: shown.append("a"))
    clock.now += 0.5
    joins.drawn("b")
    joins.when_others_joined("b", lambda: shown.append("b"))
    assert shown == [] and joins.joining == 1 and joins.waiting == 2  # c has not drawn a frame yet
    joins.drawn("c")
    assert shown == ["a", "b"]


@on_a_thread_of_its_own
def test_a_rest_waits_at_most_max_wait():
    clock = Clock()
    joins, shown = PageJoins(max_wait_s=3.0, clock=clock), []
    joins.started("slow")
    joins.seen("slow")
    joins.started("a")
    joins.drawn("a")
    joins.when_others_joined("a", lambda: shown.append("a"))
    assert joins.due() is None and joins.next_check_in() == 3.0
    clock.now += 2.9
    assert joins.due() is None
    clock.now += 0.1
    assert joins.due() == "a"
    joins.run_due()
    assert shown == ["a"]


@on_a_thread_of_its_own
def test_a_page_whose_browser_never_came_or_never_drew_stops_counting():
    clock = Clock()
    joins = PageJoins(window_s=10.0, unseen_window_s=3.0, clock=clock)
    joins.started("bare GET")  # no browser behind it: no link posted, never loaded
    joins.started("tab")
    clock.now += 1.0
    joins.seen("tab")  # its browser posted the page's link
    clock.now += 2.0
    assert joins.joining == 2
    clock.now += 0.1  # the bare GET's page was built 3.1 s ago
    assert joins.joining == 1
    clock.now += 7.8  # the tab showed up 9.9 s ago ...
    assert joins.joining == 1
    clock.now += 0.2  # ... and now longer, without a frame drawn
    assert joins.joining == 0
    joins.seen("tab")  # a late sign of life counts again
    assert joins.any_joining()


@on_a_thread_of_its_own
def test_a_page_that_is_gone_holds_nobody_back_and_its_rest_never_runs():
    joins, shown = PageJoins(clock=Clock()), []
    joins.started("closed tab")
    joins.started("a")
    joins.drawn("a")
    joins.when_others_joined("a", lambda: shown.append("a"))
    assert shown == []
    joins.started("b")
    joins.drawn("b")
    joins.when_others_joined("b", lambda: shown.append("b"))
    joins.forget("b")  # b's session was destroyed while its rest waited
    joins.forget("closed tab")
    assert shown == ["a"] and joins.waiting == 0


@on_a_thread_of_its_own
def test_on_an_event_loop_the_rests_go_out_one_per_turn_and_a_timer_ends_the_wait():
    async def scenario():
        joins, events = PageJoins(max_wait_s=0.2), []
        joins.started("slow")
        joins.seen("slow")
        for page in "ab":
            joins.started(page)
            joins.drawn(page)
            joins.when_others_joined(page, lambda page=page: events.append(page))
        await asyncio.sleep(0)
        assert events == []
        joins.drawn("slow")  # both rests are due now: one per turn, so work asked for meanwhile comes between
        asyncio.get_running_loop().call_soon(events.append, "other work")
        for _ in range(4):
            await asyncio.sleep(0)
        assert events == ["a", "other work", "b"]
        joins.started("slow again")
        joins.seen("slow again")
        joins.started("c")
        joins.drawn("c")
        joins.when_others_joined("c", lambda: events.append("c"))
        await asyncio.sleep(0.1)
        assert events[-1] == "b"
        await asyncio.sleep(0.25)  # "slow again" never draws: c's wait ends after max_wait_s
        assert events[-1] == "c"

    asyncio.run(scenario())


@on_a_thread_of_its_own
def test_each_server_loop_has_its_own_pages():
    async def twice():
        return process_joins(), process_joins()

    first, again = asyncio.run(twice())
    other, _ = asyncio.run(twice())
    assert first is again and other is not first
