"""The held-out story cases (tests/data/story_cases.toml, issue 11), grouped in-process into a
fresh StoryIndex (cold, and warmed first) and a handful end to end through a loopback feed
server, `watcher poll-once` and `watcher stories --json`.

The cases were written before the model was run on them. Those the shipped model gets wrong
are listed in KNOWN_MISSES with what it weighed: strict expected failures, so a model that gets
one right fails the run until the list is updated and the list stays true. bench/eval_cases.py
prints the per-kind counts (bench/README.md).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.fakes.feed_server import FeedServer, rss
from tests.story_cases import KINDS, Case, Outlet, entry, explain, load, problems, rounds
from tests.story_cases import play as play_case
from watcher.model import Item
from watcher.normalize import canonical_url, link_key
from watcher.stories import StoryIndex

OUTLETS, CASES = load()
BY_ID = {case.id: case for case in CASES}

# Cases the shipped model gets wrong (bench/README.md, "Held-out cases"): case id -> why.
# Measured with the model shipped on 2026-12-05, the words folded by watcher/wordforms.py and
# back references to an earlier day (p: its probability for the right or wrong story; it joins
# at >= 0.75).
KNOWN_MISSES: dict[str, str] = {
    "da-strike-called-then-offer": "joined: a strike call and next day's offer, p=0.86",
    # Written from outside (h-outside, 2026-12-05), before the model was run on them:
    # Written from outside (h-cases, 2026-12-05), committed before the model was run on them:
    "gs-tennis-semi-then-final": "split: 'Home hero sees off Alcaraz' from 'Sinner beats "
    "Alcaraz to retain ATP Finals title', p=0.13 (the semi-final, 26.5 h before, no longer "
    "takes the final: StoryIndex.reach)",
    "gh-opposite-framing-border-vote-join": "split: 'Senate Republicans block border deal' / "
    "'Democrats' border bill fails in Senate', headlines alone, p=0.62",
    "gh-swiss-voters-switzerland-referendum-join": "split: 'Swiss' / 'Switzerland' taken as "
    "conflicting names on a headline-only pair, p=0",
    "gt-results-wire-and-paper-other-words": "split: 'Siemens' against 'German industrial "
    "giant', p=0.01",
    # Written by h-heads after its fix (headline heads), not blind:
    "qh-port-strike-and-other-port-walkout-under-heads": "joined: 'Kotka port crane operators "
    "walk out over pay' with 'Dockers' strike shuts Port of Szczecin', headlines alone, p=0.78 "
    "(as without the heads on main: two places, read as details; 'JUST'/'UPDATE' read as "
    "names kept them apart by chance)",
    # Written by h-chain (chains through a neighbour), committed before any change for them:
    "hc-flood-mayor-then-mayor-corruption-charge": "split: the mayor's evacuation order from "
    "the flood, p=0.65 (her corruption charge, 'unrelated to the floods', apart since "
    "story_signals._disowns; it joined at p=0.96)",
    "hc-quake-toll-through-rescue-report": "split: 'Strong earthquake strikes eastern Turkey' "
    "/ 'Rescuers dig through rubble in Erciş', p=0 (a name conflict, cos 0.07)",
    "hc-market-stabbing-suspect-then-charged": "split: the charge names only the suspect, "
    "p=0.01 (cos 0.24; 0.09 to the stabbing)",
    "hc-ferry-sinks-captain-detained-then-charged": "split: the charge names the captain and "
    "the ferry only, p=0 (a name conflict)",
    "hc-wildfire-evacuation-then-town-burnt": "split: 'La Palma' / 'Puntagorda', p=0 (a name "
    "conflict), and the homes lost p=0.07",
    # Written from outside (h-cases3, session 8), committed before the model was run on them:
    "xd-vienna-mayor-reelected-next-day": "split: other parties named (name conflict) 21 h "
    "later, p=0",
    "xd-airline-cancellations-two-causes": "joined: one airline's IT outage and next day's "
    "snowstorm cancellations, p=0.91",
    "xd-missing-climbers-found-next-day": "split: 'Pair found alive ...' 18 h later, p=0.045: "
    "a turn of the missing arc (arcs.py), under its floor 0.3",
    "xh-unilever-tea-sale-join": "split: 'CVC' / 'Lipton and PG Tips' (name conflict), p=0",
    "xh-starmer-winter-fuel-u-turn-join": "split: 'Starmer' / 'Labour' (name conflict), p=0",
    "xo-copenhagen-exchange-fire-spire-falls": "split: 'Fire engulfs Copenhagen's ... stock "
    "exchange' / 'spire crashes ... Danish landmark' 5 h later, p=0.55",
    # Written from outside (h-cases4, session 9), committed before the model was run on them:
    "zb-video-and-radio-one-coastal-storm": "split: 'Nor'easter batters Virginia coast' / "
    "'Norfolk streets under water as storm surge meets high tide', p=0.06 (cos 0.12)",
    "zd-treaty-vote-then-reactions": "split: 'Polish parliament votes to quit' / 'Rights groups "
    "condemn Warsaw's exit' 18 h later, p=0.28",
    "zd-odisha-two-derailments": "joined: a goods train and, 22.5 h later, a passenger train "
    "derailed in one state, p=0.87",
    "zh-brewer-deal-dutch-rival-join": "split: 'Heineken' / 'Dutch rival', headlines alone, "
    "p=0.58, no name conflict ('Dutch rival' describes: descriptions.py) but other words",
    "zh-texas-map-ruling-join": "split: 'Supreme Court strikes down Texas ... map' / 'Justices "
    "reject Texas redistricting plan', headlines alone, p=0.09",
    "zh-messi-contract-and-match": "joined: Messi's contract extension and that night's match, "
    "headlines alone naming Messi and Inter Miami, p=0.78",
    # Written from outside (h-cases5, session 10), committed before the model was run on them:
    "kb-wire-radio-and-paper-one-lake-rescue": "split: 'Fourteen' (opening headline and lead, "
    "taken for a name; 'England's largest lake' only describes) / 'Bowness' (name conflict), "
    "p=0; the paper's follow-up joins the wire's report, p=0.95 (with 'Fourteen' no name, p=0.73 "
    "and the three join, but then a capsizing on Lake Toba joins the wire's report too: "
    "yb-wire-describes-its-lake-and-boat-capsizes-on-another-lake, bench/README.md, h-boiler2)",
    "kd-two-ministers-resign-two-days": "joined: a second minister resigning over the same "
    "scandal 22 h later in the same words, p=1.0",
    "kd-two-opposition-leaders-jailed": "joined: a second opposition leader jailed 22 h later "
    "in the same words, p=1.0 (the 14 / 12 years number conflict outweighed)",
    "kv-missing-helicopter-search-wreck-inquiry": "split: the inquiry 70 h later (no turn, past "
    "the window) starts a story of its own; the search 30 h later joins ('that vanished on "
    "Monday', a back reference since textcues' relative clause) and the wreck with it",
    "kh-drugmaker-price-cut-other-words": "split: 'Novo Nordisk ... Wegovy' / 'Danish "
    "drugmaker ... weight-loss jab', headlines alone (cos 0.15), p=0: no name shared and one "
    "term (the last veto), no name conflict",
    "kh-election-result-party-and-president": "split: 'Pro-EU party' / 'Sandu's party' (name "
    "conflict, headlines alone), p=0",
    # Written from outside (h-cases6, session 11), committed (85fcb84, on main c727e83) before
    # the model was run on them; first score on main 9da7ed5's code, the same 15 after the
    # session (ca67fe6):
    "lb-radio-and-daily-one-river-flood": "split: 'Macleay River floods cut Pacific Highway at "
    "Kempsey' / 'Hundreds told to flee as floodwaters swamp NSW north coast town' (name "
    "conflict, cos 0.23: vetoed), p=0",
    "lb-markets-disclaimer-and-daily-one-takeover": "split: 'Fjordlaks ... Marufuku takeover "
    "bid' / 'Japanese conglomerate swoops on Norway fish farm' (name conflict, cos 0.14), p=0",
    "lb-video-and-paper-one-highway-landslide": "split: 'Landslide blocks Karakoram Highway "
    "... Hunza' / 'Army helicopters fly out tourists trapped by rockfall in northern "
    "Pakistan', other words (cos 0.26), p=0.43",
    "ld-hotel-siege-then-ended": "split: 'Gunmen storm Mogadishu hotel' / 'Somali troops "
    "retake seafront hotel' 21 h later, other words (cos 0.21), p=0.02",
    "ld-lake-boat-capsize-then-owner-arrested": "split: the owner's arrest and risen toll 22 h "
    "later (cos 0.22), p=0.23",
    "ld-mine-spill-then-city-taps-dry": "split: 'Acid spill ... poisons Zambian river' / "
    "'Kitwe taps run dry' 23 h later (name conflict, cos 0.11), p=0",
    "lm-aid-workers-kidnapped-ransom-freed": "split: the ransom video 32 h after the "
    "kidnapping, past the story's reach (no turn), never weighed (the release 60 h after joins "
    "as the kidnap arc's turn: stories.HOLD)",
    "lm-port-strike-three-reports": "split in three: the coffee futures 28 h later (name "
    "conflict, cos 0.24), p=0 (the strike's end 74 h after it began joins as the strike arc's "
    "turn: stories.HOLD)",
    "ls-metro-crash-twice-and-fare-rise": "joined: the metro fare rise with the crash ('Mexico "
    "City metro' in both headlines, cos 0.31), p=0.81; split: the crash retold as 'subway "
    "smash under Mexican capital' (cos 0.15), p=0.05 (a name conflict, p=0, before the "
    "session's descriptions)",
    "ls-airline-runway-excursion-twice-and-pilot-strike": "split: the accident retold without "
    "the airline's name (cos 0.25), p=0.43 (the pilots' strike vote, p=0.93 with its runway "
    "accident before, apart since story_signals._aside_apart: 'on the day one of its jets "
    "left the runway at Cusco' tells another happening)",
    "ls-prime-minister-wildfire-aid-and-confidence-vote-twice": "split: 'Portuguese prime "
    "minister survives no-confidence vote' / 'Lisbon government clings on as opposition "
    "abstains' (cos 0.15), p=0.23",
    "lh-bridge-credit-president-ousted-join": "split: '[Ironbridge Wire] Peru's Congress votes "
    "to remove President Salcedo' / 'Lawmakers oust Peruvian leader ...', headlines alone "
    "(cos 0.26), p=0.45; p=0.23 while the leading '[Outlet] ' credit was not learned (h-credit)",
    "lh-opposite-framing-assisted-dying-vote-join": "split: 'Canada's Senate passes bill "
    "widening ... assisted dying' / 'Senators ram through expansion of assisted dying ...', "
    "headlines alone (name conflict, cos 0.28), p=0",
    # Written from outside (h-cases7, session 12), committed (001c348; 28f81ff on main, rebased)
    # before the model was run on them; first score on main 2f601c1's code 10/30, after the
    # session's changes (main abf3458) 11/30, cold = warm:
    "mb-podcast-lead-radio-and-daily-one-ferry-grounding": "split: 'Ferry runs aground off Mull' "
    "/ 'Islanders cut off after lifeline vessel hits rocks in the Hebrides', other words (cos "
    "0.09; the podcast line, sign-off and footer were left out), p=0.02",
    "mb-radio-and-video-one-dam-spill-flood": "split: 'VRA spillage: Mepe and Battor submerged "
    "as Akosombo releases more water' / 'Thousands flee as Ghana opens dam floodgates' (name "
    "conflict, cos 0.21: vetoed; raw p=0.26; with every name conflict lifted p=0.37, other "
    "words: Akosombo is in no gazetteer)",
    "mb-radio-bulletins-helicopter-ditching-twice-and-manager-sacked": "split: 'Helicopter "
    "ditches in the North Sea' / 'Operator grounds Super Puma fleet after offshore emergency "
    "landing', one station's own reports (OWN_FEED) in other words (name conflict, cos 0.09: "
    "vetoed; raw p=0.01; with every name conflict lifted p=0)",
    "md-glacier-collapse-then-debris-lake": "split: 'Glacier collapse buries Swiss Alpine "
    "village' / 'Swiss army races to drain lake ... behind avalanche debris' 20 h later ('a day "
    "earlier' read as a back reference), other words (cos 0.14), p=0.07",
    "md-stadium-crush-then-mourning-declared": "split: 'Crush at Conakry stadium' / 'Guinea "
    "declares ... mourning after football stampede' 21 h later, other words (cos 0.18), p=0.015",
    "md-airline-collapse-then-passengers-stranded": "split: 'SkyDanube files for bankruptcy' / "
    "'... Hungarian budget carrier goes bust' 19 h later, the airline in the lead only (cos "
    "0.12), p=0.005",
    "mm-tanker-grounding-slick-then-refloated": "split in three: the slick 32 h later past the "
    "24 h reach (no back reference), never weighed; the refloating 56 h later past the 36 h "
    "window for the first, and against the slick's story a name conflict (cos 0.11), p=0 "
    "(0.002 with every name conflict lifted)",
    "mm-teachers-strike-march-then-deal": "split: the march 30 h later (back reference), "
    "p=0.56 (cos 0.30); the deal 75 h after the strike began joins the strike as its turn "
    "(stories.HOLD)",
    "mm-wildfire-toll-then-firefighter-arrested": "split: the arrest 56 h after the fire, past "
    "the 36 h window, never weighed (the toll 28 h later joins by the same happening, raw "
    "p=0.04 lifted to 0.75)",
    "ms-lagos-tower-collapse-twice-and-okada-ban": "split: 'Tower ... collapses in Lagos' / "
    "'Rescuers dig for survivors after Nigerian high-rise crumbles' ('Nigeria's commercial "
    "capital' for Lagos), other words (cos 0.14), p=0.07: no name conflict since h-veto's "
    "country grain (Nigerian / Lagos placed in Nigeria)",
    "mh-colon-credit-and-daily-one-moon-launch": "split: 'ISRO's Chandrayaan-4 lifts off from "
    "Sriharikota' / 'Indian rocket blasts off on mission to bring back moon rock', headlines "
    "alone sharing no term (cos 0), p=0",
    "mh-pipe-credit-and-dash-credit-one-cyclone": "split: 'Cyclone Varsha makes landfall near "
    "Puri, Odisha' / 'Storm slams into India's east coast', headlines alone sharing no term "
    "(cos 0: never weighed; 'India' is no word of the other, which Odisha places in India)",
    "mh-opposite-framing-farm-inheritance-tax-vote": "split: 'MPs vote to narrow inheritance "
    "tax relief for farms' / 'Labour forces through death tax raid on family farmers', "
    "headlines alone (subjects 'MPs' / 'Labour' apart, cos 0.15), p=0; p=0 with every name "
    "conflict lifted: other words",
    "mh-quake-near-capital-twice-and-currency-low": "split: 'Magnitude 5.9 quake rattles "
    "Tehran' / '[The Bastion] Deadly earthquake strikes near Iranian capital', headlines alone "
    "(cos 0.29), p=0.44 (0.36 before the leading credit was learned; the rial's record low "
    "rightly apart)",
    # Written from outside (h-cases8, session 13), committed (65f7380) before the model was run
    # on them; first score on main 2202ffe's code 17/30, cold = warm:
    "nd-interstellar-comet-found-then-named": "split: the comet named 4I/Rubin 26.5 h after its "
    "discovery was reported, past the 24 h reach (no back reference), never weighed",
    "nm-volcano-erupts-flights-cancelled-then-stranded-third-day": "split: the Bali flights "
    "cancelled 27.5 h after the eruption ('which erupted on Wednesday', a back reference), "
    "vetoed: a name conflict (Bali / Lewotobi) on a weak pair (cos 0.25), p=0; the stranded "
    "holidaymakers join the flights, p=0.87",
    "nm-air-traffic-strike-begins-spreads-then-ends": "split: the strike's end 60.5 h after it "
    "began, past the 36 h window, never weighed: the first headline's 'flights cancelled' tells "
    "the strike arc's turn already (arcs.py), so no turn is held for (Ryanair's cancellations "
    "29.5 h later join, "
    "'second day' a back reference, p=0.99)",
    "nm-climbers-missing-search-grounded-then-bodies-found": "split: the search grounded 31 h "
    "later, past the reach (no back reference, no turn), never weighed (the bodies found 69 h "
    "later join the first report as the missing arc's turn: stories.HOLD)",
    "ns-danube-record-low-and-cruise-boat-collision": "joined: 'Danube falls to record low in "
    "Budapest, stranding cargo ships' / 'Cruise boat collides with barge on the Danube in "
    "Budapest' (Danube, Budapest, cargo in both; cos 0.36), p=0.80",
    "nh-coup-attempt-three-headlines": "split: 'BREAKING: Gunfire heard near presidential palace "
    "in Bissau' / '... foiled coup attempt', headlines alone in other words (cos 0.17), p=0.11; "
    "'... failed putsch in Guinea-Bissau' joins the foiled attempt, p=0.975, since the dash "
    "aggregator's leading 'Baobab Times — ' is left out (h-credit2; p=0.50 with it)",
    "nh-train-crash-twice-and-confidence-vote": "split: 'Passenger train collides with freight "
    "train in eastern Slovakia' / 'Keystone Daily — Four killed as trains crash near Košice', "
    "headlines alone (name conflict, a city / its country, cos 0.19: vetoed, with or without "
    "the dash credit), p=0 (the confidence vote rightly apart)",
    "nh-student-cap-law-two-framings": "split: 'Australian Senate passes bill capping "
    "international student numbers' / 'Keystone Daily — Canberra slams the door on foreign "
    "students ...', headlines alone, other words (cos 0.35), p=0.67 with the dash aggregator's "
    "leading credit left out (h-credit2; p=0.54 with it)",
    "nh-island-wildfire-twice-and-ferry-strike": "split: 'Wildfire on Greek island of Chios "
    "forces evacuation ...' / 'Greece sends water-bombing planes as Chios fire spreads', "
    "headlines alone (cos 0.29; 'spreads' tells no aftermath), p=0.32 (the ferry strike rightly "
    "apart)",
    # Written from outside (h-cases9, session 14), committed (037188d) before the model was run
    # on them; first score on main 2bcf7b9's code 18/30, cold = warm = end to end:
    "pb-business-letter-airline-merger-twice-and-earnings": "split: 'Deals | Daugava Air and "
    "Saaremaa Airways agree all-share merger' / 'Riga to host head office as Latvian and "
    "Estonian airlines join forces': the airlines' names against Riga / Latvian (a name "
    "conflict, cos 0.25), p=0; 0.49 with it lifted (other words)",
    "pd-conglomerate-chairman-jailed-then-shares-slide": "split: 'Court sentences Daeil Group "
    "chairman Kang to 5 years ...' / 'Markets | Daeil shares slide after chairman jailed' 21.2 "
    "h later (cos 0.39), p=0.62, under the bar",
    "pd-sprinter-suspended-then-denies-doping": "split: 'Olympic 200m champion Okonjo "
    "provisionally suspended ...' / \"'I have never cheated' — Okonjo blames contaminated "
    "meat\" 21.5 h later, other words (cos 0.27), p=0.12",
    "pd-bosporus-closed-then-reopened": "split: 'Istanbul strait reopens after stricken tanker "
    "is towed away' 31.5 h after the closure, past the 24 h reach (no back reference), never "
    "weighed",
    "ph-airline-sale-halted-two-framings": "split: 'Kenyan court halts government sale of Kenya "
    "Airways stake #Kenya #Business' / \"Judge blocks Nairobi's plan to privatise national "
    "carrier\", headlines alone sharing no term, never weighed",
    "ph-rugby-upset-three-headlines": "split: 'All Blacks stunned by Irish in Aviva thriller "
    "#Rugby' / 'JUST IN: Ireland beat New Zealand 24-19 in Dublin', headlines alone in other "
    "words (a name conflict, cos 0.22), p=0; 0.13 with it lifted (the 'RUGBY-' head joins the "
    "alert, p=0.997, since h-heads took the heads off; a name conflict through the heads, p=0, "
    "at the first run)",
    # Written from outside (h-cases10, session 15), committed (734e534) before the model was run
    # on them; first score on main ddd1a42's code 15/30, cold = warm:
    "tb-related-lists-daily-and-wire-niamey-fuel-twice-and-dakar-flood": "split: 'Fuel queues "
    "stretch for kilometres in Niamey as pipeline halt bites' / \"Niger's capital runs short of "
    "petrol after attack shuts refinery pipeline\" 4.5 h later, other words (cos 0.25), p=0.39 "
    "(the Dakar flood, whose related list names the Niamey headline, rightly apart)",
    "tb-radio-footer-and-video-credit-one-whale-stranding": "split: 'Dozens of pilot whales "
    "stranded on Farewell Spit' / 'Volunteers race to refloat stranded whales in New Zealand' "
    "14.5 h later: a name conflict (Farewell Spit, Puponga / New Zealand, Golden Bay; cos 0.39), "
    "p=0; 0.91 with _names_apart lifted (h-namings2's waiver for a spot no table knows joined it, "
    "and joined two events of one kind in two countries too: taken out, session 16 review)",
    "is-unknown-shoal-and-country-one-grounding": "split: a ship aground on a shoal no table "
    "knows / the same grounding 'off Ireland': a name conflict, the spot may lie in any country "
    "(h-namings2's waiver, which joined it, taken out in the session 16 review)",
    "td-ex-minister-arrested-then-charged-denied-bail": "split: 'ACC arrests former agriculture "
    "minister Kalaba over fertiliser tenders' / 'Zambian ex-minister charged with graft, denied "
    "bail' 21.5 h later (cos 0.25), p=0.18",
    "td-heat-record-then-deaths-and-central-bank-cut": "split: \"Marrakech hits 49.2C, Morocco's "
    "highest June temperature on record\" / \"Heatwave kills 21 in Morocco's Beni Mellal region\" "
    "21 h later: a name conflict (Marrakech / Beni Mellal, cos 0.19), p=0; 0.15 with "
    "_names_apart lifted, other words (the rate cut rightly apart)",
    "td-opposite-leaning-iowa-plant-raid-night-then-morning": "split: 'Families torn apart as "
    "immigration agents raid Iowa meat plant' / 'Feds bust illegal hiring at Iowa pork "
    "processor, 160 arrested' 14.7 h later, opposite leaning in other words (cos 0.18), p=0.01",
    "td-riga-night-fire-then-arson-suspect-26-hours": "split: 'Latvian police treat deadly Riga "
    "blaze as arson, detain neighbour' 26.2 h after the fire, past the 24 h reach (no back "
    "reference), never weighed; p=0.11 with a 5-day reach",
    "tm-trawler-missing-search-widened-then-wreckage-found": "split: the search widened 28.5 h "
    "after the boat went missing, past the reach, never weighed (p=0.78 with a 5-day reach); the "
    "wreckage found 63 h later, past the 36 h window, never weighed (p=0.00 with a 5-day reach: "
    "'Mar de Fora' / 'Azores', other words)",
    "tm-ex-mayor-trial-opens-sentence-sought-then-verdict": "split: the sentence sought 53.5 h "
    "and the verdict 98.5 h after the trial opened, past the reach and the window, never weighed "
    "(p<=0.01 with a 5-day reach)",
    "tm-trainee-doctors-strike-begins-third-day-then-ends": "split: the strike's end 83 h after "
    "it began, past the window, never weighed (p=0.00 with a 5-day reach); its third day, 53 h "
    "later, joins the first report (the strike arc's hold, p=0.75)",
    "ts-rhine-low-water-and-basel-spill-twice": "split: 'Chemical spill at Basel plant turns "
    "Rhine red, water intakes shut' / 'Swiss chemical leak into Rhine prompts alert in Germany "
    "and France' 4 h later: a name conflict (Basel / Swiss, Germany, France; cos 0.29), p=0; "
    "0.73 with _names_apart lifted (the low water at Kaub rightly apart)",
    "th-mongolian-pm-ousted-three-headlines": "split: 'Mongolian lawmakers topple government "
    "over coal scandal - Steppe Observer', a headline alone in other words (cos 0.22), p=0.12 "
    "('BREAKING — Mongolian PM loses confidence vote' and the 'UPDATE 2-' head join, p=0.95)",
    "th-execution-two-framings": "split: 'Texas executes man convicted of killing two store "
    "clerks in 1998' / 'Texas puts Roberto Salinas to death despite DNA doubts - The Public "
    "Square', headlines alone in other words (cos 0.15), vetoed (story_model.vetoed), p=0; 0.10 "
    "unvetoed",
    "to-opposite-leaning-sweden-age-of-criminal-responsibility": "split: 'Sweden gets tough on "
    "gangs: children as young as 13 can now be prosecuted' / 'Sweden votes to send 13-year-olds "
    "to prison, defying child rights experts' 4.7 h later, opposite leaning in other words (cos "
    "0.36), p=0.74, just under the bar",
    # Written by h-realday4 (session 15) with its ceremony fixes, run after them; the two
    # others pass (both missed on main ddd1a42):
    "yd-awards-winner-the-next-day-apart": "joined: 'Orion Awards: Tiago Mendes named best "
    "actor for Salt Roads' / 'A day after the Orions, Tiago Mendes signs for Hollywood "
    "thriller' 21 h later, p=0.98 (the model, also on main: 'a day after' tells of the earlier "
    "day's happening, the names agree; the ceremony rules take no part past CEREMONY_HOURS)",
    # Written by h-dayapart2 (session 15) after its weekday cue, not blind:
    "wd-union-calls-strike-then-offer-names-mondays-call": "joined: a strike call and next day's "
    "pay offer in the same words, p=0.99 by the model alone (0.999 with the weekday cue: both "
    "name Monday)",
    # Written from outside (h-cases11, session 16), committed (5ee6778) before the model was run
    # on them; first score on main 361269c's code 14/30, cold = warm (causes: a scratch replay
    # lifting the name conflict, the vetoes, OWN_FEED and the reach one at a time):
    "ab-goa-daily-also-read-and-wire-credit-one-footbridge-collapse": "split: \"Three dead as "
    "footbridge collapses into river in Goa's Bicholim\" / 'India: pedestrian bridge gives way "
    "during festival, at least three killed' 3.7 h later, other words (cos 0.21), p=0.37 (no "
    "name conflict since session 21: 'Goa' is read as a place, an Indian state, so 'India' is "
    "its wider grain)",
    "ab-trending-bar-names-floods-mombasa-twice-and-peru-minister": "split: 'Flash floods cut "
    "Mombasa off from mainland as causeway closes' / 'Coast residents count losses as heavy "
    "rains swamp Mombasa island' 5.5 h later, other words (cos 0.33), p=0.68, under the bar (the "
    "trending bar left out; Peru's minister rightly apart)",
    "ad-mexican-senate-judges-vote-overnight-then-ratification-next-day": "split: 'Mexican "
    "senators pass election of judges by popular vote ...' / \"Mexico's judicial shake-up clears "
    "Congress, heads to state legislatures\" 17 h later, other words (cos 0.06), p=0.001",
    "am-kaduna-school-abduction-search-then-release": "split: the search 31 h later (weighed "
    "through 'a day earlier', other words, cos 0.18) p=0.10; the release 70 h later from the "
    "first report's own feed, past the window, never weighed (p=0.94 with a 5-day reach and "
    "OWN_FEED, the vetoes and the name conflict lifted; 0.00 with the reach alone)",
    "am-ex-police-chief-arrested-charged-then-bail-refused": "split: the charge 26.5 h and the "
    "bail ruling 71 h after the arrest, past the reach and the window, never weighed (p=0.16 "
    "and 0.00 with a 5-day reach)",
    "am-johannesburg-bus-strike-second-day-and-power-workers-strike": "split and joined: "
    "'Johannesburg bus strike enters second day as talks stall' from 'Metrobus drivers down "
    "tools ...' 27 h later, p=0.32 (other words, cos 0.23), and 'City Power workers walk out, "
    "repairs halt across Johannesburg' ('a separate dispute') into the second day's story 23 h "
    "later, p=0.79",
    "am-kelowna-wildfire-evacuation-night-then-contained": "split: 'Canadian firefighters battle "
    "blaze through night as it reaches Okanagan suburbs' 20.5 h after 'Wildfire near West "
    "Kelowna forces 4,000 from their homes', other words (cos 0.15), p=0.006; the fire held 67 "
    "h later from the first report's own feed, past the window, never weighed (0.75 with a "
    "5-day reach and OWN_FEED lifted)",
    "as-two-swedish-shootings-one-night-malmo-twice-and-rinkeby": "split: \"Man shot dead "
    "outside pizzeria in Malmö's Rosengård\" / 'Swedish police link Malmö killing to gang feud, "
    "two held' 10.5 h later, other words (cos 0.23), p=0.23 (the Rinkeby shooting rightly "
    "apart)",
    "as-volta-mining-strike-and-half-year-results": "joined: \"Miners down tools at Volta "
    "Mining's Tarkwa pit over bonus cuts\" / 'Volta Mining profit jumps 40% on record gold "
    "price, raises dividend' 4.5 h later, one company's two events, p=0.750 (at the bar)",
    "ah-dominican-fuel-depot-blast-three-headline-feeds": "split: 'Fire rages at Dominican oil "
    "terminal, thousands evacuated - Keel Wire', an aggregator's headline alone in other words "
    "(cos 0.12), p=0.02 (the 'FLASH: ' and 'UPDATE 1-' headlines join, p=0.99)",
    "ah-opposite-framing-arizona-teacher-carry-veto": "split: 'Arizona governor vetoes bill that "
    "would have let teachers carry guns in class' / 'Gov. Reyes leaves schools defenseless, "
    "kills teacher carry bill', headlines alone: a name conflict (Arizona / Reyes; cos 0.29), "
    "p=0; 0.66 with it lifted",
    # Written by h-leftovers (session 16) with its mends of the session-15 review's leftovers:
    "jt-two-shootings-one-state-apart": "joined: two shootings in one US state told by headlines "
    "alone ('Gunman kills three at Ohio nightclub' / 'Ohio school shooting: five dead, gunman "
    "killed by police'), p=0.978 by the model: the state, the gunman and the dead shared, nothing "
    "reads the two venues",
    # Written from outside (h-cases12, session 17), committed (a826a19) before the model was run
    # on them; first score on main 7cfe113's code 14/30, cold = warm (causes: a scratch replay
    # lifting the name conflict, the vetoes, OWN_FEED and the reach one at a time):
    "ua-three-leanings-house-oil-lease-sales-bill": "split: 'House Republicans vote to open "
    "millions of acres of public land to oil drilling' / 'U.S. House passes bill requiring more "
    "oil and gas lease sales' 1.2 h later: a name conflict (Republicans / U.S.; cos 0.28), p=0; "
    "0.81 with it lifted; the right-leaning 'House unleashes American energy with vote to end "
    "leasing freeze' p=0.63 to the wire, 0.08 to the left site (other words)",
    "ua-three-leanings-denver-migrant-camp-cleared": "split: the right-leaning 'Mile High City "
    "finally cleans up lawless tent city' (the city's nickname, other words; cos 0.15) from the "
    "left site's and the wire's reports (joined, p=0.998), p=0.036",
    "ua-three-leanings-ftc-sues-to-block-grocery-merger": "split: the right-leaning 'Washington "
    "regulators declare war on grocery deal shoppers wanted' (no agency or company in the "
    "headline; cos 0.31) from the left site's and the wire's reports (joined, p=0.968), p=0.70, "
    "under the bar",
    "ua-three-leanings-pentagon-troop-cut-in-germany": "split: the right-leaning \"Finally: "
    "America stops paying for Europe's defense\" 8.5 h after the wire, other words (cos 0.20), "
    "from the left site's and the wire's reports (joined, p=0.991), p=0.064",
    "ua-tanker-hijacked-off-lome-navies-search-then-crew-freed": "split: the navies' search 29 h "
    "and the crew freed 82 h after the boarding, past the reach and the window, never weighed "
    "(p=0.057 and 0.000 with a 5-day reach: other words; the later two, 53 h apart, p=0)",
    "ua-lusaka-cholera-confirmed-schools-shut-then-army-deployed": "split: the schools shut 32 h "
    "and the army sent 78 h after the outbreak was confirmed, past the reach and the window, "
    "never weighed (p=0.079 and 0.514 with a 5-day reach; the later two, 46 h apart, 0.881)",
    "ua-fassa-glacier-collapse-then-last-bodies-and-tyrol-avalanche": "split: the Alpine site's "
    "own 'Rescuers recover last bodies from Fassa valley ice fall, toll at six' 69 h after its "
    "first report, past the window, never weighed (0.000 with a 5-day reach, under OWN_FEED; "
    "0.762 with OWN_FEED lifted too); the Tyrol avalanche rightly apart (p=0.446)",
    "ua-telecom-data-theft-then-ransom-demand-then-refusal": "split: the ransom demand 30 h and "
    "the refusal 67 h after the theft, past the reach and the window, never weighed (p=0.311 and "
    "0.000 with a 5-day reach; 0.002 between the later two)",
    "ua-sukkur-indus-breach-over-days-and-swat-flash-flood": "split: the Karachi paper's own "
    "'Sukkur breach: water still rising as 180,000 displaced, dead at 23' 54 h after its first "
    "report, past the window, never weighed (0.000 with a 5-day reach, under OWN_FEED; 0.447 "
    "with OWN_FEED, the vetoes and the conflict lifted too); the Swat flood rightly apart (p=0)",
    "ua-opposite-framing-student-debt-ruling-headlines-alone": "split: 'Appeals court blocks debt "
    "relief for 8 million student borrowers' / 'Court halts illegal student loan bailout, saving "
    "taxpayers billions', headlines alone of opposite framing, other words (cos 0.15), p=0.087",
    # h-review, session 17: wrong since cf9e6a6 (h-spread's AGREE), left for the lead
    # Written from outside (h-cases13, session 18), committed (090399b) before the model was run
    # on them; first score on main 5593e6c's code 14/30, cold = warm (causes: h-cases12's scratch
    # replay lifting the name conflict, the vetoes, OWN_FEED and the reach one at a time):
    "va-radio-footer-bruny-ferry-aground-and-huon-bushfire-and-wire": "split: 'Bushfire near "
    "Huonville: residents of Glen Huon told to leave now' / 'Winter blaze forces evacuations "
    "south of Hobart' 3.1 h later: a name conflict (Huonville, Glen Huon / Hobart; cos "
    "0.18), p=0; 0.750 with it lifted; the ferry rightly apart",
    "va-three-leanings-senate-confirms-labor-secretary": "split: the right-leaning 'Keane wins "
    "confirmation, ready to rein in union bosses' (other words; cos 0.27) from the left site's "
    "and the wire's reports (joined, p=0.991), p=0.502",
    "va-three-leanings-judge-blocks-missouri-social-media-age-law": "split: the right-leaning "
    "\"Activist judge sides with Big Tech, guts Missouri's child safety law\" (other words; cos "
    "0.12, a name conflict: Big Tech / ID, U.S.) from the left site's and the wire's "
    "reports (joined, p=0.962), p=0; 0.027 with the conflict lifted",
    "va-three-leanings-epa-repeals-power-plant-carbon-rule": "split: the right-leaning 'EPA kills "
    "costly climate rule that threatened to shutter coal plants' (other words; cos 0.24) from "
    "the left site's and the wire's reports (joined, p=0.978), p=0.332",
    "va-three-leanings-immigration-raid-nebraska-meat-plant": "split: the right-leaning 'Feds "
    "crack down on illegal hiring at Grand Island plant' (the town only, other words; cos 0.29) "
    "from the left site's and the wire's reports (joined, p=0.989), p=0.547",
    "va-kandy-bus-plunge-saturday-night-then-toll-next-day": "split: 'Bus plunges off "
    "Kandy-Mahiyanganaya road at hairpin bends, 14 dead' / 'Sri Lanka hill country bus crash "
    "toll rises to 19; driver had no licence, police say' 18 h later, other words (no town; cos "
    "0.11) and a name conflict (Kandy, Mahiyanganaya / Sri Lanka), p=0; 0.021 with the "
    "conflict lifted",
    "va-point-fortin-oil-spill-then-emergency-and-port-of-spain-dock-strike": "split: 'Oil spill "
    "blackens beaches at Point Fortin' / 'Trinidad declares national emergency over oil from "
    "capsized barge' 22 h later, other words (cos 0.17) and a name conflict (Point Fortin / "
    "Trinidad), p=0; 0.011 with the conflict lifted; the dock strike rightly apart",
    "va-freetown-mudslide-then-toll-then-mass-burial": "split: the wire's toll 28 h after the "
    "first report, p=0 (a name conflict, Regent, Freetown / Sierra Leone; cos 0.10; 0.750 with it "
    "lifted), and the paper's own burial 84 h after its first, past the window, never weighed "
    "(0.000 with a 5-day reach)",
    "va-luanda-diesel-protests-over-days-then-price-rise-reversed": "split in three: the wire's "
    "'Deadly unrest spreads in Angola ...' 40 h and the site's own 'Government backs down ...' "
    "70 h after the first report, past the reach and the window, never weighed (p=0.082 and "
    "0.000 with a 5-day reach: other words)",
    "va-basra-tainted-water-then-officials-fired-and-refinery-fire": "split: 'Iraq fires Basra "
    "water officials as poisoning cases pass 2,000' 50 h after the first report, past the "
    "reach, never weighed (p=0.003 with a 5-day reach: other words); the refinery fire rightly "
    "apart",
    "va-st-johns-fishing-boat-missing-search-scaled-back-wreck-found-and-sailboat-rescue": "split: "
    "the radio's own 'Search for missing Mary Ellen crew scaled back' 26 h after its first "
    "report, past the reach, never weighed (0.000 with a 5-day reach, under OWN_FEED; 0.667 with "
    "everything lifted); the wire's wreckage 60 h later joins the first report (p=0.750; to the "
    "search, Mary Ellen / Newfoundland, a name conflict, p=0); the "
    "sailboat rescue rightly apart",
    "va-townsville-floods-dam-gates-army-called-in-clean-up": "split in three: the wire 50 h and "
    "the site's own clean-up 90 h after its first report, past the reach and the window, never "
    "weighed (with a 5-day reach the clean-up joins the wire, p=0.750, the first report still "
    "alone: 0.000)",
    "va-skagen-vind-baltic-auction-win-and-new-jersey-project-scrapped": "split: 'Skagen Vind "
    "scraps New Jersey offshore wind farm ...' / 'Danish developer pulls plug on wind farm off "
    "Barnegat' 3 h later: a name conflict (cos 0.17), p=0; 0.237 with it lifted (other words); "
    "the Baltic auction rightly apart",
    "va-opposite-framing-crypto-bill-senate-headlines-alone": "split: 'Senate hands crypto "
    "industry a gift with light-touch oversight bill' / 'Senate finally gives digital asset "
    "innovators the clear rules they need', headlines alone of opposite framing, other words "
    "(cos 0.01), p=0",
    # h-realday7's election day (0952830): its election rule joined these; the lead took the
    # rule out after review (it also joined one country's different campaign news: vf-election-*)
    "vd-election-day-told-in-other-words": "split: 'Slovenians head to the polls in tight "
    "general election' / 'Slovenia election: Golob's party battles ...' 5 h later p=0.167, "
    "'... too close to call as counting goes on' p=0.070: one vote told in other words",
    # Written from outside (h-cases14, session 19), committed (7ef28a7) before the model was run
    # on them; first score on main 94f2b57's code 13/30, cold = warm (causes: a scratch replay
    # lifting the name conflict, the vetoes, OWN_FEED and the reach one at a time, as h-cases13's):
    "wa-telegram-footer-kapit-longhouse-fire-wire-and-express-boat-hits-log": "split: 'Fire "
    "destroys 30-door longhouse near Kapit' / 'Fire razes Borneo longhouse, 200 left homeless' "
    "3.5 h later: a name conflict (Kapit / Borneo; cos 0.32), p=0; 0.681 with it lifted (other "
    "words); the express boat rightly apart",
    "wa-three-leanings-stopgap-bill-averts-government-shutdown": "split: the right-leaning 'Corbin "
    "caves again: another budget-busting band-aid clears Capitol Hill' (other words; cos 0.14) "
    "from the left site's and the wire's reports (joined, p=0.923), p=0.060",
    "wa-three-leanings-arctic-oil-project-approved": "split: the right-leaning \"Drill, baby, "
    "drill: Northpeak's Arctic project finally gets the green light\" (cos 0.23, a name conflict) "
    "from the left site's and the wire's reports (joined, p=0.839), p=0; 0.325 with the conflict "
    "lifted",
    "wa-three-leanings-tulsa-police-shooting-protests": "split: the right-leaning 'Tulsa "
    "businesses board up as mob takes to the streets' (other words; cos 0.24) from the left "
    "site's and the wire's reports (joined, p=0.990), p=0.290",
    "wa-lake-ohrid-tour-boat-sinks-saturday-evening-then-wire-next-day": "split: 'Tour boat sinks "
    "on Lake Ohrid, six dead' / 'North Macedonia mourns as lake boat disaster toll rises to nine' "
    "18.5 h later, other words (cos 0.23), p=0.289",
    "wa-thessaloniki-ferry-fire-sunday-night-bus-strike-and-wire-next-day": "split: 'Fire breaks "
    "out on ferry docked in Thessaloniki port, crew evacuated' / 'Greek ferry gutted by overnight "
    "blaze in northern port; arson not ruled out' 17 h later, other words (no city; cos 0.26), "
    "p=0.135; the bus strike rightly apart",
    "wa-invercargill-meat-works-closure-then-wire-next-day": "split: 'Makarewa meat works to "
    "close, 600 jobs to go' / 'New Zealand meat processor to shut southern plant as sheep "
    "numbers fall' 21 h later, other words (cos 0.39) and a name conflict weighed (Makarewa / "
    "New Zealand), p=0.390; 0.525 with the conflict lifted",
    "wa-cochabamba-fuel-blockades-then-food-prices-then-lifted": "split in three: the wire's "
    "\"Bolivia food prices soar as fuel blockades cut off country's heartland\" 32 h after the "
    "first report, weighed as a back reference ('entered a second day'), other words (cos "
    "0.15), p=0.111, and the site's own 'Blockades lifted ...' "
    "74 h after its first, past the reach and the window, never weighed (0.000 with a 5-day reach)",
    "wa-corsica-calcatoggio-wildfire-then-water-bombers-then-contained": "split in three: the "
    "wire's 'Corsica fire burns 2,000 hectares ...' 28 h and the site's own 'Calcatoggio fire "
    "contained ...' 74 h after its first report, past the reach and the window, never weighed "
    "(0.000 with a 5-day reach: other words; 0.001 with everything lifted)",
    "wa-idaho-inmates-escape-then-manhunt-widens-then-captured": "split in three: the wire's "
    "'Manhunt for Idaho escapees widens to Oregon line' 30 h and the station's own 'Escaped "
    "inmates caught at Ontario motel ...' 61 h after its first report, past the reach and the "
    "window, never weighed (0.000 with a 5-day reach: other words; 0.003 with everything lifted)",
    "wa-enga-landslide-toll-then-aid-and-tribal-fighting": "split: the wire's 'Papua New Guinea "
    "landslide toll rises to 43 ...' 36 h after the first report, weighed as a back reference, "
    "p=0 (a name conflict, Wabag / "
    "Papua New Guinea; cos 0.15; 0.128 with it lifted), and the paper's own 'First aid trucks "
    "reach Yambali landslide survivors' 76 h after its first, past the window, never weighed "
    "(0.000 with a 5-day reach, under OWN_FEED; 0.750 with OWN_FEED lifted too); the tribal "
    "fighting rightly apart",
    "wa-kariakoo-building-collapse-rescue-then-market-fire": "split: 'Four-storey building "
    "collapses in Kariakoo, many trapped' / 'Tanzania: 14 pulled alive from collapsed building "
    "after 30 hours' 30 h later, weighed as a back reference, other words (cos 0.24), p=0.491; "
    "the market fire rightly apart (p=0.101; 0.890 to the collapse with the reach and OWN_FEED "
    "lifted)",
    "wa-opposite-framing-oregon-minimum-wage-headlines-alone": "split: 'Oregon lawmakers deliver "
    "a raise to 300,000 low-wage workers' / 'Oregon Democrats ram through $20 wage mandate that "
    "will crush small businesses', headlines alone of opposite framing, other words (cos 0.23), "
    "p=0.161",
    "wc-three-leanings-white-house-and-president-cancel-student-debt": "split: 'White House "
    "announces plan to forgive $10,000 in student debt' from the two reports naming Biden "
    "(joined, p=0.999), p=0 behind the name conflict (White House); the seats rule that joined "
    "it (4ea5b35) was taken out after review: it also joined the White House with a drugmaker's, "
    "an agency's and another country's prime minister's news (xl- cases)",
    # Written from outside (h-cases15, session 20), committed (f7f5612) before the model was run
    # on them; first score on main b1a9e02's code 14/30, cold = warm (causes: a scratch replay
    # lifting the name conflict, the vetoes, OWN_FEED and the reach one at a time, as h-cases14's):
    "xe-three-leanings-minnesota-paid-leave-expansion-signed": "split: the right-leaning 'St. Paul "
    "slaps Main Street with another payroll tax' (a name conflict: St. Paul, Main Street; cos "
    "0.20) from the left site's and the wire's reports (joined, p=0.994), p=0; "
    "0.251 with the conflict lifted (other words)",
    "xe-three-leanings-montana-coal-lease-cancelled": "split: the right-leaning 'Washington "
    "bureaucrats kill 600 mining jobs in Big Sky Country' (a name conflict; cos 0.10) from the "
    "left site's and the wire's reports (joined, p=0.971), p=0; 0.011 with the conflict lifted "
    "(other words)",
    "xe-three-leanings-spokane-homeless-camp-cleared": "split in three: 'Spokane sweeps camp, "
    "leaving 300 people with nowhere to go' / \"Spokane clears Washington state's largest "
    "homeless encampment\" 2 h later, other words (cos 0.12), p=0.056; the right-leaning "
    "'Spokane finally cleans up lawless tent city ...' p=0.686 to the left site's (cos 0.29)",
    "xe-bouake-market-fire-saturday-night-then-wire-next-day": "split: 'Fire guts Bouaké central "
    "market' / \"Ivory Coast traders count losses after blaze guts market in country's second "
    "city\" 19 h later: a name conflict (Bouaké / Ivory Coast; cos 0.28), p=0; 0.395 with it "
    "lifted (other words)",
    "xe-papeete-cruise-ship-reef-late-evening-then-passengers-flown-and-airline-strike": "split: "
    "'Cruise ship hits reef off Moorea with 900 on board' / \"Stranded liner's passengers taken "
    "ashore, flown home from Papeete\", the paper's own 20 h later: other words (Moorea / "
    "Papeete, cos 0.12), p=0; 0.004 with the conflict, vetoes and OWN_FEED lifted; the pilots' "
    "strike rightly apart",
    "xe-monrovia-fuel-shortage-then-price-cap-then-tanker-docks": "split in three: the wire's "
    "'Liberia caps petrol prices as shortage grips capital' 30 h and the paper's own 'Queues ease "
    "as tanker docks at Freeport' 70 h after its first report, past the reach, never weighed "
    "(0.003 / 0.000 with a 5-day reach: other words)",
    "xe-bukhara-apartment-gas-blast-then-toll-then-engineer-arrested": "split in three: the "
    "wire's 'Death toll from Uzbek apartment blast rises to 14' 40 h after the first report, "
    "past the reach, never weighed (0.969 with a 5-day reach), and the paper's own 'Gas company "
    "engineer detained over Bukhara explosion' 64 h after its first (never weighed; 0.000 with "
    "the reach) and 24 h after the wire's, p=0.036 (other words)",
    "xe-paramaribo-floods-then-aid-flights-then-clean-up": "split in three: the wire's 'Suriname "
    "declares emergency as floods cut roads to interior' 28 h and the paper's own 'Clean-up "
    "begins as water recedes in Paramaribo North' 75 h after its first report, past the reach, "
    "never weighed (0.046 / 0.000 with a 5-day reach: other words)",
    "xe-brandon-wildfire-evacuation-then-wire-then-hog-plant-closure": "split: 'Grass fire forces "
    "evacuations north of Brandon' / 'Manitoba wildfire contained after destroying 12 homes' 36 "
    "h later, past the reach, never weighed (0.000 with a 5-day reach and everything lifted: "
    "other words, the radio's 'southwestern Manitoba' only in its footer); the hog plant rightly "
    "apart",
    "xe-majuro-drought-emergency-then-navy-water-then-rain": "split in three: the wire's 'U.S. "
    "Navy ship makes fresh water for drought-hit Marshall Islands' 44 h and the paper's own "
    "'Rain brings relief, water rationing eased' 86 h after its first report, past the reach, "
    "never weighed (0.964 / 0.000 with a 5-day reach)",
    "xe-garagum-air-emergency-landing-and-boeing-order": "joined: 'Garagum Air jet makes "
    "emergency landing in Ashgabat' / 'Garagum Air orders eight Boeing jets' 5 h later, one "
    "airline's two events from one paper (cos 0.48, Boeing 737 in both leads), p=0.986",
    "xe-opposite-framing-vote-by-mail-bill-headlines-alone": "split: 'Senate passes bill "
    "protecting the right to vote by mail' / 'Senate Democrats ram through federal takeover of "
    "elections', headlines alone of opposite framing, other words (cos 0.02), p=0 (0.027 "
    "unvetoed)",
    # (yb-wire-describes-its-lake-and-boat-capsizes-on-another-lake, h-boiler2's near miss,
    # passes since session 22: the names conflict and the only rare name the two share is
    # "Lake", a kind's word: story_signals._kinds_shared, h-places5)
    "vc-two-himachal-bus-crashes-one-sunday": "joined: \"Bus plunges into gorge in Himachal's "
    "Kullu, 14 dead\" / 'Bus overturns near Shimla, 6 killed' 7 h later, two towns of one state "
    "(Kullu in no table: no two cities to part), the name conflict weighed, p=0.754; 0.697 on "
    "main before the wire's dateline and closing credits were left out (session 21, h-boiler2: "
    "the credits' names only diluted the wire's text)",
    "vc-one-carmaker-two-plant-strikes-one-tuesday": "joined: \"Workers strike at Norvik Motors' "
    "Pune plant over wages\" / \"Norvik Motors' Chennai plant halted by strike over contract "
    "jobs\" 5 h later, one carmaker's two plants (Pune / Chennai, one slot before 'plant'; a "
    "strike is no kind of happening), the name conflict weighed, p=0.935",
    # h-review19 (session 19), written with the review: one happening's follow-up from another
    # outlet measured "a day after" it, naming a new place, split since h-wrong3's rules landed
    # (45a908b: _aside_apart's `recalled`, _earlier_apart; joined on 3723fc3)
    "wg-floods-strand-city-a-day-after-floods-hit-state-one": "split: 'Flooding strands "
    "thousands in Kochi a day after flash floods hit Kerala' / 'Flash floods hit Kerala, at least "
    "12 dead' 20 h before, p=0 (_aside_apart, 'Kochi' new; 0.996 on 3723fc3)",
    # Session 21's review (h-review21), written with the review: wrong joins on 91e7da9
    "yj-two-mine-accidents-one-country-headlines-alone-apart": "joined: 'Deadly gas explosion at "
    "Colombian coal mine' / 'Four miners die in Colombia mine collapse' 6 h later, headlines "
    "alone, at the threshold (p=0.750, a happening's aftermath)",
    "yj-us-house-republicans-and-a-state-house-gop-same-verb-apart": "joined: 'House Republicans "
    "pass stopgap spending bill' / 'GOP lawmakers in Texas pass new congressional map' 3 h later, "
    "p=0.808 (the first names no place)",
    "yj-court-acquits-a-leader-and-jails-his-wife-headlines-alone-apart": "joined: 'Pakistan "
    "court acquits Imran Khan in cipher case' / \"Pakistan court jails Imran Khan's wife in graft "
    'case" 4 h later, headlines alone, p=0.994',
    "yj-two-indicators-one-template-one-morning-headlines-alone-apart": "joined: 'German exports "
    "fall 2% in February' / 'German factory orders fall 2% in February' 1.5 h later, headlines "
    "alone, one template with subjects that are no names, p=0.995",
    "yj-quake-in-one-country-and-a-bulletin-of-one-magnitude-in-another-apart": "joined: 'M 4.9 "
    "- 18 km N of Tacna, Peru' (a bulletin feed's, its template lead learned as boilerplate) / "
    "'Magnitude 4.9 quake rattles Ankara, no damage reported' 5.6 h before, p=0.878",
    # Written from outside (h-cases16, session 21), committed alone before the model was run
    # on them; first score on main 91e7da9's code 16/30, cold = warm:
    "ya-read-more-tails-hobart-ferry-power-loss-and-wire-one": "split: 'Tasman Voyager ferry "
    "drifts for hours in Bass Strait after losing power' / 'Passenger ferry crippled off "
    "Australia's island state, towed to port' 3.5 h later: a name conflict (cos 0.28), p=0; "
    "0.758 with it lifted",
    "ya-press-release-about-footer-fjordlaks-results-and-business-paper-one": "split: "
    "'Fjordlaks ASA: Results for the fourth quarter 2033' / 'Salmon farmer's profit sinks on "
    "lice costs, shares fall 7%' 3 h later: other words (cos 0.09, title 0.00), p=0.030",
    "ya-ica-quake-evening-then-toll-rises-next-day-with-nasca-one": "split: 'Strong quake shakes "
    "Ica, at least 9 dead' / 'Death toll in Peru earthquake climbs to 23 as rescuers reach Nasca "
    "villages' 20 h later: a name conflict (Ica / Nasca, cos 0.17), p=0; 0.120 with it lifted "
    "(other words)",
    "ya-bundestag-minimum-wage-left-then-right-framing-next-morning-one": "split: 'Millions of "
    "low earners get a raise as Bundestag backs EUR 15 minimum wage' / 'Wage shock: Berlin's "
    "15-euro decree leaves bakers and farmers reeling' 15 h later, opposite framing: a name "
    "conflict (cos 0.26), p=0; 0.142 with it lifted (other words)",
    "ya-etna-eruption-closes-catania-airport-then-quake-zafferana-next-day-apart": "joined: "
    "'Etna eruption closes Catania airport' / 'Earthquake on Etna's slopes damages homes in "
    "Sicilian village' 15 h later, an eruption and a quake (cos 0.39, rare names 0.50: Etna, "
    "Catania airport recalled), p=0.902",
    "ya-gazipur-garment-factory-fire-night-then-wire-toll-next-afternoon-one": "split: 'Fire at "
    "Gazipur garment factory kills seven workers' / 'Bangladesh clothing factory blaze toll "
    "rises to 12; locked exit blamed' 17 h later: other words (cos 0.23), p=0.242",
    "ya-aoraki-climbers-missing-then-bodies-found-two-days-later-one": "split: 'Search for two "
    "climbers missing on Aoraki/Mount Cook' / 'Bodies of two Australian climbers found on New "
    "Zealand's highest peak' 44 h later, past the reach: p=0; 0.254 with a 5-day reach (other "
    "words, cos 0.20)",
    "ya-panama-canal-ship-aground-culebra-then-refloated-gaillard-three-days-later-one": "split: "
    "'Container ship runs aground in Culebra Cut, halting canal traffic' / 'Stranded ship "
    "refloated, Panama Canal reopens after three-day blockage' 75 h later, past the reach, "
    "never weighed (0.001 with a 5-day reach: other words)",
    "ya-two-marseille-shootings-one-night-apart": "joined: 'Man shot dead near Noailles market "
    "in central Marseille' / 'Teenager shot dead on Marseille housing estate' 6 h later, two "
    "shootings in one city (cos 0.34, title 0.54), p=0.819",
    "ya-guayaquil-prison-riot-flash-and-aggregator-other-words-one": "split: 'BREAKING: At least "
    "31 inmates killed in riot at Ecuador prison' / 'Ecuador declares state of emergency in "
    "prisons after Guayaquil massacre - Andes Courier' 4 h later, headlines alone, other words "
    "(cos 0.33), p=0.536",
    "ya-opposite-framing-hungary-ngo-funding-law-headlines-alone-one": "split: 'Hungary's "
    "parliament passes law choking off foreign funding for NGOs' / 'Lawmakers shield Hungarian "
    "democracy from foreign meddling' 3 h later, headlines alone of opposite framing (cos "
    "0.19), p=0.256",
    "ya-himachal-bus-gorge-then-kullu-toll-rises-headlines-one": "split: 'BREAKING: Bus falls "
    "into gorge in Himachal Pradesh, 12 killed' / 'Kullu bus accident: death toll rises to 19 - "
    "Shimla Observer' 5 h later, headlines alone, a district for its state (cos 0.15), p=0 "
    "(vetoed; 0.067 unvetoed)",
    "ya-three-leanings-new-zealand-lifts-offshore-exploration-ban-one": "split: the "
    "right-leaning 'Energy sector cheers as Wellington reopens the seas to explorers' (cos "
    "0.14) from the left site's and the wire's reports (joined, p=0.992), p=0.044",
    "ya-two-greek-wildfires-marathon-and-chios-one-day-apart": "joined: 'Wildfire near Marathon "
    "forces evacuation of villages' / 'Greek island of Chios battles wildfire as winds fan "
    "flames' 4 h later, two fires in one country (the wire recalls 'another fire' north-east of "
    "Athens; cos 0.35), p=0.919 though a name conflict is weighed (0.952 lifted)",
    # h-words5 (session 21), written with the fold it would need ("deadly" as "death"), which
    # was measured and not kept (h-review's yj- wrong joins):
    "yf-deadly-and-dead-headlines-alone-join": "split: 'Deadly tram derailment in Lisbon' / "
    "'Lisbon funicular accident leaves 5 dead', headlines alone sharing only 'Lisbon', p=0.153 "
    "(0.849 with 'deadly' folded into 'death')",
    # Written from outside (h-cases17, session 22), committed alone before the model was run
    # on them; first score on main 0a77028's code 19/30, cold = warm:
    "yk-club-site-footer-hammarby-coach-exit-and-sports-desk-one": "split: 'Hammarby and Per "
    "Sjöberg part ways' (the club's own feed, its footer learned) / 'Struggling Bajen show "
    "Sjöberg the door after sixth loss in a row' 2 h later: other words (cos 0.19, title 0.25, "
    "rare names 0.33), p=0.300",
    "yk-bodrum-hotel-collapse-evening-then-gumbet-toll-next-day-one": "split: 'Hotel under "
    "renovation collapses in Bodrum, five dead' / 'Turkish resort hotel collapse toll rises to "
    "14; contractor detained' (Gümbet, not Bodrum) 18 h later: cos 0.27, title 0.34, no rare "
    "name shared, p=0.708",
    "yk-dominican-penal-code-abortion-ban-left-then-right-next-morning-one": "split: 'Dominican "
    "lawmakers keep total abortion ban in new penal code' / 'Congress stands firm for the unborn "
    "as new criminal code finally passes' 15 h later, opposite framing: other words (cos 0.17), "
    "p=0.024",
    "yk-podgorica-court-jails-ex-minister-then-party-elects-new-leader-next-day-apart": "joined: "
    "'Former interior minister Vuković jailed for six years over smuggling ring' / 'Montenegro "
    "opposition party picks new leader after chief's conviction' 23 h later, which recalls the "
    "conviction (cos 0.39, rare names 0.83), p=0.892",
    "yk-ghent-museum-rubens-sketch-stolen-then-wire-next-day-one": "split: 'Rubens sketch stolen "
    "from Ghent's Museum of Fine Arts overnight' / 'Belgian police hunt thieves who cut Flemish "
    "masterpiece from its frame' 20 h later: a name conflict (cos 0.21, title 0.00), p=0; "
    "0.031 with it lifted (other words)",
    "yk-comoros-tanker-aground-moheli-then-slick-and-salvage-over-four-days-one": "split in "
    "three: 'Tanker runs aground off Mohéli, leaking fuel' / 'Oil slick from grounded tanker "
    "reaches Comoros turtle beaches' 74 h later / 'Salvage crews begin pumping fuel off the "
    "Orion Star' 28 h after that: each past the 24 h reach, never weighed; 0.000 and 0.002 "
    "with a 5-day reach (other words)",
    "yk-east-kalimantan-plane-missing-then-wreckage-found-two-days-later-one": "split: 'Search "
    "under way for plane missing with 11 aboard over East Kalimantan' / 'Wreckage of missing "
    "Indonesian plane found in Borneo jungle, no survivors' 50 h later: a name conflict (cos "
    "0.14, title 0.25) and past the 24 h reach, p=0; 0.064 with both lifted (other words)",
    "yk-kamchatka-quake-flash-and-tsunami-alert-lifted-aggregator-one": "split: 'BREAKING: "
    "Magnitude 7.6 earthquake strikes off Russia's Kamchatka, tsunami warning issued' / "
    "'Tsunami warning lifted after powerful quake shakes Petropavlovsk-Kamchatsky - Far East "
    "Monitor' 2.3 h later, headlines alone: a name conflict (cos 0.37), p=0; 0.836 with it "
    "lifted, 0.747 with the vetoes lifted instead",
    "yk-opposite-framing-uruguay-assisted-dying-law-headlines-one": "split: 'Uruguay becomes "
    "first Latin American country to legalise assisted dying' / 'Montevideo crosses a moral "
    "line as senators approve euthanasia' 3 h later, headlines alone of opposite framing "
    "sharing no word: never weighed",
    "yk-chatuchak-market-fire-wire-headline-and-aggregator-other-words-one": "split: 'Fire "
    "sweeps through Bangkok's Chatuchak weekend market' / 'Huge blaze destroys over 1,000 "
    "stalls at Thai capital's famed market - Mekong Monitor' 2 h later, headlines alone, other "
    "words (cos 0.16), p=0.236",
    "yk-two-chinese-factory-blasts-jiangsu-chemical-and-hunan-fireworks-apart": "joined: "
    "'Explosion at Jiangsu chemical plant kills six' / 'Fireworks factory blast kills four in "
    "central China' 6 h later, which recalls the chemical plant blast (cos 0.47, title 0.47, "
    "no name conflict), p=0.996",
    # h-template (session 22), written with its rule (story_signals._alike): one template whose
    # subjects each lead writes small (a common noun), so neither headline has a subject
    "yo-two-airport-crews-walk-out-with-leads-apart": "joined: 'Cleaners at Dublin Airport walk "
    "out over pay' / 'Baggage handlers at Dublin Airport walk out over pay' 4 h later, with "
    "leads, p=0.992: no subject (each lead writes its workers small), Dublin Airport shared",
    # h-days3 (session 22), written before the model was run on them:
    "yp-ferry-grounding-town-then-country-30-hours-one": "split: 'Greek coast guard tows "
    "stranded ferry to port' 30 h after 'Ferry runs aground off Kythnos', not weighed (past "
    "the reach, no back reference, a story of one report: StoryIndex.reach, AGREE)",
    "yp-chemical-leak-town-then-country-toll-past-the-window-one": "split: 'Bulgaria chlorine "
    "leak: one dead, plant manager detained' 40 h after 'Chlorine leak at Ruse water plant "
    "...', past the window, not weighed",
    # ... and one rewritten with the site rule (its first report had been the quarry case's own,
    # which mixed the two in one stream); it joins on main 0a77028's code too:
    "yp-two-quarry-collapses-one-country-two-days-apart": "joined: 'Second Romanian quarry "
    "collapse in two days kills three near Bacau' under 'Rockfall at Turda gravel pit traps two "
    "workers' 30 h before, p=0.916 (cos 0.37; its 'second' repeats no word of that headline, "
    "so it disowns nothing: story_signals._disowns)",
    # h-review (session 22), written with the review of the session's branches: wrong
    # outcomes found on main 0a77028 that no branch is asked about (yl-):
    "yl-two-unions-of-one-airline-vote-to-strike-apart": "joined: 'Lufthansa pilots vote to "
    "strike over pensions' / 'Lufthansa cabin crew vote to strike over pay' 6 h later (two "
    "unions named in the leads), p=0.963",
    "yl-stabbing-arrest-and-shooting-arrest-one-city-apart": "joined: 'Police arrest man over "
    "Manchester stabbing' / 'Police arrest teenager over Manchester shooting' 4 h later, "
    "p=0.946",
    "yl-flood-tolls-in-two-countries-a-city-opening-one-headline-apart": "joined: 'Death toll "
    "from Castellón floods rises to seven' / 'Jeddah digs out as flood death toll rises to five' "
    "4 h later, headlines alone, p=0.998 (no name seen on either side)",
    # Written by h-days4 (session 23) before the model was run on them:
    "za-governor-quits-then-acting-governor-named-30-hours-apart": "joined: 'National Bank of "
    "Belgium names Sofie Claes acting governor' 30 h after 'Belgian central bank governor Marc "
    "Dierckx resigns', p=0.999 by the back reference in its lead ('a day after Marc Dierckx "
    "resigned', BACK_APART): a saga's next step naming the step before it",
    # h-review23 (session 23): wrong outcomes found on main 8a8958e that no branch is asked
    # about (yv-); one city name for two cities, the leads telling which, parts nothing
    # (London, Ontario / England, St. Petersburg, Holland: mended by h-twocities, session 24):
    "yv-camps-cleared-in-portland-oregon-and-portland-maine-apart": "joined: 'Police clear "
    "homeless camp in Portland park' (Oregon) / 'Police clear homeless camp in Portland' "
    "(Maine's largest city) 4 h later, p=0.999",
    # one template, the roles or the nation swapped:
    "yv-drone-strikes-each-way-on-port-cities-one-night-apart": "joined: 'Russian drones "
    "strike Ukrainian port city overnight' / 'Ukrainian drones strike Russian port city "
    "overnight' 3 h later, p=1.000 (leads: Izmail / Novorossiysk, no table knows them)",
    # a city opening a headline as its force's or crews' name, the other city in no table:
    "yv-apartment-fires-in-pittsburgh-and-charlotte-one-city-opens-a-headline-apart": "joined: "
    "'Pittsburgh firefighters rescue residents from apartment blaze' / 'Firefighters rescue "
    "residents from apartment blaze in Charlotte' 4 h later, p=1.000 (the opener no name, "
    "Charlotte in no table)",
    # one head of government's two acts one day (the river read as a country, Mexico's
    # states, Fort Worth and Georgia's prime minister: mended by h-twocities):
    "yv-one-chief-minister-two-engagements-in-one-city-headlines-alone-apart": "joined: "
    "'Mahato inaugurates new airport terminal in Patna' / 'Mahato meets protesting farmers in "
    "Patna' 3 h later, headlines alone, p=0.879",
    # h-countries2 (session 23), written with aliases' countries under two names: a wrong join
    # the false 'UK' / 'Britain' name conflict had hidden ("UK bans ..." / "UK bans ..." joins
    # on main too, p=0.894)
    "yw-uk-and-britain-two-bans-one-day-headlines-alone-apart": "joined: 'UK bans disposable "
    "vapes from June' / 'Britain bans XL bully dogs from February' 4 h later, headlines alone, "
    "p=0.897: one country, one verb, two things banned (cos 0.45)",
    # h-home (session 23), a local outlet's home country: its one-event case, split on main
    "yz-coast-radio-names-its-skerry-wire-names-scotland-one": "split: 'Fishing boat sinks near "
    "Sule Skerry, four crew winched to safety' / 'Coastguard rescues four fishermen after boat "
    "sinks off Scotland' 5 h later: a name conflict (a skerry no table knows / Scotland), p=0; "
    "joined by a feed's home country (branch h-home-homes, not landed: it also joined "
    "yv-geneva-paper-tells-a-chamonix-avalanche-and-a-wire-one-in-switzerland-apart)",
    # Written from outside (h-cases18, session 23), committed alone before the model was run
    # on them; first score on main 8a8958e's code 19/30 (one-event 5/16, two-event 14/14),
    # cold = warm:
    "yu-epaper-footer-guyana-oil-sheen-and-energy-site-related-footer-one": "split: 'Oil sheen "
    "spotted near production ship in Stabroek block' / 'Guyana regulator probes small crude "
    "release at offshore FPSO' 5.5 h later (both footers learned): a name conflict (cos 0.21, "
    "title 0.00, lead 0.34), p=0.000",
    "yu-yungas-bus-plunge-evening-then-coroico-toll-next-day-one": "split: 'Bus falls into "
    "ravine on Yungas road, at least 9 dead' / 'Bolivia bus crash toll rises to 17; driver had "
    "been at the wheel 20 hours' (near Coroico) 17.5 h later: other words (cos 0.18, title "
    "0.13, rare names 0.33), no name conflict, p=0.210",
    "yu-northern-territory-youth-crime-law-left-then-right-next-day-one": "split: 'NT lowers age "
    "of criminal responsibility to 10, defying UN and doctors' / 'Tough new youth crime laws "
    "pass after marathon sitting in Darwin' 16 h later, opposite framing: a name conflict (cos "
    "0.18, title 0.00), p=0.000",
    "yu-saxavord-rocket-explodes-evening-then-space-site-next-morning-one": "split: 'Rocket "
    "explodes seconds after lift-off from SaxaVord' / \"German startup's first rocket fails on "
    "debut from UK's northernmost spaceport\" 13.5 h later: a name conflict (cos 0.27, title "
    "0.19), p=0.000",
    "yu-geita-gold-mine-collapse-then-tapping-then-nyarugusu-rescue-over-three-days-one": "split: "
    "'All 13 Nyarugusu miners brought out alive after three days' 69 h after '13 miners trapped "
    "after shaft collapses at Geita gold mine' (the wire 29 h after it joined, p=0.851): not "
    "weighed; p=0.000 with a 96 h reach (a name conflict: Nyarugusu, not Geita)",
    "yu-hawaii-island-brush-fire-waikoloa-evacuation-then-contained-over-three-days-one": "split "
    "in three: 'Big Island wildfire burns 9,000 acres; residents allowed home' 27 h after 'Brush "
    "fire forces evacuation of Waikoloa Village', 'Fire above Kohala coast 95% contained' 40 h "
    "after that: past the 24 h reach, never weighed; with a 96 h reach the second joins at "
    "p=0.750, the third p=0.000 (a name conflict: Kohala)",
    "yu-timor-leste-australia-greater-sunrise-deal-flash-and-capitals-aggregator-one": "split: "
    "'BREAKING: Timor-Leste and Australia sign Greater Sunrise gas development deal' / 'Dili, "
    "Canberra seal pact to pipe Timor Sea gas ashore - Asia Pacific Energy' 3.5 h later, "
    "headlines alone: capitals for countries, a name conflict (cos 0.33, rare names 0.33), "
    "p=0.479",
    "yu-opposite-framing-romania-magistrates-pensions-headlines-one": 'split: "Ruling coalition '
    "rams through cut to judges' pensions, defying Romania's top court\" / \"At last: Parliament "
    "scraps magistrates' gold-plated pensions\" 4.5 h later, headlines alone of opposite "
    "framing (cos 0.14), p=0.000",
    "yu-cuba-grid-collapse-flash-and-havana-darkness-aggregator-one": "split: \"BREAKING: Cuba's "
    "power grid collapses, entire island without electricity\" / 'Havana plunged into darkness "
    "after Guiteras plant trips - Caribbean Digest' 3.5 h later, headlines alone, other words "
    "(cos 0.17, rare names 0.17), p=0.081",
    # h-othername (session 24): found writing a two-event case; a precision fault of main too
    "zi-hobart-fire-service-names-the-state-and-launceston-fire-apart": "joined: 'Fire destroys "
    "Hobart waterfront warehouse' (lead: '... Tasmania Fire Service said') / 'Freight depot "
    "destroyed in Tasmania warehouse fire' (lead: Launceston) 5 h later, p=0.961: the state's "
    "name inside an agency's name is no name the Hobart report lacks, so no name conflict",
    # h-spell (session 23): one name written two ways, where the fold was measured and not kept
    "zc-nyc-and-new-york-city-subway-fares-headlines-alone-one": "split: 'NYC subway fares to "
    "rise 15 cents in August' / 'New York City subway fare going up 15 cents this summer', "
    "headlines alone, p=0.000: 'NYC' and 'New York City' conflicting names (NYC written out "
    "cost allsides raw precision: left out of aliases._ABBREVIATED)",
    "zc-covid-19-and-covid-hospital-admissions-one": "split: 'COVID-19 hospital admissions fall "
    "...' / 'Covid hospital admissions drop ...' 3 h later, p=0.000: 'covid19' and 'covid' two "
    "terms, a name conflict (the fold cost the real day's precision: not kept)",
    # h-cases19 (session 24): thirty blind ze- cases, committed before the model ran (d652c85)
    "ze-share-footer-badulla-podi-menike-derails-demodara-and-wire-one": "split: 'Sri Lanka "
    "tourist train derails in hill country, dozens injured' 3 h after 'Podi Menike derails near "
    "Demodara, 31 passengers hurt': a name conflict (Kandy, Sri Lanka against Podi Menike, "
    "Demodara, Ella; cos 0.19, rare names 0.17), p=0.000",
    "ze-jalal-abad-mudflow-evening-then-arslanbob-toll-next-day-one": "split: 'Kyrgyz mudslide "
    "toll rises to 14 as walnut-forest village counts its dead' 19 h after 'Mudflow hits "
    "villages in Jalal-Abad region, six dead': other words and a new place (cos 0.18, rare "
    "names 0), p=0.175",
    "ze-iceland-eu-talks-vote-left-then-right-next-day-one": "split: 'Government hands Brussels "
    "a blank cheque over our fishing grounds' 17 h after 'Iceland takes historic step back "
    "towards Europe as Althing votes to reopen EU talks': opposite framing, a name conflict "
    "(Húsavík, Ísafjörður, Brussels; cos 0.15, lead 0.32), p=0.000",
    "ze-tamayo-record-new-york-auction-then-mexico-city-culture-next-day-one": "split: "
    '"Oaxacan master\'s canvas becomes most expensive Mexican painting ever sold" 17.5 h after '
    "\"Tamayo's 'Watermelon Sellers' fetches record $31m at New York sale\": a name conflict "
    "(Manhattan, Oaxaca, Mexico against New York, Sotheby's; cos 0.14), p=0.000",
    "ze-reunion-bulker-aground-then-fuel-leak-then-breaks-in-two-over-three-days-one": "split: "
    "'Fuel leaks from grounded ship off French Indian Ocean island' 28 h after 'Bulk carrier "
    "runs aground off Saint-Pierre reef' and 'Stranded bulker Ocean Harmony breaks in two off "
    "Réunion' 74 h after it: past the reach, no story weighed",
    "ze-cantabria-cavers-trapped-then-divers-reach-them-then-all-out-over-four-days-one": "split: "
    "'Divers reach six trapped Spanish cavers, all alive' 32 h after 'Six cavers trapped by "
    "flash flood in Cantabria cave': a name conflict past the reach (cos 0.37, title 0.41), "
    "p=0.000; 'All six out of Cueva del Valle ...' 78 h after: no story weighed",
    "ze-brunei-crown-prince-made-prime-minister-flash-and-capital-aggregator-one": "split: "
    "'Bandar Seri Begawan: Prince Al-Muhtadee Billah takes charge of government - Borneo "
    "Weekly' 3 h after \"BREAKING: Brunei's sultan hands crown prince the post of prime "
    "minister\", headlines alone: the capital and the prince's name against the country, a "
    "name conflict (cos 0.14), p=0.000",
    "ze-opposite-framing-gabon-constitution-vote-headlines-one": "split: 'Libreville lawmakers "
    "adopt new constitution by overwhelming majority' 4.5 h after \"Gabon's junta chief gets "
    'his seven-year term as parliament rubber-stamps new charter", headlines alone, opposite '
    "framing, no word shared: no story weighed",
    "ze-valencia-marathon-world-record-flash-and-runner-name-aggregator-one": "split: "
    "'Kiprotich runs 2:00:28, fastest marathon in history - Track and Road Weekly' 2.5 h after "
    '"BREAKING: Men\'s marathon world record falls in Valencia", headlines alone: the runner '
    "against the city, a name conflict (cos 0.16), p=0.000",
    "ze-brno-gas-blast-flats-and-wire-czech-second-city-one": 'split: "Two dead as blast tears '
    "through flats in Czech Republic's second city\" 5 h after 'Explosion destroys top floors "
    "of Brno apartment block': other words under the bar (cos 0.30, title 0.20, rare names "
    "0.17, no name conflict), p=0.684",
    # h-review24 (session 24): wrong outcomes found on main 757b6f2 that no branch is asked
    # about (zf-), most from the one-stream mixes of bench/eval_cases.py --together 24:
    "zf-chemical-plant-blasts-near-rouen-and-in-ludwigshafen-apart": "joined: 'Explosion at "
    "chemical plant injures six workers' (lead: on the edge of Rouen) / 'Blast at chemical plant "
    "in Ludwigshafen injures workers' 5 h later, p=1.000: the table knows 'Ludwigshafen am "
    "Rhein' only, and 'on the edge of' is no locative: neither side placed",
    "zf-pope-names-two-appointees-one-saturday-apart": "joined: 'Pope Leo names first woman to "
    "head Vatican museums' / 'Pope Leo names new archbishop of Dublin' 4 h later, p=0.975 "
    "though the other names conflict",
    "zf-tunis-court-jails-an-opposition-leader-and-a-blogger-one-thursday-apart": "joined: "
    "'Tunisian court jails opposition leader for 14 years' / 'Tunisian blogger jailed for two "
    "years over posts mocking president' 3 h later, p=0.957: no person named in the headlines, "
    "years in prison no tolls",
    # h-near2 (session 24): written with AGREE_NEAR and its second condition in hand (branch
    # h-near2-code), before running them
    "zg-ohio-court-strikes-down-map-third-outlet-own-words-one": "split: 'Court tells Ohio "
    "Republicans to redraw gerrymandered districts' 1 h after 'Ohio Supreme Court strikes down "
    "congressional map' (cos 0.27), p=0.671; the third, 'Activist justices hand Democrats a win "
    "in Columbus', a name conflict with both (Columbus / Ohio), p=0.000",
    "zg-finance-minister-resigns-then-who-replaces-her-third-outlet-one": "split: 'Who will "
    "replace Verhoef? Coalition scrambles for a new finance chief' 7 h later, p=0.611 under the "
    "bar (and under 0.45 against the left site's report: AGREE_NEAR would not join it either)",
    "zg-one-governor-signs-a-ban-then-vetoes-a-bill-same-day-apart": "joined: 'Alvarado vetoes "
    "school voucher bill' 5 h after two reports of her gun ban, p=0.899 over the bar against "
    "the closest report alone (her name, title and state)",
    # h-words (session 24): written blind (the last two after a rule measured and not landed,
    # bench/README.md *A lone report's own names*); what main 757b6f2's code does with them
    "zl-osh-ex-mayor-jailed-then-regional-review-eleven-year-term-one": "split: 'Former Osh "
    "mayor Sydykov sentenced to 11 years for land fraud' / 'Kyrgyzstan: an eleven-year term for "
    "the ex-city boss who sold the parks' 15 h later: one rare name shared (Sydykov; 'eleven' "
    "no figure), p=0.216",
    "zl-kazakh-copper-mine-takeover-sum-headlines-one": "split: 'Karatau Copper agrees $3.2bn "
    "sale to Brazil's Vale Norte' / 'Brazilian miner swoops on Kazakh copper producer in $3.2 "
    "billion deal', headlines alone, names on one side only (a name conflict), p=0.000",
    "zl-nordic-wind-firm-job-cuts-then-contract-same-figure-apart": "joined: 'Havbris Energi to "
    "cut 1,200 jobs ...' / 'Havbris Energi wins 1,200 MW ... contract' 7 h later, p=0.881 (the "
    "model alone: one company, one figure in two units)",
    "zl-two-vietnam-graft-sentences-nine-years-one-day-apart": "joined: 'Hanoi court jails "
    "property tycoon ... for nine years' / 'Vietnam jails former customs official for nine "
    "years over bribes' 6 h later, p=0.768 (the model alone)",
    "zl-osh-ex-mayor-jailed-then-his-deputy-jailed-next-day-apart": "joined: the ex-mayor's 11 "
    "years / 'Toktorov's former deputy ... also gets 11 years in Osh land case' 20 h later, "
    "p=0.939 (the model alone)",
    "zl-one-shipping-company-two-announcements-lone-reports-apart": "joined: 'Tidewell Shipping "
    "orders eight LNG carriers ...' / 'Tidewell chief executive Lind to step down ...' 6 h "
    "later, p=0.850 (the model alone)",
    # h-words3 (session 25): written before any rule ran on them; bench/README.md *A lone
    # report's own names, with what happened*
    "zq-aid-worker-freed-told-as-nurse-released-one": "split: 'Aid worker freed in Sahel after "
    "four months in captivity' / 'French nurse released by her captors, family thanks "
    "negotiators' 8 h later: other words (title 0.00), her and her charity's names shared "
    "(rare names 1.00), p=0.499",
    "zq-tycoon-held-at-airport-told-as-developer-detained-one": "split: 'Property tycoon held at "
    "airport ...' / 'Billionaire developer detained over unpaid taxes' 5 h later: other words "
    "(title 0.00, rare names 0.67), p=0.056",
    "zq-ferry-captain-charged-told-as-skipper-faces-count-one": "split: 'Ferry captain charged "
    "over deadly collision' / 'Skipper faces manslaughter count after fishermen die at sea' 6 h "
    "later: other words (title 0.00), the captain's and the ship's names shared (rare names "
    "1.00), p=0.476",
    # one city name for two cities, the state after it and then a capitalised word (US wire
    # style: "in Holland, Michigan, Tuesday evening"); parted by h-twocities' 30a00c6, not by
    # its 2a6ddc7, which reads the capitalised word as a person's name after the state:
    "zf-tornado-in-holland-michigan-told-wire-style-and-a-dutch-storm-apart": "joined: 'Tornado "
    "damages homes in Holland' (lead: 'in Holland, Michigan, Tuesday evening') / 'Storm damages "
    "homes in the Netherlands' 3 h later, p=1.000",
    "zf-shootings-in-london-ontario-told-wire-style-and-in-london-england-apart": "joined: "
    "'Shooting in London leaves two dead' (lead: 'London, Ontario, Saturday night') / 'Two dead "
    "after shooting in London' (Hackney) 5 h later, p=1.000",
    # h-cases20 (session 25): thirty blind zn- cases, committed before the model ran (8668696);
    # the names in a conflict are the headlines' names the other report never mentions
    "zn-jeju-post-footer-hallasan-tour-bus-overturns-and-wire-one": "split: 'Bus carrying "
    "Chinese tourists crashes on South Korean holiday island' 3.5 h after 'Tour bus overturns on "
    "1100 Road below Hallasan, 23 hurt': a name conflict (Hallasan against South Korean; cos "
    "0.14, rare names 0.50), p=0.000",
    "zn-kotor-related-lists-differ-cruise-ship-hits-quay-and-trade-site-footer-one": "split: "
    "'Adriatic Star hits pier in Montenegro port, passengers kept on board' 5 h after 'Cruise "
    "ship slams into quay below old town, four hurt': other words (cos 0.13, title 0, rare names "
    "0, no name conflict), p=0.038",
    "zn-maseru-radio-footer-textile-factory-fire-and-wire-one": "split: 'Blaze shuts Lesotho "
    "jeans maker supplying US chains' 4.5 h after 'Fire guts denim factory in Thetsane, 3,000 "
    "workers sent home': a name conflict (Thetsane against Lesotho, US; cos 0.31), p=0.547",
    "zn-luxembourg-company-car-tax-vote-left-then-right-next-day-one": "split: 'Cross-border "
    "commuters pay the price as deputies hike company-car tax' 15 h after \"Luxembourg's Chamber "
    'ends tax perk for company cars": opposite framing, other words (cos 0.32, rare names 0.50, '
    "no name conflict), p=0.424",
    "zn-asteroid-capsule-lands-woomera-japan-then-adelaide-paper-next-day-one": "split: 'Space "
    "rocks fall near Woomera as Japanese capsule is recovered' 18 h after \"JAXA's Kasasagi "
    'returns asteroid samples to Earth": other words, no story weighed',
    "zn-moroccan-steeplechase-world-record-rabat-then-kenitra-paper-next-morning-one": "split: "
    '"Kenitra\'s son writes history: Anas Idrissi becomes fastest man ever over the barriers" '
    "13 h after 'Idrissi smashes steeplechase world record in Rabat': a name conflict (Rabat "
    "against Kenitra; cos 0.23, rare names 0.33), p=0.000",
    "zn-fortaleza-city-hall-ransomware-then-wire-then-systems-back-over-four-days-one": "split: "
    "'Ceará state capital restores systems three days after ransomware hit' 78 h after "
    "'Cyberattack takes Fortaleza city hall offline' (the wire 30 h after it joined, p=0.750): a "
    "name conflict (Fortaleza against Ceará; cos 0.18), p=0.000",
    "zn-papua-twin-otter-missing-then-search-then-wreck-found-over-three-days-one": "split: "
    "'Cloud grounds helicopters in search for missing Twin Otter' 27 h after \"Small plane with "
    "nine aboard missing in Indonesia's Papua\" (no story weighed) and 'Wreckage found on "
    "Yahukimo ridge, all nine on board dead' 56 h after it: a name conflict (Yahukimo against "
    "Indonesia, Papua; cos 0.19), p=0.000",
    "zn-mindoro-quake-flash-and-calapan-aggregator-one": "split: 'Calapan church tower collapses "
    "as strong quake rocks Mindoro - Luzon Ledger' / 'BREAKING: Magnitude 6.6 earthquake strikes "
    "central Philippines' 1.5 h earlier, headlines alone: a name conflict (Calapan, Mindoro "
    "against Philippines; cos 0.13), p=0.000",
    "zn-opposite-framing-mongolia-no-confidence-vote-headlines-one": 'split: "Great Khural ends '
    "Batbayar's failed premiership\" / \"Mongolia's reformist prime minister toppled by old "
    'guard - Asia Democracy Review" 3 h earlier, headlines alone in opposite framing: no '
    "story weighed",
    "zn-mozambique-central-bank-governor-quits-title-and-name-headlines-one": "split: 'Maputo: "
    "Tomás Cossa quits after metical slide - Indian Ocean Business' / 'BREAKING: Mozambique "
    "central bank governor resigns' 2 h earlier, headlines alone: a name conflict (Maputo, "
    "Cossa against Mozambique; cos 0.15), p=0.000",
    "zn-belem-river-boat-capsizes-amp-and-utm-variants-and-agency-one": "split: 'Amazon ferry "
    "overturns near Pará capital, search for five goes on' 3 h after 'River boat capsizes in "
    "Guajará Bay, five missing' (its URL variant folded): a name conflict (Guajará Bay against "
    "Amazon, Pará; cos 0.25, lead 0.32), p=0.000",
    # h-review25 (session 25), first batch: wrong outcomes on main ad49d6b
    "zo-fuel-terminal-fire-at-santos-and-the-sao-paulo-coast-one": "split: 'Fire breaks out at "
    "fuel terminal in Santos port' / 'Brazilian port fire sends smoke over Sao Paulo coast' 3 h "
    "later, p=0.000 (Santos in no table, read as a name against Sao Paulo)",
    # h-review26 (session 26), first batch: wrong outcomes on main 9605d7c
    "zx-chlorine-and-ammonia-leaks-at-two-ruse-plants-apart": "joined: 'Chlorine leak at Ruse "
    "water plant sends 40 to hospital' / 'Ammonia leak at Ruse fertiliser plant sends 30 to "
    "hospital' 7 h later, p=0.987 (name and figure conflicts outweighed; apart, headlines alone)",
    "zx-teachers-in-wales-vote-to-strike-and-ambulance-crews-walk-out-apart": "joined: 'Teachers "
    "in Wales vote to strike over pay' / 'Ambulance crews in Wales walk out over pay' 5 h later, "
    "p=0.988 (the name conflict outweighed)",
    "zx-hit-and-run-charge-in-new-jersey-and-a-baltimore-hit-and-run-apart": "joined: 'Gloucester "
    "County man charged in hit-and-run that killed cyclist' / 'Cyclist dies after hit-and-run "
    "near harbour' (Baltimore) 6 h later, p=0.880 (no name read in either)",
    "zx-one-prosecutor-charges-two-mayors-with-bribery-one-day-apart": "joined: 'Prosecutor "
    "Banescu charges Constanta mayor with bribery' / 'Mayor of Braila charged with bribery over "
    "road contracts' 4 h later, p=1.000 (the name conflict outweighed)",
    "zx-one-judge-jails-two-ex-governors-one-day-apart": "joined: 'Judge Okonkwo jails "
    "ex-governor for 12 years over land fraud' (Plateau) / 'Former Kano governor jailed over "
    "pension theft' 5 h later, p=0.984",
    "zx-lagos-building-collapse-and-a-second-collapse-told-by-its-toll-apart": "joined: "
    "'Building collapses in Lagos, six dead' / 'Lagos building collapse toll rises to 10' (lead: "
    "Ikeja, the city's second collapse this week) 20 h later, p=0.970",
    "zx-guizhou-mine-blast-and-another-mines-flood-toll-apart": "joined: 'Gas blast at Guizhou "
    "coal mine kills 14' (Panzhou) / 'Guizhou mine flood toll rises to 7' (Liupanshui) 24 h "
    "later, p=0.814 (a blast against a flood parts nothing)",
    "zx-lake-victoria-boat-eight-dead-then-another-boats-toll-rises-to-five-apart": "joined: "
    "'Boat capsizes on Lake Victoria near Mwanza, 8 dead' / 'Mwanza boat accident toll rises "
    "to 5' (Ukerewe) 26 h later, p=0.828 (a toll rising to fewer than the dead told)",
    "zx-clashes-in-tripoli-libya-and-in-tripoli-lebanon-apart": "joined: 'Clashes erupt in "
    "Tripoli, five dead' (Libya, in the lead) / 'Lebanon clashes leave three dead' (Tripoli, "
    "Lebanon) 4 h later, p=0.996 (one city name in two countries; no name conflict)",
    "zx-wildfire-near-victoria-bc-and-a-bushfire-in-victoria-australia-apart": "joined: "
    "'Wildfire forces evacuations near Victoria' (British Columbia) / 'Australia bushfire forces "
    "evacuations' (Victoria's Gippsland) 4 h later, p=0.999 (no name conflict)",
    "zx-quakes-off-hokkaido-and-on-kyushu-one-day-apart": "joined: 'Magnitude 6.0 quake strikes "
    "Hokkaido' / 'Strong quake shakes Kyushu, no tsunami risk' 5 h later, p=0.888 (the name "
    "conflict outweighed; no table places either island)",
    "zx-arsenal-men-and-arsenal-women-beat-chelsea-in-two-semi-finals-apart": "joined: 'Arsenal "
    "beat Chelsea 2-1 in FA Cup semi-final' / 'Arsenal Women beat Chelsea to reach FA Cup final' "
    "22 h later, p=0.998 (one club's two teams)",
    # h-review26: joined by a lone report's own names (e85d5da), the teller's name shared
    "zx-one-coach-tells-a-captains-injury-and-a-goalkeepers-ban-apart": "joined: 'Gattuso says "
    "captain out for six weeks' / 'Hajduk goalkeeper banned for three games after red card' 6 h "
    "later, p=0.750 (the coach's name in one headline and both leads: LONE_NAMES; 0.486 before)",
    "zx-one-police-commissioner-tells-a-theft-warning-and-a-shootout-apart": "joined: "
    "'Commissioner Haddad warns of rise in car thefts' / 'Two officers hurt in shootout at "
    "Tripoli checkpoint' 6 h later, p=0.750 (LONE_NAMES; 0.408 before)",
    "zx-one-coach-tells-a-player-staying-and-a-fine-for-chants-apart": "joined: 'Ancelotti "
    "confirms Modric will stay another season' / 'Real Madrid fined over fans' racist chants' 6 "
    "h later, p=0.750 (LONE_NAMES; 0.397 before)",
    # h-xfail (session 25), the other side of a country's initials (descriptions.COUNTRY_INITIALS):
    # joined on main ad49d6b too (p 0.988, with the name conflict): the two fires share their
    # words and the fire services' names, and the Adelaide report places nothing ("east of")
    "zt-bushfire-across-sa-australia-and-south-africa-wildfire-apart": "joined: 'Bushfire forces "
    "evacuations across SA hills' (lead: east of Adelaide) / 'Wildfire forces evacuations in "
    "South Africa's Western Cape' 3 h later, p=0.988 (name conflict kept: SA's report mentions "
    "Australia)",
    # h-near3 (session 25): written with AGREE_NEAR's what-happened condition in hand
    "zp-one-prosecutor-charges-two-officials-the-first-told-twice-in-other-words-apart": "joined: "
    "'Lindqvist charges customs chief over smuggling ring' 5 h after two reports of her charge "
    "against an ex-minister, p=0.990 over the bar against the closest report alone (her name, "
    "title and the act of charging; main's class, no AGREE_NEAR needed)",
    # h-cases21 (session 26): thirty blind zw- cases, committed before the model ran (daaedfb);
    # all ten misses are one-event splits; the names in a conflict are read from the headlines
    # (what each names that the other report never mentions), not from the code
    "zw-presov-related-lines-trolleybus-crash-and-english-site-eastern-slovakia-one": "split: "
    "'Ten injured as trolleybus skids off icy road in eastern Slovakia' 5 h after 'Trolleybus "
    "hits tree on Sabinovská street, nine hurt' (Prešov named once, last in the lead): a name "
    "conflict (Sabinovská against Slovakia; cos 0.48, lead 0.25), p=0.000",
    "zw-ecuador-pastaza-oil-block-vote-opposite-framing-next-morning-one": "split: 'Ecuador "
    "opens Block 74 to drillers, bonds rally' 14 h after 'Ecuador's lawmakers hand Pastaza "
    "rainforest to oil companies in late-night vote' (opposite framing): a name conflict "
    "(Pastaza against Block 74; cos 0.16, rare names 0.33), p=0.000",
    "zw-xiamen-marathon-course-record-and-next-day-profile-one": "split: 'From the farm to the "
    "finish: the 22-year-old who rewrote the record books' 20 h after 'Alemu smashes Xiamen "
    "course record': other words, no conflict (cos 0.26, title 0.16, rare names 0.50), p=0.071",
    "zw-kyoto-drugmaker-dementia-pill-trial-fails-us-evening-and-tokyo-shares-next-day-one": (
        "split: 'Kintaro shares crash by daily limit after dementia drug flop' 13 h after "
        "'Kintaro's oral Alzheimer's drug fails phase 3 trial': other words, no name conflict "
        "(cos 0.25, title 0.24, rare names 0.33), p=0.000"
    ),
    "zw-postojna-cavers-trapped-then-rescued-after-three-days-one": "split: 'All five cavers "
    "rescued alive after three days underground in Slovenia' 62 h after 'Five cavers trapped by "
    "flood in cave near Postojna': a name conflict (Postojna against Slovenia; cos 0.20), "
    "p=0.000",
    "zw-bonaire-tanker-aground-then-oil-reaches-curacao-beaches-one": "split: 'Oil from "
    "stranded Sea Meridian washes up on west coast beaches' (Curaçao) 60 h after 'Tanker runs "
    "aground off Bonaire, leaking fuel': never weighed (no story drawn as a candidate)",
    "zw-olbia-ferry-strike-headlines-other-words-one": "split, headlines alone: 'Holidaymakers "
    "stranded in Olbia as ferry crews walk out' 3 h after 'Seafarers' strike halts ferries to "
    "Sardinia': a name conflict (Olbia against Sardinia; cos 0.37), p=0.000",
    "zw-huehuetenango-quake-and-western-guatemala-headlines-one": "split, headlines alone: "
    "'Strong quake rocks western Guatemala, homes damaged' 40 min after 'Magnitude 6.2 "
    "earthquake strikes Huehuetenango': a name conflict (Huehuetenango against Guatemala; cos "
    "0.17), p=0.000",
    "zw-romania-magistrates-pensions-opposite-framing-headlines-one": "split, headlines alone: "
    "'Magistrates threaten strike as MPs axe their pensions' 4 h after 'Romania scraps judges' "
    "special pensions in win for taxpayers' (opposite framing): a name conflict (Romania "
    "against MPs or Magistrates; cos 0.17), p=0.000",
    "zw-bulawayo-cricket-ireland-beat-zimbabwe-live-and-match-report-one": "split: "
    "'McAllister's unbeaten 94 sets up tense Irish win' 3 h after 'Ireland beat Zimbabwe by "
    "four wickets to level series': other words under the bar, no conflict (cos 0.26, title 0, "
    "rare names 0.33), p=0.691",
    # h-lone4 (session 26): written before the model was run on them (committed alone first)
    "al-paper-trampers-missing-then-its-own-found-at-the-hut-two-days-later-one": "split: "
    "'Missing trampers found cold but alive near Saxon Hut' 58 h after 'Two trampers missing in "
    "Kahurangi National Park', the same paper: past the reach its own outlet's report is never "
    "weighed (an own report of an arc's turn named from the first lead joined the apart case "
    "instead: bench/README *AGREE_LONE beside AGREE_NEAR*)",
}

# A few cases of each kind, also played end to end.
END_TO_END = (
    "bp-video-footer-three-events",
    "bp-video-and-site-one-event",
    "da-spain-floods-next-morning",
    "sn-texas-blast-and-tax-bill",
    "ho-ferry-three-headlines-join",
    "cp-amp-path-and-amp-cache",
    "cp-http-and-https-two-feeds-of-one-site",
    "ob-new-site-long-comment-tail-four-stories",
    "oc-www-slash-utm-across-feeds",
    "xb-filed-under-tags-two-african-events",
    "xh-shares-jump-template-two-companies",
)


def case_params(ids: tuple[str, ...] | None = None) -> list[object]:
    chosen = CASES if ids is None else [BY_ID[i] for i in ids]
    return [
        pytest.param(
            case,
            id=case.id,
            marks=[pytest.mark.xfail(reason=KNOWN_MISSES[case.id], strict=True)]
            if case.id in KNOWN_MISSES
            else [],
        )
        for case in chosen
    ]


# -- in-process -----------------------------------------------------------------------------------

_TOPICS = (
    "council",
    "hospital",
    "airport",
    "bridge",
    "school",
    "harbour",
    "museum",
    "stadium",
    "library",
    "factory",
    "railway",
    "market",
    "prison",
    "reservoir",
    "university",
)
_ACTS = (
    "approves budget for",
    "delays vote on",
    "opens new",
    "closes old",
    "inspects",
    "plans repairs to",
    "sells",
    "expands",
    "reports losses at",
    "celebrates",
)
_PLACES = (
    "Avonmouth",
    "Brisk",
    "Carrow",
    "Dunmore",
    "Elsby",
    "Farleigh",
    "Gorran",
    "Hexley",
    "Ilfracombe",
    "Jarrow",
    "Kelso",
    "Larne",
    "Morley",
    "Nairn",
    "Oban",
)
WARM_START = datetime(2025, 6, 1, tzinfo=UTC)


def warm_index(count: int = 1000) -> StoryIndex:
    """A StoryIndex that has taken in `count` earlier items of many topics (since pruned), as
    a running service's has; a fresh one otherwise."""
    index = StoryIndex()
    for n in range(count):
        topic, act, place = _TOPICS[n % 15], _ACTS[n % 10], _PLACES[n * 7 % 15]
        index.add(
            Item(
                key=f"guid:warm-{n}",
                feed_url=f"https://warm{n % 9}.example/rss",
                feed_name=f"warm{n % 9}",
                link=f"https://warm{n % 9}.example/{n}",
                title=f"{place} {topic} board {act} {topic} {n % 41}",
                summary=f"Officials in {place} said the {topic} board {act} the {topic} after "
                f"{n % 13} months of talks, with {n % 29} members voting in favour.",
                published=WARM_START + timedelta(minutes=n),
                content_hash=str(n),
            ),
            -n - 1,
        )
    index.prune(WARM_START + timedelta(days=90))
    assert len(index) == 0
    return index


