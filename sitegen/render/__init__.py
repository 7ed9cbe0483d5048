"""Turning an assembled Site into output jobs: template pages, feeds, sitemap, copies."""
