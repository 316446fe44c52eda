"""developments.py: which report of an alerted story is a development (pure decisions)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from watcher.developments import DEVELOPMENT_AFTER, Development, decide, headline_news

ALERTED = datetime(2021, 9, 20, 6, 0, tzinfo=UTC)
LATER = ALERTED + DEVELOPMENT_AFTER
HEADLINE = "Auckland mayor urges caution as Covid cases rise"


def test_a_corroborating_source_is_not_a_development() -> None:
    assert (
        decide(
            title="Covid cases rise in Auckland, mayor urges caution",
            text="",
            new_rules=(),
            known=[HEADLINE],
            alerted_at=ALERTED,
            now=LATER + timedelta(hours=5),
        )
        is None
    )


def test_new_names_and_figures_hours_later_are_a_development() -> None:
    got = decide(
        title="Cabinet moves Auckland to alert level 3 from Tuesday",
        text="The prime minister said Cabinet agreed.",
        new_rules=(),
        known=[HEADLINE],
        alerted_at=ALERTED,
        now=LATER,
    )
    assert got == Development(news=("Cabinet", "3"))  # not the weekday


def test_new_names_within_two_hours_are_a_silent_edit() -> None:
    assert (
        decide(
            title="Cabinet moves Auckland to alert level 3",
            text="",
            new_rules=(),
            known=[HEADLINE],
            alerted_at=ALERTED,
            now=LATER - timedelta(seconds=1),
        )
        is None
    )


def test_a_new_rule_is_a_development_at_once() -> None:
    got = decide(
        title="Volcano ash reaches the coast",
        text="",
        new_rules=("climate", "climate"),
        known=["Volcano erupts on La Palma"],
        alerted_at=ALERTED,
        now=ALERTED + timedelta(minutes=5),
    )
    assert got == Development(rules=("climate",))


def test_earlier_follow_ups_are_known() -> None:
    known = [HEADLINE, "Cabinet moves Auckland to alert level 3"]
    assert headline_news("Auckland at level 3: what Cabinet decided", "", known) == ()


@pytest.mark.parametrize(
    ("title", "text", "news"),
    [
        # Sentence case: a capital after the first word is a name; digits are figures.
        ("Explosion at chemical plant in Texas injures 12", "", ("Texas", "12")),
        ("1,200 evacuated near Pasadena", "", ("1,200", "Pasadena")),
        # The first word only when the text writes it with a capital inside a sentence.
        ("Firefighters contain blaze", "Local firefighters said on Monday.", ()),
        ("Kilauea erupts again", "Hawaii's Kilauea volcano began erupting.", ("Kilauea",)),
        # Title Case: capitals are the style; names are what the text capitalises too.
        (
            "Governor Signs Border Security Bill In Austin",
            "The governor signed the bill in Austin on Friday.",
            ("Austin",),
        ),
        # Acronyms are names, unless the whole headline shouts.
        ("UN envoy arrives", "", ("UN",)),
        ("BREAKING: QUAKE HITS LIMA", "A quake hit Lima.", ("LIMA",)),
        # Possessives and accents fold; a demonym shares its country's stem.
        ("Mexico's president visits Bogotá", "The leader of Mexico flew in.", ("Mexico", "Bogotá")),
    ],
)
def test_names_and_figures(title: str, text: str, news: tuple[str, ...]) -> None:
    assert headline_news(title, text, ["Something happened"]) == news


def test_known_words_fold_case_accents_and_stems() -> None:
    known = ["Pakistan and Iran discuss UNHRC vote in Bogota as 1200 flee"]
    title = "Pakistani minister thanks IRAN's envoy after unhrc vote in Bogotá; 1,200 flee"
    assert headline_news(title, "", known) == ()


def test_a_hyphenated_pair_of_known_names_is_not_new() -> None:
    known = ["Pakistan and Iran: Ishaq Dar spoke by phone with Abbas Araghchi"]
    title = "Pakistan, Iran to reopen border markets after Dar-Araghchi call"
    assert headline_news(title, "", known) == ()
    # One part new is news ("Dar-Larijani"), and so is a known name's new figure.
    title = "Pakistan to host Dar-Larijani talks with 15 envoys"
    assert headline_news(title, "", known) == ("Dar-Larijani", "15")


def test_the_readme_example() -> None:
    alert = ["Explosion at Texas chemical plant"]
    for title, hours, news in [
        ("Texas plant blast: 12 dead, governor Abbott visits", 3, ("12", "Abbott")),
        ("Chemical plant explodes in Texas", 1, None),
        ("Blast at Texas plant", 24, None),
    ]:
        got = decide(title=title, text="", new_rules=(), known=alert, alerted_at=ALERTED,
                     now=ALERTED + timedelta(hours=hours))  # fmt: skip
        assert (got.news if got else None) == news, title


@pytest.mark.parametrize(
    ("title", "text", "news"),
    [
        # A part of a headline opens like a sentence; "Covid-19" is a word, not a figure.
        ("Covid-19: Man charged over travel to Wellington", "A man was charged.",
         ("Wellington",)),
        ("Where is he? Police search the reserve", "The police said.", ()),
        ("Live: 'Out of whack' says Collins", "Judith Collins said.", ("Collins",)),
        # Days of a month are dates; small words and weekdays are never names.
        ("What happened today, September 20", "What happened. The day.", ()),
        ("The Cabinet meets on Monday", "The Cabinet met.", ("Cabinet",)),
    ],
)  # fmt: skip
def test_parts_of_headlines_dates_and_small_words(
    title: str, text: str, news: tuple[str, ...]
) -> None:
    assert headline_news(title, text, ["Something happened"]) == news


def test_a_hyphenated_known_word_knows_its_parts() -> None:
    title = "Party of Putin wins in Moscow"
    assert headline_news(title, "", ["Pro-Putin party heads for a win"]) == ("Moscow",)
