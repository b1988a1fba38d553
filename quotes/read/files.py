"""Open input files: anything but a regular file is refused unopened, so no name a user passes can hang
the run or feed it without end.
"""

from __future__ import annotations

import os
import stat
from typing import BinaryIO

#: The reason given for a device, FIFO or socket passed or found as an input file.
NOT_REGULAR = "not a regular file (a device, FIFO or socket): only files are read"


def open_regular(name: str) -> BinaryIO:
    """The file opened for reading in binary; OSError with a reason for anything but a regular file,
    which is never opened, as opening a FIFO blocks and reading a device never ends."""
    if not stat.S_ISREG(os.stat(name).st_mode):
        raise OSError(0, NOT_REGULAR)
    fd = os.open(name, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))  # a FIFO swapped in since stat cannot block
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(0, NOT_REGULAR)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise
