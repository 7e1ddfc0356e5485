from detectors.language import detect_language


class TestDetectLanguage:
    def test_arabic_wire(self):
        assert detect_language("قصفت الطائرات الإسرائيلية موقعا للجيش السوري في القنيطرة أمس") == "ar"

    def test_english_wire(self):
        assert detect_language("Israeli jets struck a Syrian army post in Quneitra on Friday, the army said.") == "en"

    def test_short_english_is_not_welsh(self):
        """Unrestricted langid calls 'Syrian army' Welsh; the restricted set must not."""
        assert detect_language("Syrian army") == "en"

    def test_arabic_with_english_quote(self):
        assert detect_language("قال المتحدث إن «Iron Dome» اعترضت الصاروخ فوق الجولان المحتل") == "ar"

    def test_business_table_stays_english(self):
        text = "GEORGE WESTON LTD YEAR NET\nShr 2.31 dlrs vs 1.96 dlrs\nNet 119.0 mln vs 101.0 mln"
        assert detect_language(text) == "en"

    def test_french_is_recognised(self):
        text = "Le gouvernement syrien a annoncé hier que les forces armées ont repris la ville après des combats"
        assert detect_language(text) == "fr"

    def test_no_letters(self):
        assert detect_language("12345 --- ...") == "und"
