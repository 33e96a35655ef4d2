"""The process's limit of open descriptors, raised as far as it may go without asking.

Apart from descriptors.py (which imports tempfile and threading): the command
line raises the limit first thing, and ``--help`` should not pay for more.
"""

from __future__ import annotations

import resource

__all__ = ["raise_descriptor_limit"]


def raise_descriptor_limit() -> None:
    """Raise the soft limit of open descriptors to the hard one: what a user may have without asking is what logview uses.

    The soft limit is often 1,024 where the hard one is far higher; logview
    needs a descriptor per followed file, and a few for its own work.
    """
    try:
        soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        if hard == resource.RLIM_INFINITY or soft == resource.RLIM_INFINITY or soft < hard:
            resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    except (ValueError, OSError):
        pass  # a limit the system will not raise (macOS caps it below an infinite hard one): the one there is is used
