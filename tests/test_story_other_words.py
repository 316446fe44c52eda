"""One event told by two outlets in other words ("goes bust" / "files for bankruptcy", "runs
aground" / "hits rocks", "abduct" / "kidnapped", "lifts off" / "blasts off", "GOP" /
"Republicans", "Dems" / "Democrats" / "Democratic", "female" / "woman", "slashes" / "cuts",
"offloads" / "sells", "Ex-" / "Former", "boss" / "chief": wordforms.py) joins; two events of one
kind on one day, told with the same kind word, stay apart, and so do a walkout and a court that
"strikes down" a fee, the White House and a company announcing one sum for one cause, and one
party's lawmakers walking out in two states. Every headline and lead here is invented."""

from __future__ import annotations

import pytest

from tests.test_stories import ingest, item
from watcher.model import Item
from watcher.stories import StoryIndex

GROUNDING = item(
    "wire",
    "Cargo ship runs aground off Gotland",
    "A Maltese-flagged cargo ship ran aground off the Swedish island of Gotland early on "
    "Tuesday, the coast guard said; its 18 crew were unhurt.",
)


@pytest.mark.parametrize(
    ("first", "second"),
    [
        (
            item(
                "wire",
                "Holiday firm Solevia files for bankruptcy",
                "Solevia, the Florence-based package holiday operator, filed for bankruptcy on "
                "Monday, the company said.",
            ),
            item(
                "paper",
                "Thousands of trips cancelled as Italian travel firm goes bust",
                "Tens of thousands of holidaymakers had trips cancelled after Solevia went bust "
                "on Monday.",
                hours=5,
            ),
        ),
        (
            GROUNDING,
            item(
                "paper",
                "Freighter hits rocks near Visby, crew safe",
                "A freighter carrying timber hit rocks near Visby on Gotland on Tuesday morning; "
                "the Swedish coast guard said all 18 sailors were safe.",
                hours=3,
            ),
        ),
        (
            item("wire", "Gunmen abduct 20 pupils in Katsina"),
            item("paper", "Twenty schoolchildren kidnapped in Katsina", hours=2),
        ),
        (
            item("wire", "Ariane 6 lifts off from Kourou"),
            item("paper", "Ariane 6 launch puts weather satellite in orbit", hours=2),
        ),
        (
            item(
                "left",
                "Senate Republicans block bill to lift the debt limit",
                "Republicans in the Senate on Thursday blocked a Democratic bill to suspend the "
                "federal debt limit until next year, raising the risk of a default.",
            ),
            item(
                "right",
                "Senate GOP blocks Dems' debt limit bill",
                "The GOP on Thursday stopped the Dems' bill to suspend the debt limit, demanding "
                "spending cuts first.",
                hours=4,
            ),
        ),
        (
            item(
                "left",
                "House Democrats pass bill to expand child care aid",
                "House Democrats on Wednesday passed a bill expanding federal child care "
                "subsidies by a vote of 220-211.",
            ),
            item(
                "right",
                "Dems ram through costly child care bill",
                "House Dems on Wednesday pushed through a child care subsidy bill, 220-211, over "
                "Republican objections.",
                hours=4,
            ),
        ),
        # "female" / "woman", "slashes" / "cuts", "offloads" / "sells" (h-words3, session 19)
        (
            item("wire", "Mexico's army promotes first woman general"),
            item("paper", "Mexican military gets first female general", hours=2),
        ),
        (
            item("wire", "Intel cuts 15,000 jobs"),
            item("paper", "Chipmaker Intel slashes workforce", hours=2),
        ),
        (
            item("wire", "Bayer sells animal health business"),
            item("paper", "Bayer offloads pet medicines arm", hours=2),
        ),
        # "ex-" / "former", "boss" / "chief"
        # (h-words4, session 20)
        (
            item("wire", "Former Corvane chief charged with fraud"),
            item("paper", "Ex-Corvane boss in court", hours=3),
        ),
        (
            item("wire", "Police arrest Corvane Insurance's former chief"),
            item("paper", "Corvane boss held", hours=3),
        ),
        (
            item(
                "left",
                "Congressional Democratic leaders scoff at GOP virus aid plan",
                "Congressional Democratic leaders on Monday dismissed the Senate Republican "
                "coronavirus relief proposal as far too small, saying it would never clear the "
                "House.",
            ),
            item(
                "wire",
                "Senate Republicans' $1 trillion aid plan rejected by Democrats",
                "Democrats in Congress on Monday rejected a $1 trillion aid plan put forward by "
                "Republicans in the Senate, saying it fell far short of what the House passed.",
                hours=2,
            ),
        ),
    ],
)
def test_one_event_told_in_other_words_joins(first: Item, second: Item) -> None:
    assert ingest(StoryIndex(), first, second)[1].story_id == 1


