"""A WSGI app for gunicorn's test: it logs each request through gunicorn's error logger, with the pid that served it."""

from __future__ import annotations

import logging
import os


def app(environ, start_response):
    logging.getLogger("gunicorn.error").warning("served %s in %d", environ["PATH_INFO"], os.getpid())
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"ok"]
