"""Alert -> message text for each channel: Telegram HTML, Slack mrkdwn, plain text.

Pure and length-aware. Every string that came from a feed (titles, outlets, summaries, URLs) is
cleaned of control characters, escape sequences and bidi overrides (normalize.strip_controls,
again: a row stored by an older watcher may still hold them) and escaped for the target format;
the only markup we emit is our own (Telegram: <b>, <i>, <a href>, <code>; Slack: *bold*,
_italic_, `code`, <url|text>). A message never exceeds its limit: when the full layout is too
long we drop the snippet, shorten long fields, then show fewer links (with "+N more"), and as a
last resort send the escaped, cut title alone.

Telegram counts the text after entity parsing in UTF-16 code units; we count the raw HTML in
UTF-16 units, which is never less, so a rendered message is always accepted.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import quote, urlsplit

from watcher.model import Alert, Story, StoryItem, Tier
from watcher.normalize import link_key, strip_controls

__all__ = [
    "MAX_LINKS",
    "SNIPPET_CHARS",
    "headline",
    "lead",
    "new_sources",
    "render_plain",
    "render_slack",
    "render_slack_update",
    "render_telegram",
    "snippet",
    "sources",
    "utf16_len",
]

MAX_LINKS = 10  # past this many sources a desk stops reading: show "+N more"
SNIPPET_CHARS = 280
_FIELD = 200  # a title, outlet or list longer than this is cut with "…"
_SHORT_FIELD = 80
_SPACES = re.compile(r"\s+")
HEADLINE_CHARS = 120  # an untitled first report's headline: its text's opening, this long at most
_SENTENCE_END = re.compile(r"(?<=[^\s.][.!?])\s+(?=[\"“'‘(\[]?[A-Z0-9])")


@dataclass(frozen=True, slots=True)
class _Markup:
    """How one format escapes feed text and wraps already-escaped text."""

    esc: Callable[[str], str]
    bold: Callable[[str], str]
    italic: Callable[[str], str]
    code: Callable[[str], str]
    link: Callable[[str, str], str]  # (raw url, escaped text)
    measure: Callable[[str], int]


@dataclass(frozen=True, slots=True)
class _Plan:
    links: int  # how many source links to show
    snippet: int  # snippet length in characters (0: none)
    field: int  # cap on titles, outlets and lists


def utf16_len(text: str) -> int:
    """Length as Telegram counts it (UTF-16 code units)."""
    return len(text.encode("utf-16-le")) // 2


def _safe_url(url: str) -> bool:
    # Chat apps reject (or worse, render) javascript: and other schemes; show those as text.
    return urlsplit(url).scheme.lower() in ("http", "https")


def _tg_link(url: str, text: str) -> str:
    if not _safe_url(url):
        return text
    return f'<a href="{html.escape(strip_controls(url), quote=True)}">{text}</a>'


def _tg_esc(text: str) -> str:
    return html.escape(strip_controls(text), quote=False)


def _slack_esc(text: str) -> str:
    text = strip_controls(text)
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _slack_link(url: str, text: str) -> str:
    if not _safe_url(url):
        return text
    # "|" and ">" would end the link early; percent-encoding keeps the URL equivalent.
    target = _slack_esc(quote(url, safe=":/?#[]@!$&'()*+,;=%~-._"))
    return f"<{target}|{text}>"


def _plain_link(url: str, text: str) -> str:
    return f"{text} <{strip_controls(url)}>" if url else text


_TELEGRAM = _Markup(
    esc=_tg_esc,
    bold=lambda s: f"<b>{s}</b>",
    italic=lambda s: f"<i>{s}</i>",
    code=lambda s: f"<code>{s}</code>",
    link=_tg_link,
    measure=utf16_len,
)
_SLACK = _Markup(
    esc=_slack_esc,
    bold=lambda s: f"*{s}*",
    italic=lambda s: f"_{s}_",
    code=lambda s: "`" + s.replace("`", "'") + "`",  # a backtick inside would end the span
    link=_slack_link,
    measure=len,
)
_PLAIN = _Markup(
    esc=strip_controls,
    bold=lambda s: s,
    italic=lambda s: s,
    code=lambda s: s,
    link=_plain_link,
    measure=len,
)


def _clip(text: str, limit: int) -> str:
    """`text` on one line, cut on a word boundary to at most `limit` characters (with "…")."""
    text = _SPACES.sub(" ", text).strip()
    if len(text) <= limit:
        return text
    if limit <= 1:
        return "…"[:limit]
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space > limit // 2:  # a boundary near the end; otherwise a hard cut reads better
        cut = cut[:space]
    return cut.rstrip(" ,;:.-") + "…"


def snippet(text: str, limit: int = SNIPPET_CHARS) -> str:
    """The first `limit` characters of `text`, whitespace collapsed, cut on a word boundary."""
    return _clip(text, limit)


def sources(story: Story) -> tuple[StoryItem, ...]:
    """The story's items with a distinct article link (or no link), in story order; variants
    of one link (http/https, www., ?ref=rss: normalize.link_key) count once."""
    seen: set[str] = set()
    kept: list[StoryItem] = []
    for item in story.items:
        key = link_key(item.link) if item.link else ""
        if key and key in seen:
            continue
        seen.add(key)
        kept.append(item)
    return tuple(kept)


def new_sources(story: Story, shown: int) -> tuple[StoryItem, ...]:
    """Sources past the first `shown` (what a message that cannot be edited has not shown yet)."""
    return sources(story)[shown:]


def _utc(moment: datetime) -> str:
    if moment.tzinfo is None:  # model values are aware; be safe with a naive one
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


def _dedupe(values: Sequence[str]) -> list[str]:
    return list(dict.fromkeys(v for v in values if v))


def _clip_list(values: Sequence[str], budget: int) -> tuple[list[str], int]:
    """As many of `values` as fit in `budget` characters, and how many were left out."""
    kept: list[str] = []
    used = 0
    for value in values:
        value = _clip(value, budget)
        if kept and used + len(value) + 2 > budget:
            break
        kept.append(value)
        used += len(value) + 2
    return kept, len(values) - len(kept)


def lead(story: Story) -> StoryItem | None:
    """The story's first report: the item that started it (the first one watcher saw). An
    alert's headline (the story's title, which is this item's title), outlet, time and
    snippet all come from this one item, not from whichever item was published first."""
    return next((i for i in story.items if i.tier is Tier.NEW), None) or next(
        iter(story.items), None
    )


def headline(story: Story) -> str:
    """The story's headline as the desk sees it, in alerts and `watcher stories --json` alike:
    its first report's title, or when that report came without one, the opening of that
    report's own text (its first sentence, cut), else its link. Never another outlet's title:
    the headline would then sit above the first report's outlet, time and snippet."""
    if story.title.strip():
        return story.title
    first = lead(story)
    if first is None:
        return "(untitled story)"
    if first.title.strip():
        return first.title
    text = _SPACES.sub(" ", first.summary).strip()
    opening = _SENTENCE_END.split(text, maxsplit=1)[0].rstrip(" .")
    return _clip(opening, HEADLINE_CHARS) or first.link or "(untitled story)"


