"""Golden-output tests: fixture sites in tests/fixtures/sites/, expected trees in tests/golden/<site>/.

Regenerate every expected tree after an intended output change with:

    python -m tests.golden.regen
"""
