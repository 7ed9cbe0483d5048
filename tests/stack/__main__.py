"""`python -m tests.stack`: run the stack until Ctrl-C or SIGTERM, printing how to reach it."""

from __future__ import annotations

import argparse
import signal
import sys
import threading


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tests.stack",
        description="Start PostgreSQL and the local Supabase-compatible stack; stop on Ctrl-C.",
        epilog="Example: python -m tests.stack --port 54321",
    )
    parser.add_argument("--host", default="127.0.0.1", help="interface to bind (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=0, help="HTTP port (default: a free port)")
    options = parser.parse_args(argv)

    from tests.stack.postgres import PostgresError
    from tests.stack.stack import Stack, StackError

    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    try:
        stack = Stack.start(host=options.host, port=options.port)
    except (StackError, PostgresError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    except OSError as error:
        print(
            f"error: cannot serve on {options.host}:{options.port}: {error.strerror}",
            file=sys.stderr,
        )
        return 1
    with stack:
        print(f"SUPABASE_URL={stack.url}")
        print(f"SUPABASE_ANON_KEY={stack.anon_key}")
        print(f"SUPABASE_SERVICE_ROLE_KEY={stack.service_key}")
        print(f"SUPABASE_PUBLISHABLE_KEY={stack.publishable_key}")
        print(f"SUPABASE_SECRET_KEY={stack.secret_key}")
        print(f"SUPABASE_JWT_SECRET={stack.jwt_secret}")
        print(f"DATABASE_URL={stack.database_url}")
        print(f"# started in {stack.startup_seconds:.2f} s", file=sys.stderr)
        print("READY", flush=True)
        while not stop.wait(0.5):
            pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
