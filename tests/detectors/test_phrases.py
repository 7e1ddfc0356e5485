from detectors.nlp.lexicon import normalizer
from detectors.nlp.phrases import PhraseTable, expand_forms


def table(lang, forms):
    t = PhraseTable(lang)
    for f in forms:
        t.add(normalizer(lang).fold(f), f)
    t.compile()
    return t


def found(t, text, lang="ar"):
    nt = normalizer(lang)(text)
    return [(h.payloads[0], h.prefix) for h in t.find(nt.text)]


class TestArabicClitics:
    def test_proclitics_split_when_remainder_is_known(self):
        t = table("ar", ["الجولان", "قصفت", "الجيش"])
        assert found(t, "وقصفت الطائرات بالجولان") == [("قصفت", "و"), ("الجولان", "ب")]

    def test_lam_alif_lam(self):
        t = table("ar", ["الجيش السوري"])
        assert found(t, "موقعا للجيش السوري") == [("الجيش السوري", "ل")]

    def test_nickname_is_not_the_golan(self):
        t = table("ar", ["الجولان"])
        assert found(t, "أبو محمد الجولاني قائد النصرة") == []

    def test_longest_match_swallows_trap(self):
        t = table("ar", ["الجولان", "سحم الجولان"])
        assert found(t, "معارك في سحم الجولان بريف درعا") == [("سحم الجولان", "")]

    def test_spelling_variants_meet(self):
        t = table("ar", ["سورية"])
        assert found(t, "صاروخ أطلق من سوريه") == [("سورية", "")]

    def test_a_form_that_begins_with_a_proclitic_letter_wins(self):
        # كاوكا (Cauca) is not ك + اوكا (a Nigerian town), with or without a و in front
        t = table("ar", ["اوكا", "كاوكا"])
        assert found(t, "في إقليم كاوكا") == [("كاوكا", "")]
        assert found(t, "وكاوكا") == [("كاوكا", "و")]
        assert found(t, "باوكا") == [("اوكا", "ب")]

    def test_unknown_word_with_clitic_letter_untouched(self):
        t = table("ar", ["بيروت"])
        assert found(t, "في بيروت") == [("بيروت", "")]


class TestEnglishPhrases:
    def test_word_boundaries(self):
        t = table("en", ["golan", "golan heights"])
        assert found(t, "Golani brigade in the Golan Heights", "en") == [("golan heights", "")]

    def test_multiword_across_line_break(self):
        t = table("en", ["mount hermon"])
        assert found(t, "on Mount\nHermon", "en") == [("mount hermon", "")]


def test_expand_forms_article_and_suffixes():
    forms = expand_forms("قصف", "ar", article=True, suffixes=True)
    assert "القصف" in forms and "قصفها" in forms
    assert expand_forms("strike", "en", article=True, suffixes=True) == ["strike"]
