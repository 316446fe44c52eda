"""OPML in and out, and merging imported feeds into a hand-written config.toml."""

from __future__ import annotations

import tomllib
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from watcher.errors import ConfigError
from watcher.model import Feed
from watcher.opml import OpmlFeed, merge_into_config, parse_opml, render_opml, toml_string

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)

OPML = b"""<?xml version="1.0" encoding="UTF-8"?>
<opml version="2.0">
  <head><title>My subscriptions</title></head>
  <body>
    <outline text="News">
      <outline text="World">
        <outline type="rss" text="Harbour Gazette" xmlUrl="https://harbour.example/rss"/>
        <outline type="rss" title="Ledger &amp; Co" text="ignored" xmlUrl="https://ledger.example/feed"/>
      </outline>
    </outline>
    <outline type="rss" xmlUrl="https://untitled.example/atom.xml"/>
    <outline text="A folder with no feeds"/>
    <outline type="rss" text="Gopher" xmlUrl="gopher://old.example/feed"/>
  </body>
</opml>
"""

HAND_WRITTEN = """# The desk's config. Hand-written; keep my comments.
[storage]
path = "watcher.db"   # next to this file

[[feed]]
url = "https://harbour.example/rss"
name = "Harbour (mine)"
interval = "2m"

[channel.log]
type = "console"
"""


def test_parse_nested_outlines_with_titles_and_folders() -> None:
    feeds = parse_opml(OPML)
    assert feeds == [
        OpmlFeed("https://harbour.example/rss", "Harbour Gazette", "News/World"),
        OpmlFeed("https://ledger.example/feed", "Ledger & Co", "News/World"),
        OpmlFeed("https://untitled.example/atom.xml", None, ""),
        OpmlFeed("gopher://old.example/feed", "Gopher", ""),
    ]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"<opml><body><outline", "not valid XML"),
        (b"<rss><channel/></rss>", "not OPML"),
        (b'<!DOCTYPE x [<!ENTITY a "b">]><opml><body/></opml>', "entity declarations"),
    ],
)
def test_not_opml_is_a_located_error(data: bytes, message: str) -> None:
    with pytest.raises(ConfigError, match=message) as caught:
        parse_opml(data, source="subs.opml")
    assert caught.value.diagnostics[0].file == "subs.opml"


def test_xml_error_points_at_its_line() -> None:
    with pytest.raises(ConfigError) as caught:
        parse_opml(b"<opml>\n<body>\n<outline xmlUrl='x'>\n</body></opml>")
    assert caught.value.diagnostics[0].line == 4


def test_export_then_import_round_trips() -> None:
    feeds = [
        Feed("https://a.example/rss?x=1&y=2", 'A "quoted" <name>', timedelta(minutes=5)),
        Feed("https://b.example/feed", "Bé", timedelta(minutes=5)),
    ]
    data = render_opml(feeds, title="watcher feeds", now=NOW)
    assert data.startswith(b"<?xml") and b'version="2.0"' in data
    assert b"Mon, 02 Mar 2026 09:00:00 GMT" in data
    back = parse_opml(data)
    assert [(f.url, f.title) for f in back] == [(f.url, f.name) for f in feeds]


def test_merge_appends_new_feeds_and_keeps_every_written_line() -> None:
    merge = merge_into_config(HAND_WRITTEN, parse_opml(OPML), source="subs.opml", now=NOW)
    assert merge.text.startswith(HAND_WRITTEN.rstrip("\n"))  # nothing before it touched
    assert [f.url for f in merge.added] == [
        "https://ledger.example/feed",
        "https://untitled.example/atom.xml",
    ]
    assert dict((f.url, why) for f, why in merge.skipped) == {
        "https://harbour.example/rss": "already in the config",
        "gopher://old.example/feed": "not an http(s) URL",
    }
    assert "# Imported from subs.opml on 2026-03-02" in merge.text
    data = tomllib.loads(merge.text)
    assert [f.get("name") for f in data["feed"]] == ["Harbour (mine)", "Ledger & Co", None]
    assert data["feed"][0]["interval"] == "2m" and data["channel"]["log"]["type"] == "console"

    again = merge_into_config(merge.text, parse_opml(OPML), source="subs.opml", now=NOW)
    assert again.added == () and again.text == merge.text


def test_duplicates_inside_the_opml_are_added_once() -> None:
    twice = [OpmlFeed("https://x.example/rss", "X"), OpmlFeed("https://x.example/rss", "X2")]
    merge = merge_into_config("", twice, source="o", now=NOW)
    assert len(merge.added) == 1 and merge.skipped[0][1] == "already in the config"


def test_a_config_with_inline_feeds_is_refused_whole() -> None:
    inline = 'feed = [{url = "https://a.example/rss"}]\n'
    with pytest.raises(ConfigError, match="cannot add"):
        merge_into_config(inline, [OpmlFeed("https://b.example/rss", "B")], source="o", now=NOW)


@given(st.text(max_size=40))
def test_any_name_survives_as_a_toml_string(name: str) -> None:
    assert tomllib.loads(f"v = {toml_string(name)}")["v"] == name
