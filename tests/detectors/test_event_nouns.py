"""Nouns that name things around violence, not an event: hostages (only taking them is one), explosives
(a weapon found or seized), the singular 'مواجهة' (countering: "مواجهة الإرهاب"; the plural is clashes)."""
from __future__ import annotations

import pytest

from detectors.types import VIOLENT_FAMILIES


def _violent(events):
    return [(e.type, e.polarity) for e in events if e.family in VIOLENT_FAMILIES]


@pytest.mark.parametrize("body, lang", [
    ("وطالبت الحكومة بالإفراج عن الرهائن المحتجزين منذ العام الماضي.", "ar"),
    ("عثرت الشرطة على متفجرات وأسلحة في منزل بضواحي المدينة أمس.", "ar"),
    ("وبحث الوزيران سبل مواجهة الإرهاب في المنطقة.", "ar"),
    ("The government called for the release of the hostages held since last year.", "en"),
])
def test_nouns_around_violence_are_no_event(extract, body, lang):
    assert not _violent(extract(body, lang))


@pytest.mark.parametrize("body, lang, expected", [
    ("احتجز مسلحون رهائن في فندق بالعاصمة أمس.", "ar", "abduction_forced_disappearance"),
    ("اندلعت مواجهات بين الشرطة ومسلحين في المدينة أمس.", "ar", "armed_clash"),
    ("Gunmen took hostages at a hotel in the capital on Monday.", "en", "abduction_forced_disappearance"),
])
def test_the_events_themselves_still_are(extract, body, lang, expected):
    assert expected in [t for t, _ in _violent(extract(body, lang))]
