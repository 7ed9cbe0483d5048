"""Everything that talks to Supabase: settings, the client, retries, request logging, the store.

This package is the only place that imports supabase, postgrest, storage3 or httpx; each module
imports them inside functions or is itself imported lazily, so `sitegen --help` stays fast.
"""
