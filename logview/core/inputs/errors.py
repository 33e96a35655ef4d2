"""The error of an input that cannot be read, shared by the modules that open inputs."""

from __future__ import annotations

__all__ = ["InputError"]


class InputError(Exception):
    """An input that cannot be read at all: the message names it and the cause."""
