"""The human text: facts, sources, what changed, RTL isolation, mention neutralisation."""
from __future__ import annotations

from delivery_helpers import make_alert

from alerts.delivery.message import (PDI, RLI, ZWSP, build_message, isolate_rtl, neutralise_mentions,
                                     one_line, render_text, safe, summarise)


class TestMentions:
    def test_everyone_here_channel_are_broken(self):
        """@everyone/@here and Slack/Discord angle mentions cannot ping anyone after neutralising."""
        text = neutralise_mentions("@everyone look @here <!channel> <!here> <@U123> <@&456> <#C9> @Here")
        for token in ("@everyone", "@here", "<!channel>", "<!here>", "<@U123>", "<@&456>", "<#C9>", "@Here"):
            assert token not in text
        assert f"@{ZWSP}everyone" in text and f"<{ZWSP}!channel>" in text

    def test_ordinary_text_and_emails_unchanged(self):
        text = "Contact press@example.org about the <b>strike</b> at 3 < 4"
        assert neutralise_mentions(text) == text

    def test_mentions_in_article_text_are_neutralised_in_rendered_message(self):
        alert = make_alert(title="@everyone strike")
        alert["event"] = {**alert["event"], "sentence": "Residents said <@123456> and @here were warned."}
        text = render_text(build_message(alert))
        assert "@everyone" not in text and "@here" not in text and "<@123456>" not in text


class TestRtl:
    def test_arabic_is_wrapped_in_isolates(self):
        assert isolate_rtl("قصف مدفعي") == f"{RLI}قصف مدفعي{PDI}"

    def test_latin_is_left_alone(self):
        assert isolate_rtl("Quneitra") == "Quneitra"

    def test_stray_bidi_controls_in_input_are_dropped_before_isolating(self):
        """An unbalanced override (U+202E) in article text must not reverse the rest of the message."""
        out = safe("\u202eقصف\u2066")
        assert out == f"{RLI}قصف{PDI}"
        assert "\u202e" not in out

    def test_arabic_location_and_sentence_are_isolated_in_the_message(self):
        alert = make_alert()
        alert["event"] = {**alert["event"], "sentence": "قصفت طائرة مسيرة موقعا في القنيطرة.",
                          "locations": [{"name": "القنيطرة", "regions": ["golan_heights"]}]}
        msg = build_message(alert)
        assert msg.sentence == f"{RLI}قصفت طائرة مسيرة موقعا في القنيطرة.{PDI}"
        assert msg.where.startswith(f"{RLI}القنيطرة{PDI}")
        assert msg.sentence in render_text(msg)


class TestFacts:
    def test_what_where_who_severity_score_sources_sentence(self):
        msg = build_message(make_alert())
        text = render_text(msg)
        assert msg.heading == "🟠 HIGH · Drone strike on a Syrian position near Quneitra"
        assert "air drone strike, 2 killed" in text
        assert "Quneitra (golan heights) · cross-border" in text
        assert "Israel → Syrian army" in text
        assert "0.82" in text
        assert "2 independent · 2 article(s)" in text
        assert "[AFP](https://afp.example/1) · [SANA](https://sana.example/2)" in text
        assert "> An Israeli drone struck a position near Quneitra." in text

    def test_same_outlet_twice_counts_once(self):
        alert = make_alert(sources=["AFP", "afp", {"name": "Reuters", "url": "https://r.example/x"}])
        assert build_message(alert).independent_sources == 2

    def test_one_line_for_terminals(self):
        line = one_line(make_alert())
        assert line.startswith("🟠 HIGH") and "Quneitra" in line and "2 source(s)" in line


class TestUpdates:
    def test_update_says_what_changed_against_the_last_delivered_version(self):
        old = make_alert(severity="medium", score=0.6)
        new = make_alert(status="updated", severity="high", score=0.82, article_ids=["art-1", "art-2", "art-3"],
                         sources=[{"name": "AFP"}, {"name": "SANA"}, {"name": "Reuters", "url": "https://r.example"}])
        msg = build_message(new, summarise(old))
        assert msg.changes == ("+1 article(s), 3 in all", "new source(s): Reuters",
                               "severity raised: medium → high", "score 0.60 → 0.82")
        text = render_text(msg)
        assert "UPDATE" in msg.heading and "What changed:" in text

    def test_update_without_history_still_explains_itself(self):
        msg = build_message(make_alert(status="updated", article_ids=["a", "b", "c"]))
        assert msg.changes == ("now 3 article(s) from 2 source(s)",)

    def test_new_alert_has_no_changes(self):
        assert build_message(make_alert()).changes == ()

    def test_slack_flavour_escapes_control_characters(self):
        text = render_text(build_message(make_alert(title="A & B <x>")), "slack")
        assert "A &amp; B &lt;x&gt;" in text
        assert "<https://afp.example/1|AFP>" in text


class TestLinks:
    def test_only_http_links_and_link_breaking_characters_encoded(self):
        alert = make_alert(sources=[{"name": "A", "url": "javascript:alert(1)"},
                                    {"name": "B", "url": "https://b.example/x|y>z (1)"}])
        msg = build_message(alert)
        assert [s.url for s in msg.sources] == [None, "https://b.example/x%7Cy%3Ez%20%281%29"]
        assert "<https://b.example/x%7Cy%3Ez%20%281%29|B>" in render_text(msg, "slack")
        assert "[B](https://b.example/x%7Cy%3Ez%20%281%29)" in render_text(msg)
