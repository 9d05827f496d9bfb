"""Test-wide settings: a private verdict cache, so no test reads or writes the user's."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session", autouse=True)
def private_verdict_cache(tmp_path_factory):
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DERIVE_CACHE_DIR", str(tmp_path_factory.mktemp("derive-cache")))
        yield
