"""Dates as text: the forms templates, feeds and sitemaps print (one spelling of each)."""

from __future__ import annotations

import datetime as dt


def format_date(value: dt.date | None, format: str = "%Y-%m-%d") -> str:
    return "" if value is None else value.strftime(format)


def isodate(value: dt.date | None) -> str:
    """ISO 8601: `2024-05-01` for a date, `2024-05-01T09:30:00+00:00` for a datetime."""
    return "" if value is None else value.isoformat()


def rfc3339(value: dt.date | None) -> str:
    """RFC 3339 timestamp in UTC (`2024-05-01T09:30:00Z`); a date is its midnight UTC."""
    if value is None:
        return ""
    if not isinstance(value, dt.datetime):
        value = dt.datetime(value.year, value.month, value.day, tzinfo=dt.UTC)
    return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
