"""``logview --demo --hosts 3`` in a real terminal: three hosts log into a collector the demo starts, and the viewer follows it."""

from __future__ import annotations

import re
import subprocess
import sys

from tests.command import ROOT
from tests.tmux import needs_tmux, terminal

LOGVIEW = [sys.executable, "-m", "logview"]


@needs_tmux
def test_three_hosts_show_live_in_the_hosts_pane_and_quitting_stops_them_all(collector: object) -> None:
    # ``collector``: skipped where systemd-journal-remote is not installed, as the demo needs it.
    with terminal([*LOGVIEW, "--demo", "--hosts", "3", "--rate", "20"], (160, 40), ROOT) as screen:

        def hosts_counting(lines: list[str]) -> bool:
            counts = [re.search(rf"host-{number} \((\d[\d,]*)\)", "\n".join(lines)) for number in (1, 2, 3)]
            return all(count is not None and int(count.group(1).replace(",", "")) >= 20 for count in counts)

        screen.wait_for(hosts_counting, "each of host-1, host-2 and host-3 with 20 records or more in the Hosts pane")
        shown = screen.wait_for(
            lambda lines: all(any(f"host-{n}:" in line for line in lines) for n in (1, 2, 3)), "records of all three hosts"
        )
        assert any("receiving" in line for line in shown)
        screen.keys("q")
        ended = screen.wait_for(lambda lines: any("EXITED" in line for line in lines), "the demo's exit")
        assert any("EXITED 0" in line for line in ended), ended
    # The collector the demo started is gone with it (its directory's name is the demo's).
    leftover = subprocess.run(["pgrep", "-f", "systemd-journal-remote.*logview-demo-hosts"], capture_output=True, text=True)
    assert leftover.stdout == ""
