"""A small Supabase-compatible stack on real PostgreSQL, for tests and local trials.

Test infrastructure only: sitegen never imports it. Start it with `python -m tests.stack` or
`with Stack.start() as stack:` (see docs/stack.md).
"""
