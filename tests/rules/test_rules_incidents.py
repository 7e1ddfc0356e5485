"""Incident fusion: one real happening across languages and outlets; different days or places stay apart;
wire copies count once."""
from __future__ import annotations

from typing import Any

import random

from detectors.incidents import IncidentIndex, fingerprint, fuse, prune, similarity

from rulekit import ALEPPO, DAMASCUS, GOLAN, GOLAN_AR, QUNEITRA, make_article, make_event

WIRE = ("A mortar shell fired from Syria landed in an open area of the Israeli-held Golan Heights on Friday, "
        "the Israeli army said, adding that aircraft struck the Syrian army position that fired it.")


def _fuse(store: dict[str, Any], event, article):  # type: ignore[no-untyped-def]
    return fuse(store, event, article, fingerprint(article.text))


class TestFusion:
    def test_arabic_and_english_reports_fuse(self) -> None:
        """An Arabic and an English report of one incident become one incident with two sources."""
        store: dict[str, Any] = {}
        ar = make_article("ar", lang="ar", source="SANA", body="سقطت قذيفة في الجولان")
        en = make_article("en", source="Reuters", body=WIRE)
        i1, why1 = _fuse(store, make_event("ar:1", article_id="ar", lang="ar", locations=[GOLAN_AR]), ar)
        i2, why2 = _fuse(store, make_event("en:1", article_id="en", locations=[GOLAN], date="2017-07-01"), en)
        assert why1 is None and why2 == "region golan_heights"
        assert i1["id"] == i2["id"] and len(store) == 1
        assert i2["sources"] == 2 and sorted(i2["langs"]) == ["ar", "en"]
        assert i2["day_min"] == "2017-06-30" and i2["day_max"] == "2017-07-01"

    def test_exchange_of_fire_is_one_incident(self) -> None:
        """The rocket from Syria and the Israeli strike answering it, at nearby places, fuse."""
        store: dict[str, Any] = {}
        a = make_article("a")
        _fuse(store, make_event("a:1"), a)
        inc, why = _fuse(store, make_event("a:2", type="air_drone_strike", origin="ISR", impact="SYR",
                                           locations=[dict(QUNEITRA, regions=[])]), a)
        assert len(store) == 1 and why is not None and "km from" in why

    def test_different_days_do_not_fuse(self) -> None:
        """The same place three days later is another incident."""
        store: dict[str, Any] = {}
        _fuse(store, make_event("1"), make_article("a"))
        _fuse(store, make_event("2", date="2017-07-03"), make_article("b", source="BBC"))
        assert len(store) == 2

    def test_one_article_may_date_one_place_loosely(self) -> None:
        """Within one article, reports of one place up to seven days from the article's first event there
        fuse (a weekday word resolved to the wrong week); eight days (an explicit date) does not, and the
        loose date does not stretch the incident's span: another article three days from both stays apart."""
        store: dict[str, Any] = {}
        a = make_article("a")
        _fuse(store, make_event("1", date="2017-06-27"), a)
        _, why = _fuse(store, make_event("2", date="2017-07-04"), a)
        assert why == "region golan_heights" and len(store) == 1
        inc = next(iter(store.values()))
        assert (inc["day_min"], inc["day_max"], inc["days"]) == ("2017-06-27", "2017-06-27",
                                                                  ["2017-06-27", "2017-07-04"])
        _fuse(store, make_event("3", date="2017-07-05"), a)
        assert len(store) == 2
        _fuse(store, make_event("4", date="2017-06-30"), make_article("b", source="BBC"))
        assert len(store) == 3

    def test_territory_changes_fuse_with_the_fighting(self) -> None:
        """A withdrawal and the advance that caused it, at one place on one day, are one incident."""
        store: dict[str, Any] = {}
        kw = dict(origin=None, impact="SYR", cross_border=False, locations=[ALEPPO])
        _fuse(store, make_event("1", type="non_violent_transfer_of_territory", **kw), make_article("a"))
        _fuse(store, make_event("2", type="non_state_actor_overtakes_territory", **kw), make_article("a"))
        assert len(store) == 1 and next(iter(store.values()))["family"] == "conflict"

    def test_different_places_do_not_fuse(self) -> None:
        """The same day in Damascus or Aleppo is another incident."""
        store: dict[str, Any] = {}
        _fuse(store, make_event("1"), make_article("a"))
        _fuse(store, make_event("2", locations=[DAMASCUS], origin="ISR", impact="SYR"), make_article("b"))
        _fuse(store, make_event("3", locations=[ALEPPO], origin=None, impact="SYR", cross_border=False),
              make_article("c"))
        assert len(store) == 3

    def test_different_families_and_disjoint_countries_do_not_fuse(self) -> None:
        """A statement about the Golan, or fire between other countries there, stays apart."""
        store: dict[str, Any] = {}
        _fuse(store, make_event("1"), make_article("a"))
        _fuse(store, make_event("2", type="threaten", origin="ISR", impact="SYR"), make_article("b"))
        _fuse(store, make_event("3", origin="LBN", impact="LBN", locations=[dict(GOLAN, country=None)]),
              make_article("c"))
        assert len(store) == 3

    def test_event_without_place_joins_only_its_own_article(self) -> None:
        """A placeless event fuses with an incident of the same article, not with another article's."""
        store: dict[str, Any] = {}
        _fuse(store, make_event("1"), make_article("a"))
        _, why = _fuse(store, make_event("2", locations=[]), make_article("a"))
        assert why == "same article"
        _fuse(store, make_event("3", locations=[]), make_article("b"))
        assert len(store) == 2

    def test_refusing_the_same_event_is_idempotent(self) -> None:
        """An event seen again (a redelivered message) changes nothing."""
        store: dict[str, Any] = {}
        _fuse(store, make_event("1", killed=2), make_article("a"))
        before = repr(store)
        _, why = _fuse(store, make_event("1", killed=2), make_article("a"))
        assert why == "already fused" and repr(store) == before


