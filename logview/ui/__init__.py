"""⑤ The views, the last stage of the data flow: the Textual app over the core's timeline, filters and selections.

app.py wires the core (``logview.core``, which never imports Textual) to the
widgets and screens; run.py makes and runs it; first_frame.py draws the first screen before Textual
starts. ``__all__`` names the modules used from outside the package; the
others serve these.
"""

__all__ = ["app", "first_frame", "run"]