def test_the_cases_are_many_of_every_kind_and_well_formed() -> None:
    kinds = {case.kind for case in CASES}
    assert kinds == set(KINDS)
    assert 90 <= len(CASES) <= 1500 and len(BY_ID) == len(CASES)
    for case in CASES:
        assert 2 <= len(case.reports) <= 4, case.id
        assert all(r.feed in OUTLETS for r in case.reports), case.id
        assert len({(r.feed, canonical_url(r.link)) for r in case.reports}) == len(case.reports)
        for report in case.reports:  # a folded report names an earlier one's article
            if report.fold:
                assert any(
                    link_key(other.link) == link_key(report.link) and other.group == report.group
                    for other in case.reports
                    if other.published < report.published and not other.fold
                ), case.id
    assert all(case.reports[0].published.tzinfo is not None for case in CASES)


@pytest.mark.parametrize("case", case_params())
def test_case_in_a_fresh_index(case: Case) -> None:
    outcome = play_case(case, OUTLETS)
    found = outcome.problems()
    assert not found, "\n".join([*found, *explain(outcome)])


@pytest.mark.parametrize("case", case_params())
def test_case_in_a_warm_index(case: Case) -> None:
    outcome = play_case(case, OUTLETS, warm_index())
    found = outcome.problems()
    assert not found, "\n".join([*found, *explain(outcome)])


