"""What a long command tells a person as it runs: a progress bar, errors, warnings and (verbose) each step, counted.

The bar (tqdm, on stderr, only on a terminal) shows the count, the total when it is known, the
rate and the time left. Messages are written above it, never through it. Warnings logged by the
package (a date that cannot be read, a page with no date) are caught through the ``quotes``
logger, so every warning is counted whoever raised it.
"""

from __future__ import annotations

import logging
import sys

from tqdm import tqdm

from quotes.article import printable

#: Verbosity levels: errors only (the bar and warnings hidden), the default, and every step.
QUIET, NORMAL, VERBOSE = -1, 0, 1


class Progress(logging.Handler):
    """A progress bar with counted errors and warnings; use as a context manager around the work."""

    def __init__(self, label: str, total: int | None, verbosity: int = NORMAL, unit: str = "input") -> None:
        super().__init__(logging.INFO)
        self.verbosity = verbosity
        self.errors = 0
        self.warnings = 0
        self._bar = tqdm(total=total, desc=label, unit=unit, file=sys.stderr, dynamic_ncols=True,
                         disable=True if verbosity == QUIET else None)  # None: shown on a terminal only
        self._logger = logging.getLogger("quotes")
        self._level = self._logger.level

    def __enter__(self) -> Progress:
        self._logger.addHandler(self)
        self._logger.setLevel(logging.INFO if self.verbosity == VERBOSE else logging.WARNING)
        return self

    def __exit__(self, *exc: object) -> None:
        self._logger.removeHandler(self)
        self._logger.setLevel(self._level)
        self._bar.close()

    def set_total(self, total: int | None) -> None:
        """Give the bar its total once it is known (the inputs are listed), starting the count again."""
        self._bar.reset(total=total)

    def advance(self, steps: int = 1) -> None:
        """Count ``steps`` more inputs done."""
        self._bar.update(steps)

    def error(self, message: object) -> None:
        """Count an error and print it as ``error: ...``, whatever the verbosity."""
        self.errors += 1
        self._write(f"error: {message}")

    def warning(self, message: object) -> None:
        """Count a warning and print it as ``warning: ...`` unless quiet."""
        self.warnings += 1
        if self.verbosity > QUIET:
            self._write(f"warning: {message}")

    def info(self, message: object) -> None:
        """Print a step when verbose."""
        if self.verbosity == VERBOSE:
            self._write(str(message))

    def emit(self, record: logging.LogRecord) -> None:
        """A record logged under ``quotes``: a warning (or worse) is counted, an INFO record is a step."""
        message = printable(record.getMessage())  # it may quote a file name or a page's text
        if record.levelno >= logging.WARNING:
            self.warning(message)
        else:
            self.info(message)

    def _write(self, line: str) -> None:
        tqdm.write(line, file=sys.stderr)
