"""Where content comes from: `local` scans the `content/` working copy.

The build never reads anything else; remote content reaches `content/` only through `sitegen pull`.
"""
