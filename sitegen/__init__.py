"""sitegen: a static-site generator for Markdown files and Supabase content."""

__version__ = "0.1.0"
