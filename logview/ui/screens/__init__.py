"""⑤ The views' screens shown over the log: a record's detail and the help; one screen per module."""

__all__ = ["detail", "help"]
