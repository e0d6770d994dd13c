"""Problems only the console's forms have (the services raise their own)."""

from __future__ import annotations

from marketplace.core.errors import AppError


class NoFileChosen(AppError):
    """A form for uploading a file came without one."""

    status_code = 422
    problem = "console-no-file"
