"""The ways the viewer is made and run: over files and sources, over a socket listener, and in this terminal.

Apart from the app's class, so that the command line, the library entry point
and the tests build the app one way, and read its exit status one way.
"""

from __future__ import annotations

from collections.abc import Sequence

from logview.core.config import ViewerDefaults
from logview.core.filters import Filters
from logview.core.newest import Newest
from logview.core.pipeline import VIEWER_CHUNK_SIZE, Pipeline
from logview.core.say import say
from logview.core.sources.files import FileSource
from logview.core.sources.socket import SocketSource
from logview.core.sources.socket_listener import SocketListener
from logview.core.sources.source import Source
from logview.crash import report_crash
from logview.ui.app import LogViewApp
from logview.ui.driver import driver_over
from logview.ui.first_frame import FirstFrame


def listening_app(paths: Sequence[str], filters: Filters | None, pipeline: Pipeline | None, listener: SocketListener) -> LogViewApp:
    """The viewer over ``paths`` and the records senders send to ``listener``, whose problems it shows."""
    pipeline = pipeline or Pipeline(growing=True, chunk_size=VIEWER_CHUNK_SIZE)
    return LogViewApp(paths, filters, pipeline, sources=[FileSource(pipeline, paths, follow=True), SocketSource(listener)])


def run_app(
    paths: Sequence[str],
    filters: Filters,
    pipeline: Pipeline,
    sources: Sequence[Source],
    top: bool = False,
    frame: FirstFrame | None = None,
    defaults: ViewerDefaults | None = None,
    config_problems: Sequence[str] = (),
) -> int:
    """The viewer in this terminal on ``sources``; over ``frame`` (drawn before Textual was loaded) when there is one."""
    newest = Newest(frame.records, list(paths)) if frame is not None else None
    driver_class = driver_over(frame) if frame is not None else None
    return run_viewer_app(
        LogViewApp(
            paths,
            filters,
            pipeline,
            top=top,
            newest=newest,
            driver_class=driver_class,
            defaults=defaults,
            config_problems=config_problems,
            sources=sources,
        )
    )


def run_viewer_app(app: LogViewApp) -> int:
    """Run the app in the terminal; the exit status: 0, 1 when an input could not be read, 70 when the app failed."""
    app.run()
    if app.theme_problem is not None:
        say(app.theme_problem)
    if app.crash is not None:
        return report_crash(app.crash)
    if app.return_code:
        return app.return_code
    return 1 if app.input_problems else 0
