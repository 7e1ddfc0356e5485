"""The human side of an alert: what happened, where, who, how bad, how well sourced, and the sentence.

``build_message(alert, previous)`` gathers the facts once (article text already made safe: mentions
neutralised, Arabic isolated right-to-left); ``render_text(msg, flavour)`` lays them out for chat
markdown. Service notifiers pick the fields they need for their own layout.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from .types import Alert

RLI, PDI = "\u2067", "\u2069"  # RIGHT-TO-LEFT ISOLATE ... POP DIRECTIONAL ISOLATE
ZWSP = "\u200b"
_ARABIC = re.compile("[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")
_BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")  # stray embeddings/isolates in input
_MENTIONS = re.compile(r"@(?=(everyone|here|channel|all)\b)", re.IGNORECASE)
_ANGLE = re.compile(r"<(?=[!@#&])")  # Slack <!channel> <@U123> <#C1>; Discord <@123> <@&role> <#chan>

SEVERITY_MARK = {"critical": "🔴", "high": "🟠", "medium": "🟡", "low": "🔵", "info": "⚪"}
SEVERITY_COLOR = {"critical": 0x992D22, "high": 0xE74C3C, "medium": 0xF1C40F, "low": 0x3498DB, "info": 0x95A5A6}
SEVERITY_RANK = {"info": 0, "low": 1, "medium": 2, "high": 3, "critical": 4}


def neutralise_mentions(text: str) -> str:
    """Break @everyone/@here/@channel and <!…>/<@…>/<#…> so article text can never ping anyone."""
    return _ANGLE.sub("<" + ZWSP, _MENTIONS.sub("@" + ZWSP, text))


def isolate_rtl(text: str) -> str:
    """Wrap text containing Arabic in RLI…PDI so it reads right-to-left inside left-to-right chat."""
    return f"{RLI}{text}{PDI}" if _ARABIC.search(text) else text


def safe(text: Any) -> str:
    """Article-derived text made fit for chat: stray bidi controls dropped, mentions neutralised,
    Arabic isolated."""
    if text is None:
        return ""
    return isolate_rtl(neutralise_mentions(_BIDI_CONTROLS.sub("", str(text)).strip()))


@dataclass(frozen=True, slots=True)
class Source:
    name: str
    url: str | None = None


@dataclass(frozen=True, slots=True)
class Message:
    alert_id: str
    rule_id: str
    status: str
    severity: str
    title: str
    what: str
    where: str
    who: str
    when: str
    score: float | None
    sources: tuple[Source, ...]
    independent_sources: int
    articles: int
    sentence: str
    summary: str
    changes: tuple[str, ...]
    silenced: bool = False

    @property
    def heading(self) -> str:
        mark = SEVERITY_MARK.get(self.severity, "")
        update = "UPDATE · " if self.status == "updated" else ""
        return f"{mark} {update}{self.severity.upper()} · {self.title}".strip()

    @property
    def link(self) -> str | None:
        return next((s.url for s in self.sources if s.url), None)

    def facts(self) -> list[tuple[str, str]]:
        """Label/value pairs for cards and embeds (empty values left out)."""
        score = f"{self.score:.2f}" if self.score is not None else ""
        srcs = f"{self.independent_sources} independent · {self.articles} article(s)"
        pairs = [("What", self.what), ("Where", self.where), ("Who", self.who), ("When", self.when),
                 ("Severity", self.severity), ("Score", score), ("Sources", srcs), ("Rule", self.rule_id)]
        return [(k, v) for k, v in pairs if v]


def _sources(alert: Alert) -> list[Source]:
    out: list[Source] = []
    seen: set[tuple[str, str | None]] = set()
    event = alert.get("event") or {}
    for s in alert.get("sources") or ():
        if isinstance(s, dict):
            src = Source(str(s.get("name") or s.get("source") or s.get("outlet") or "source"),
                         _safe_url(s.get("url")))
        else:
            src = Source(str(s))
        if (src.name, src.url) not in seen:
            seen.add((src.name, src.url))
            out.append(src)
    if _safe_url(event.get("url")) and not any(s.url for s in out):
        name = str(event.get("source") or "article")
        out = [s for s in out if s.name != name] + [Source(name, _safe_url(event.get("url")))]
    return out


def _who(event: dict[str, Any]) -> str:
    actors = event.get("actors") or []
    src = [a["name"] for a in actors if a.get("role") == "source" and a.get("name")]
    tgt = [a["name"] for a in actors if a.get("role") == "target" and a.get("name")]
    other = [a["name"] for a in actors if a.get("role") not in ("source", "target") and a.get("name")]
    parts = []
    if src or tgt:
        parts.append(" → ".join(x for x in (", ".join(map(safe, src)), ", ".join(map(safe, tgt))) if x))
    if other:
        parts.append(", ".join(map(safe, other)))
    return "; ".join(parts)


def _where(event: dict[str, Any]) -> str:
    names: list[str] = []
    regions: list[str] = []
    for loc in event.get("locations") or []:
        if loc.get("name"):
            names.append(safe(loc["name"]))
        regions.extend(r for r in loc.get("regions") or [] if r not in regions)
    text = ", ".join(dict.fromkeys(names))
    if regions:
        text += f" ({', '.join(r.replace('_', ' ') for r in regions)})" if text else ", ".join(
            r.replace("_", " ") for r in regions)
    cross = " · cross-border" if event.get("cross_border") else ""
    return text + cross if text else ""


