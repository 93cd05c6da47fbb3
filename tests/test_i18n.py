"""Translations are real gettext catalogs, complete, and compiled without GNU gettext."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.test import Client

ROOT = Path(__file__).resolve().parent.parent
CATALOGS = sorted(ROOT.glob("locale/*/LC_MESSAGES/*.po"))


def test_there_are_french_and_english_catalogs() -> None:
    assert {p.parent.parent.name for p in CATALOGS} >= {"fr", "en"}


@pytest.mark.parametrize("path", [p for p in CATALOGS if p.parent.parent.name == "fr"], ids=str)
def test_the_french_catalog_is_complete_and_correct(path: Path) -> None:
    with path.open("rb") as handle:
        catalog = read_po(handle, locale="fr")
    untranslated: list[object] = [
        m.id
        for m in catalog
        if m.id and not (m.string if isinstance(m.string, str) else all(m.string or ()))
    ]
    fuzzy = [m.id for m in catalog if m.id and m.fuzzy]
    assert untranslated == []
    assert fuzzy == []
    problems = [(m.id, [str(e) for e in errors]) for m, errors in catalog.check() if errors]
    assert problems == []


@pytest.mark.django_db
def test_pages_speak_french_by_default_and_english_on_request() -> None:
    assert "Se connecter" in Client().get("/accounts/login/").text
    english = Client(headers={"accept-language": "en"}).get("/accounts/login/").text
    assert "Sign in" in english
    assert "Se connecter" not in english


@pytest.mark.django_db
def test_the_language_switch_remembers_the_choice() -> None:
    client = Client()
    client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    assert 'lang="en"' in client.get("/accounts/login/").text
