"""A death is one happening (stories.py *The same happening*, happenings.DEATH, MOURNING): the
tributes paid the next hours, in other words and naming other people (those paying them), are
that event. An item whose headline mourns a person (a word of MOURNING: "pays tribute to his
late ...") that a report of a story names by the same full name in a headline telling the death
joins that story at the model's threshold."""

from __future__ import annotations

from tests.test_stories import ingest, item
from watcher.stories import StoryIndex

DEATH = item(
    "wire",
    "Coronation Lane actor Harold Pemberton dies aged 83",
    "Harold Pemberton, who played the grumpy publican Stan Webb in the long-running soap "
    "Coronation Lane for 30 years, has died aged 83, his agent said.",
)
# 9 hours later, another outlet: a rapper's tribute, in other words
TRIBUTE = item(
    "paper",
    "Rapper Kofi Banks pays tribute to his late 'online pal' Harold Pemberton",
    "The American rapper said he had swapped messages with the soap star for years after "
    "becoming a fan of the show during the pandemic.",
    hours=9,
)


def test_a_tribute_in_other_words_joins_the_deaths_story() -> None:
    apart = ingest(StoryIndex(happenings=False), DEATH, TRIBUTE)
    assert [d.story_id for d in apart] == [None, None]  # the model alone: other names
    decisions = ingest(StoryIndex(), DEATH, TRIBUTE)
    assert [d.story_id for d in decisions] == [None, 1]


def test_a_person_sharing_one_name_with_the_dead_stays_apart() -> None:
    # A full name is two names of one person: "Harold" alone is someone else's
    other = item(
        "paper",
        "Rapper Kofi Banks pays tribute to his late friend Harold Okafor",
        "The American rapper said his childhood friend, a music producer, had died in a car "
        "crash in Atlanta.",
        hours=9,
    )
    decisions = ingest(StoryIndex(), DEATH, other)
    assert decisions[1].story_id is None
