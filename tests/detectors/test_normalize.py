from detectors.nlp.lexicon import normalizer


class TestArabicNormalizer:
    def setup_method(self):
        self.norm = normalizer("ar")

    def test_folding(self):
        assert self.norm.fold("أإآٱ ى ة") == "اااا ي ه"

    def test_diacritics_and_tatweel_removed(self):
        assert self.norm.fold("مُسَيَّرة") == "مسيره"
        assert self.norm.fold("الجـــولان") == "الجولان"

    def test_eastern_digits(self):
        assert self.norm.fold("٣٥ قتيلا و۱۲ جريحا") == "35 قتيلا و12 جريحا"

    def test_offsets_map_back_over_deletions(self):
        text = "سقطت قذيفةٌ مُسَيَّرة في الجولان"
        nt = self.norm(text)
        i = nt.text.index("الجولان")
        start, end = nt.to_orig(i), nt.to_orig_end(i + len("الجولان"))
        assert text[start:end] == "الجولان"
        j = nt.text.index("مسيره")
        assert text[nt.to_orig(j):nt.to_orig_end(j + 5)] == "مُسَيَّرة"

    def test_no_deletion_no_map(self):
        nt = self.norm("قصف الجيش")
        assert nt.starts is None and nt.to_orig(3) == 3


class TestEnglishNormalizer:
    def test_lower_and_quotes(self):
        norm = normalizer("en")
        assert norm.fold("Israel’s IDF") == "israel's idf"
        nt = norm("Mount HERMON")
        assert nt.text == "mount hermon" and nt.to_orig(6) == 6