def _what(event: dict[str, Any]) -> str:
    kind = str(event.get("type") or "").replace("_", " ")
    casualties = []
    if event.get("killed"):
        casualties.append(f"{event['killed']} killed")
    if event.get("injured"):
        casualties.append(f"{event['injured']} injured")
    said = f" (according to {safe(event['attributed_to'])})" if event.get("attributed_to") else ""
    return kind + (f", {', '.join(casualties)}" if casualties else "") + said


def summarise(alert: Alert) -> dict[str, Any]:
    """The few fields of a delivered version kept to explain the next update."""
    return {"severity": alert.get("severity"), "score": alert.get("score"),
            "article_ids": list(alert.get("article_ids") or []),
            "sources": [s.name for s in _sources(alert)], "key_status": alert.get("status")}


def describe_changes(alert: Alert, previous: dict[str, Any] | None) -> tuple[str, ...]:
    """What an ``updated`` alert adds over the last version the sink saw (or over nothing known)."""
    if alert.get("status") != "updated":
        return ()
    if alert.get("changes"):
        return tuple(safe(c) for c in alert["changes"])
    now_sources = [s.name for s in _sources(alert)]
    articles = list(alert.get("article_ids") or [])
    if not previous:
        return (f"now {len(articles)} article(s) from {len(set(now_sources))} source(s)",)
    out = []
    new_articles = [a for a in articles if a not in set(previous.get("article_ids") or [])]
    if new_articles:
        out.append(f"+{len(new_articles)} article(s), {len(articles)} in all")
    new_sources = [s for s in dict.fromkeys(now_sources) if s not in set(previous.get("sources") or [])]
    if new_sources:
        out.append("new source(s): " + ", ".join(safe(s) for s in new_sources))
    before, after = previous.get("severity"), alert.get("severity")
    if before and after and before != after:
        verb = "raised" if SEVERITY_RANK.get(after, 0) > SEVERITY_RANK.get(before, 0) else "lowered"
        out.append(f"severity {verb}: {before} → {after}")
    b, a = previous.get("score"), alert.get("score")
    if isinstance(b, (int, float)) and isinstance(a, (int, float)) and abs(a - b) >= 0.005:
        out.append(f"score {b:.2f} → {a:.2f}")
    return tuple(out) or ("re-confirmed, no new facts",)


def build_message(alert: Alert, previous: dict[str, Any] | None = None) -> Message:
    event = alert.get("event") or {}
    sources = _sources(alert)
    score = alert.get("score")
    return Message(
        alert_id=str(alert.get("id", "")), rule_id=str(alert.get("rule_id", "")),
        status=str(alert.get("status", "new")), severity=str(alert.get("severity", "info")),
        title=safe(alert.get("title") or event.get("sentence") or alert.get("rule_id") or "alert"),
        what=_what(event), where=_where(event), who=_who(event),
        when=str(event.get("date") or alert.get("last_seen") or ""),
        score=float(score) if isinstance(score, (int, float)) else None,
        sources=tuple(Source(safe(s.name), s.url) for s in sources),
        independent_sources=len({s.name.casefold() for s in sources}),
        articles=len(alert.get("article_ids") or []) or 1,
        sentence=safe(event.get("sentence")), summary=safe(alert.get("summary")),
        changes=describe_changes(alert, previous), silenced=bool(alert.get("silenced")))


def _safe_url(url: Any) -> str | None:
    """Only http(s) links, with the characters that end a chat link percent-encoded."""
    if not isinstance(url, str) or not url.startswith(("http://", "https://")):
        return None
    out: str = url
    for ch, enc in (("|", "%7C"), ("<", "%3C"), (">", "%3E"), ("(", "%28"), (")", "%29"), (" ", "%20")):
        out = out.replace(ch, enc)
    return out


def _link(text: str, url: str | None, flavour: str) -> str:
    if not url:
        return text
    if flavour == "slack":
        return f"<{url}|{text.replace('|', '¦').replace('>', '›')}>"
    return f"[{text.replace('[', '(').replace(']', ')')}]({url})"


def slack_escape(text: str) -> str:
    """Slack mrkdwn control characters (its own docs: escape &, <, >)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def render_text(msg: Message, flavour: str = "markdown") -> str:
    """The message as one chat text. ``flavour``: "markdown" (Discord, Mattermost, Teams) or "slack"."""
    slack = flavour == "slack"

    def esc(text: str) -> str:
        return slack_escape(text) if slack else text

    def bold(text: str) -> str:
        return f"*{text}*" if slack else f"**{text}**"

    lines = [bold(esc(msg.heading))]
    if msg.changes:
        lines.append(f"{bold('What changed:')} " + esc("; ".join(msg.changes)))
    for label, value in msg.facts():
        if label in ("Severity", "Rule"):
            continue
        lines.append(f"{bold(label + ':')} {esc(value)}")
    if msg.sentence:
        lines.append(f"> {esc(msg.sentence)}")
    if msg.sources:
        lines.append(f"{bold('Links:')} " + " · ".join(_link(esc(s.name), s.url, flavour) for s in msg.sources))
    lines.append(f"_rule {esc(msg.rule_id)} · alert {esc(msg.alert_id)}_")
    return "\n".join(lines)


def one_line(alert: Alert) -> str:
    """A single terminal line for ``newsmon demo`` and the receiver's printer."""
    msg = build_message(alert)
    where = f" — {msg.where}" if msg.where else ""
    return f"{msg.heading}{where} [{msg.independent_sources} source(s), score " \
           f"{msg.score if msg.score is not None else '?'}]"
