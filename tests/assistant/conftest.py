"""Fixtures of the assistant tests: the fictional in-memory searcher and a service around it."""

from __future__ import annotations

import pytest
from assistant_fakes import FakeSearcher

from assistant.backends.fake import FakeBackend
from assistant.services.answer import AssistantService
from assistant.settings import load_settings


@pytest.fixture
def searcher() -> FakeSearcher:
    return FakeSearcher.from_fixture()


@pytest.fixture
def fake_model() -> FakeBackend:
    return FakeBackend()


@pytest.fixture
def service_with(searcher: FakeSearcher):
    """A service over the fake searcher with the given backend (extractive by default)."""

    def make(backend=None, charge_map=None, **overrides) -> AssistantService:
        settings = load_settings(overrides=overrides)
        return AssistantService(settings, searcher=searcher, backend=backend, charge_map=charge_map)

    return make