class TestCoarsePlacesAndIndex:
    def test_country_level_places_do_not_fuse(self) -> None:
        """Two reports placed only at "Syria" (a country) are not thereby one incident."""
        store: dict[str, Any] = {}
        syria = dict(name="سورية", country="SYR", lat=35.0, lon=38.0, regions=[])
        kw = dict(type="air_drone_strike", origin="ISR", impact="SYR", locations=[syria])
        _fuse(store, make_event("1", **kw), make_article("a"))
        _fuse(store, make_event("2", **kw), make_article("b", source="BBC"))
        assert len(store) == 2

    def test_index_gives_the_same_incidents_as_a_full_scan(self) -> None:
        """Fusing a random stream with the index yields exactly what scanning every incident yields."""
        rnd = random.Random(3)
        places = [GOLAN, GOLAN_AR, QUNEITRA, DAMASCUS, ALEPPO, dict(name="Homs", lat=34.73, lon=36.71),
                  dict(name="Idlib", lat=35.93, lon=36.63), dict(name="Hama", lat=35.13, lon=36.75)]
        stream = []
        for i in range(300):
            loc = rnd.choice(places)
            stream.append((make_event(f"e{i}", article_id=f"a{i // 2}", locations=[loc],
                                      date=f"2017-06-{rnd.randint(10, 20)}",
                                      type=rnd.choice(["armed_clash", "air_drone_strike", "threaten"]),
                                      origin=rnd.choice(["SYR", "ISR", None]), impact="SYR"),
                           make_article(f"a{i // 2}", source=f"S{rnd.randint(1, 9)}", body=f"text {i}")))
        plain: dict[str, Any] = {}
        indexed: dict[str, Any] = {}
        index = IncidentIndex()
        for ev, art in stream:
            a, _ = fuse(plain, ev, art, [])
            b, _ = fuse(indexed, ev, art, [], index=index)
            assert a["id"] == b["id"]
        assert plain == indexed and len(plain) > 20


class TestSources:
    def test_wire_copy_under_another_outlet_counts_once(self) -> None:
        """A near-identical text from another outlet (a syndicated reprint) is not an independent source."""
        store: dict[str, Any] = {}
        _fuse(store, make_event("1"), make_article("a", source="Reuters", body=WIRE))
        copy = WIRE.replace("Friday", "Friday morning")
        inc, _ = _fuse(store, make_event("2"), make_article("b", source="Yahoo News", body=copy))
        assert inc["sources"] == 1
        inc, _ = _fuse(store, make_event("3"), make_article("c", source="Haaretz", body="Shell hits the Golan; "
                                                            "army retaliates against Syrian post, no one hurt."))
        assert inc["sources"] == 2

    def test_same_outlet_counts_once(self) -> None:
        """Two stories from one outlet (a follow-up) are one source; the outlet is read from the url too."""
        store: dict[str, Any] = {}
        _fuse(store, make_event("1"), make_article("a", source=None, url="https://www.jpost.com/x", body="one"))
        inc, _ = _fuse(store, make_event("2"), make_article("b", source="jpost.com", body="two entirely other"))
        assert inc["sources"] == 1

    def test_similarity_of_sketches(self) -> None:
        """Identical texts are 1.0, unrelated ones near 0."""
        assert similarity(fingerprint(WIRE), fingerprint(WIRE)) == 1.0
        assert similarity(fingerprint(WIRE), fingerprint("Completely different words about weather today here")) < 0.1


class TestExpiry:
    def test_prune_drops_old_incidents(self) -> None:
        """Incidents whose last day is before the cutoff are dropped."""
        store: dict[str, Any] = {}
        _fuse(store, make_event("1", date="2017-06-01"), make_article("a"))
        _fuse(store, make_event("2", date="2017-06-30"), make_article("b"))
        assert len(prune(store, "2017-06-27")) == 1 and len(store) == 1
