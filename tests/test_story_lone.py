"""A lone report's own names (stories.LONE_FLOOR): a story of one report, another outlet's,
takes a report the model weighs under its threshold (at LONE_FLOOR or more), its headline in
other words, when the two share two rare names (no places) that no report of another story in
the window holds, one of them written in a headline; not when another story holds them, not
the item's own outlet's story, not when both headlines name the same actor (one leader's two
acts), not when the names are only the leads' (a prosecutor's two cases). Every headline and
lead here is invented."""

from __future__ import annotations

from tests.test_stories import ingest, item
from watcher.stories import StoryIndex

DETAINED = item(
    "tbilisi-paper",
    "Police detain rally organiser Abashidze-Tsereteli outside parliament",
    "Riot police detained Nino Abashidze-Tsereteli, one of the organisers of the nightly rallies "
    "against the media law, as she left the protest on Rustaveli Avenue on Monday evening, her "
    "lawyer said.",
)
HELD = item(
    "wire",
    "Georgian opposition figure held overnight as protests go on",
    "Nino Abashidze-Tsereteli, who has helped organise weeks of rallies in the Georgian capital, "
    "spent the night in police custody, her party said on Tuesday.",
    hours=8,
)
# Another story of the window that names her: her names are no longer one event's alone.
EARLIER = item(
    "tv",
    "Opposition names Abashidze-Tsereteli as candidate for Tbilisi mayor",
    "The opposition alliance chose Nino Abashidze-Tsereteli on Sunday as its candidate in next "
    "spring's race for mayor of the capital, her party said.",
    hours=-3,
)


def test_a_lone_report_takes_another_outlets_report_sharing_its_own_names() -> None:
    assert ingest(StoryIndex(), DETAINED, HELD)[1].story_id == 1


def test_without_the_rule_the_pair_is_under_the_threshold() -> None:
    index = StoryIndex(lone_floor=2.0)
    ingest(index, DETAINED)
    assert 0.3 <= index.contenders(HELD)[0][2] < index.threshold
    assert index.decide(HELD).story_id is None


def test_names_another_story_holds_are_no_evidence() -> None:
    decisions = ingest(StoryIndex(), EARLIER, DETAINED, HELD)
    assert decisions[1].story_id is None  # her call for a strike and her detention: two events
    assert decisions[2].story_id is None


def test_a_lone_report_of_the_items_own_outlet_takes_nothing_under_the_bar() -> None:
    own = item("tbilisi-paper", HELD.title, HELD.summary, hours=8)
    assert ingest(StoryIndex(), DETAINED, own)[1].story_id is None


def test_one_leaders_two_acts_named_in_both_headlines_stay_apart() -> None:
    sacking = item(
        "paper",
        "Kovacic sacks finance minister over budget leak",
        "Slovenian Prime Minister Matej Kovacic dismissed Finance Minister Petra Zupan on "
        "Monday, saying she had lost his trust after draft budget figures appeared in a "
        "newspaper.",
    )
    rents = item(
        "wire",
        "Kovacic promises cap on rents in big cities",
        "Slovenian Prime Minister Matej Kovacic said on Monday his government would cap rent "
        "rises in Ljubljana and Maribor at the rate of inflation for three years.",
        hours=5,
    )
    index = StoryIndex()
    ingest(index, sacking)
    assert 0.3 <= index.contenders(rents)[0][2] < index.threshold  # his names, alone in the window
    assert index.decide(rents).story_id is None


def test_names_only_the_leads_write_are_a_bystanders() -> None:
    # one prosecutor's two cases one day, her names in both leads and in neither headline
    minister = item(
        "wire",
        "Ex-minister charged with money laundering",
        "Anti-corruption prosecutor Teodora Banescu charged a former transport minister with "
        "money laundering on Wednesday, her office said.",
    )
    customs = item(
        "paper",
        "Customs chief indicted over smuggling ring",
        "Anti-corruption prosecutor Teodora Banescu indicted the head of the customs service on "
        "Wednesday over a cigarette smuggling ring, her office said.",
        hours=5,
    )
    index = StoryIndex()
    ingest(index, minister)
    assert 0.3 <= index.contenders(customs)[0][2] < index.threshold  # her names, alone
    assert index.decide(customs).story_id is None
