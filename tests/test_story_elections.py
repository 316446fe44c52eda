"""An election is one happening (stories.py *The same happening*, happenings.ELECTION): a
country's vote brings a day of reports in other words, each naming other people and issues,
that share little but the country and the election. Two headlines each telling an election and
naming one country by its own name or its people's word (places.nations) join at the model's
threshold; two stories of that one vote that both take a report are folded into one."""

from __future__ import annotations

from tests.test_stories import ingest, item
from watcher.places import nations
from watcher.stories import StoryIndex

MORNING = item(
    "wire",
    "Estonians vote in snap election as coalition wobbles",
    "Polling stations opened across Estonia on Sunday in a snap election called after the "
    "governing coalition lost its majority in parliament.",
)
# 5 hours later, another outlet in other words, naming other people
MIDDAY = item(
    "paper",
    "Estonia election: Reform party's grip on power at stake",
    "Voters in Tallinn queued in the rain as the centre-right Reform party, led by prime "
    "minister Mart Helme, fought to stay the largest party in the Riigikogu.",
    hours=5,
)


def test_an_election_day_told_in_other_words_is_one_story() -> None:
    apart = ingest(StoryIndex(happenings=False), MORNING, MIDDAY)
    assert [d.story_id for d in apart] == [None, None]  # the model alone: a name conflict
    decisions = ingest(StoryIndex(), MORNING, MIDDAY)
    assert [d.story_id for d in decisions] == [None, 1]


def test_two_countries_elections_the_same_day_stay_apart() -> None:
    latvia = item(
        "paper",
        "Latvia election: ruling party's grip on power at stake",
        "Voters in Riga queued in the rain as the centre-right New Unity party fought to stay "
        "the largest party in the Saeima, in a snap election called after the coalition fell.",
        hours=5,
    )
    decisions = ingest(StoryIndex(), MORNING, latvia)
    assert decisions[1].story_id is None


def test_an_election_named_by_a_region_is_no_countrys_vote() -> None:
    # "Election" is also a topic's word in one country's politics (a state's count, its
    # lawsuits, its audit): only a headline naming a country by its own name tells its vote.
    count = item(
        "wire",
        "Michigan election officials finish count in Wayne County",
        "Officials in Detroit said on Tuesday that every ballot cast in Wayne County had been "
        "counted, a week after polls closed.",
    )
    audit = item(
        "paper",
        "Michigan election: Senate Republicans order audit of voting machines",
        "Republican leaders of the Michigan Senate asked for an audit of the machines used in "
        "Antrim County, citing complaints from party activists.",
        hours=5,
    )
    decisions = ingest(StoryIndex(), count, audit)
    assert decisions[1].story_id is None


def test_two_stories_of_one_election_that_both_take_a_report_are_folded() -> None:
    # The wire's own second report starts a story of its own (one outlet's two stories are two
    # events until another outlet's report shows them one: OWN_FEED)
    own = item(
        "wire",
        "Estonia election: Reform party's grip on power at stake",
        "Voters in Tallinn queued in the rain as the centre-right Reform party, led by prime "
        "minister Mart Helme, fought to stay the largest party in the Riigikogu.",
        hours=5,
    )
    evening = item(
        "radio",
        "Estonian election too close to call as counting goes on",
        "With two thirds of the ballots counted, the two largest parties were separated by "
        "fewer than 3,000 votes, the national electoral committee said.",
        hours=12,
    )
    decisions = ingest(StoryIndex(), MORNING, own, evening)
    assert [d.story_id for d in decisions] == [None, None, 1]
    assert decisions[2].merge == (2,)


def _nations(headline: str) -> int:
    return nations(headline.split())


def test_nations_are_countries_named_by_their_own_names() -> None:
    assert _nations("Canadians vote in pandemic election") == _nations("Canada") != 0
    assert _nations("Trudeau makes final appeal ahead of Canada’s election") != 0
    assert _nations("New Zealand election: Ardern wins") != 0
    assert _nations("Auckland votes in mayoral election") == 0  # a city's
    assert _nations("GOP urges Michigan to delay certifying election") == 0  # a state's
    assert _nations("Toronto mayor wins election") == 0
