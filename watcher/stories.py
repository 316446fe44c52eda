"""Story grouping: which story a new item joins — a near-identical copy, the same event in other
words — or whether it starts one. Pure in-memory state: no I/O, no clock.

Tiers decided here (Tier.SAME — same key, URL or guid — is the store's job, before this):

* COPY: the body's MinHash signature (similarity.py) estimates a Jaccard similarity of at least
  ``copy_threshold`` with an item of an open story. Candidates come from LSH band keys. One
  template whose headlines differ in names and numbers is no copy (PairSignals._filled_apart).
* EVENT: the best few open stories sharing informative terms with the item are each described by
  a handful of signals (story_model.FEATURES: TF-IDF cosines of title, lead and both with the
  story's closest *and first* report, shared names (rare ones too) and numbers, conflicting
  names and numbers, time apart) and a learned logistic regression (story_model.py) gives the
  probability that the item reports the same event. The item joins the most probable story when
  that reaches the model's threshold and beats the runner-up by its margin; anything unsure
  starts a new story. A story that so far holds only the item's own feed's reports (its first
  and its closest) needs more: ``own_feed`` (0.95), unless the item tells the turn of an arc
  its first report opened or the aftermath of its happening, both headlines naming its kind by
  a word of its own (see OWN_FEED). Two headlines dated other
  days ("Best of cartoons, September 20" / "..., September 21") never join, nor two whose
  decimal figures differ and appear nowhere in the other report ("magnitude 6.4" / "7.1"),
  nor two whose headlines fill two slots of one template with other names ("Sabalenka beats
  Keys ..." / "Gauff beats Pegula ...": name_slots.two_slots),
  nor a report that places its event in another country than the story's first or closest
  report places its own, or in another province named as such, neither naming the other's
  (places.py: "in West Texas" / "in northern France", "Malatya province" / "Van province"),
  nor two whose headlines tell their happenings in two countries, neither report naming the
  other's and no rare name shared ("Floods hit Poland" / "Floods hit Portugal":
  PairSignals._headlines_apart).

**Merging.** Two reports of one event told in other words (opposite-leaning outlets) may each
start a story; a third report that fits both well shows them to be one. The item then joins the
older story and the younger is folded into it (`StoryDecision.merge`), when: both stories give
the item p >= ``merge_bar`` (0.85), each story but the largest holds at most ``merge_most``
(3) reports and the largest at most ``merge_grown`` (5: a story that has grown takes in a
split of its event, two grown stories never fold), the item's feed is in neither and the two
share no feed (one outlet's two stories are two events, see OWN_FEED), and some report of one
story fits the other at p >= ``merge_cross`` (0.3: the two are not strangers, no veto between
them). Measured in bench/README.md (*Story merging*; *One event in other words*, its *A grown
story takes in its split*).

**Precision first.** Merging two events loses an alert; splitting one costs a duplicate. The
model's threshold was chosen on training data for precision, not for F1.

**Story time.** A story takes in new reports for ``reach`` (24 h) after its *first* report,
and up to ``window`` (default 36 h) reports that tell of an earlier day's happening as such
(REACH); one whose first report opened an arc takes its turn up to ``hold`` (*The turn of a
story*). Time apart counts against a join (the model learned how much), so a report hours later
joins on ordinary similarity and a day-late one needs more. A story cannot live on by
chaining from one event into the next through a run of neighbours: every join is also judged
against the story's first report (``cos_anchor``), the clock runs from that report, a report
``chain_after`` (18 h) after it that fits through a later report must fit the first alone at
``chain_floor`` (CHAIN_FLOOR), and a report that says it is "unrelated to" what the first
report's headline names, or whose headline tells it happened again ("Second shark attack"),
joins nothing of it (story_signals._disowns). A report that tells
of an earlier day's happening as such ("a day after the quake", "after Monday's floods")
continues it: the day between them counts as BACK_APART (story_signals.py); so does a report
that names, in a sentence telling the past, the weekday its story's first report came out on and
told its happening on, not its own ("called Wednesday's verdict ..." on Thursday, under "... on
Wednesday convicted ...": textcues.days_named; within the reach only, ``days=False`` turns it
off). But a lead that
names a story's headline names only where it tells another happening beside its own ("a day
after three people died on Manaslu" under "Avalanche on Nepal's Dhaulagiri kills two", "on
the day one of its jets left the runway" under a strike vote) does not join it by that mention
(story_signals.PairSignals._aside_apart). Nor does a headline whose names shared with a story's
first headline all stand in its backdrop, after "during" or "amid", while before it the
headline names what that report never mentions ("Bomb threats made against White Ferns during
England tour" under "England pull out of Pakistan tour": textcues.backdrop,
story_signals.PairSignals._backdrop_apart). A live page (heads.live_page: "Covid-19 live: ...",
"Live updates: ...") lists the day's many developments, so it is no bridge: a report whose
closest is a live page, not the story's first report, must fit that first report alone at
``chain_floor`` however soon after it came (RNZ's live page listing Auckland's move and a
Waikato community's wait for test results; the wait joined Auckland's story through it).

**Every report agrees.** One event is told over several days, and a report more than a day
after its story's first (past the reach, within the window) often names no earlier day. It
still joins the story when the model, the time capped at the reach, gives it at least ``agree``
(AGREE, 0.97) against *every* report of the story (its first AGREE_MOST), no name conflict with
any; when the story holds reports of two or more outlets that are no copies of one another
(an update or a paper's run of a wire is one telling), none from the item's own outlet (an
outlet that told the event tells its next news); and when each report of the story fits its
first at AGREE_COHERE (a story that took in a second event told alike takes no more). A
saga's next event told in the same words agrees with the report before it, seldom with every
report of the story; one told as a new night or a new figure does not join this way: the two
name weekdays for their happenings and none the same, the headline says it came "again", the
report tells its happening as of its own night or morning ("Russian drones attack Kyiv
overnight", "last night", "this morning": a day after the story's first report, the next
night's), the headlines' figures conflict, or its headline opens an arc (arcs.py: a strike, an
arrest, an evacuation) no report of the story's headlines opened ("Unions call general strike
over pension bill" after the vote), or its headline tells a blow or unrest anew
(happenings.blow_anew: "Russian drones attack Kyiv", "Police fire tear gas at
Nairobi protesters", no toll, reaction or "after") under a story's first headline naming one,
and no weekday ties it to that report (a city's air strikes and a campaign's protests come
again night after night: two days on, the same words tell the next one). **A lone report.** A
story of one report has no second telling to agree with; within the window it takes another
outlet's report (not its own outlet's) when the model, the time capped at the reach, gives it
at least ``agree_lone`` (AGREE_LONE, 0.99) against that report, under the guards above, and
when the item's headline does not tell that report's happening anew (happenings.told_anew:
every word of it in the first headline, or the first's kind of happening named again with no
consequence the first did not tell) nor a court saga's next step (happenings.step_filed: a
party's appeal or request the first, a court's report, did not tell) nor another saga's next
step or the next happening (happenings.step_next: "another", "second", "successor", "new"
before an office, the other chamber's vote, a body's step such as a postponement or a veto
the first did not tell, a death where the first told the wounded): the next event told in
its words by another outlet a day later (a second quake on Crete, another boat off Lampedusa,
the appeal against yesterday's conviction, the lower house's vote after the senate's) weighs
as much as its follow-up,
and such a story takes nothing past the window (``agree_lone`` above 1 turns it off; session
19's review took session 18's AGREE_ONE out for those two, bench/README.md *A lone report a
day later*). Past the window, a story of two or more outlets still takes such a report up to
``agree_hold`` (AGREE_HOLD, 72 h) after its first report, and the index keeps its reports that
long (prune, the start-up rebuild), at most ``agree_slots`` of them past the window
(AGREE_SLOTS, 2,000: the stories whose first report is oldest go first, so memory stays bounded
whatever the traffic) (StoryIndex._agreed; ``agree`` above 1 turns it off, ``agree_hold`` at
the window the hold).
Within a story's first half-day (AGREE_NEAR_WITHIN), a report another outlet tells in other
words, under the bar against the story's closest report, joins when every report of the story
gives it at least ``agree_near`` (AGREE_NEAR, 0.45) on the same terms, neither side a headline
alone (too few words to agree on under the bar): two outlets' tellings
that both fit it are the story as a whole agreeing, where one report's fit alone would be too
little (``agree_near`` above 1 turns it off). Only two tellings: the story's later report told
in other words from its first (AGREE_NEAR_ALIKE), since two reports in the same words are one
piece of evidence (one leader's next act fits both as well as one); and a headline naming a
month agrees with no story whose first headline names only others (June's jobs, April's). And
the item's headline must share a word of what happened with the story's headlines (not only
the actor's name and title: one leader's next act fits every report of the first as well).
Measured in bench/README.md (*Every report
agrees*, *A night of its own*, *A story two outlets told, past the window*).

**A lone report's own names.** One event told by a second outlet from another angle (its
headline describing what the first names: "Mauritania: a decade behind bars for the former
minister who sold the gas" under "Former oil minister Ould Cheikh jailed for 10 years") is
weighed under the bar against a story of one report, as a saga's other day would be; but the
two leads name the same people, bodies or ships, and in a live window such names are seldom
another story's. A story of one report, another outlet's (not the item's own, not a headline
alone on either side), takes a report the model weighs at ``lone_floor`` (LONE_FLOOR, 0.3) or
more, under the threshold, when the two share LONE_NAMES (2) rare names (no generic news word,
no kind of institution's word, no known place: one country's or city's events are many) that
no report of another story within the window holds, one of them written in a headline, while
their headlines share no rare name and are told in other words (title cosine under
LONE_TITLES, 0.15), and no later guard stands (story_signals.PairSignals._named_alone;
``lone_floor`` above 1 turns it off). One actor's two acts name the actor in both headlines
("Kovalenko sacks army chief" / "Kovalenko signs law lowering conscription age"), and an
official's two cases name the official in both leads and in neither headline ("Ex-minister
charged ..." / "Customs chief indicted ...", the prosecutor's names): those are left to the
model, as is a story of two or more reports (*Every report agrees*). Measured in
bench/README.md (*A lone report's own names*, *... with what happened*).

**The same happening.** A disaster's or an accident's aftermath is reported the next day in
other words ("Torrential rain floods towns across Slovenia" / "Slovenia counts the dead after
floods"): the two share a place and the kind of happening, and too few words for the model. An
item whose headline names a kind of happening (happenings.py: flood, wildfire, mine, dam,
typhoon, cyber attack, a company's results...) that the story's first headline names too, that
shares a rare name (the place) with that report, and that tells consequences (the dead, the
rescue, the flight) or refers back to an earlier day joins it at the model's threshold, within
the story's time and when no guard or name conflict stands between it and the first report
(story_signals.PairSignals._same_happening; ``happenings=False`` turns it off). Only kinds that
seldom happen twice in one place in a day are listed, not crimes or votes. Measured in
bench/README.md (*The same happening a day later*). **An election** is such a happening too
(a country votes once, and its day brings a dozen reports naming other candidates and issues):
an item whose headline tells the vote itself (an election's word and the voting, the count or
the result: happenings.ELECTION, vote_told) and names a country by its own name or its people's
word ("Canadians vote in ... election", "Putin's party wins Russia's election": places.nations)
joins a story whose first headline does the same for one of those countries, at the threshold,
when no guard stands (the name conflict's veto included), not of its own feed alone; two such
stories that both take it are fragments of that vote and are folded, as a ceremony's are. A
campaign's other news (a rally, a plan, a court's ban, a claim of meddling) is not read so,
nor a state's or a city's election: "election" is one word of a country's politics every day
(a state's count, its lawsuits, its audit: allsides' US stories). The other way round, two
headlines naming different stages of a trial (the jury out or the verdict awaited / the verdict:
happenings.STAGES, PENDING) never join, whatever names and words they share (``stages=False``
turns it off). Days later, past the reach and the window, such a happening is still named as
past by its own name: "Italian police arrest shepherd over Sardinia wildfire that burned 12,000
hectares" 41 h after "Wildfire forces evacuation of villages near Oristano in Sardinia", "two
days after Cyclone Imani". A story whose first headline names a kind by a word of its own is
held for ``hold`` (KIND_HELD), and a report whose text names, after "after", "since", "over" or
"following", that kind with a rare name of the first headline (written with a capital, or a
storm's name after its title in a headline read as title case: "Thousands in Hualien still
without power three days after Typhoon Koinu"; no "a", "another", "separate" in the span:
similarity's `recalled`), its headline telling no fresh
happening of that kind ("Strong quake hits Piura two days after Arequipa quake"), joins it when
no guard or name conflict stands between it and the first report, the time capped at the reach
(story_signals.PairSignals._recalls). A back reference naming *an* earlier happening ("two days
after a gas blast at another mine", "hundreds of kilometres from the region hit by Monday's
deadly quake") names no story's own and lets no saga in.

**The turn of a story.** One event also comes back the next day as its turn, in other words:
"Gunmen abduct 12 bus passengers in Cameroon's North-West" / "Nine abducted travellers freed in
Anglophone region, army says". An item whose headline tells the turn of an arc (arcs.py:
missing -> found, abducted -> freed, a blackout -> restored, closed -> reopened, a fire -> a vow
to rebuild) joins a story whose first headline told the arc's opening and not yet its turn, at
the model's threshold, when the two share a name (a name on both sides, not a word of the arc),
name no two different kinds of happening (a fire's evacuation, a flood's return) and the model
gives the pair, against the first report, at least ``arc_floor`` (ARC_FLOOR) with every guard
standing, within the story's time; a headline telling a trial's stage ("found guilty") tells
no turn (arcs.py). When the item's headline names the arc's
opening too ("abducted travellers freed", "rebuild ... after blaze") the name conflict's veto
is waived: the two name one subject in other words (story_signals.PairSignals._same_arc;
``arcs=False`` turns it off). A turn comes days later as often as the next day ("Bodies of three
climbers found on Mount Logan" three days after they went missing): a story whose first report opens
an arc of arcs.HELD (people missing, abducted, trapped; a strike, a blackout: not a lockdown, a
closure, a fire or an arrest, which last weeks) takes the report telling its turn for ``hold``
(HOLD, 96 h) after its first report, past the reach and the window (nothing else joins it then); the
model weighs that pair with the time capped at the reach (it learned no pair further apart). The
index keeps such a first report (story_slots' ``_held``) past the window until then: its prune and
the start-up rebuild (assembly.py) both hold it (``holds``). A saga's next event told in the same
words ("a second minister resigns") names no turn and is left to the model. Measured in
bench/README.md (*The turn of a story*, *An arc's turn days later*).

**An awards ceremony.** A ceremony is one happening: its red carpet, its host's monologue, each
winner and each speech are reported by the dozen in one night, each report naming other people
(nominees, winners, guests), so the learned model, or the name-conflict veto, parts them (on the
labelled real day the Emmys' 47 reports were 28 stories). A ceremony of one name is held once a
year, so an item whose headline names a name (no ceremony's word) that a story's first headline
names too, one of the two writing it as the ceremony's name (right before the ceremony's own
noun: "the Emmy Awards", "Cannes red carpet"; happenings.ceremony_names: not "Pentagon awards
Boeing contract", whose shared "Boeing" with "Boeing chief's speech" is no ceremony's), each
headline in a ceremony's words (happenings.CEREMONY: "nominee", "winners", "speech"), not only
those both write ("Met Gala"), one of them in the ceremony's own (CEREMONY_OWN: "awards",
"ceremony", "red carpet"), neither a preview (happenings.previewed: "what to expect"), within
CEREMONY_HOURS of that first report, joins it at the model's threshold when no guard stands
between them, the name conflict's veto waived (story_signals.PairSignals._same_ceremony;
``ceremonies=False`` turns it off). Two stories the item gives alike whose first headlines both
share one ceremony's name with it, the item or they naming the ceremony itself, are fragments of
that one event: the item joins the better, not a new story; when two or more such stories take
it at the threshold, it joins the oldest and the others are folded into it, whatever their
size (StoryDecision.merge). Not two ceremonies' stories, each sharing another name with an item
naming both (_one_night). A report of the night whose headline writes no word of a ceremony
but names it by the plural of the name a story's first headline writes as the ceremony's
("Viewers mock a star's suit at the Lumens" after "Stars arrive on the red carpet at the Lumen
Awards"; a guest's tribute, the host's joke; not the singular, "Lumen Technologies", "Tony
Blair"; a people's plural only as "the Brits": happenings.plural_names), that first headline
telling the ceremony itself (CEREMONY_OWN, no preview), joins it the same way within
CEREMONY_HOURS (story_signals._names_ceremony). Neither rule joins a headline telling a guest's
or the organisers' own news (a death, a charge, a deal, what is to come, no prize won:
happenings.own_news). A preview is told on either side by PREVIEW's words ("predictions",
"will win": happenings.previews_read; not "as expected"), or by words of aim or odds in no word
of a ceremony ("Streamly eyes Lumen glory", "tipped to win"; not "eye-catching looks on the red
carpet": happenings.previewed). Two headlines naming ceremonies by other names, each a name the
other does not write ("Lumen Music Awards" / "Aurora Music Awards": the run of capitals before
the ceremony's noun), never join, nor fold (happenings.ceremonies_apart). Measured in
bench/README.md (*A labelled real day*).

**Named storms.** A storm is named ("Hurricane Ida", "Tropical Storm Rose"), and two of a
season's storms often form or strike the same day, told in the same words ("... forms in the
Atlantic"). An item whose headline names a storm (happenings.storm_names: the capitalised word
after a capitalised storm title, not a noun the title makes a compound of: "Storm Surge",
"Tropical Storm Warning") joins no story whose first headline names a storm by another name,
neither headline naming the other's (story_signals.PairSignals._storms_apart). And an item
of another outlet whose headline names the storm of a story's first headline (as a name: "...
counts cost of Odette" under "Hurricane Odette makes landfall in Bermuda") and no other storm
and tells what a storm brings or leaves ("left without power", "counts cost": happenings.
STORM_WAKE) joins it when no guard but a name conflict vetoes the pair, whatever words it
tells the damage in and wherever it places it (one storm crosses islands and countries:
"Britain's Atlantic territory" under "... in Bermuda"; story_signals.PairSignals._same_storm).

**Office holders.** A holder is named after a capitalised office title ("Governor Kiprono",
"Mayor Ama Mensah": happenings.holder_names, the run's last word, none in a title-case
headline), and two of a country's governors or mayors are often in one kind of news the same
day. An item whose headline names a holder joins no story whose first headline names a holder
of that office (its title word in both headlines) by another name, neither headline naming
the other's (story_signals.PairSignals._holders_apart). Holders of two offices ("Governor
Hochul" / "President Biden" on one flood) part nothing.

**Robust to the index's state.** A word's IDF starts from a fixed weight (generic news words,
seeded, weigh less) and what the index learns online (hashed document counts that forget
slowly) may only lower it, by at most ``idf_learning`` nats: a fresh index and one warmed by a
day of traffic weigh words nearly alike. Every signal is normalised per pair, and the model was
trained on fresh and warmed indexes alike. (Unbounded online IDF let a warmed index join what a
fresh one kept apart.)

Memory is kept compact: no Python object per item (story_slots.py holds the slots). Candidates
are counted (in C, by collections.Counter) over the newest ``max_postings`` slots of the
query's ``probe_terms`` most informative terms, so joining costs the same with 1,000 or 100,000
items in the window; only the best ``rescore`` are scored exactly and only the best
``shortlist`` stories go to the model, with the signals story_signals.py computes.

Three layers, each a module: StorySlots (story_slots.py: the storage) <- PairSignals
(story_signals.py: what the model is told of a pair) <- StoryIndex (here: the decision, and the
merge step). Each calls only the layers below it.
"""