def test_a_case_that_groups_wrongly_is_reported() -> None:
    # The checker itself: the same reports with their expected groups swapped fail.
    case = BY_ID["sn-texas-blast-and-tax-bill"]
    outcome = play_case(case, OUTLETS)
    stories = {n: p.story for n, p in enumerate(outcome.placed)}
    assert problems(case, stories, set()) == []
    merged = {n: 1 for n in stories}
    assert any(p.startswith("joined, but two events") for p in problems(case, merged, set()))
    split = {n: n for n in stories}
    assert any(p.startswith("split, but one event") for p in problems(case, split, set()))


# -- end to end ----------------------------------------------------------------------------------


def config_for(case: Case, feeds: FeedServer, tmp_path: Path) -> Path:
    (tmp_path / "rules").mkdir(exist_ok=True)
    (tmp_path / "rules" / "desk.toml").write_text(
        '[[rule]]\nname = "any"\nquery = "zzzunmatched"\nchannels = ["log"]\n', encoding="utf-8"
    )
    tables = "".join(
        f'[[feed]]\nurl = "{feeds.url(OUTLETS[f].path)}"\nname = "{OUTLETS[f].name}"\n'
        for f in case.feeds()
    )
    config = tmp_path / "config.toml"
    config.write_text(
        '[storage]\npath = "watcher.db"\n[rules]\npaths = ["rules"]\n'
        f"[fetch]\nconcurrency = 1\n{tables}"
        '[channel.log]\ntype = "console"\n',
        encoding="utf-8",
    )
    return config


