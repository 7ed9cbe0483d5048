"""PostgREST's schema reload on `NOTIFY pgrst, 'reload schema'`.

Supabase installs event triggers (`extensions.pgrst_ddl_watch`/`pgrst_drop_watch`, see
platform.sql) that send this notification after DDL; PostgREST listens and re-reads its schema
cache. This thread does the listening for the stack's /rest/v1, so DDL from any connection
(psql on DATABASE_URL, a migration) is picked up without waiting for a cache timeout.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

import psycopg


class SchemaWatch:
    def __init__(self, conninfo: str, reload: Callable[[], None]) -> None:
        self._conn = psycopg.connect(conninfo, autocommit=True)
        self._conn.execute("listen pgrst")
        self._reload = reload
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True, name="stack-schema-watch")
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                for notify in self._conn.notifies(timeout=0.2):
                    if notify.payload in ("", "reload schema"):
                        self._reload()
            except psycopg.Error:
                return  # connection closed at shutdown

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        self._conn.close()