@pytest.mark.parametrize(
    ("first", "second"),
    [
        (
            item(
                "wire",
                "Stampede at Hindu temple in Andhra Pradesh kills six",
                "Six pilgrims died in a stampede at a temple in Andhra Pradesh's Srikakulam "
                "district on Saturday, police said.",
            ),
            item(
                "paper",
                "Crush at Lagos stadium concert kills eight",
                "Eight people died in a crush at a concert in Lagos on Saturday night, Nigerian "
                "police said.",
                hours=5,
            ),
        ),
        (
            item(
                "wire",
                "Danish airline Nordsky goes bust, flights grounded",
                "Danish budget airline Nordsky went bust on Monday and grounded all its flights, "
                "stranding passengers in Copenhagen.",
            ),
            item(
                "paper",
                "US retailer Harlow & Finch files for bankruptcy",
                "Harlow & Finch, the Ohio department store chain, filed for bankruptcy on "
                "Monday, blaming falling sales.",
                hours=4,
            ),
        ),
        (
            GROUNDING,
            item(
                "paper",
                "Ferry hits rocks off Greek island of Paros",
                "A ferry with 300 passengers hit rocks off Paros on Tuesday; the Greek coast "
                "guard said no one was hurt.",
                hours=3,
            ),
        ),
        (
            item(
                "wire",
                "SpaceX rocket lifts off from Florida with Starlink satellites",
                "A SpaceX Falcon 9 lifted off from Cape Canaveral on Tuesday carrying Starlink "
                "satellites.",
            ),
            item(
                "paper",
                "Chinese rocket blasts off from Jiuquan with crew of three",
                "China launched three astronauts to its Tiangong space station from Jiuquan on "
                "Tuesday.",
                hours=5,
            ),
        ),
        (
            item(
                "wire",
                "Dockworkers strike at Port of Oakland over automation",
                "Dockworkers at the Port of Oakland walked off the job on Monday over automated "
                "cranes, their union said.",
            ),
            item(
                "paper",
                "Judge strikes down Port of Oakland truck fee",
                "A judge on Monday struck down the Port of Oakland's new fee on idle trucks, "
                "siding with haulers.",
                hours=3,
            ),
        ),
        (
            item("wire", "Mexico's army promotes first woman general"),
            item("paper", "Chile's navy gets first female admiral", hours=2),
        ),
        (
            item("wire", "Carrefour slashes prices on 500 products"),
            item("paper", "Tesco cuts prices on hundreds of goods", hours=2),
        ),
        (
            item("wire", "Bayer offloads pet medicines arm"),
            item("paper", "Novartis sells generics unit", hours=2),
        ),
        (
            item(
                "wire",
                "White House announces $2 billion for rural broadband",
                "The White House on Monday announced $2 billion in grants to bring high-speed "
                "internet to rural towns.",
            ),
            item(
                "paper",
                "Verizon announces $2 billion for rural broadband",
                "Verizon said on Monday it would spend $2 billion over five years to bring "
                "high-speed internet to rural towns.",
                hours=3,
            ),
        ),
        (
            item("wire", "Former Corvane chief charged with fraud"),
            item("paper", "Ex-Halden boss in court", hours=3),
        ),
        (
            item(
                "wire",
                "Democratic lawmakers walk out of Texas House over voting bill",
                "Democratic members of the Texas House walked out of the chamber on Tuesday "
                "night, denying Republicans the quorum needed to pass a bill tightening voting "
                "rules.",
            ),
            item(
                "paper",
                "Georgia Democrats walk out of state Senate over new district map",
                "Democrats in Georgia's state Senate left the chamber on Tuesday in protest at a "
                "new congressional map they said splits Black neighborhoods in Atlanta's suburbs.",
                hours=3,
            ),
        ),
    ],
)
def test_two_events_of_one_kind_in_the_same_words_stay_apart(first: Item, second: Item) -> None:
    assert ingest(StoryIndex(), first, second)[1].story_id is None
