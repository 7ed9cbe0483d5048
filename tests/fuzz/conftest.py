"""Hypothesis profiles: `ci` (the default: 240 cases, about a minute) and `long`
(HYPOTHESIS_PROFILE=long: 2,100 cases, about five minutes, for a local run before a release)."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

_COMMON = dict(
    deadline=None,  # a build's time varies with the machine's load; hangs are caught by timeout
    database=None,  # no .hypothesis/ folder in the repository
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile("ci", max_examples=80, **_COMMON)
settings.register_profile("long", max_examples=700, **_COMMON)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
