"""Run localstripe on 127.0.0.1 with its store in memory: ``python localstripe_launcher.py PORT``.

The stock ``localstripe`` command listens on every interface and pickles its whole store to
``/tmp/localstripe.pickle`` on each change (and reloads it at start), which would leak state
between runs and between parallel test sessions."""

from __future__ import annotations

import sys

from aiohttp import web
from localstripe import resources, server


def _nothing(self: resources.Store) -> None:
    """The store stays in this process's memory."""


def main() -> None:
    port = int(sys.argv[1])
    resources.Store.dump_to_disk = _nothing  # type: ignore[method-assign]
    resources.Store.try_load_from_disk = _nothing  # type: ignore[method-assign]
    web.run_app(server.app, host="127.0.0.1", port=port, print=None, access_log=None)


if __name__ == "__main__":
    main()