from __future__ import annotations

import math
import re
from array import array
from collections import Counter
from collections.abc import KeysView, Sequence
from datetime import datetime, timedelta
from itertools import chain, islice
from operator import itemgetter

import xxhash

from watcher.arcs import HELD, OPENS, arc_mask, may_open, opened, turned
from watcher.happenings import (
    AFTERMATH,
    HARM,
    KIND_OF,
    MOURNING,
    blow_named,
    ceremonies_apart,
    ceremony_told,
    kinds,
    named,
    one_kind,
    previewed,
    share_what_happened,
    step_filed,
    step_next,
    told_anew,
    what_happened,
)
from watcher.minhash import SIG_BINS, band_keys, jaccard
from watcher.model import Item, StoryDecision, Tier
from watcher.similarity import NO_SUBJECT, TextFeatures, WordInfo, features
from watcher.story_model import FEATURES, JoinModel, default_model
from watcher.story_signals import IDF_LEARNING, PairSignals, Query
from watcher.story_slots import DEAD, NAME_BIT, RAW_MASK, TITLE_BIT

# The probability a report needs to join a story whose first and closest reports are its own
# feed's. An outlet writes many reports on one subject a day in its own words (a city's Covid
# news, a league's round, a region's crime), so their wording agrees more than two outlets'
# on one event; its second report of one event is usually an edit of the first (one item).
# On the labelled real day, such joins were wrong 33 times in 48 at the model's threshold.
# A report whose headline tells the turn of an arc the story's first headline opened ("Refinery
# blaze out after nine hours" under "Fire at Saint John refinery ...": arcs.py) needs only the
# threshold: a turn closes what its first report opened, where one outlet's many reports on one
# subject tell none (bench/README.md, *One event told again by its own outlet*).
OWN_FEED = 0.95
# How long after a story's first report another report joins it on its own. Later (up to the
# window) only a report that tells of that earlier day's happening as such joins ("a day after
# the quake", "death toll rises to"): a day after a semi-final, a jury retiring or a strike
# call, a report naming the same people is usually the saga's next event (the final, the
# verdict, the offer), told in the same words. Measured in bench/README.md (*Twenty-seven more*).
REACH = timedelta(hours=24)
# A report this long after a story's first report that fits the story through a later report
# (its closest is not the first) must also fit the first report alone at CHAIN_FLOOR: a story
# must not chain from one event into the next through a run of neighbours (the owner's tax
# arrest through the inquiry into the owner of a burnt warehouse). Measured in bench/README.md
# (*Chains through a neighbour*).
CHAIN_AFTER = timedelta(hours=18)
CHAIN_FLOOR = 0.3
# A report telling the turn of an arc a story's first report opened (arcs.py) joins it when the
# model gives it at least this: see *The turn of a story* (docstring). The rule's wrong pairs
# on the labelled sets scored under 0.02, invented pairs of other people in one place up to 0.2;
# the held-out cases' turns 0.36 to 0.67 (bench/README.md, *The turn of a story*).
ARC_FLOOR = 0.3
# How long after a story's first report the *An awards ceremony* rule holds: a ceremony's
# red carpet, show and winners are told in one night's hours; a report the next day tells its
# aftermath (the audience figures, the reviews), news of its own.
CEREMONY_HOURS = 12 * 3600.0
# The bit of a slot's held mask (StorySlots._held) for a story's first report naming a kind of
# happening by a word of its own (happenings.named): a report naming that happening as past by
# its rare headline name ("over Sardinia wildfire", "two days after Cyclone Imani") joins it up
# to HOLD (*The same happening*, story_signals.PairSignals._recalls).
KIND_HELD = 1 << 15
# A story whose first report opens an arc of arcs.HELD (people missing, abducted, trapped; a strike,
# a blackout) takes a report telling that arc's turn ("bodies found", "hostages freed", "strike
# ends") for this long after its first report, past the reach and the window: see *The turn of a
# story* (docstring).
HOLD = timedelta(hours=96)
# A report past a story's reach (within the window, no back reference) still joins it when every
# report of the story (two or more, of two or more outlets, none the item's own) gives it at
# least this, the time capped at the reach: *Every report agrees* (docstring).
AGREE = 0.97
AGREE_MOST = 12  # ... the story's first reports asked (a grown story: its first dozen)
AGREE_COHERE = 0.5  # ... each of them, against the story's first report, as the model weighs it
# ... and the item's cosine with the story's first report, asked first: on the allsides train
# streams at spread 48 and 96 no pair the model gave AGREE had one under 0.41, and four in five
# of the stories asked have one under 0.3 (bench/README.md, *Every report agrees*)
AGREE_COSINE = 0.3
# ... and past the window, up to this long after its first report, a story told by two or more
# outlets (no one-report story) still takes such a report: the index keeps its reports that
# long (prune, story_slots' ``_kept``). *Every report agrees* (docstring).
AGREE_HOLD = timedelta(hours=72)
# ... but at most this many of those reports are kept past the window (about 1 MB at ~460 bytes
# a slot), so that memory stays bounded whatever the traffic: over it, the stories whose first
# report is oldest are dropped first (prune). *A story two outlets told, past the window*.
AGREE_SLOTS = 2_000
# A story of one report, past its reach and within the window, takes another outlet's report
# that the model, the time capped at the reach, gives at least this against that report, under
# every guard of *Every report agrees* and happenings.told_anew: *A lone report* (docstring).
AGREE_LONE = 0.99
_WORDS = re.compile(r"[A-Za-z0-9']+")  # a headline's words, for happenings.step_next
# Within a story's first AGREE_NEAR_WITHIN, an item the model weighs under the bar against the
# story's closest report still joins it when every report of it (two or more outlets, as above)
# gives it at least AGREE_NEAR, the time as it is, and its cosine with the story's first report
# is at least AGREE_NEAR_COSINE: the story as a whole agrees (*Every report agrees*, docstring).
# Later, a saga's next step told in the story's words fits every report as well ("After House
# impeaches Trump ..." 21 h under "Republicans dare Pelosi to hold impeachment vote" and
# "Trump's impeach-me strategy"): bench/README.md, *The story as a whole agrees*.
AGREE_NEAR = 0.45
AGREE_NEAR_COSINE = 0.2
AGREE_NEAR_WITHIN = timedelta(hours=12)
# ... and only when the story's reports are two pieces of evidence, not one told twice: a
# later report of another outlet shares under AGREE_NEAR_ALIKE of its kept terms with the first
# (told in other words), or under AGREE_NEAR_SAME (two short reports in other words share about
# a third) and shares with the item a term the first lacks. Two reports of an asylum plan in
# the same words, and four hours later the same prime minister's sacking of a minister: its
# fit to the one is its fit to the other (StoryIndex._heard_apart). Every allsides report the
# rule joins has its story's two reports under 0.3 (at most 0.297); two reports told alike
# share 0.4-0.8 (bench/README.md, *The story as a whole agrees, told twice*).
AGREE_NEAR_ALIKE = 0.3
AGREE_NEAR_SAME = 0.45
# ... and only when the item's headline shares a word of what happened with the story's
# headlines (StoryIndex._happened_alike, ``agree_near_happened``; happenings.what_happened: no
# name, place, office, generic word or word of telling): two outlets' tellings of a prime minister's
# asylum plan in other words, and hours later a third outlet's "Edvardsen sacks minister over
# expenses row", which fits each report by his name and title alone. With all the story's
# reports' words together, not each report's: allsides' tellings in other words share few
# headline words (bench/README.md, *What happened, as the second condition*).
_CONFLICT = FEATURES.index("name_conflict")
_NUMBERS_APART = FEATURES.index("number_conflict")
_SHORT = FEATURES.index("short")
_COS_TITLE = FEATURES.index("cos_title")
# A story of one report, another outlet's, takes a report the model weighs under the threshold
# but at least this when the two share LONE_NAMES rare names, no places, that no report of
# another story in the window holds and their headlines share none (PairSignals._named_alone),
# neither side a headline alone: *A lone report's own names* (docstring).
LONE_FLOOR = 0.3
LONE_TITLES = 0.15  # ... and the headlines' cosine is under this: told in other words
MERGE_BAR = 0.85  # both stories' probability for the item, to fold one into the other
MERGE_CROSS = 0.3  # ... and the best probability of a report of one against the other
MERGE_MOST = 3  # ... and every story but the largest holds no more reports than this
MERGE_GROWN = 5  # ... and the largest no more than this: a grown story takes in its split


