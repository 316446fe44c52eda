"""An election is one happening (stories.py *An election*, happenings.ELECTION, vote_told): a
country's vote brings a day of reports in other words, each naming other people and issues,
that share little but the country and the election. Two headlines each telling the vote itself
(the voting, the count or the result) and naming one country by its own name or its people's
word (places.nations) join at the model's threshold when no guard stands, the name conflict's
veto included; two stories of that one vote that both take a report are folded into one. A
campaign's other news (a rally, a plan, a ban, a claim of meddling) is not read so."""

from __future__ import annotations

from tests.test_stories import ingest, item
from watcher.happenings import vote_told
from watcher.places import nations
from watcher.stories import StoryIndex

MORNING = item(
    "wire",
    "Estonians vote in snap election as coalition wobbles",
    "Polling stations opened across Estonia on Sunday in a snap election called after the "
    "governing coalition lost its majority in parliament.",
)
# 12 hours later, another outlet in other words: the count
EVENING = item(
    "radio",
    "Estonian election too close to call as counting goes on",
    "With two thirds of the ballots counted, the two largest parties were separated by "
    "fewer than 3,000 votes, the national electoral committee said.",
    hours=12,
)


def test_an_election_day_told_in_other_words_is_one_story() -> None:
    apart = ingest(StoryIndex(happenings=False), MORNING, EVENING)
    assert [d.story_id for d in apart] == [None, None]  # the model alone
    decisions = ingest(StoryIndex(), MORNING, EVENING)
    assert [d.story_id for d in decisions] == [None, 1]


def test_a_campaigns_other_news_is_not_the_vote() -> None:
    # "election" is every word of a campaign's news: a party's fight for power told 5 h later
    # is no report of the voting, the count or the result, so the rule does not join it
    midday = item(
        "paper",
        "Estonia election: Reform party's grip on power at stake",
        "Voters in Tallinn queued in the rain as the centre-right Reform party, led by prime "
        "minister Mart Helme, fought to stay the largest party in the Riigikogu.",
        hours=5,
    )
    decisions = ingest(StoryIndex(), MORNING, midday)
    assert decisions[1].story_id is None


def test_an_opinion_poll_is_not_the_vote() -> None:
    poll = item(
        "paper",
        "Estonia election: poll shows Reform party leads as voting begins",
        "A survey for the daily Postimees put the Reform party four points ahead of the "
        "Centre party among decided voters.",
        hours=5,
    )
    decisions = ingest(StoryIndex(), MORNING, poll)
    assert decisions[1].story_id is None


def test_two_countries_elections_the_same_day_stay_apart() -> None:
    latvia = item(
        "radio",
        "Latvian election too close to call as counting goes on",
        "With two thirds of the ballots counted in Riga, the two largest parties were "
        "separated by fewer than 3,000 votes, the central election commission said.",
        hours=12,
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



def test_a_bodys_own_election_is_no_countrys_vote() -> None:
    # A football federation's election the same day names the country and tells a vote won,
    # but it is the federation's own vote, another event (h-review, session 19): a body's word
    # right before the election's ("federation election", "leadership election") tells so
    federation = item(
        "paper",
        "Estonia's football federation election: Poom wins vote",
        "Former goalkeeper Mart Poom won the election for president of the Estonian Football "
        "Association at its general assembly in Tallinn, the association said.",
        hours=5,
    )
    decisions = ingest(StoryIndex(), MORNING, federation)
    assert decisions[1].story_id is None

def test_two_stories_of_one_election_that_both_take_a_report_are_folded() -> None:
    # The wire's own second report starts a story of its own (one outlet's two stories are two
    # events until another outlet's report shows them one: OWN_FEED)
    own = item(
        "wire",
        "Estonian election turnout highest in decades",
        "The national electoral committee said more than seven in ten of the registered voters "
        "had cast a ballot by the afternoon.",
        hours=5,
    )
    decisions = ingest(StoryIndex(), MORNING, own, EVENING)
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


def test_the_vote_itself_told() -> None:
    told = (
        "Canadians vote in pandemic election",
        "Canadians head to the polls tonight in snap election",
        "Russia's election: Putin set for fifth term as polls close",
        "Pro-Putin party heads for Russian parliamentary election win",
        "Landslide in Russia's elections",
        "Estonian election too close to call as counting goes on",
        "Putin's party set to retain majority after polls in Russian election",
    )
    assert all(vote_told(headline.split()) for headline in told)
    not_told = (
        "Trudeau makes final appeal ahead of Canada's election",
        "Moldova accuses Russia of meddling in its election",
        "Trump rallies in Pennsylvania as US election nears",
        "India's election commission bans minister from campaigning for 48 hours",
        "Canada election: Liberals lead in latest poll",
        "Le Pen leads polls ahead of French election",
        "French election: polls show Macron ahead in Paris",
        "Rodrigues wins Brazil's football federation election",
        "Starmer wins Labour leadership election",
    )
    assert not any(vote_told(headline.split()) for headline in not_told)
