"""Headline conventions that say how a report is sent, not what happened (heads.py): a wire's
"UPDATE 1-" and desk slug "RUGBY-", a breaking feed's "JUST IN: ", a live page's "LIVE | ", a
digest's trailing hashtags. Grouping reads the headline without them, so two outlets' reports
of one event no longer conflict over "UPDATE", "JUST" or "LIVE" read as names; topics before a
bar or a colon, and capitals hyphened onto a name, stay. Every headline here is invented."""

from __future__ import annotations

import pytest

from tests.test_stories import ingest, item
from watcher.heads import bare
from watcher.similarity import features
from watcher.stories import StoryIndex


@pytest.mark.parametrize(
    ("headed", "plain"),
    [
        ("UPDATE 2-Slovenian finance minister resigns", "Slovenian finance minister resigns"),
        ("REFILE-UPDATE 1-Oil tanker seized off Oman", "Oil tanker seized off Oman"),
        ("TENNIS-Brandt stuns top seed in Oslo", "Brandt stuns top seed in Oslo"),
        ("JUST IN: Zelenik quits as Slovenia's minister", "Zelenik quits as Slovenia's minister"),
        ("LIVE | Storm Ravel: Rivers burst banks", "Storm Ravel: Rivers burst banks"),
        ("Developing: Fire at Lisbon port warehouse", "Fire at Lisbon port warehouse"),
        ("WATCH: Crane topples onto Ghent quay", "Crane topples onto Ghent quay"),
        ("Opinion | Why the Ghent crane fell", "Why the Ghent crane fell"),
    ],
)
def test_a_wire_breaking_or_live_head_is_read_as_if_absent(headed: str, plain: str) -> None:
    assert bare(headed) == plain
    ours, theirs = features(headed, ""), features(plain, "")
    assert (ours.weights, ours.names) == (theirs.weights, theirs.names)
    assert ours.subject == theirs.subject


@pytest.mark.parametrize(
    "title",
    [
        "US-China trade talks resume in Geneva",  # a capital hyphened onto a name
        "COVID-19 cases climb in Manila",
        "Covid-19 | Kerala records 40 new cases",  # a running story's topic, not a label
        "Kerala floods | Army called in",
        "Coronavirus: Schools to stay shut",
        "GOLD-medal winner Brandt retires",  # a slug's word in a word
        "OIL-RICH STATES MEET IN VIENNA",  # a shouted headline
        "LIVE",
        "Live - document dump shows delays",  # the rest opens small: no head
    ],
)
def test_a_topic_or_a_name_before_a_separator_stays(title: str) -> None:
    assert bare(title) == title


def test_one_resignation_under_a_wire_marker_a_breaking_tag_and_hashtags_is_one_story() -> None:
    decisions = ingest(
        StoryIndex(),
        item("wire", "UPDATE 1-Slovenian finance minister resigns after budget row"),
        item("flash", "JUST IN: Slovenia finance minister Marko Zelenik steps down", hours=0.5),
        item(
            "digest",
            "Slovenia's finance minister quits over budget row #Slovenia #Politics",
            hours=2,
        ),
    )
    assert [d.story_id for d in decisions] == [None, 1, 1]


@pytest.mark.parametrize(
    ("first", "second"),
    [
        (
            "JUST IN: Brandt beats Okafor in Oslo final",
            "TENNIS-Brandt downs top seed to take Oslo crown",
        ),
        ("SOCCER-Lyon sack coach Moreau after cup exit", "JUST IN: Lyon fire Moreau"),
        (
            "LIVE | Floods: Army deployed in Passau",
            "Soldiers sent to flooded Passau as Danube rises",
        ),
    ],
)
def test_one_event_under_a_desk_slug_a_breaking_tag_or_a_live_bar_is_one_story(
    first: str, second: str
) -> None:
    decisions = ingest(StoryIndex(), item("one", first), item("other", second, hours=1))
    assert decisions[1].story_id == 1


def test_two_events_under_the_same_heads_stay_apart_and_each_joins_its_own() -> None:
    decisions = ingest(
        StoryIndex(),
        item("wire", "UPDATE 1-Slovenian finance minister resigns after budget row"),
        item("flash", "JUST IN: Croatian health minister resigns after hospital scandal", hours=1),
        item("wire2", "UPDATE 2-Croatian health minister resigns over hospital scandal", hours=2),
    )
    assert [d.story_id for d in decisions] == [None, None, 2]


def test_a_digests_hashtags_name_nothing_the_other_report_lacks() -> None:
    # "#Politics", "#Business": capitalised words the other outlet's headline never writes,
    # read as names they kept the two reports of one event apart.
    tagged = features("Kenyan court halts sale of Kenya Airways stake #Kenya #Business", "")
    plain = features("Kenyan court halts sale of Kenya Airways stake", "")
    assert tagged.names == plain.names
    assert tagged.weights.keys() > plain.weights.keys()  # the tag's words are still terms
    decisions = ingest(
        StoryIndex(),
        item("wire", "Bangladesh beat Zimbabwe by six wickets in Harare"),
        item("digest", "Bangladesh crush Zimbabwe in Harare by six wickets #Cricket", hours=1),
    )
    assert decisions[1].story_id == 1