class StoryIndex(PairSignals):
    """The join index over items of open stories: pure in-memory state, no I/O, no clock."""

    def __init__(
        self,
        *,
        window: timedelta = timedelta(hours=36),
        reach: timedelta = REACH,
        copy_threshold: float = 0.7,
        model: JoinModel | None = None,
        threshold: float | None = None,
        margin: float | None = None,
        lead_words: int = 120,
        title_weight: int = 2,
        max_terms: int = 24,
        probe_terms: int = 14,
        max_postings: int = 32,
        rescore: int = 12,
        shortlist: int = 3,
        idf_horizon: int = 200_000,
        idf_learning: float | None = None,
        own_feed: float = OWN_FEED,
        merge_bar: float = MERGE_BAR,
        merge_cross: float = MERGE_CROSS,
        merge_most: int = MERGE_MOST,
        merge_grown: int = MERGE_GROWN,
        chain_after: timedelta = CHAIN_AFTER,
        chain_floor: float = CHAIN_FLOOR,
        happenings: bool = True,
        stages: bool = True,
        arcs: bool = True,
        arc_floor: float = ARC_FLOOR,
        ceremonies: bool = True,
        hold: timedelta = HOLD,
        days: bool = True,
        agree: float = AGREE,
        agree_hold: timedelta = AGREE_HOLD,
        agree_slots: int = AGREE_SLOTS,
        agree_near: float = AGREE_NEAR,
        agree_near_within: timedelta = AGREE_NEAR_WITHIN,
        agree_near_alike: float = AGREE_NEAR_ALIKE,
        agree_near_happened: bool = True,
        lone_floor: float = LONE_FLOOR,
        agree_lone: float = AGREE_LONE,
    ) -> None:
        model = model if model is not None else default_model()
        super().__init__(
            model=model,
            idf_horizon=idf_horizon,
            idf_learning=IDF_LEARNING if idf_learning is None else idf_learning,
            max_postings=max_postings,
        )
        self.window = window
        self.reach = reach
        self.copy_threshold = copy_threshold
        self.threshold = self.model.threshold if threshold is None else threshold
        self.margin = self.model.margin if margin is None else margin
        self.lead_words = lead_words
        self.title_weight = title_weight
        self.max_terms = max_terms
        self.probe_terms = probe_terms
        self.rescore = rescore
        self.shortlist = shortlist
        self.own_feed = own_feed
        self.merge_bar = merge_bar  # above 1: never merge
        self.merge_cross = merge_cross
        self.merge_most = merge_most
        self.merge_grown = max(merge_grown, merge_most)
        self.chain_after = chain_after
        self.chain_floor = chain_floor  # 0: no floor
        self.happenings = happenings  # the docstring's *The same happening* rule
        self.stages = stages  # two stages of a trial never join (happenings.STAGES)
        self.arcs = arcs  # the docstring's *The turn of a story* rule
        self.arc_floor = arc_floor
        self.ceremonies = ceremonies  # the docstring's *An awards ceremony* rule
        self.hold = max(hold, window)  # a story whose first report opens an arc: see HOLD
        self.days = days  # a weekday both reports name: story_signals._names_first_day
        self.agree = agree  # past the reach, every report agrees: _agreed (above 1: never)
        self.agree_hold = max(agree_hold, window)  # ... a story of two outlets: see AGREE_HOLD
        self.agree_slots = agree_slots  # ... at most this many of its slots: see AGREE_SLOTS
        self.agree_near = agree_near  # within the reach, under the bar: AGREE_NEAR (above 1: off)
        self.agree_near_within = agree_near_within.total_seconds()  # ... AGREE_NEAR_WITHIN
        self.agree_near_alike = agree_near_alike  # ... AGREE_NEAR_ALIKE (above 1: any reports)
        self.agree_near_happened = agree_near_happened  # ... what happened shared (False: off)
        self.lone_floor = lone_floor  # a lone report's own names: LONE_FLOOR (above 1: never)
        self.agree_lone = agree_lone  # ... a story of one report, in the window (above 1: never)
        self._cache: tuple[Item, TextFeatures, list[tuple[int, int]]] | None = None
        # the stories the last item's headline tells one awards ceremony with (_contenders)
        # ... and the names of that ceremony it shares with each (story_signals._one_ceremony)
        self._ceremonial: dict[int, frozenset[int]] = {}
        # the stories whose first headline tells an election with the last item's: the country
        # bits both name (_contenders, _one_vote)
        self._polls: dict[int, int] = {}
        self._vocab: dict[str, WordInfo] = {}  # similarity's per-word memo, bounded there
        self._feed_of = ("", int(xxhash.xxh32_intdigest(b"")) & 0xFFFF)  # see _feed_number

    # -- public API (merge, prune, mark and len are StorySlots', story_slots.py) -------------

    def decide(self, item: Item) -> StoryDecision:
        feats, keys = self._features(item)
        ref = item.published.timestamp()
        copy = self._best_copy(feats, keys, ref)
        if copy is not None:
            return copy
        feed = self._feed_number(item)
        ranked = sorted(self._contenders(feats, ref, feed), reverse=True)
        if not ranked or ranked[0][0] < self.threshold:
            return StoryDecision(None, Tier.NEW)
        best, story, _ = ranked[0]
        fragments = [s for p, s, _ in ranked if p >= self.threshold and s in self._ceremonial]
        if len(fragments) > 1 and self._one_night(fragments):  # *An awards ceremony*
            return self._folded(fragments, best)
        fragments = [s for p, s, _ in ranked if p >= self.threshold and s in self._polls]
        if len(fragments) > 1 and self._one_vote(fragments):  # *An election*
            return self._folded(fragments, best)
        if len(ranked) > 1 and ranked[1][0] >= self.merge_bar:
            found = self._mergeable([s for p, s, _ in ranked if p >= self.merge_bar], feed)
            if found is not None:
                return StoryDecision(found[0], Tier.EVENT, round(best, 3), found[1])
        if (
            len(ranked) > 1
            and best - ranked[1][0] < self.margin
            and not self._one_night((story, ranked[1][1]))
        ):  # two open stories fit about equally: unsure (two of one ceremony are one event)
            return StoryDecision(None, Tier.NEW)
        return StoryDecision(story, Tier.EVENT, round(best, 3))

    def _folded(self, fragments: list[int], best: float) -> StoryDecision:
        """The item joins the oldest of `fragments` (stories of one happening), the others
        folded into it."""
        fragments.sort(key=lambda s: self._ends.first(s, -1))
        return StoryDecision(fragments[0], Tier.EVENT, round(best, 3), tuple(fragments[1:]))

    def _one_vote(self, stories: Sequence[int]) -> bool:
        """Are `stories` fragments of one country's election: the last item's headline and each
        one's first headline tell an election naming one country, the same for all (_polls)?"""
        common = -1
        for story in stories:
            common &= self._polls[story]
        return common != 0

    def _after_the_night(self, feats: TextFeatures, first: int) -> bool:
        """Does a story's first headline write a ceremony's name ("the Lumen Awards") the
        item's headline does not write, as a name or its plural or prize (TextFeatures.plurals)?
        Asked after CEREMONY_HOURS: the day after, a report not naming the ceremony (a show's
        explainer, a star's other news) is no part of its night. Not when the item's headline
        shares another name with that first headline (_shares_name): the first report told
        news of its own the ceremony's name only qualifies ("Lumen Awards host Marc Albi
        accused of harassment" / "Marc Albi denies harassment claims" the next day; "... cancelled
        after bomb threat at Marseille venue" / "Man charged over bomb threat ... Marseille's
        Palais du Pharo"), and the next day's report goes on with it."""
        names = self._ceremony.get(first)
        return (
            names is not None
            and names.isdisjoint(feats.title)
            and names.isdisjoint(feats.plurals)
            and not self._shares_name(feats, first, names)
        )

    def _one_night(self, stories: Sequence[int]) -> bool:
        """Are `stories` fragments of one ceremony's night: each shares with the last item a
        name of a ceremony it tells (_contenders), one name with all of them? Two ceremonies
        the same night are two events, though a report may name both ("the Lumen Awards' host
        to host the Aurora Awards")."""
        none: frozenset[int] = frozenset()
        if not frozenset.intersection(*[self._ceremonial.get(s, none) for s in stories]):
            return False
        firsts = [self._ends.first(s, -1) for s in stories]
        return not any(
            ceremonies_apart(
                self._ceremony.get(one, none),
                self._title_of(one),
                self._ceremony.get(other, none),
                self._title_of(other),
            )
            for k, one in enumerate(firsts)
            for other in firsts[k + 1 :]
        )

    def contenders(self, item: Item) -> list[tuple[int, tuple[float, ...], float]]:
        """The open stories the model weighs for `item`: (story, signals, probability), best
        first. For training and explaining; decide() makes the choice."""
        feats, _ = self._features(item)
        when, feed = item.published.timestamp(), self._feed_number(item)
        ranked = sorted(self._contenders(feats, when, feed), reverse=True)
        return [(story, signals, p) for p, story, signals in ranked]

    def add(self, item: Item, story_id: int) -> None:
        feats, keys = self._features(item)
        if self.idf_learning > 0.0:
            self._count_df(feats)
        terms = feats.weights
        ranked = sorted(zip(self._tfidf(feats), terms, terms.values(), strict=True), reverse=True)
        weighted = ranked[: self.max_terms]  # the heaviest: enough for the cosine, bounded per item
        names, title = feats.names, feats.title
        tids = [tid for _, tid, _ in weighted]
        packed = [
            raw | (NAME_BIT if tid in names else 0) | (TITLE_BIT if tid in title else 0)
            for _, tid, raw in weighted
        ]
        self._append(
            story_id,
            item.published.timestamp(),
            self._feed_number(item),
            feats.signature,
            keys,
            tids,
            packed,
            math.sqrt(sum([weight * weight for weight, _, _ in weighted])),
            self._sub_norms(tids, packed) if self.idf_learning <= 0.0 else (0.0, 0.0),
            feats.subject,
            (feats.places, feats.mentions, feats.region, feats.headline, feats.titled),
            feats.contexts,
            self._holds(feats, story_id),
            feats.ceremony,
            feats.storms,
            feats.holders,
            feats.days,
            feats.live,
            feats.polled,
            feats.earlier,
            (feats.states, feats.state_mentions),
            feats.city if feats.city != NO_SUBJECT else None,
            feats.party,
            feats.kin,
            feats.months,
        )
        self._queried = None  # its query served decide() and add(): stored now

    def prune(self, before: datetime) -> int:
        """Drop the items published before `before` (the window's start), but a story's first
        report opening an arc until `hold - window` before it (HOLD), and the reports of a
        story told by two or more outlets until its first is `agree_hold - window` before it
        (AGREE_HOLD), at most `agree_slots` of them (AGREE_SLOTS: the oldest stories go first)."""
        held = (before - (self.hold - self.window)).timestamp()
        if self.agree > 1.0 or self.agree_hold <= self.window:
            return self._prune(before.timestamp(), held)
        kept = (before - (self.agree_hold - self.window)).timestamp()
        return self._prune(before.timestamp(), held, kept, self._told_by_two, self.agree_slots)

    def _told_by_two(self, story: int) -> bool:
        """Is `story` told by two or more outlets, not as copies (_told_twice)? Its reports may
        still agree with a later one past the window (AGREE_HOLD)."""
        return self._told_twice(self._slots_of(story, AGREE_MOST))

    def holds(self, item: Item, story_id: int) -> bool:
        """Is `item`, added now to `story_id`, a first report the index holds past the window
        (HOLD)? For a rebuild from the store: such items are kept from `hold` back."""
        if not self._may_hold(story_id):
            return False
        if not may_open(item.title) and KIND_OF.keys().isdisjoint(self._title_terms(item)):
            return False  # no word of an arc's opening nor a kind: no features worked out
        return self._holds(self._features(item)[0], story_id) != 0

    def _title_terms(self, item: Item) -> frozenset[int]:
        """The item's headline terms alone: cheaper than its features (title and lead)."""
        return features(item.title, "", lead_words=0, vocab=self._vocab).title

    def _may_hold(self, story_id: int) -> bool:
        """Does the index hold first reports past the window (HOLD), and has `story_id` no
        report yet (the item is its first)?"""
        return (
            (self.arcs or self.happenings)
            and self.hold > self.window
            and self._ends.first(story_id, -1) < 0
        )

    def _holds(self, feats: TextFeatures, story_id: int) -> int:
        """The arcs (arcs.arc_mask) a story's first report opens, when the item is that (no
        report of `story_id` yet): the index holds it for `hold`. 0 otherwise."""
        title = feats.title
        # in C: most headlines open no arc and name no kind of happening
        opens = self.arcs and not OPENS.keys().isdisjoint(title)
        kind = self.happenings and not KIND_OF.keys().isdisjoint(title)
        if not (opens or kind) or not self._may_hold(story_id):
            return 0
        mask = arc_mask(HELD & (opened(title) - turned(title))) if opens else 0
        return mask | KIND_HELD if kind and named(title) else mask

    def move(self, item: Item, from_story: int, to_story: int) -> bool:
        """The desk split `item` out of `from_story` (issue 15): its slot now belongs to
        `to_story`, so reports joining through it join the new story, and it never brings
        them to the old one. False when the item is not in the index (out of the window)."""
        feats, _ = self._features(item)
        ref, sig = item.published.timestamp(), array("I", feats.signature)
        for slot in range(len(self._story)):
            if (
                self._story[slot] == from_story
                and self._time[slot] == ref
                and self._sig[slot * SIG_BINS : (slot + 1) * SIG_BINS] == sig
            ):
                self._story[slot] = to_story
                self._ends.setdefault_first(to_story, slot)
                self._rechain()
                return True
        return False

    def forget_since(self, mark: int) -> int:
        """Drop the items added since `mark`: their transaction was rolled back, so their story
        ids no longer exist and must never be offered again (a join to one would fail the next
        insert on its foreign key, poll after poll). The slots die as pruned ones do; their
        document-frequency counts stay, a drift as small as a pruned item's."""
        gone = self._forget_since(mark)
        self._cache = None
        return gone

    # -- an item's features ------------------------------------------------------------------

    def _feed_number(self, item: Item) -> int:
        """16 bits of a hash of the item's feed URL: two feeds share one once in 65,536 pairs.
        The last feed's is kept: decide() then add() ask it for one item, and a poll's items
        come from one feed."""
        if item.feed_url != self._feed_of[0]:
            number = int(xxhash.xxh32_intdigest(item.feed_url.encode())) & 0xFFFF
            self._feed_of = (item.feed_url, number)
        return self._feed_of[1]

    def _features(self, item: Item) -> tuple[TextFeatures, list[tuple[int, int]]]:
        """The item's features and its signature's band keys."""
        # decide() then add() for the same item is the pipeline's pattern: compute once.
        if self._cache is not None and self._cache[0] is item:
            return self._cache[1], self._cache[2]
        feats = features(
            item.title,
            item.summary,
            lead_words=self.lead_words,
            title_weight=self.title_weight,
            vocab=self._vocab,
        )
        keys = band_keys(feats.signature)
        self._cache = (item, feats, keys)
        return feats, keys

    def _open(self, slot: int, ref: float, window: float) -> bool:
        """Is the slot alive, near `ref`, and its story still taking reports at `ref`
        (`window`: the window's seconds)?"""
        story = self._story[slot]
        if story == DEAD or abs(self._time[slot] - ref) > window:
            return False
        return abs(self._time[self._ends.first(story, slot)] - ref) <= window

    # -- tier 2: copies ---------------------------------------------------------------------

    def _best_copy(
        self, feats: TextFeatures, keys: list[tuple[int, int]], ref: float
    ) -> StoryDecision | None:
        best: tuple[float, int] | None = None
        window = self.window.total_seconds()
        for _, key in keys:
            slot = self._bands.get(key)
            if slot is None or not self._open(slot, ref, window):
                continue
            other = self._sig[slot * SIG_BINS : (slot + 1) * SIG_BINS]
            score = jaccard(feats.signature, other)
            if (
                score >= self.copy_threshold
                and (best is None or score > best[0])
                and not self._filled_apart(feats, slot)  # a template's two uses: no copy
            ):
                best = (score, slot)
        if best is None:
            return None
        return StoryDecision(self._story[best[1]], Tier.COPY, round(best[0], 3))

    # -- tier 3: same event ------------------------------------------------------------------

    def _candidates(self, query: dict[int, float]) -> list[int]:
        """Slots sharing the most of the query's most informative terms (counted in C)."""
        informative = sorted(query, key=query.__getitem__, reverse=True)[: self.probe_terms]
        # A term's postings are its newest max_postings slots (story_slots.py).
        found = [slots for slots in map(self._postings.get, informative) if slots is not None]
        counts = Counter(chain.from_iterable(found))
        if len(counts) <= self.rescore:  # all of them: no need to rank
            return list(counts)
        # Ranked by count, a tie going to the slot met first (under the more informative term).
        # Most slots are counted once (~385 distinct in ~414): those counted more are sorted
        # (stable, in C), then the first of the rest fill up, in the order met.
        top = [slot for slot, n in counts.items() if n > 1]
        top.sort(key=counts.__getitem__, reverse=True)
        if len(top) < self.rescore:
            top += islice((slot for slot, n in counts.items() if n == 1), self.rescore - len(top))
        return top[: self.rescore]

    def _contenders(
        self, feats: TextFeatures, ref: float, feed: int
    ) -> list[tuple[float, int, tuple[float, ...]]]:
        """(probability, story, signals) for the best few open stories."""
        query, norm, squared, sub_norms = self._query(feats)
        if norm == 0.0:
            return []
        window, reach = self.window.total_seconds(), self.reach.total_seconds()
        hold, held = self.hold.total_seconds(), self._held
        agreeing = self.agree_hold.total_seconds() if self.agree <= 1.0 else window
        stories, times = self._story, self._time
        best: dict[int, tuple[float, int]] = {}  # story -> (cosine, its closest slot)
        cosines: dict[int, float] = {}  # slot -> cosine, for a story's first report
        found = self._candidates(query)
        live = [s for s in found if stories[s] != DEAD and abs(times[s] - ref) <= agreeing]
        # the arcs its headline tells a turn of: *The turn of a story*
        turns = turned(feats.title) | feats.ends if self.arcs else frozenset()
        late = arc_mask(turns)  # held first reports opening one of them: see HOLD
        if feats.recalled and self.happenings:
            late |= KIND_HELD  # ... or naming a happening as past by its name: _recalls
        if late:
            live += [
                slot
                for slot in found
                if held[slot] & late
                and stories[slot] != DEAD
                and agreeing < abs(times[slot] - ref) <= hold
            ]
        rows: dict[int, list[int]] = {}  # the live slots' stored terms, for their signals
        for slot, cosine in zip(live, self._cosines(live, squared, norm, rows), strict=True):
            cosines[slot] = cosine
            story = stories[slot]
            if cosine > best.get(story, (-1.0, 0))[0]:
                best[story] = (cosine, slot)
        title = feats.title
        item = self._weighed(feats, sub_norms, squared)
        # the kinds of happening its headline tells the aftermath of: *The same happening*
        told = self._told_kinds(feats, squared) if self.happenings else []
        voted = self.happenings and feats.polled != 0  # ... or tells a country's election
        mourns = self.happenings and not MOURNING.isdisjoint(title)  # ... or mourns a death
        # its headline tells an awards ceremony: *An awards ceremony*
        ceremony = self.ceremonies and ceremony_told(title)
        previews = self.ceremonies and previewed(title)  # ... or previews one
        ceremonial, polls = self._ceremonial, self._polls
        ceremonial.clear()
        polls.clear()
        # ... or names one by the name an open story's first report gives it as a ceremony's
        naming = (
            self.ceremonies
            and not ceremony
            and not previews
            and not self._ceremony_names.isdisjoint(feats.plurals)
        )
        # ... and tells its night, not a guest's or the organisers' own news (happenings)
        if (ceremony or naming) and feats.own_news:
            night = naming = False
        else:
            night = ceremony
        placed = feats.places or feats.region != NO_SUBJECT  # see places.py
        out = []
        for story, (cosine, slot) in sorted(best.items(), key=itemgetter(1), reverse=True):
            vote = False  # the item and its first report tell one election: *An election*
            storm = False  # ... or one storm by its name: *Named storms*
            first = self._ends.first(story, slot)
            age = abs(times[first] - ref)
            past = age > window or (age > reach and not feats.refers_back)
            agreed = 0.0
            if past and (not held[first] & late or age > hold):
                if age > agreeing or self.agree > 1.0:
                    continue  # past the story's time: only the turn of an arc it opened (HOLD)
                anchor = cosines.get(first)
                if anchor is None:
                    anchor = cosines[first] = self._cosine(first, squared, norm)
                agreed = self._agreed(item, (story, first, feed), (norm, anchor), ref)
                if not agreed:
                    continue  # ... or a report every report of it agrees with (AGREE)
                past = False
            own = self._feed[slot] == feed == self._feed[first]
            if past and own:
                continue
            anchor = cosines.get(first)
            if anchor is None:
                anchor = self._cosine(first, squared, norm)
            if past:
                # the time capped at the reach: the model learned no later pair (HOLD)
                capped = self._capped(first, ref)
                signals = self._signals(item, first, (anchor, anchor), capped, first)
                happening = bool(held[first] & late & ~KIND_HELD) and self._same_arc(
                    item, turns, first, signals, self.arc_floor
                )
                if not happening and held[first] & late & KIND_HELD:
                    happening = self._recalls(item, first, anchor, capped)
                probability = 0.0
            elif agreed:
                capped = self._capped(first, ref)
                signals = self._signals(item, slot, (cosine, anchor), capped, first)
                probability, happening = agreed, False
            else:
                signals = self._signals(item, slot, (cosine, anchor), ref, first, rows[slot])
                probability = self._probability(signals, slot, item)
                if (
                    own
                    and probability
                    and signals[_NUMBERS_APART]
                    and self._toll_fell(item, slot, ref >= times[slot])
                ):
                    probability = 0.0  # the outlet's own later report of fewer dead: another
                barred = own and probability < self.own_feed  # see OWN_FEED
                happening = (
                    bool(told)
                    and 0.0 < probability < (self.own_feed if barred else self.threshold)
                    and self._same_happening(item, told, first, anchor, ref, barred)
                )
                storm = (
                    not happening
                    and not own
                    and probability < self.threshold
                    and bool(feats.names)
                    and self._same_storm(item, slot, first, signals)
                )
                happening = happening or storm  # the story's storm by its name: *Named storms*
                if (
                    barred
                    and not happening
                    and not (
                        probability >= self.threshold
                        and turns
                        and self._own_turn(feats, turns, first)
                    )
                ):
                    probability = 0.0  # only its own outlet's reports so far: see OWN_FEED
                if (
                    not own
                    and not happening
                    and self.lone_floor <= probability < self.threshold
                    and not signals[_SHORT]
                    and signals[_COS_TITLE] < LONE_TITLES
                    and self._ends.last(story, first) == first
                    and self._named_alone(feats, first, ref, window)
                ):
                    happening = True  # a lone report's own names: see LONE_FLOOR
                if (
                    mourns
                    and not own
                    and not happening
                    and probability < self.threshold
                    and self._mourns(item, slot, (cosine, anchor), ref, first)
                ):
                    happening = True  # a tribute to the dead: see *The same happening*
                if voted and not own:
                    vote = self._same_vote(item, first, anchor, ref)  # *An election*
                    if shared := feats.polled & self._voted.get(first, 0):
                        polls[story] = shared
                if not happening and turns and not own and probability < self.threshold:
                    happening = self._turns_story(item, turns, slot, first, signals, anchor, ref)
                if (
                    not happening
                    and not own
                    and self.agree_near <= probability < self.threshold
                    and age <= self.agree_near_within
                    and self._agreed(item, (story, first, feed), (norm, anchor), ref, near=True)
                ):
                    happening = True  # every report of the story agrees: AGREE_NEAR
            if (
                night
                and not own
                and age <= CEREMONY_HOURS
                and (named := self._one_ceremony(feats, first, loose=True))
            ):
                ceremonial[story] = named
                if (
                    not happening
                    and probability < self.threshold
                    and self._one_ceremony(feats, first)
                ):
                    happening = self._same_ceremony(item, first, anchor, ref)
            elif (
                naming
                and not own
                and not happening
                and age <= CEREMONY_HOURS
                and probability < self.threshold
                and self._names_ceremony(feats, first)
            ):
                happening = self._same_ceremony(item, first, anchor, ref)
            if happening:
                probability = self.threshold  # see *The same happening* (docstring)
            elif vote:
                probability = max(probability, self.threshold)  # ... at any probability
            if not probability:
                pass  # each guard below only sets it to 0: none is asked (no guard has effects)
            elif feats.disowned and self._disowns(first, feats.disowned):
                probability = 0.0  # it says it is not about the story's event
            elif (
                probability >= self.threshold
                and age > CEREMONY_HOURS
                and self.ceremonies
                and self._after_the_night(feats, first)
            ):
                probability = 0.0  # a ceremony's story the day after: *An awards ceremony*
            elif probability >= self.threshold and self.stages and self._stages_apart(first, title):
                probability = 0.0  # another stage of a trial (happenings.STAGES)
            elif (ceremony or previews) and self._preview_apart(feats, first, previews):
                probability = 0.0  # a ceremony's preview and its night: *An awards ceremony*
            elif feats.storms and self._storms_apart(feats, first):
                probability = 0.0  # two storms of other names: *Named storms*
            elif feats.holders and self._holders_apart(feats, first):
                probability = 0.0  # two holders of one office: *Office holders*
            elif feats.ceremony and self._ceremonies_apart(feats, first):
                probability = 0.0  # two ceremonies of other names: *An awards ceremony*
            elif placed and not storm and self._placed_apart(feats, squared, (slot, first)):
                probability = 0.0  # one kind of event in two countries: see places.py
            elif not storm and self._told_apart(feats, signals, squared, (slot, first)):
                probability = 0.0  # told in two countries, states or cities: see _told_apart
            elif (
                probability >= self.threshold and feats.front and self._backdrop_apart(feats, first)
            ):
                probability = 0.0  # another happening told against its backdrop: *Story time*
            elif (
                probability >= self.threshold
                and not happening
                and not vote
                and not agreed
                and self._chained(item, slot, first, anchor, ref)
            ):
                probability = 0.0  # a chain through a neighbour: see CHAIN_FLOOR
            out.append((probability, story, signals))
            if len(out) == self.shortlist:
                break
        return out

    def _turns_story(
        self,
        item: Query,
        turns: frozenset[int],
        slot: int,
        first: int,
        signals: tuple[float, ...],
        anchor: float,
        ref: float,
    ) -> bool:
        """The item tells the turn of an arc the story's first report opened, judged against
        that report alone: story_signals.PairSignals._same_arc (its signals made only for a
        pair whose headlines pass)."""
        arcs = self._arcs_turned(item[0], turns, first)
        if not arcs:
            return False
        if slot != first:
            signals = self._signals(item, first, (anchor, anchor), ref, first)
        return self._arc_holds(item, arcs, first, signals, self.arc_floor)

    def _agreed(
        self,
        item: Query,
        of: tuple[int, int, int],
        norms: tuple[float, float],
        ref: float,
        near: bool = False,
    ) -> float:
        """The lowest probability the model gives the item against each of the story's reports
        (its first AGREE_MOST), the time capped at the reach, when that is at least ``agree``,
        no name conflict stands between them, the story holds reports of two or more outlets
        that are no copies of one another, none of the item's outlet, and each of its reports
        fits its first at AGREE_COHERE; 0.0 otherwise: *Every report agrees* (docstring). A
        story of one report weighs only its first, at ``agree_lone`` (*A lone report*,
        _lone_asks), and never when `near`. `norms`: the item's norm and its cosine with the
        story's first report. `near`: an item within the story's reach, the time as it is, the
        floor ``agree_near`` and the cosine AGREE_NEAR_COSINE (AGREE_NEAR)."""
        story, first, feed = of  # the story, its first report, the item's feed
        lone = self._ends.last(story, first) == first
        if lone and (near or not self._lone_asks(item[0], first, feed, ref)):
            return 0.0  # one report: only another outlet's, past the reach, in the window
        days, theirs = item[0].days, self._days[first]
        if days and theirs and not days & theirs:
            return 0.0  # both name the weekdays of their happenings, none the same: two nights
        months = item[0].months
        if months and not months & self._months.get(first, months):
            return 0.0  # both headlines name months, none the same: two months' news
        if item[0].again:
            return 0.0  # "march again", "shakes Crete again": the next happening of its kind
        if item[0].tonight:
            return 0.0  # "attack Kyiv overnight" a day after the story's first: the next night's
        if item[0].blow and not days & theirs and blow_named(self._title_of(first)):
            return 0.0  # "Russian drones attack Kyiv" told anew two days after: the next attack
        norm, anchor = norms
        if anchor < (AGREE_NEAR_COSINE if near else AGREE_COSINE):
            return 0.0  # too few words shared for the model to agree (the signals not made)
        capped = ref if near else self._capped(first, ref)  # within the reach: the time as it is
        floor = self.agree_near if near else self.agree_lone if lone else self.agree
        lowest = self._agrees(item, first, (anchor, anchor), capped, first, floor, near)
        if not lowest:
            return 0.0
        slots = [first] if lone else self._slots_of(story, AGREE_MOST)
        title = item[0].title
        fresh = frozenset() if OPENS.keys().isdisjoint(title) else opened(title)  # in C first
        if fresh and fresh - frozenset().union(*[opened(self._title_of(s)) for s in slots]):
            return 0.0  # it opens what no report of the story told: "unions call strike over"
        if lone:
            return lowest  # *A lone report*: its first report alone, at AGREE_LONE
        squared = item[2]
        feeds = {self._feed[slot] for slot in slots}
        if feed in feeds or not self._told_twice(slots):
            return 0.0  # its outlet tells its next news; a report and its copies agree as one
        for slot in slots[1:]:
            cosines = (self._cosine(slot, squared, norm), anchor)
            lowest = min(lowest, self._agrees(item, slot, cosines, capped, first, floor, near))
            if not lowest:
                return 0.0
        if any(self._pair(slot, first) < AGREE_COHERE for slot in slots[1:]):
            return 0.0  # the story's own reports do not hold together: two events told alike
        if near and not self._heard_apart(squared.keys(), slots):
            return 0.0  # one telling twice: the item's fit to one report is its fit to the other
        if near and self.agree_near_happened and not self._happened_alike(item[0], slots):
            return 0.0  # it shares only the actor with the story: one leader's next act
        return lowest

    def _heard_apart(self, terms: KeysView[int], slots: Sequence[int]) -> bool:
        """Is a later report of the story (`slots`, its first first), of another outlet than
        the first's, a telling of its own: sharing under ``agree_near_alike`` of their kept
        terms with the first, or under AGREE_NEAR_SAME and with a term the item (`terms`)
        shares with it and the first lacks (AGREE_NEAR_ALIKE)?"""
        offsets, stored, feed = self._offsets, self._terms, self._feed
        first = slots[0]
        mine = set(stored[offsets[first] : offsets[first + 1]].tolist())
        for slot in slots[1:]:
            if feed[slot] == feed[first]:
                continue  # its outlet's update: the same telling
            theirs = stored[offsets[slot] : offsets[slot + 1]].tolist()
            shared = len(mine.intersection(theirs)) / len(mine.union(theirs))
            if shared < self.agree_near_alike:
                return True  # two tellings: the item's fit to each is evidence of its own
            if shared < AGREE_NEAR_SAME and not terms.isdisjoint(set(theirs) - mine):
                return True  # ... or short ones, and it fits the later with words of its own
        return False

    def _happened_alike(self, feats: TextFeatures, slots: Sequence[int]) -> bool:
        """Does the item's headline share a word of what happened (happenings.what_happened:
        no name, place, office or word of telling) with the story's headlines (`slots`), the
        words of all its reports together? One leader's next act shares only the leader's
        name and title with the story of the first, however well it fits each report
        (``agree_near_happened``). A word of harm (happenings.HARM: the dead, the hurt) counts
        only when the item's headline names no kind of happening the story's do not: "Portugal
        declares day of mourning for tram victims" under a funicular crash's story, not
        "Explosion at Tampa marina injures two" under a pier's collapse (h-review25)."""
        offsets, stored, flags = self._offsets, self._terms, self._tw
        story: set[int] = set()
        kinds_told: set[int] = set()
        for slot in slots:
            begin, end = offsets[slot], offsets[slot + 1]
            rows = zip(stored[begin:end], flags[begin:end], strict=True)
            title = [(tid, f & NAME_BIT) for tid, f in rows if f & TITLE_BIT]
            story |= what_happened((tid for tid, _ in title), {tid for tid, n in title if n})
            kinds_told |= kinds(tid for tid, _ in title)
        mine = what_happened(feats.title, feats.names)
        if not kinds(feats.title) <= kinds_told:
            mine -= HARM  # it names a happening of its own: a harm shared tells nothing
        return share_what_happened(mine, story)

    def _capped(self, first: int, ref: float) -> float:
        """`ref` moved to at most the reach from a story's first report: the model learned no
        later pair (HOLD, AGREE)."""
        at = self._time[first]
        return at + math.copysign(self.reach.total_seconds(), ref - at)

    def _lone_asks(self, feats: TextFeatures, first: int, feed: int, ref: float) -> bool:
        """May a story of one report (`first`) weigh the item past its reach (*A lone
        report*): ``agree_lone`` set, another outlet's report, within the window, its headline
        no fresh telling of that report's happening (happenings.told_anew) nor a saga's next
        step (happenings.step_filed, step_next)?"""
        return (
            self.agree_lone <= 1.0
            and self._feed[first] != feed
            and abs(ref - self._time[first]) <= self.window.total_seconds()
            and not told_anew(feats.title, self._title_of(first))
            and not step_filed(feats.title, self._title_of(first))
            and not step_next(self._headline_words(), feats.title, self._title_of(first))
        )

    def _headline_words(self) -> list[str]:
        """The words of the headline of the item being decided or added (the one _features
        read last), as written."""
        return _WORDS.findall(self._cache[0].title) if self._cache is not None else []

    def _agrees(
        self,
        item: Query,
        slot: int,
        cosines: tuple[float, float],
        ref: float,
        first: int,
        floor: float,
        near: bool = False,
    ) -> float:
        """The model's probability for the item against one report (`slot`) of a story when
        that reaches `floor` (``agree``, ``agree_lone`` or ``agree_near``) and no name conflict
        stands between them (when `near`, neither side a headline alone either); else 0.0."""
        signals = self._signals(item, slot, cosines, ref, first)
        if signals[_CONFLICT] or signals[_NUMBERS_APART]:
            return 0.0  # other names, or other figures ("40 missing" / "30 missing")
        if near and signals[_SHORT]:
            return 0.0  # a headline alone: too few words to agree on under the bar
        probability = self._probability(signals, slot, item)
        return probability if probability >= floor else 0.0

    def _told_twice(self, slots: Sequence[int]) -> bool:
        """Do two of `slots` come from two feeds, neither a copy of the other (their MinHash
        signatures, as _best_copy)? A report and its copy (an update, a paper's run of a wire)
        are one telling."""
        feed, sig, bins = self._feed, self._sig, SIG_BINS
        for k, one in enumerate(slots):
            mine = sig[one * bins : (one + 1) * bins]
            for other in slots[k + 1 :]:
                if feed[one] != feed[other] and (
                    jaccard(mine, sig[other * bins : (other + 1) * bins]) < self.copy_threshold
                ):
                    return True
        return False

    def _chained(self, item: Query, slot: int, first: int, anchor: float, ref: float) -> bool:
        """The item fits the story through a later report (`slot`), long after its first or
        whenever that report is a live page's (no bridge: see *Story time*), and the first
        report alone under CHAIN_FLOOR (story_signals.PairSignals._alone)."""
        if slot == first:
            return False
        if abs(self._time[first] - ref) < self.chain_after.total_seconds() and (
            slot not in self._live or self._live_aftermath(item[0], slot, first)
        ):
            return False
        return self._alone(item, first, anchor, ref) < self.chain_floor

    def _live_aftermath(self, feats: TextFeatures, live: int, first: int) -> bool:
        """Does the item's headline tell consequences (happenings.AFTERMATH: the toll, the
        rescue) of the one happening a live page's headline and the story's first headline
        name (happenings.one_kind: "Morocco earthquake live: death toll passes 1,000 ..." under
        "Powerful earthquake strikes ...")? Then it tells the page's own happening, which the
        page headlines, not one of the others its lead lists: the page is no bridge to it."""
        if AFTERMATH.isdisjoint(feats.title):
            return False
        return one_kind(self._title_of(live), self._title_of(first))

    # -- merging two stories ------------------------------------------------------------------

    def _mergeable(self, stories: list[int], feed: int) -> tuple[int, tuple[int, ...]] | None:
        """(the oldest, the others) when `stories` (each over merge_bar for an item of `feed`)
        may be folded into one: see the module docstring's *Merging*."""
        members = {story: self._slots_of(story, self.merge_grown + 1) for story in stories}
        sizes = sorted(len(slots) for slots in members.values())
        if sizes[-1] > self.merge_grown or any(size > self.merge_most for size in sizes[:-1]):
            return None  # the largest may have grown (merge_grown), the others not (merge_most)
        feeds = {story: {self._feed[slot] for slot in slots} for story, slots in members.items()}
        if any(feed in seen for seen in feeds.values()):
            return None
        # The oldest survives: the story made first (its first slot is the lowest, so every
        # slot it takes in lies after it, where _slots_of looks).
        ordered = sorted(stories, key=lambda s: members[s][0])
        for k, one in enumerate(ordered):
            for other in ordered[k + 1 :]:
                if feeds[one] & feeds[other] or not self._related(members[one], members[other]):
                    return None
        return ordered[0], tuple(ordered[1:])

    def _related(self, ones: list[int], others: list[int]) -> bool:
        """Some report of one story fits the other at merge_cross, either way round."""
        return any(
            self._pair(a, b) >= self.merge_cross or self._pair(b, a) >= self.merge_cross
            for a in ones
            for b in others
        )

    def _pair(self, query: int, slot: int) -> float:
        """The model's probability for stored report `query` (its kept terms as the text)
        against the story of stored report `slot`, as if it arrived now."""
        begin, end = self._offsets[query], self._offsets[query + 1]
        rows = list(zip(self._terms[begin:end], self._tw[begin:end], strict=True))
        states, state_mentions = self._state_pair(query)
        feats = TextFeatures(
            {tid: f & RAW_MASK for tid, f in rows},
            frozenset(tid for tid, f in rows if f & NAME_BIT),
            (),
            0,
            frozenset(tid for tid, f in rows if f & TITLE_BIT),
            subject=self._subject[query],
            places=self._placed(query),
            mentions=self._mentions[query],
            headline=self._headlined(query),
            titled=self._titled(query),
            region=self._region.get(query, NO_SUBJECT),
            states=states,
            state_mentions=state_mentions,
            city=self._cities.get(query, NO_SUBJECT),
            party=self._parties.get(query, ()),
            contexts=tuple(self._near[self._near_at[query] : self._near_at[query + 1]]),
        )
        _, norm, squared, sub_norms = self._query(feats)
        if norm == 0.0:
            return 0.0
        first = self._ends.first(self._story[slot], slot)
        if self._placed_apart(feats, squared, (slot, first)):
            return 0.0  # one kind of event in two places (places.py): never one story
        cosine = self._cosine(slot, squared, norm)
        anchor = cosine if first == slot else self._cosine(first, squared, norm)
        ref = self._time[query]
        item = self._weighed(feats, sub_norms, squared)
        signals = self._signals(item, slot, (cosine, anchor), ref, first)
        if self._told_apart(feats, signals, squared, (slot, first)):
            return 0.0  # told in two countries, states or cities (_told_apart): never one story
        return self._probability(signals, slot, item)
