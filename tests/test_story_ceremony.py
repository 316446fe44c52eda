"""An awards ceremony is one happening (happenings.CEREMONY, story_signals
PairSignals._same_ceremony): its red carpet, its winners and their speeches are reported by the
dozen in one night, each report naming other people. Every headline and lead here is invented
(the Lumen Awards, its guests and winners do not exist)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.test_stories import ingest, item
from watcher.happenings import ceremony_told
from watcher.model import Item
from watcher.similarity import features
from watcher.stories import StoryIndex
from watcher.terms import root, term_id

CARPET = item(
    "wire",
    "Stars arrive on the red carpet at the Lumen Awards",
    "Actors, directors and musicians walked the red carpet in Marseille on Saturday evening "
    "before the 40th Lumen Awards, France's television honours.",
)
WINNER = item(
    "paper",
    "Lumen winner Odile Verhaegen thanks her late mother in speech",
    "Odile Verhaegen, named best actress for the drama Les Quais, dedicated the prize to her "
    "mother, who died in March.",
    hours=3,
)


@pytest.mark.parametrize(
    "later",
    [
        WINNER,
        item(
            "daily",
            "Lumen nominee Bastien Roux stuns in velvet suit",
            "Bastien Roux, up for best supporting actor, chose a green velvet suit for the night.",
            hours=1,
        ),
    ],
)
def test_the_ceremonys_reports_naming_other_people_join_its_story(later: Item) -> None:
    assert ingest(StoryIndex(), CARPET, later)[1].story_id == 1


def test_the_rule_off_keeps_them_apart() -> None:
    assert ingest(StoryIndex(ceremonies=False), CARPET, WINNER)[1].story_id is None


@pytest.mark.parametrize(
    "later",
    [
        # the next day's news of it: the audience figures
        item(
            "paper",
            "Lumen Awards audience falls to 3.1 million viewers",
            "The broadcast drew 3.1 million viewers, down from 3.6 million last year, figures "
            "published on Sunday afternoon showed.",
            hours=20,
        ),
        # a winner named in another place's awards: the name the two share is no ceremony's
        item(
            "daily",
            "Marseille mayor hands out city sports awards to Olympic rowers",
            "The mayor of Marseille gave the city's sports awards to three rowers.",
            hours=2,
        ),
    ],
)
def test_not_the_ceremonys_night_stays_apart(later: Item) -> None:
    assert ingest(StoryIndex(), CARPET, later)[1].story_id is None


def test_two_reports_naming_only_a_past_ceremony_stay_apart() -> None:
    """Two headlines whose only ceremony's word is in the ceremony's name both write ("Lumen
    Gala") tell no part of its night: days later, each is news of its own."""
    memes = item(
        "wire",
        "Pop star Lina Varga laughs off Lumen Gala memes",
        "The singer Lina Varga said she had seen the memes about her Lumen Gala outfit.",
    )
    complaint = item(
        "paper",
        "Senator Hal Brecker faces ethics complaint over Lumen Gala ticket",
        "A watchdog filed an ethics complaint against Senator Hal Brecker over the free ticket he "
        "accepted to the Lumen Gala.",
        hours=5,
    )
    assert ingest(StoryIndex(), memes, complaint)[1].story_id is None


@pytest.mark.parametrize(
    ("title", "told"),
    [
        ("Lumen Awards: all the winners", True),
        ("Lumen nominee arrives on the red carpet", True),
        ("What to expect at the Lumen Awards tonight", False),  # a preview
        ("Stars prepare for the Lumen Awards", False),
        ("Storm hits Marseille", False),
    ],
)
def test_a_headline_tells_a_ceremony_not_its_preview(title: str, told: bool) -> None:
    assert ceremony_told(features(title, "").title) is told


PREVIEWS = [
    item(
        "daily",
        "Lumen Awards: what to expect on the red carpet tonight",
        "The red carpet at the Lumen Awards in Marseille opens at six; here is who to watch.",
        hours=-1,
    ),
    item(
        "daily",
        "Stars prepare for the Lumen Awards red carpet in Marseille",
        "Actors and directors are getting ready for the red carpet at the 40th Lumen Awards in "
        "Marseille.",
        hours=-1,
    ),
]


@pytest.mark.parametrize("preview", PREVIEWS)
@pytest.mark.parametrize("preview_first", [True, False])
def test_a_ceremonys_preview_is_its_own_event(preview: Item, preview_first: bool) -> None:
    pair = (preview, CARPET) if preview_first else (CARPET, preview)
    assert ingest(StoryIndex(ceremonies=False), *pair)[1].story_id == 1  # the model's join
    assert ingest(StoryIndex(), *pair)[1].story_id is None


# The night's opening told by a broadcaster before another outlet's red-carpet report: its
# headline names the ceremony in no word of one, so the red carpet's report starts its own story
# (the model gives them under its threshold); a later report fits both alike.
OPENING = item(
    "tv",
    "Claire Duval opens Lumen night with a song",
    "Claire Duval opened the 40th Lumen night in Marseille with a song about French television.",
    hours=-0.5,
)
BOTH = item(
    "paper",
    "Lumen Awards: red carpet stars watch Claire Duval open the night with a song",
    "Stars who walked the red carpet in Marseille watched Claire Duval open the 40th Lumen "
    "Awards, France's television honours, with a song.",
    hours=2,
)


def test_two_stories_of_one_ceremony_fitting_alike_take_the_report() -> None:
    """A report fitting two stories of one ceremony alike (the margin's "unsure") joins them:
    both are fragments of the one night, not two events to choose between."""
    assert ingest(StoryIndex(ceremonies=False), OPENING, CARPET, BOTH)[2].story_id is None
    decisions = ingest(StoryIndex(), OPENING, CARPET, BOTH)
    assert decisions[1].story_id is None  # the red carpet's story
    assert decisions[2].story_id is not None


def test_a_report_fitting_two_stories_of_one_ceremony_folds_them() -> None:
    """Two stories of one ceremony's night that both take a report at the model's threshold
    are fragments of that night: the report joins the older and the younger is folded into it
    (StoryDecision.merge), whatever their size; otherwise they stay two stories all night and
    split its later reports between them."""
    decisions = ingest(StoryIndex(), OPENING, CARPET, BOTH)
    assert (decisions[2].story_id, decisions[2].merge) == (1, (2,))


# "award", "host" and "speech" are everyday words: a contract awarded, a jury's damages, a
# president's speech or medal. Two reports sharing only the company's or the person's name are
# two events, whatever words of a ceremony they write; the rule waived the name veto for them
# (each pair joined at the threshold before the ceremony's name was asked for).
@pytest.mark.parametrize(
    ("first", "later"),
    [
        (
            item(
                "wire",
                "Pentagon awards Halvorsen Aero $2bn tanker contract",
                "The air force picked Halvorsen Aero to build 15 more refuelling tankers, the "
                "Pentagon said on Tuesday.",
            ),
            item(
                "paper",
                "Halvorsen Aero chief's speech to investors stresses safety",
                "Halvorsen Aero's chief executive told investors at a conference in New York that "
                "the company would slow production of its airliner.",
                hours=5,
            ),
        ),
        (
            item(
                "wire",
                "Jury awards Carla Brandvold $5m in defamation case",
                "A jury in Dallas awarded Carla Brandvold $5 million after finding a radio host "
                "defamed her.",
            ),
            item(
                "paper",
                "Brandvold hosts fundraiser for governor's race",
                "Carla Brandvold hosted a fundraiser in Austin on Friday evening for the "
                "Democratic candidate.",
                hours=6,
            ),
        ),
        (
            item(
                "wire",
                "Okafor speech: president vows to press on with pension reform",
                "President Chidi Okafor said in a televised speech that the pension reform would "
                "go ahead despite the strikes.",
            ),
            item(
                "paper",
                "Okafor awards Order of Merit to firefighters",
                "Chidi Okafor gave the Order of Merit to 12 firefighters who fought the blazes in "
                "the north last month.",
                hours=3,
            ),
        ),
        (
            item(
                "wire",
                "Streamly wins 10 Lumen awards",
                "Streamly led the Lumen Awards in Marseille with 10 wins.",
            ),
            item(
                "paper",
                "Streamly subscriber growth slows; host of analysts cut targets",
                "Streamly added fewer subscribers than expected in the quarter.",
                hours=8,
            ),
        ),
    ],
)
def test_a_shared_name_that_is_no_ceremonys_stays_apart(first: Item, later: Item) -> None:
    assert ingest(StoryIndex(), first, later)[1].story_id is None


@pytest.mark.parametrize(
    ("title", "named"),
    [
        ("Stars arrive on the red carpet at the Lumen Awards", {"lumen"}),
        ("Lumen Awards 2026: all the winners", {"lumen"}),
        ("Kate Ostrova hits Lumen red carpet", {"lumen"}),
        ("Glamour at the Meridian Gala", {"meridian"}),
        ("Red Carpet Photos From The Lumen Awards", {"lumen"}),  # title case: the end tells
        ("Pentagon awards Halvorsen Aero $2bn tanker contract", set()),  # a verb
        ("Pentagon Awards Halvorsen Aero $2B Tanker Contract", set()),
        ("Okafor awards Order of Merit to firefighters", set()),
        ("Halvorsen Aero wins award for safest jet", set()),
    ],
)
def test_a_headline_writes_a_ceremonys_name(title: str, named: set[str]) -> None:
    assert features(title, "").ceremony == {term_id(root(name)) for name in named}


def test_a_stored_ceremonys_name_outlives_the_index_compacting() -> None:
    """The names a stored headline writes as a ceremony's are kept per slot; when most slots
    are pruned the index is rebuilt (story_slots._compact) and they move with their slot."""
    index = StoryIndex()
    old = [
        item(f"old{n}", f"Council {n} approves budget for road repairs", "", hours=-40)
        for n in range(1100)
    ]
    ingest(index, *old)
    index.add(CARPET, 5000)
    index.prune(CARPET.published - timedelta(hours=1))
    assert len(index) == 1
    assert index.decide(WINNER).story_id == 5000


# Reports of the night whose headline names the ceremony (by the name the red carpet's report
# writes as a ceremony's, "the Lumen Awards") in no word of a ceremony: a guest's tribute, a
# host's joke, viewers' reactions.
NIGHT = [
    item(
        "daily",
        "Lumens 2026: Odile Verhaegen remembers late director Paul Marchetti",
        "Odile Verhaegen paid tribute to the director Paul Marchetti, who died in May, as she "
        "took the stage in Marseille.",
        hours=3,
    ),
    item(
        "tv",
        "Viewers mock Bastien Roux's velvet suit at the Lumens",
        "Social media users compared the actor's green velvet suit to a sofa.",
        hours=4,
    ),
]


# ... or by the prize, the ceremony's name in the singular right after a verb of winning or
# giving it (h-realday5, session 16: "dedicates Emmy to late father" stood alone on the real day).
NIGHT.append(
    item(
        "tv2",
        "Odile Verhaegen gets emotional and dedicates Lumen to late mother",
        "The actress was in tears on stage in Marseille as she thanked her mother, who died "
        "in March.",
        hours=4,
    )
)


@pytest.mark.parametrize("later", NIGHT)
def test_a_report_naming_the_ceremony_in_other_words_joins_its_night(later: Item) -> None:
    assert ingest(StoryIndex(ceremonies=False), CARPET, later)[1].story_id is None
    assert ingest(StoryIndex(), CARPET, later)[1].story_id == 1


def test_a_report_the_day_after_not_naming_the_ceremony_stays_apart() -> None:
    """The next afternoon, past CEREMONY_HOURS, an explainer of the winning series whose
    headline does not name the ceremony (its lead does) is no part of the night (h-realday5,
    session 16: on the real day such an explainer joined the night's story at p 0.751)."""
    explainer = item(
        "tabloid",
        "Les Quais: who are the stars, where is it filmed and how can you watch?",
        "Les Quais was the big winner at the 40th Lumen Awards on Saturday night, taking best "
        "series and prizes for its stars.",
        hours=14,
    )
    assert ingest(StoryIndex(), CARPET, WON, explainer)[2].story_id is None


def test_a_report_naming_the_ceremony_the_next_day_stays_apart() -> None:
    late = item(
        "daily",
        "Odile Verhaegen remembers Paul Marchetti a day after the Lumens",
        "The actress spoke again of the late director on a radio show on Sunday.",
        hours=20,
    )
    assert ingest(StoryIndex(), CARPET, late)[1].story_id is None


# A preview posted as the night begins, in words of aim or odds ("eyes", "tipped"), not of a
# preview's own ("what to expect"): the model joins it to the night's story, whose winner it
# names. The labels make previews their own events.
WON = item(
    "wire2",
    "Les Quais wins best series at the Lumen Awards",
    "Streamly's drama Les Quais won best series at the 40th Lumen Awards in Marseille on Saturday "
    "evening.",
    hours=2,
)


@pytest.mark.parametrize(
    "title",
    [
        "Streamly eyes Lumen glory with Les Quais",
        "Les Quais tipped to win best series at the Lumens",
    ],
)
def test_a_preview_in_words_of_aim_or_odds_is_its_own_event(title: str) -> None:
    preview = item(
        "daily",
        title,
        "Streamly's drama Les Quais is up for best series at the 40th Lumen Awards in Marseille "
        "on Saturday evening.",
        hours=2.5,
    )
    assert ingest(StoryIndex(ceremonies=False), CARPET, WON, preview)[2].story_id is not None
    assert ingest(StoryIndex(), CARPET, WON, preview)[2].story_id is None


@pytest.mark.parametrize(
    ("title", "named"),
    [
        ("Odile Verhaegen dedicates Lumen to late mother", {"Lumen"}),
        ("Kaya Brandt wins her first Lumen", {"Lumen"}),
        ("Orla Brennan wins Lumen Technologies contract", set()),  # a longer name goes on
        ("Lumen Technologies wins contract", set()),
        ("Kiwi tourist dies after balcony fall in Bali", set()),
        ("Odile Verhaegen wins Lumen for best actress", {"Lumen"}),
        # the name qualifies a noun: a contract, a seat, a grant is no prize of the night
        ("Dassault wins Lumen contract for satellite links", set()),
        ("Labour win Tony seat in by-election upset", set()),
        ("Marseille student wins Lumen scholarship to study in Canada", set()),
        # a life's past prize (h-review, session 16)
        ("Actor Henri Dufresne, who won Lumen in 1987, dies at 91", set()),
    ],
)
def test_a_headline_names_a_prize(title: str, named: set[str]) -> None:
    assert features(title, "").plurals == {term_id(root(word.lower())) for word in named}


@pytest.mark.parametrize(
    "later",
    [
        item(
            "biz",
            "Dassault wins Lumen contract for satellite links",
            "The French group will supply ground stations to the satellite operator.",
            hours=2,
        ),
        item(
            "obit",
            "Actor Henri Dufresne, who won Lumen in 1987, dies at 91",
            "The actor died at his home in Lyon on Saturday, his family said.",
            hours=2,
        ),
    ],
)
def test_a_prize_name_of_another_thing_stays_out_of_the_night(later: Item) -> None:
    """h-review, session 16: both joined the night at the threshold through prize_names."""
    assert ingest(StoryIndex(), CARPET, later)[1].story_id is None


# A ceremony's name is often a person's first name, a firm's or a demonym's ("the Lumen
# Awards" / "Lumen Technologies", "the Orla Awards" / "Orla Brennan", "the Kiwi Awards" / "a
# Kiwi tourist"). A report of the night names the ceremony in no word of one by its plural
# ("at the Lumens", "Lumens 2026:"); the same word in the singular, within a longer name or
# before a noun, is another happening's (h-review, session 15: each joined the night before).
@pytest.mark.parametrize(
    ("night", "other"),
    [
        (
            CARPET,
            item(
                "paper",
                "Lumen Technologies shares slump on profit warning",
                "Shares in the telecoms group Lumen Technologies fell 12 percent after it cut its "
                "forecast for the year.",
                hours=3,
            ),
        ),
        (
            item(
                "wire",
                "Stars arrive on the red carpet at the Orla Awards",
                "Singers and bands walked the red carpet in Cork on Saturday evening before the "
                "Orla Awards, Ireland's music honours.",
            ),
            item(
                "paper",
                "Orla Brennan quits as finance minister over leaked memo",
                "Orla Brennan resigned as Ireland's finance minister on Saturday after a memo on "
                "tax rises was leaked to a newspaper.",
                hours=2,
            ),
        ),
        (
            item(
                "wire",
                "Musicians arrive on the red carpet at the Kiwi Awards",
                "Bands walked the red carpet in Auckland on Friday evening before the Kiwi Awards, "
                "New Zealand's music honours.",
            ),
            item(
                "paper",
                "Kiwi tourist dies after balcony fall in Bali",
                "A 24-year-old New Zealand man died after falling from a hotel balcony in Kuta, "
                "police in Bali said.",
                hours=4,
            ),
        ),
    ],
)
def test_a_ceremonys_name_in_the_singular_names_another_happening(
    night: Item, other: Item
) -> None:
    assert ingest(StoryIndex(), night, other)[1].story_id is None


AURORA = item(
    "wire3",
    "Aurora Music Awards: Kaya Brandt wins album of the year",
    "Singer Kaya Brandt won album of the year at the Aurora Music Awards in Lyon on Saturday "
    "night.",
    hours=1,
)


def test_a_report_naming_two_ceremonies_folds_neither_into_the_other() -> None:
    """Two ceremonies the same night are two events: a report naming both (a host booked for
    the other, a round-up of both winners' lists) takes both stories at the threshold, each
    sharing another name with it; they are no fragments of one night (h-review: folded)."""
    both = item(
        "paper",
        "Lumen Awards host Marc Albi to host Aurora Awards next year",
        "Comedian Marc Albi, who hosted the Lumen Awards in Marseille on Saturday, will host the "
        "Aurora Music Awards in Lyon next year.",
        hours=4,
    )
    assert ingest(StoryIndex(), CARPET, AURORA, both)[2].merge == ()


# Words of aim or odds in their other senses ("eye-catching", "tears in their eyes", "tipped
# off", "as critics predicted") in a report that tells the night in its words: no preview
# (h-review: each stood apart from the night's story, which the model joins them to).
@pytest.mark.parametrize(
    "title",
    [
        "The most eye-catching looks from the Lumen Awards red carpet",
        "Odile Verhaegen's Lumen Awards speech leaves viewers with tears in their eyes",
        "Lumen winner Les Quais swept the night as critics predicted",
    ],
)
def test_a_word_of_aim_in_another_sense_is_no_preview(title: str) -> None:
    later = item(
        "paper",
        title,
        "Streamly's drama Les Quais won best series and Odile Verhaegen best actress at the 40th "
        "Lumen Awards in Marseille on Saturday evening, on a red carpet of velvet and sequins.",
        hours=3,
    )
    assert ingest(StoryIndex(), CARPET, WON, later)[2].story_id == 1


# Leftovers of session 15's review (h-leftovers, session 16), each wrong on main 361269c.
BRIT_CARPET = item(
    "wire",
    "Pop stars dazzle on the red carpet at the Brit Awards",
    "Singers walked the red carpet at the O2 Arena in London on Tuesday evening before the Brit "
    "Awards, the British music industry's honours.",
)


def test_a_peoples_plural_names_the_ceremony_only_as_the_ceremonys() -> None:
    """"Brits" is a people's plural as often as the Brit Awards' name: "the Brits" is the night,
    "Brits warned ..." its own news (happenings.plural_names)."""
    people = item(
        "paper",
        "Brits warned over Spanish heatwave as temperatures hit 44C",
        "The Foreign Office told British holidaymakers in Spain to stay out of the sun.",
        hours=3,
    )
    night = item(
        "paper",
        "Mara Quinn sweeps the Brits with three prizes",
        "The singer Mara Quinn won album, song and artist of the year in London on Tuesday night.",
        hours=3,
    )
    assert ingest(StoryIndex(), BRIT_CARPET, people)[1].story_id is None
    assert ingest(StoryIndex(), BRIT_CARPET, night)[1].story_id == 1


MONOLOGUE = item(
    "tv",
    "Lumen Awards host Marc Albi mocks ministers in opening monologue",
    "Marc Albi opened the 40th Lumen Awards in Marseille with jokes about the government.",
    hours=1,
)


@pytest.mark.parametrize(
    "later",
    [
        item(
            "paper",
            "Lumen Awards host Marc Albi accused of harassment",
            "Two former assistants have accused the presenter Marc Albi, who hosted the Lumen "
            "Awards on Saturday, of harassment.",
            hours=4,
        ),
        item(
            "paper",
            "Lumen Awards host Marc Albi signs new talk show deal",
            "The presenter Marc Albi, who hosts the Lumen Awards, has signed a three-year deal "
            "for a late-night talk show.",
            hours=5,
        ),
        item(
            "paper",
            "Composer Henri Valette, five-time Lumens winner, dies at 81",
            "Henri Valette, whose scores won five Lumen Awards, died at his home in Lyon on "
            "Saturday, his family said.",
            hours=3,
        ),
        item(
            "paper",
            "Lumens to add a comedy category next year",
            "The academy behind the Lumen Awards said it would add a prize for comedy series.",
            hours=4,
        ),
    ],
)
def test_a_guests_or_the_organisers_own_news_is_not_the_night(later: Item) -> None:
    """The ceremony's name or a role at it in a headline telling a death, a charge, a deal or
    what is to come (happenings.own_news) is no report of the night: the rules do
    not join it (each joined at the rule's 0.75 before); the host's monologue still does."""
    assert ingest(StoryIndex(), CARPET, MONOLOGUE)[1].story_id == 1
    assert ingest(StoryIndex(), CARPET, later)[1].story_id is None
    # a prize given tells the night, whatever death it recalls (the real day's Emmys report)
    dedicated = item(
        "paper",
        "Odile Verhaegen dedicates Lumen to late father who passed away in March",
        "Odile Verhaegen, named best actress for Les Quais, dedicated the prize to her father.",
        hours=3,
    )
    assert ingest(StoryIndex(), CARPET, dedicated)[1].story_id == 1


def test_an_outcome_as_expected_is_no_preview() -> None:
    """"As expected" measures an outcome: no preview's "expect" (happenings.previews_read)."""
    expected = item(
        "paper",
        "Les Quais wins best series at the Lumen Awards, as expected",
        "The drama Les Quais won best series at the 40th Lumen Awards in Marseille on Saturday "
        "night.",
        hours=3,
    )
    assert ingest(StoryIndex(), CARPET, expected)[1].story_id == 1


@pytest.mark.parametrize(
    "preview",
    [
        item(
            "daily",
            "Lumen Awards 2026 predictions: who will take the top prizes",
            "Our critics pick the likely winners of the 40th Lumen Awards in Marseille tonight.",
            hours=-2,
        ),
        item(
            "daily",
            "Who will win at the Lumen Awards tonight?",
            "Les Quais leads the nominations for the 40th Lumen Awards in Marseille.",
            hours=-1,
        ),
    ],
)
def test_predictions_and_a_win_to_come_are_a_preview(preview: Item) -> None:
    """Predictions and a win to come ("will win") preview the night: their own event."""
    assert ingest(StoryIndex(), preview, CARPET)[1].story_id is None


def test_two_ceremonies_whose_names_end_in_one_word_are_two() -> None:
    """"Lumen Music Awards" and "Aurora Music Awards" share "Music", not their night
    (happenings.ceremonies_apart: the name is the run of capitals before the ceremony's noun)."""
    carpet = item(
        "wire",
        "Stars arrive on the red carpet at the Lumen Music Awards",
        "Singers and rappers walked the red carpet on Saturday evening before the Lumen Music "
        "Awards.",
    )
    other = item(
        "paper",
        "Aurora Music Awards: all the winners",
        "The rapper Kofi Mensah won album of the year at the Aurora Music Awards on Saturday "
        "night.",
        hours=3,
    )
    own = item(
        "paper",
        "Lumen Music Awards: all the winners",
        "The singer Lea Morel won album of the year at the Lumen Music Awards on Saturday night.",
        hours=3,
    )
    assert ingest(StoryIndex(), carpet, other)[1].story_id is None
    assert ingest(StoryIndex(), carpet, own)[1].story_id == 1
@pytest.mark.parametrize(
    ("first", "later"),
    [
        (
            item(
                "wire",
                "Lumen Awards host Marc Albi accused of harassment by two former producers",
                "Two former producers on Marc Albi's talk show accused the presenter of "
                "harassment in interviews published on Monday; he is due to host the Lumen "
                "Awards in March.",
            ),
            item(
                "paper",
                "Marc Albi denies harassment claims by former producers",
                "The talk show presenter Marc Albi on Tuesday denied the harassment claims made "
                "by two former producers, and said he would sue.",
                hours=20,
            ),
        ),
        (
            item(
                "wire",
                "Lumen Awards cancelled after bomb threat at Marseille venue",
                "Organisers called off the Lumen Awards on Saturday evening after a bomb threat "
                "forced police to evacuate the Palais du Pharo in Marseille.",
            ),
            item(
                "paper",
                "Man charged over bomb threat that forced evacuation of Marseille's Palais du "
                "Pharo",
                "A 41-year-old man was charged on Sunday over the telephoned bomb threat that "
                "forced police to evacuate the Palais du Pharo on Saturday evening.",
                hours=16,
            ),
        ),
    ],
)
def test_the_next_day_of_a_story_the_ceremony_only_qualifies_joins_it(
    first: Item, later: Item
) -> None:
    """h-review, session 16: a first headline naming the ceremony beside news of its own (an
    accusation, a cancellation), and the next day's report of that news naming its person or
    place, not the ceremony: one story (split by _after_the_night on 2eb2adf, p 0.99 before)."""
    assert ingest(StoryIndex(), first, later)[1].story_id == 1