def watcher(config: Path, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "watcher", "--config", str(config), *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env=dict(os.environ),
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def e2e_problems(case: Case, outlets: dict[str, Outlet], tmp_path: Path) -> list[str]:
    """Play the case through a loopback feed server and `watcher poll-once` per round, then
    check what `watcher stories --json` says against the case (and that each report is shown
    with its own headline)."""
    latest = max(r.published for r in case.reports)
    shift = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=1) - latest
    with FeedServer() as feeds:
        config = config_for(case, feeds, tmp_path)
        for feed in case.feeds():
            feeds.set(outlets[feed].path, rss([], title=outlets[feed].name))
        for feed_id, shown in rounds(case, outlets):
            outlet = outlets[feed_id]
            body = rss([entry(r, outlet, shift) for r in reversed(shown)], title=outlet.name)
            feeds.set(outlet.path, body)
            watcher(config, "poll-once")
    listed = json.loads(watcher(config, "stories", "--json", "--limit", "1000"))
    where = {(i["feed"], i["link"]): s["id"] for s in listed for i in s["items"]}
    titles = {(i["feed"], i["link"]): i["title"] for s in listed for i in s["items"]}
    by_key = {link_key(link): story for (_, link), story in where.items()}
    stories: dict[int, int] = {}
    folded: set[int] = set()
    found: list[str] = []
    for n, report in enumerate(case.reports):
        name, link = outlets[report.feed].name, canonical_url(report.link)
        if (name, link) in where:
            stories[n] = where[(name, link)]
            if titles[(name, link)] != report.title:  # another feed's entry taken for an edit
                found.append(f"{report.title!r} is shown as {titles[(name, link)]!r}")
        elif link_key(link) in by_key:
            stories[n] = by_key[link_key(link)]
            folded.add(n)
    return [*found, *problems(case, stories, folded)]


@pytest.mark.parametrize("case", [BY_ID[i] for i in END_TO_END], ids=END_TO_END)
def test_case_end_to_end_as_in_process(case: Case, tmp_path: Path) -> None:
    # Whatever the model decides, watcher itself groups the case as the in-process play does
    # (a difference is a bug of the pipeline, not of the model); and a case the model gets
    # right is right end to end.
    found = e2e_problems(case, OUTLETS, tmp_path)
    assert found == play_case(case, OUTLETS).problems()
    assert case.id in KNOWN_MISSES or found == []
