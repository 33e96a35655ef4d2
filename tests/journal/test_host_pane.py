"""The Hosts pane, in the app: the journal's hosts with their counts, and a host switched off."""

from __future__ import annotations

from rich.text import Text

from logview.core.filters import Filters
from logview.core.pipeline import Pipeline
from logview.core.sources.journal import JournalSource, JournalTarget
from logview.journal_upload import Collector
from logview.ui.app import LogViewApp
from logview.ui.colors import COLORS
from logview.ui.widgets.host_pane import HostPane
from logview.ui.widgets.log_pane import LogPane
from tests.functional.driving import SIZE, settled, wait_for
from tests.journal.hosts import THREADS, send

RECORDS = 12


async def test_the_hosts_pane_lists_each_host_with_its_count_and_hides_one_switched_off(collector: Collector) -> None:
    for host in range(3):
        send(collector, host, RECORDS)
    pipeline = Pipeline(growing=True)
    app = LogViewApp([], pipeline=pipeline, sources=[JournalSource(JournalTarget(directory=collector.directory), follow=True)])
    per_host = len(THREADS) * RECORDS
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        hosts = app.query_one(HostPane)
        await wait_for(pilot, lambda: hosts.option_count == 3, what="three hosts listed")
        prompts = [str(hosts.get_option_at_index(index).prompt) for index in range(hosts.option_count)]
        assert prompts == [f"host-{number} ({per_host})" for number in range(3)]
        assert hosts.display and hosts.size.height > 0
        await pilot.press("h", "down", "space")  # host-1 off
        await settled(pilot)
        log = app.query_one(LogPane)
        await wait_for(pilot, lambda: len(log.selection) == 2 * per_host, what="host-1's records hidden")
        shown_hosts = {record.fields["hostname"] for record in log.records_between(0, len(log.selection))}
        assert shown_hosts == {"host-0", "host-2"}
        off = hosts.get_option_at_index(1).prompt
        assert isinstance(off, Text) and str(off) == f"host-1 ({per_host})" and off.style == COLORS["off"]


async def test_the_first_host_toggled_under_host_turns_the_list_into_hidden_hosts(collector: Collector) -> None:
    """``--host host-1``, then host-0 switched on: host-2, which the list left out, stays hidden; later toggles add to and take from that."""
    for host in range(3):
        send(collector, host, RECORDS)
    pipeline = Pipeline(growing=True)
    source = JournalSource(JournalTarget(directory=collector.directory), follow=True)
    app = LogViewApp([], Filters(hosts=("host-1",)), pipeline=pipeline, sources=[source])
    per_host = len(THREADS) * RECORDS
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        hosts = app.query_one(HostPane)
        log = app.query_one(LogPane)

        def shown() -> set[str]:
            return {record.fields["hostname"] for record in log.records_between(0, len(log.selection))}

        await wait_for(pilot, lambda: hosts.option_count == 3 and len(log.selection) == per_host, what="three hosts listed, host-1 shown")
        assert hosts.selected == ["host-1"] and shown() == {"host-1"}
        await pilot.press("h", "space")  # host-0 on
        await wait_for(pilot, lambda: len(log.selection) == 2 * per_host, what="host-0's records shown")
        assert app.session.filters.hosts == () and app.session.filters.hidden_hosts == frozenset({"host-2"})
        assert shown() == {"host-0", "host-1"}
        await pilot.press("down", "space")  # host-1 off
        await wait_for(pilot, lambda: len(log.selection) == per_host, what="host-1's records hidden")
        assert app.session.filters.hidden_hosts == frozenset({"host-1", "host-2"}) and shown() == {"host-0"}
        await pilot.press("down", "space")  # host-2 on
        await wait_for(pilot, lambda: len(log.selection) == 2 * per_host, what="host-2's records shown")
        assert app.session.filters.hidden_hosts == frozenset({"host-1"}) and shown() == {"host-0", "host-2"}
        assert set(hosts.selected) == {"host-0", "host-2"}


async def test_a_host_whose_clock_is_five_seconds_ahead_shows_it_once_its_records_come_live(collector: Collector) -> None:
    send(collector, 0, 2)
    pipeline = Pipeline(growing=True)
    app = LogViewApp([], pipeline=pipeline, sources=[JournalSource(JournalTarget(directory=collector.directory), follow=True)])
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        hosts = app.query_one(HostPane)
        await wait_for(pilot, lambda: hosts.option_count == 1, what="host-0 listed")
        send(collector, 1, 5, "live", skew=5.0)
        send(collector, 2, 5, "live")

        def prompts() -> list[str]:
            return [str(hosts.get_option_at_index(index).prompt) for index in range(hosts.option_count)]

        live = len(THREADS) * 5
        await wait_for(
            pilot,
            lambda: len(prompts()) == 3 and prompts()[1].startswith(f"host-1 ({live})") and prompts()[2].startswith(f"host-2 ({live})"),
            timeout=60,
            what="host-1's and host-2's records all listed",
        )
        # Ahead by 5 s, less the fastest delivery (a tenth to a quarter of a second here); host-2, on time, shows no clock.
        assert prompts()[0] == f"host-0 ({len(THREADS) * 2})"
        label, _, clock = prompts()[1].rpartition(" ")
        assert label == f"host-1 ({live})" and clock.startswith("+") and clock.endswith("s"), prompts()
        assert 3.5 <= float(clock[1:-1]) <= 5.0, prompts()  # a loaded machine delivers slower: less lead is seen
        assert prompts()[2] == f"host-2 ({live})"
