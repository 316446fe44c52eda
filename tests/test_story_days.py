"""One event told again a day later (issue 11, item 3): a later report that looks back in
words textcues.refers_back reads ("after the rate rise the day before", "death toll in the
bridge collapse rises to 9"), or that names, as its story's first report does, the day that
first report came out on and not its own ("called Sunday's ruling ..." on Monday, under "...
on Sunday annulled ..."; textcues.days_named), tells that earlier happening again, so the day
between them counts as story_signals.BACK_APART, not as a day. The held-out cases of this kind
are in tests/data/story_cases.toml (kind day_apart)."""

from __future__ import annotations

from tests.test_stories import T0, ingest, item
from watcher.model import Item
from watcher.similarity import features
from watcher.stories import StoryIndex

RATE = item(
    "desk",
    "Bank of Ghana raises key rate to 31% in surprise move",
    "The Bank of Ghana raised its policy rate by 300 basis points to 31% on Sunday, catching "
    "markets off guard; analysts had expected a pause.",
    hours=12,
)
BRIDGE = item(
    "wire",
    "Footbridge collapses over river in Bangladesh's Sylhet, killing five",
    "An iron footbridge crowded with villagers collapsed into the Surma river near Sylhet, "
    "killing at least five people, police said.",
    hours=12,
)


def test_a_report_of_the_rate_rise_the_day_before_joins_its_story() -> None:
    cedi = item(
        "daily",
        "Cedi jumps after Bank of Ghana's surprise rate rise",
        "The cedi gained 3% against the dollar by Monday afternoon, after the Bank of Ghana's "
        "unexpected rate rise the day before; bond yields climbed.",
        hours=34,
    )
    assert [d.story_id for d in ingest(StoryIndex(), RATE, cedi)] == [None, 1]


def test_a_rate_rise_told_without_looking_back_is_weighed_a_day_apart() -> None:
    cedi = item(
        "daily",
        "Cedi jumps after Bank of Ghana's surprise rate rise",
        "The cedi gained 3% against the dollar by Monday afternoon, after the Bank of Ghana's "
        "unexpected rate rise; bond yields climbed.",
        hours=34,
    )
    assert ingest(StoryIndex(), RATE, cedi)[1].story_id is None


def test_a_toll_risen_in_the_collapse_joins_its_story() -> None:
    toll = item(
        "daily",
        "Death toll in Sylhet bridge collapse rises to 9 as anger grows",
        "Divers recovered four more bodies from the Surma river, taking the toll from the "
        "collapse of the old footbridge to 9. Residents said they had warned officials.",
        hours=33,
    )
    assert [d.story_id for d in ingest(StoryIndex(), BRIDGE, toll)] == [None, 1]


# T0 is a Sunday, 06:00 UTC: the ruling comes out on Sunday evening, the vow on Monday.
RULING = item(
    "wire",
    "Kenya's top court annuls Nakuru governor election",
    "Kenya's Supreme Court on Sunday annulled the election of Nakuru governor Tabitha Wambui, "
    "citing irregularities in the tallying of votes in three constituencies.",
    hours=12,
)


def _vow(lead: str) -> Item:
    """Nakuru's governor vows to fight on, 22 h after the ruling, told by another outlet."""
    title = "Nakuru's Wambui vows to fight on after court voids her election"
    return item("paper", title, lead, hours=34)


SUNDAYS = _vow(
    "Tabitha Wambui told supporters in Nakuru she would run in the fresh election and called "
    "Sunday's ruling by the Supreme Court an attack on the voters of the county."
)


def test_a_report_naming_the_day_its_first_report_told_a_day_later_joins_its_story() -> None:
    assert T0.weekday() == 6  # a Sunday
    assert [d.story_id for d in ingest(StoryIndex(), RULING, SUNDAYS)] == [None, 1]
    # the cue off (StoryIndex(days=False)): weighed a day apart
    assert ingest(StoryIndex(days=False), RULING, SUNDAYS)[1].story_id is None


def test_a_report_naming_only_its_own_day_is_weighed_a_day_apart() -> None:
    # The same words, told as Monday's news: a development of its own day, as far as the
    # words go, and 22 h apart it stays under the bar.
    mondays = _vow(
        "Tabitha Wambui told supporters in Nakuru on Monday she would run in the fresh election "
        "and called the ruling by the Supreme Court an attack on the voters of the county."
    )
    assert ingest(StoryIndex(), RULING, mondays)[1].story_id is None


def test_a_day_the_first_report_tells_as_coming_is_no_cue() -> None:
    # A preview names the day to come ("will rule on Sunday"): the later report may tell the
    # ruling, another happening than the preview's.
    preview = item(
        "wire",
        RULING.title,
        "Kenya's Supreme Court will rule on Sunday on a petition that accused Nakuru governor "
        "Tabitha Wambui of irregularities in the tallying of votes in three constituencies.",
        hours=12,
    )
    silent = item(
        "wire",
        RULING.title,
        "Kenya's Supreme Court annulled the election of Nakuru governor Tabitha Wambui, citing "
        "irregularities in the tallying of votes in three constituencies.",
        hours=12,
    )
    assert ingest(StoryIndex(), preview, SUNDAYS)[1].story_id is None
    assert ingest(StoryIndex(), silent, SUNDAYS)[1].story_id is None


def test_the_weekdays_a_text_tells_a_happening_on() -> None:
    def days(title: str, summary: str = "") -> int:
        return features(title, summary).days

    assert days("Court rules", "The court on Wednesday convicted him.") == 1 << 2
    assert days("Verdict attacked", "His lawyers called Wednesday's verdict unjust.") == 1 << 2
    assert days("Cabin falls", "A rope snapped above the slope on Saturday afternoon.") == 1 << 5
    assert days("Hearing", "The generals will face lawmakers on Tuesday.") == 0  # to come
    assert days("Election", "An important election takes place Tuesday.") == 0  # no past verb
    assert days("Vote", "The vote, expected on Friday, was delayed.") == 0
    # a day it says it is not about
    text = "He resigned; the board said it had nothing to do with Friday's crash."
    assert days("Chief quits", text) == 0
    # each sentence on its own: the one naming a day with a verb in the past
    text = "Talks resume on Friday. Separately, the court on Monday convicted him."
    assert days("Court rules", text) == 1 << 0
    assert days("Court on Monday convicted him", "Talks resume on Friday.") == 1 << 0
    # an accent the tokens leave out may stand inside the day's name (no "day" in the text)
    assert days("Court on Mondáy convicted him") == 1 << 0
    assert days("COURT", "THE COURT ON MONDAY CONVICTED HIM, and his lawyers appealed.") == 1 << 0