def _title(alert: Alert) -> str:
    return headline(alert.story)


def _meta_line(story: Story, m: _Markup, field: int) -> str:
    first = lead(story)
    if first is None:
        return m.esc(_utc(story.first_seen))
    return f"{m.esc(_clip(first.feed_name, field))} · {m.esc(_utc(first.published))}"


def _terms(values: Sequence[str]) -> list[str]:
    """Matched terms each once, whatever their case ("volcano, Volcano" is one term)."""
    once: dict[str, str] = {}
    for value in values:
        if value.strip():
            once.setdefault(" ".join(value.casefold().split()), value)
    return list(once.values())


def _list_line(label: str, values: Sequence[str], m: _Markup, field: int, wrap: bool) -> str:
    kept, more = _clip_list(_dedupe(values) if wrap else _terms(values), field)
    shown = [m.code(m.esc(v)) if wrap else m.esc(v) for v in kept]
    tail = f" +{more} more" if more else ""
    return f"{label}: {', '.join(shown)}{tail}"


def _is_new(item: StoryItem, since: datetime | None) -> bool:
    return since is not None and item.fetched is not None and item.fetched >= since


def _source_line(item: StoryItem, m: _Markup, field: int, new: bool = False) -> str:
    outlet = m.esc(_clip(item.feed_name, _SHORT_FIELD)) or "?"
    title = m.esc(_clip(item.title or item.link or "(untitled)", field))
    mark = f"{m.bold('new')} " if new else ""
    return f"• {mark}{outlet} — {m.link(item.link, title) if item.link else title}"


