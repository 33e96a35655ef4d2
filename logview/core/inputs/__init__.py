"""① Bytes in: the inputs as files, compressed files, pipes and standard input, and rotation sets in the order written.

Below everything that reads records: the pipeline reads its chunks through
opener.py, the printer's plain-Python paths and the first frame read files'
ends here too. The sources (``logview.core.sources``) are built on these.
``__all__`` names the modules used from outside the package; the others
serve these.
"""

__all__ = [
    "archive",
    "arguments",
    "descriptor_limit",
    "errors",
    "file_end",
    "inflate",
    "magic",
    "opened_input",
    "opener",
    "rotation",
]