def _shown(items: Sequence[StoryItem], links: int, since: datetime | None) -> list[StoryItem]:
    """The `links` sources to list, in story order: new ones first in line for a place."""
    if len(items) <= links:
        return list(items)
    new = [i for i in items if _is_new(i, since)][:links]
    old = [i for i in items if not _is_new(i, since)][: links - len(new)]
    chosen = {id(i) for i in (*new, *old)}
    return [i for i in items if id(i) in chosen]


def _source_lines(
    items: Sequence[StoryItem], m: _Markup, plan: _Plan, since: datetime | None = None
) -> list[str]:
    shown = _shown(items, plan.links, since)
    lines = [_source_line(item, m, plan.field, _is_new(item, since)) for item in shown]
    hidden = len(items) - len(shown)
    if hidden:
        lines.append(f"+{hidden} more")
    return lines


def _head(alert: Alert, m: _Markup, plan: _Plan) -> list[str]:
    lines = [
        m.bold(m.esc(_clip(_title(alert), plan.field))),
        _meta_line(alert.story, m, plan.field),
    ]
    if alert.rules:
        lines.append(_list_line("Rules", alert.rules, m, plan.field, wrap=True))
    if alert.terms:
        lines.append(_list_line("Matched", alert.terms, m, plan.field, wrap=False))
    return lines


def _layout(alert: Alert, m: _Markup, plan: _Plan) -> str:
    lines = _head(alert, m, plan)
    first = lead(alert.story)
    first_summary = first.summary if first is not None else ""
    if plan.snippet and first_summary.strip():
        lines.append(m.italic(m.esc(snippet(first_summary, plan.snippet))))
    items = sources(alert.story)
    if items:
        lines.append("")
        lines.append(f"Sources ({len(items)}):")
        lines.extend(_source_lines(items, m, plan, alert.new_since))
    return "\n".join(lines)


def _plans(n_links: int) -> Iterator[_Plan]:
    top = min(n_links, MAX_LINKS)
    yield _Plan(top, SNIPPET_CHARS, _FIELD)
    yield _Plan(top, 0, _FIELD)
    for links in range(top, -1, -1):
        yield _Plan(links, 0, _SHORT_FIELD)
    for field in (40, 20):
        yield _Plan(0, 0, field)


def _cut_escaped(text: str, m: _Markup, limit: int) -> str:
    """Escaped `text` cut so that it measures at most `limit`; never splits an escape."""
    raw = text[: max(0, limit)]
    while raw and m.measure(m.esc(raw)) > limit:
        excess = m.measure(m.esc(raw)) - limit
        raw = raw[: len(raw) - max(1, excess // 6)]
    return m.esc(raw)


def _fit(alert: Alert, m: _Markup, limit: int) -> str:
    for plan in _plans(len(sources(alert.story))):
        text = _layout(alert, m, plan)
        if m.measure(text) <= limit:
            return text
    return _cut_escaped(_SPACES.sub(" ", _title(alert)).strip(), m, limit)


def render_telegram(alert: Alert, *, limit: int = 4096) -> str:
    """Telegram HTML (parse_mode="HTML"), at most `limit` UTF-16 units."""
    return _fit(alert, _TELEGRAM, limit)


def render_slack(alert: Alert, *, limit: int = 3000) -> str:
    """Slack mrkdwn, at most `limit` characters."""
    return _fit(alert, _SLACK, limit)


def render_plain(alert: Alert) -> str:
    """Plain text for terminals and logs (links capped like the others, no length limit)."""
    return _layout(alert, _PLAIN, _Plan(MAX_LINKS, SNIPPET_CHARS, _FIELD))


def render_slack_update(alert: Alert, shown: int, *, limit: int = 3000) -> str:
    """A short follow-up naming the sources past the first `shown` (for channels that
    cannot edit, such as Slack incoming webhooks)."""
    items = new_sources(alert.story, shown) or sources(alert.story)[-1:]
    for plan in _plans(len(items)):
        title = _SLACK.bold(_SLACK.esc(_clip(_title(alert), plan.field)))
        noun = "source" if len(items) == 1 else "sources"
        lines = [f"Update: {title} — {len(items)} new {noun}", *_source_lines(items, _SLACK, plan)]
        text = "\n".join(lines)
        if len(text) <= limit:
            return text
    return _cut_escaped(f"Update: {_SPACES.sub(' ', _title(alert)).strip()}", _SLACK, limit)
