"""Kinds of happening a headline names (a flood, a wildfire, a mine blast, a cyber attack), and
the words of an aftermath (the dead, the rescue, the flight from it), as term ids: for the
story index's *same happening* rule (story_signals.PairSignals._same_happening). Also the
stages of a trial (STAGES), which tell a saga's events apart.

A disaster or an accident is reported again the next day in other words: "Torrential rain
floods towns across Slovenia" in the evening, "Slovenia counts the dead after floods" the next
afternoon; "Bushfire destroys homes in hills east of Perth", then "Perth blaze jumps highway as
thousands flee". Such reports share a place and the kind of happening and little else, so the
learned model, weighing their few shared words and the hours between them, starts a new story.
Such happenings are rare: two floods in one country, two mine blasts in one province, within a
day, are seldom two events, where two shootings in one city or two votes in one parliament
often are. So only kinds that seldom happen twice in one place in a day are listed: natural
disasters, big accidents, an attack on a firm's computers, a company's results (once a quarter:
"Kestrel Foods profit rises 12%" / next morning "Kestrel shares jump as grocer lifts dividend",
the share move its consequence); not crimes, strikes, votes, crashes (a car's, a market's),
which happen every day somewhere.

KINDS: one line a kind, every word news uses for it (a kind's words need not be synonyms:
"bushfire", "wildfire" and "blaze" are kinds of "fire", "typhoon" and "hurricane" names of one
storm; that is why they are not folded into one term, wordforms.py). The words after a "|" are
*common*: a house fire, a gas blast, a migrant boat happen in one city or sea several times a
day ("Fire destroys warehouse in Manchester" / "Manchester house fire kills two children"), so
two headlines sharing a kind only through its common words prove nothing; one of them must name
it by a word of its own ("Bushfire ..." / "Perth blaze ...", "Ferry capsizes ..." / "Overloaded
boat sinks ..."). Explosions are common words alone (one city's shelling, night after night);
so are words with another sense in news ("police storm ...", "protests erupt", "talks derailed",
"a news blackout"). Terms are stems, so "Dame" counts as "dam" ("Notre Dame"): two headlines
naming one Dame and sharing a rare name are seldom two events.
AFTERMATH: the words a report tells consequences in. Both are looked up by their term
(terms.root, so "blaze" counts as "fire" and "floods" as "flood"). Written by hand from general
English after seeing the held-out cases' day-apart misses, the common words after seeing the
rule join two fires of one city in invented pairs (bench/README.md, *The same happening a day
later*); nothing comes from a data set.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Callable, Collection, Iterable, Sequence

from watcher.places import KNOWN, PEOPLES, STRUCK
from watcher.terms import (
    GENERIC_IDS,
    NAME_PART_IDS,
    NUMBER_BIT,
    STOPWORDS,
    root,
    term_id,
)
from watcher.wordforms import cased

_KINDS = """
earthquake quake tremor temblor
flood flooding flooded floodwater deluge inundation
bushfire wildfire | fire inferno flames firefighter firefighters
| explosion blast
typhoon hurricane cyclone snowstorm blizzard | storm
tornado twister
mine miner mining colliery
dam levee
ferry shipwreck | ship boat vessel capsize capsized capsizes
landslide mudslide landslip
avalanche
volcano eruption lava | erupt erupted erupts
derailment trainwreck | derail derailed derails
tsunami
cyber cyberattack hack hacked hacker hacking ransomware
outage | blackout
earnings profit profits dividend revenue quarterly
"""

_AFTERMATH = """
toll dead death deaths died dies killed bodies body victims casualties
survivor survivors rescuer rescuers rescue rescued missing trapped
mourn mourns mourned mourning funeral funerals
injured wounded hurt
evacuate evacuated evacuation evacuations flee fled fleeing homeless displaced
damage damaged destroyed wrecked ruins rubble aftermath recede receded receding
shares
"""

# The stages of a trial, one a string: the jury out, then its outcome (the verdict and the
# sentence, often told together: mstream's labels join them). Two headlines naming different
# stages tell two events of one saga, however many names and words they share: "Jury begins
# deliberating in Calloway fraud trial" and, the next day, "Dana Calloway convicted of fraud"
# (the desk wants the verdict's own alert). Written by hand after seeing that held-out case
# joined. Left out: testimony ("Cohen testifies ..." / "Cohen's guilty plea ...", one story in
# allsides; "guilty secret" / "failed to testify" in mstream), arrests and charges (the held-out
# cases take a charge a day after an arrest now as the same story, now as the next event).
STAGES = (
    "deliberate deliberates deliberating deliberation deliberations",
    "verdict verdicts convicted convict convicts conviction guilty acquitted acquit acquits "
    "acquittal sentenced sentence sentences sentencing",
)


def _ids(words: str) -> frozenset[int]:
    return frozenset(term_id(root(word)) for word in words.split())


# A kind's terms -> its number (the line's); a term of two kinds is the first's. COMMON: the
# terms of a kind's common words (after the "|").
KIND_OF: dict[int, int] = {}
_common: set[int] = set()
for _number, _line in enumerate(_KINDS.strip().splitlines()):
    _own, _, _commons = _line.partition("|")
    for _tid in _ids(_own) | _ids(_commons):
        KIND_OF.setdefault(_tid, _number)
    _common |= _ids(_commons)
COMMON: frozenset[int] = frozenset(_common)
# The words of the kinds as written small, and their plurals: a place right before one tells
# where its happening struck ("after Honiara quake", "Kerala floods": places.located).
KIND_WORDS: frozenset[str] = frozenset(
    form for word in _KINDS.replace("|", " ").split() for form in (word, word + "s")
)
# The words of natural disasters among the kinds, each a kind's own (not a common word; not
# a mine, a dam, a ferry or a volcano, which have names of their own: "Soma mine", "Etna
# volcano"), as written small, and their plurals; and the words that tell what kind of
# disaster it was or how bad, before one (general English). A sentence opening on such a word
# before a disaster's ("Flash floods hit Kerala", "Flash floods kill 12 in Kerala") opens on no
# name (similarity's _Openers): "Flash" opening a headline and its lead was read as one, shared
# by two states' floods (h-places4, session 21). A place's name opening both ("Noto earthquake
# ...") stays one (h-review21: any capitalised opener before a disaster's word joined two
# quakes of one country).
DISASTER_QUALIFIERS: frozenset[str] = frozenset(
    (
        *("flash", "deadly", "strong", "powerful", "massive", "major", "huge", "severe"),
        *("heavy", "torrential", "violent", "devastating", "catastrophic", "destructive"),
        *("fresh", "new", "freak", "killer", "monster", "giant", "record", "raging", "fierce"),
    )
)
_DISASTERS = ("earthquake", "flood", "bushfire", "typhoon", "tornado", "landslide", "avalanche")
DISASTER_WORDS: frozenset[str] = frozenset(
    form
    for line in _KINDS.strip().splitlines()
    if line.split()[0] in _DISASTERS
    for word in line.partition("|")[0].split()
    for form in (word, word + "s")
)
AFTERMATH: frozenset[int] = _ids(_AFTERMATH)
# The aftermath's nouns a kind's word modifies ("Flood toll rises", "quake survivors"): a word of
# the kind before one tells another happening's consequence, not one of its own (similarity's
# `earlier`).
MODIFIED: frozenset[int] = _ids(
    "toll tolls death deaths victims survivors casualties rescue rescuers bodies funeral damage"
)
# What a headline's own words tell when they follow a happening up rather than tell another one
# after it ("Toll rises ...", "Police arrest suspect ...", "Probe launched ...", "Hopes fade ...",
# "Leaders condemn ..." a day after it): the aftermath, the search for the dead, an inquiry, an
# arrest or a charge for it, reactions, mourning, the clean-up and the return to normal. A
# headline measuring its own words "a day after" another happening and writing none of these
# tells the next act ("Mayor quits a day after bribery indictment", "Forty inmates escape jail
# a day after deadly riot"): similarity's `next_act`. General English, written before
# measuring (h-after, session 25).
FOLLOWING_UP: frozenset[int] = AFTERMATH | _ids(
    "probe probes probed investigation investigations investigate investigates investigating "
    "investigators inquiry inquest search searches searching searchers hope hopes "
    "arrest arrests arrested charge charges charged suspect suspects detained detain held "
    "identify identifies identified cause causes blame blames blamed questions "
    "react reacts reaction reactions condemn condemns condemned vow vows vowed pledge pledges "
    "vigil vigils tribute tributes grief grieve grieves grieving honour honours honor honors "
    "bury buries buried burial burials "
    "clean cleanup clear clears cleared reopen reopens reopened resume resumes resumed "
    "recover recovers recovered recovery rebuild rebuilds rebuilding aid relief "
    "count counts counting assess assesses toll tolls"
)
# Another outlet's headline a day or more after a lone report that tells nothing that report's
# headline did not (every term of it in the first's), or names the first's kind of happening
# (any of its words, the common ones too) and no consequence the first did not tell, tells the
# next happening of its kind as often as the same one: a quake, a capsizing, a city's air
# strikes are told in the same few words each time they come ("Strong earthquake shakes Crete"
# twice, 28 h apart; "Migrant boat capsizes off Lampedusa, dozens missing" twice). A late report
# of one happening tells what came of it (the toll, the dead, the rescue) or other news of it in
# words of its own. Read only for a story of one report past its reach (stories' *A lone
# report*), where a late join weighs against two events.


def told_anew(title: Collection[int], first: Collection[int]) -> bool:
    """Does headline `title` (term ids) tell headline `first`'s happening anew: every term of it
    in `first`, or a kind of happening (KIND_OF) named in both and no AFTERMATH term that
    `first` lacks?"""
    theirs = frozenset(first)
    if theirs.issuperset(title):
        return True
    kinds = {KIND_OF[t] for t in title if t in KIND_OF}
    if not kinds or kinds.isdisjoint(KIND_OF[t] for t in theirs if t in KIND_OF):
        return False
    return not any(t in AFTERMATH and t not in theirs for t in title)


# A court saga moves by steps each told once: a judge sets a sentencing date, a day later the
# defendant asks a higher court to halt it ("Judge sets Okafor fraud sentencing for June 12" /
# "Okafor asks court to halt June 12 sentencing in fraud case"). The later headline names the
# judge, the man, the date and the case, so the model weighs it as the same event; what tells
# the next step is a party's own act (a filing: FILED) that the first headline, already in a
# court (COURT), did not tell. Read only for a story of one report past its reach (stories' *A
# lone report*), where two tellings do not vouch for the story.
COURT: frozenset[int] = _ids(
    "court courts judge judges jury trial sentencing sentence verdict lawsuit prosecutor "
    "prosecutors"
)
FILED: frozenset[int] = _ids(
    "ask asks seek seeks sought appeal appeals appealed sue sues sued petition petitions "
    "request requests challenge challenges file files filed"
)


def step_filed(title: Collection[int], first: Collection[int]) -> bool:
    """Does headline `title` (term ids) tell a party's filing (FILED) that headline `first`,
    which names a court (COURT), does not: the next step of a court saga?"""
    if COURT.isdisjoint(first) or FILED.isdisjoint(title):
        return False
    return any(t in FILED and t not in first for t in title)


# A saga's next step told a day later names the first step's people, bill or case in its words,
# and the model weighs it as the same event; what tells the step is a word of its own (general
# English, none read from a case):
# - a word of sequence (SEQUENCE: "another", "second", "again", "successor", "replacement"), or
#   "new" before an office within two words ("names new finance minister"): the next holder,
#   the next happening;
# - the next chamber: a legislature's chamber (CHAMBERS) the first headline, naming another,
#   did not ("Senate passes bill to ban ..." / "House passes bill to ban ..., sending it to the
#   president");
# - a step on what the first told (STEP_OF: a body's postponement, veto, signature, approval,
#   rejection; a resignation; a raised bid; a journey's arrival) that the first headline does
#   not name in any of its words ("Judge sets Okafor fraud sentencing for June 12" / "Judge
#   postpones Okafor fraud sentencing set for June 12"; "Finance minister Varga under fire over
#   expenses claims" / "Finance minister Varga resigns over expenses claims"; "Rocket launches
#   four astronauts to space station" / "Four astronauts dock at space station");
# - the act after the intent: the first headline tells a vote, a threat or a plan (INTENT), the
#   later one none ("Finnair pilots vote to strike over pay" / "Finnair pilots strike,
#   grounding 200 flights");
# - a death told where the first told only the wounded (WOUNDED, DEATHS), and not as the same
#   victim's later death (DIED: "dies", "succumbs"): "Shooting in Malmo leaves man wounded" /
#   "Man killed in Malmo shooting, police say" a day later is the next shooting.
# Read only for a story of one report past its reach (stories' *A lone report*), where a late
# join weighs against two events; within the reach the model and the other guards decide.
SEQUENCE: frozenset[str] = frozenset(
    (
        *("another", "second", "third", "again", "successor", "successors"),
        *("replacement", "replaces", "replaced"),
    )
)
OFFICES: frozenset[str] = frozenset(
    (
        *("minister", "president", "premier", "governor", "mayor", "ceo", "chief", "head"),
        *("leader", "chairman", "chair", "chairwoman", "speaker", "coach", "manager"),
        *("director", "secretary", "ambassador", "commissioner", "envoy", "boss", "captain"),
    )
)
CHAMBERS: frozenset[int] = _ids("senate house assembly parliament congress lords commons chamber")
# Each line one step, its words as one (a step told in other words is the same step: "Lawmakers
# pass ban" / "Parliament approves ban").
_STEP_LINES = (
    "postpone postpones postponed delay delays delayed adjourn adjourns adjourned",
    "suspend suspends suspended",
    "overturn overturns overturned reverse reverses reversed quash quashes quashed",
    "uphold upholds upheld",
    "veto vetoes vetoed",
    "ratify ratifies ratified sign signs signed",
    "approve approves approved pass passes passed",
    "reject rejects rejected dismiss dismisses dismissed block blocks blocked",
    "resign resigns resigned resignation quit quits quitting sack sacks sacked oust ousts ousted",
    "raise raises raised sweeten sweetens sweetened",
    "dock docks docked arrive arrives arrived land lands landed",
    "withdraw withdraws withdrew withdrawn",
    "expel expels expelled",
    "clear clears cleared disperse disperses dispersed",
)
STEP_OF: dict[int, int] = {tid: n for n, line in enumerate(_STEP_LINES) for tid in _ids(line)}
STEPS: frozenset[int] = frozenset(STEP_OF)
# A headline telling what is to come: an intent or a call before "to" ("Pilots vote to strike",
# "Union threatens to strike", "Board plans to cut jobs"); a later headline without one tells
# the act itself, the next event.
INTENT: frozenset[int] = _ids(
    "vote votes voted threaten threatens threatened plan plans planned poised prepare prepares "
    "prepared vow vows vowed"
)
WOUNDED: frozenset[int] = _ids("wounded wounds injured injures injuring hurt")
DEATHS: frozenset[int] = _ids("killed kills kill dead death deaths")
DIED: frozenset[str] = frozenset(("dies", "died", "succumbs", "succumbed"))


def step_next(words: Sequence[str], title: Collection[int], first: Collection[int]) -> bool:
    """Does a headline (`words` its words as written, `title` its term ids) tell the next
    step or the next happening after headline `first` (term ids): a word of sequence, "new"
    (written small) before an office, a chamber the first does not name after one it does, a
    step (STEP_OF) the first does not name, the act after the first's intent (INTENT), or a
    death where the first told only the wounded?"""
    small = [word.lower() for word in words]
    if not SEQUENCE.isdisjoint(small):
        return True
    if any(
        word == "new" and not OFFICES.isdisjoint(small[k + 1 : k + 3])
        for k, word in enumerate(words)
    ):
        return True  # "new" written small: "New Zealand" is a name
    theirs = frozenset(first)
    if not CHAMBERS.isdisjoint(theirs) and any(t in CHAMBERS and t not in theirs for t in title):
        return True
    ours = {STEP_OF[t] for t in title if t in STEP_OF}
    if ours - {STEP_OF[t] for t in theirs if t in STEP_OF}:
        return True
    if INTENT.isdisjoint(title) and not INTENT.isdisjoint(theirs):
        return True  # the act after the intent: "Pilots strike" a day after "vote to strike"
    return (
        not WOUNDED.isdisjoint(theirs)
        and DEATHS.isdisjoint(theirs)
        and not DEATHS.isdisjoint(title)
        and DIED.isdisjoint(words)
    )


# A headline naming a fresh happening of its kind: an aftershock is the next quake ("Powerful
# aftershock rattles Chile a day after deadly quake"), not the first one's aftermath.
AFRESH: frozenset[int] = _ids("aftershock aftershocks")


def afresh(tokens: Sequence[str], term_of: Callable[[str], int]) -> bool:
    """Does a headline (its `tokens`; `term_of` gives a word's term) tell a fresh happening
    of its kind, an aftershock: the first of its words naming a kind of happening or an
    aftershock is an aftershock ("Powerful aftershock rattles Chile a day after deadly
    quake", "Strong 5.9 aftershock jolts Malatya")? A headline opening on its quake tells
    that quake's aftershocks as its aftermath ("Wakayama quake: 2 dead, 140 homes damaged as
    aftershocks continue")."""
    for token in tokens:
        if token:
            tid = term_of(token)
            if tid in AFRESH:
                return True
            if tid in KIND_OF:
                return False
    return False


# What a storm brings with it: its floods and its outages are its own happening told days on
# ("Floodwaters still cover Hualien streets three days after Typhoon Koinu", h-review21), not
# another one named beside it as a quake or a landslide is (similarity._recalled).
BROUGHT: dict[int, frozenset[int]] = {
    KIND_OF[term_id(root("typhoon"))]: frozenset(KIND_OF[tid] for tid in _ids("flood outage"))
}

# What a storm brings and leaves, told in the days after it without its title: its kinds and
# its floods' and outages' words, an aftermath's, and the weather and losses a storm's reports
# write ("left without power as Mirae moves on", "counts cost of Odette", "homes without water").
# A storm's name written with none of them is a person's or a place's ("Nadia Keller wins ...").
_STORM_KINDS = frozenset(BROUGHT).union(*BROUGHT.values())
STORM_WAKE: frozenset[int] = (
    frozenset(tid for tid, kind in KIND_OF.items() if kind in _STORM_KINDS)
    | _ids(
        _AFTERMATH + " power electricity water rain rains rainfall wind winds gust gusts landfall"
        " surge cost costs losses homes roofs shelter shelters clean-up cleanup"
    )
) - _ids("shares")  # an earnings report's aftermath, not a storm's

# The kinds of happening that strike a country or a region wide, felt in several of its cities at
# once (a quake, a flood, a storm, a wildfire, a power cut): a report's lead placing one in a city
# is no other city's happening than a headline's (story_signals.PairSignals._told_apart's lead
# city). A blast, a mine, a ferry, a derailment, a hack and a firm's results strike one site.
WIDE: frozenset[int] = frozenset(KIND_OF.values()) - frozenset(
    KIND_OF[tid] for tid in _ids("explosion mine dam ferry derailment cyber earnings")
)

# The kinds of happening that travel: a flood down a river, a wildfire over hills, a storm along
# a coast. A report of one reaching a new place measures it from where it struck first ("Floods
# reach Passau as Danube rises ... a day after floods hit Regensburg"): its own happening, not
# another (similarity.features' `moving`, story_signals.PairSignals._aside_apart). Not a
# landslide, a quake, an avalanche: one of them somewhere else is another.
MOVING: frozenset[int] = frozenset(
    KIND_OF[tid] for tid in _ids("flood wildfire hurricane tornado tsunami")
)
# A headline telling its travelling happening arrive somewhere ("Floods reach Passau", "Wildfire
# spreads to Malibu", "Floodwaters swamp Kochi", "Wildfire threatens Athens suburbs"): only then
# is one of its kind told aside its own where it struck before; a headline telling one start
# ("Wildfire erupts in Ventura County ... hours after bringing a separate blaze near Lake
# Elsinore under control") tells another (similarity._moving, similarity._earlier).
REACHING: frozenset[int] = _ids(
    "reach spread approach advance threaten swamp engulf inundate submerge"
)
# The verbs of a happening striking a place ("Floods hit Kerala", "Quake rocks Van"): like a
# kind's word, one tells no happening of a kind from another (story_signals._telling).
STRIKING: frozenset[int] = frozenset(term_id(root(word)) for word in STRUCK)
# The words telling where a happening is, by the way to it or its nearness ("Wildfire erupts
# near Antalya a day after blaze broke out near Izmir", "in southern Texas"): one both headlines
# write is no word of one happening told by both, the name after it tells which
# (story_signals._measured_apart). Told in a lead's aside it still recalls the other headline
# ("a day after the blaze that broke out near Thessaloniki": _aside_apart).
WHERE: frozenset[int] = _ids(
    "near nearby off across inside outside north south east west northeast northwest southeast "
    "southwest northern southern eastern western central"
)
# What a happening of its own did to a site, told right after its kind's word in a headline
# that measures it from an earlier one ("Blaze guts Dhaka market a day after garment factory
# fire", "Fire breaks out at Sliven bakery ..."): a verb of ruin or striking, or a locative
# (after a start: "breaks out at"), before the site (`struck_site`).
RAVAGING: frozenset[int] = _ids("gut guts gutted destroy destroys destroyed raze razes razed")
RAVAGING |= _ids("wreck wrecks wrecked devastate devastates devastated") | STRIKING
_SITE_STARTS = frozenset({"breaks", "broke", "out"})
_SITE_LOCATIVES = frozenset({"at", "in", "on", "inside"})
_SITE_REACH = 6  # words after the kind's word up to the site, at most


def struck_site(
    headline: Sequence[str], skip: Collection[int], term_of: Callable[[str], int]
) -> frozenset[int]:
    """The site a headline's own happening struck, told after its kind's word (not at the
    positions `skip`: where it measures that happening from an earlier one) by a verb of ruin
    or striking (RAVAGING) or a locative ("at", "breaks out at"), past the names and places
    written with a capital, small words and a part ("part of", "dozens of"): "market" in "Blaze
    guts Dhaka market a day after garment factory fire". None for a travelling happening's own
    word ("Wildfire destroys homes": a wildfire reaches new sites as it spreads, see MOVING),
    nor where another word comes between ("Fire still raging at ...": no site told)."""
    for k, word in enumerate(headline):
        tid = term_of(word)
        if k in skip or tid not in KIND_OF:
            continue
        if KIND_OF[tid] in MOVING and tid not in COMMON:
            return frozenset()
        told = False  # a verb of ruin, or a start and a locative, passed
        for n in range(k + 1, min(k + 1 + _SITE_REACH, len(headline))):
            after = headline[n]
            if not after or n in skip:
                break
            lower = after.lower()
            if term_of(after) in RAVAGING or lower in _SITE_LOCATIVES:
                told = True
                continue
            if lower in _SITE_STARTS:
                continue
            if after[:1].isupper() or lower in STOPWORDS or lower in ("'s", "’s"):
                continue
            if n + 1 < len(headline) and headline[n + 1] == "of":
                continue  # "part of", "dozens of": the site comes after
            if told and term_of(after) not in KIND_OF and not after[:1].isdigit():
                return frozenset({term_of(after)})
            break
    return frozenset()


STAGE_OF: dict[int, int] = {tid: number for number, line in enumerate(STAGES) for tid in _ids(line)}
# A verdict or a sentence still to come is the first stage, not the outcome: "Rusesabagina
# awaits sentencing", "'Hotel Rwanda' hero to learn verdict in terror trial", "verdict due" are
# the wait for the verdict a later "found guilty" tells (on the real day the two previews and
# the verdict's five reports were one story). A word of PENDING in a headline makes its
# verdict and sentence nouns (AWAITED) the first stage; the outcome's own words ("guilty",
# "convicted", "sentenced") stay the outcome: "Pike found guilty, awaits sentencing" names both.
PENDING: frozenset[int] = _ids("await awaits awaiting awaited learn learns due expected faces")
AWAITED: frozenset[int] = _ids("verdict verdicts sentence sentences sentencing")
# An election is one happening: a country's vote is held on one day (or over a few), and its
# day brings a dozen reports in other words ("Canadians head to the polls", "Trudeau's future on
# the line as Canadians vote in pandemic election", "Putin's party wins Russia's election"), the
# voting, the count and the result, each naming other people and issues. But "election" is
# also every word of a country's campaign news (a rally, a plan, a court's ban, a meddling
# claim: each its own event), so only a headline that tells the vote itself counts: it writes
# an election's own word (ELECTION) and a word of the voting or its outcome (VOTE_TOLD: "vote",
# "to the polls", "polls close", "wins", "landslide", "results", "turnout"), and no word of an
# opinion poll ("poll", "polling", "survey": a poll's lead is news of its own). Not "ballot"
# ("on the ballot": an analysis) nor "campaign" (a vaccination campaign). stories.py *An
# election*.
ELECTION: frozenset[int] = _ids("election elections electoral")
_VOTE_WORDS = (
    "vote votes voted voting win wins won winning victory landslide lead leads leading "
    "majority result results turnout count counted counting elected concede concedes"
)
_VOTE_TOLD = frozenset(_VOTE_WORDS.split())
# "polls" is the vote in these phrases, an opinion poll's in _POLLS_OPINION ("leads polls ahead
# of the election", "polls show"), and neither alone ("party set to retain majority after polls")
_POLLS_TOLD = frozenset(
    {
        ("to", "the", "polls"),
        ("to", "polls"),
        ("polls", "open"),
        ("polls", "opened"),
        ("polls", "close"),
        ("polls", "closed"),
    }
)
_POLLS_OPINION = frozenset(
    {
        ("in", "the", "polls"),
        ("in", "polls"),
        ("leads", "polls"),
        ("lead", "polls"),
        ("leading", "polls"),
        ("tops", "polls"),
        ("polls", "show"),
        ("polls", "suggest"),
    }
)
_OPINION_WORDS = "poll polling pollster pollsters survey surveys"
_OPINION = frozenset(_OPINION_WORDS.split())
_PHRASE_OPENERS = frozenset(phrase[0] for phrase in _POLLS_TOLD | _POLLS_OPINION)


# A body's own election, not a country's vote, whatever country the headline names: "Brazil's
# football federation election", "Labour leadership election", "club board election".
_BODY_WORDS = "leadership federation confederation association club board committee league"
_BODIES = frozenset(_BODY_WORDS.split())
_ELECTION_WORDS = frozenset(("election", "elections", "electoral"))


def vote_told(words: Sequence[str]) -> bool:
    """Does a headline of these words (one that writes an election's word) tell the vote
    itself: the voting, the count or the result (VOTE_TOLD, _POLLS_TOLD), not an opinion poll
    (_OPINION, _POLLS_OPINION), nor a body's own election (_BODIES right before the election's
    word)?"""
    low = [word.lower() for word in words]
    if not _OPINION.isdisjoint(low):
        return False
    if any(n and low[n - 1] in _BODIES for n, word in enumerate(low) if word in _ELECTION_WORDS):
        return False
    phrases: set[tuple[str, ...]] = set()
    if "polls" in low:
        for n, word in enumerate(low):
            if word in _PHRASE_OPENERS:
                phrases |= {tuple(low[n : n + 2]), tuple(low[n : n + 3])}
    if not phrases.isdisjoint(_POLLS_OPINION):
        return False
    return not _VOTE_TOLD.isdisjoint(low) or not phrases.isdisjoint(_POLLS_TOLD)


# An awards ceremony is one happening: its red carpet, its host's monologue, each winner and
# each speech are reported by the dozen in one night, every report naming other people (the
# nominees, the winners), so two of them share little but the ceremony's name and the learned
# model, or the name-conflict veto, parts them. A ceremony of one name is held once a year, so
# two headlines that name it, each in a ceremony's words (CEREMONY), tell one happening
# (story_signals.PairSignals._same_ceremony). One of the two must name the ceremony itself
# (CEREMONY_OWN: an award, a red carpet, a ceremony); "winner" and "nominee" alone are also
# an election's or a lottery's, "speech" a summit's. A preview (PREVIEW: "ahead of the
# ceremony", "what to expect"; also words of aim or odds, AIM: "Streamly eyes Lumen glory",
# "tipped to win", which a report of the night does not write of its winners) is its own event.
# A word of aim has other senses ("eye-catching looks", "tears in their eyes", "tipped off",
# "as critics predicted"): it tells a preview only in a headline writing no word of a ceremony
# (h-review, session 15: with them the night's own reports stood apart from it).
# A death is one happening: the tributes paid in the next hours, the obituaries, are that event
# (bench/labels/README.md), each in other words and naming other people (those paying them):
# "Only Fools and Horses star John Challis dies aged 79", then "US rapper Ice T pays tribute to
# his late 'internet friend' ... John Challis". A headline telling a death (DEATH) and a later
# one mourning the same person by full name (MOURNING) are one story (story_signals.
# PairSignals._mourns).
DEATH: frozenset[int] = _ids("dies died dead death")
MOURNING: frozenset[int] = DEATH | _ids(
    "late tribute tributes mourn mourns mourned mourning remembered remembers obituary funeral"
)
CEREMONY_OWN: frozenset[int] = _ids("award awards ceremony ceremonies gala carpet")
CEREMONY: frozenset[int] = CEREMONY_OWN | _ids(
    "nominee nominees nomination nominations winner winners speech speeches monologue host "
    "hosts hosted presenter presenters"
)
PREVIEW: frozenset[int] = _ids(
    "ahead expect expects preview previews preparation preparations prepare prepares "
    "preparing countdown prediction predictions"
)
AIM: frozenset[int] = _ids("eye eyes eyeing vie vies vying tipped predict predicts")
# Not the night but a person's or the organisers' own news, told with the ceremony's name or
# a role at it ("Lumen Awards host accused of harassment", "... host signs talk show deal",
# "Composer X, five-time Lumens winner, dies at 81", "Lumens to add a comedy category next
# year"): a death, a charge or a court's word (STAGES), a deal, or what is to come
# (own_news). Such a headline is no report of the night for the ceremony's rules (stories.py;
# the model still weighs it), unless it tells a prize won, taken or given (_PRIZE_VERBS: "...
# dedicates Emmy to late father who passed away", a report of the night on the real day).
OWN_NEWS: frozenset[int] = _ids(
    "dies died dead death deaths mourn mourns mourned funeral "
    "accuse accuses accused accusation accusations allegation allegations lawsuit sue sues "
    "sued arrest arrests arrested charged deal deals contract contracts"
) | frozenset(STAGE_OF)


# The words that, right after a name, make it a ceremony's name ("the Emmy Awards", "Met Gala",
# "Cannes red carpet"): the ceremony's own nouns, not "winner", "nominee", "speech" or "host",
# which follow a president's or a company's name as often ("Biden nominee", "Trump speech",
# "Apple hosts launch"). "Awards" is also a verb ("Pentagon awards Boeing contract", "Jury
# awards Smith $5m"): after a name it names a ceremony when written with a capital in a
# headline that is no title case, or when the sentence ends there or goes on with another
# word of a ceremony ("Lumen Awards ceremony") or a year ("Emmy Awards 2021: ..."). A year
# between them is looked past ("Emmys 2021 red carpet").
_NAMING: frozenset[str] = frozenset(("ceremony", "ceremonies", "gala"))
_AWARD: frozenset[str] = frozenset(("award", "awards"))


def _year(token: str) -> bool:
    return len(token) == 4 and token.isdigit()


def ceremony_names(
    tokens: Sequence[str], term_of: Callable[[str], int], capitals: bool
) -> frozenset[int]:
    """The terms of the words written with a capital that a headline's `tokens` (similarity's:
    "" ends a sentence) write as an awards ceremony's name: right before a word of the
    ceremony itself (see _NAMING). `capitals`: the headline is no title case, so a capital
    tells a name."""
    out = set()
    last = len(tokens)
    for n, token in enumerate(tokens):
        if not token or token.isdigit():
            continue
        k = n + 1
        if k < last and _year(tokens[k]):
            k += 1  # "Emmys 2021 red carpet"
        if k >= last:
            continue
        word = tokens[k].lower()
        if word == "red":
            named = k + 1 < last and tokens[k + 1].lower() == "carpet"
        elif word in _AWARD:
            after = tokens[k + 1].lower() if k + 1 < last else ""
            named = (
                (capitals and tokens[k][0].isupper())
                or not after
                or after in _NAMING
                or after == "red"
                or _year(after)  # "Emmy Awards 2021: the winners"
            )
        else:
            named = word in _NAMING
        if named and token[0].isupper() and (tid := term_of(token)) >= 0 and tid not in CEREMONY:
            out.add(tid)
            out.update(_run_before(tokens, n, term_of, capitals))
    return frozenset(out)


_RUN = 2  # words of a ceremony's name before its last, at most ("Lumen Music", "Venice Film")


def _run_before(
    tokens: Sequence[str], n: int, term_of: Callable[[str], int], capitals: bool
) -> list[int]:
    """The terms of the capitalised words right before `tokens[n]` in one name with it ("Lumen"
    of "Lumen Music Awards"): two ceremonies' names often end in one word ("Lumen Music Awards",
    "Aurora Music Awards"), which alone would make them one (ceremonies_apart). Not a
    possessive ("France's"), a stop word or a ceremony's word; in title case (`capitals` false)
    not a word ending in "s", taken for a verb ("Adele Sweeps Lumen Awards")."""
    out = []
    for k in range(n - 1, max(n - 1 - _RUN, -1), -1):
        word = tokens[k]
        if (
            not word[:1].isupper()
            or word[-2:] in ("'s", "’s")
            or (not capitals and word.endswith("s"))
            or (tid := term_of(word)) < 0
            or tid in CEREMONY
        ):
            break
        out.append(tid)
    return out


def ceremonies_apart(
    ours: frozenset[int],
    our_title: Collection[int],
    theirs: frozenset[int],
    their_title: Collection[int],
) -> bool:
    """Do two headlines name awards ceremonies by other names, each a name the other headline
    does not write ("Lumen Music Awards" / "Aurora Music Awards"; not "Emmy Awards" / "Creative
    Arts Emmys")? Two ceremonies, however alike their night's words ("all the winners")."""
    return (
        bool(ours)
        and bool(theirs)
        and not ours.issubset(their_title)
        and not theirs.issubset(our_title)
    )


# A storm is named ("Hurricane Ida", "Tropical Storm Rose", "Typhoon Chanthu", "Storm Arwen"):
# two headlines naming storms by other names tell two storms, however alike their words ("...
# forms in the Atlantic"), as two of a season's storms often form the same day. The name is
# the word after the storm's title word, both written with a capital (stories.py, *named
# storms*).
_STORM_TITLES: frozenset[str] = frozenset(("storm", "hurricane", "typhoon", "cyclone"))
STORM_TERMS: frozenset[int] = _ids(" ".join(_STORM_TITLES))
# The nouns a storm's title makes a compound of in English ("storm surge", "hurricane season",
# "Tropical Storm Warning", "Storm Damage"): capitalised in a title-case headline, they are no
# storm's name (h-review, session 15: "Storm Surge Swamps Fort Myers" was parted from "Hurricane
# Ian makes landfall near Fort Myers"). Besides a kind's and an aftermath's words (_KINDS,
# _AFTERMATH: "damage", "toll", "victims").
_NO_STORM_NAME: frozenset[int] = (
    _ids(
        "surge surges warning warnings watch watches season seasons center centre centers "
        "centres tracker trackers chaser chasers hunter hunters drain drains shelter shelters "
        "front fronts system systems cell cells cloud clouds water waters relief recovery "
        "cleanup update updates alert alerts path track forecast"
    )
    | frozenset(KIND_OF)
    | AFTERMATH
)


def storm_names(
    tokens: Sequence[str], term_of: Callable[[str], int], capitals: bool = True
) -> frozenset[int]:
    """The terms of the names a headline's `tokens` (similarity's: "" ends a sentence) give a
    storm: a capitalised word right after a capitalised storm title ("Hurricane Ida").
    `capitals`: the headline is no title case; in title case a verb is capitalised too, so a
    word ending in "s" is taken for one ("Hurricane Slams Louisiana Coast", "... Makes
    Landfall": h-review, session 15, each parted from "Hurricane Ida ...")."""
    out = set()
    for n in range(len(tokens) - 1):
        token, name = tokens[n], tokens[n + 1]
        if (
            token[:1].isupper()
            and token.lower() in _STORM_TITLES
            and name[:1].isupper()
            and name.lower() not in _STORM_TITLES
            and (capitals or not name.endswith("s"))
            and (tid := term_of(name)) >= 0
            and term_id(root(name.lower())) not in _NO_STORM_NAME
        ):
            out.add(tid)
    return frozenset(out)


# An office's holder is named after its title ("Governor Kiprono", "Mayor Anna Kowal",
# "President Salcedo"): two headlines naming holders of one kind of office by other names, neither
# naming the other's, tell two happenings of two holders ("Nakuru MCAs vote to impeach Governor
# Kiprono" / "Kisumu assembly impeaches Governor Achieng"), as two of a country's governors,
# mayors or ministers are often in one kind of news the same day. The name is the last of the
# capitalised words right after the title (a family name: "Governor Samuel Kiprono").
_OFFICE_TITLES: frozenset[str] = frozenset(
    ("governor", "mayor", "president", "senator", "premier", "chancellor", "minister", "sheriff")
)
OFFICE_TERMS: frozenset[int] = _ids(" ".join(_OFFICE_TITLES))
_HOLDER_WORDS = 3  # at most this many capitalised words name the holder ("Grace Achieng")
# Words that go on an office's title rather than name its holder ("Governor General").
_OFFICE_WORDS: frozenset[str] = _OFFICE_TITLES | frozenset(("general", "elect", "emeritus"))


def holder_names(
    tokens: Sequence[str], term_of: Callable[[str], int], capitals: bool = True
) -> frozenset[int]:
    """The terms of the holders a headline's `tokens` (similarity's: "" ends a sentence) names
    after a capitalised office title ("Governor Kiprono", "President Grace Achieng": the last
    word); none in a title-case headline (`capitals` False: its verbs are capitalised too), nor
    a title before a run of more than _HOLDER_WORDS capitalised words or one holding a people's
    or an office's word ("Governor General", "President Kenyan ...")."""
    if not capitals:
        return frozenset()
    out = set()
    for n, token in enumerate(tokens):
        if not token[:1].isupper() or token.lower() not in _OFFICE_TITLES:
            continue
        end = n + 1
        while end < len(tokens) and tokens[end][:1].isupper():
            end += 1
        run = tokens[n + 1 : end]
        if not run or len(run) > _HOLDER_WORDS:
            continue
        if any(w.lower() in _OFFICE_WORDS or w.lower() in PEOPLES for w in run):
            continue
        if (tid := term_of(run[-1])) >= 0:
            out.add(tid)
    return frozenset(out)


def storms_apart(
    ours: frozenset[int],
    our_title: Collection[int],
    theirs: frozenset[int],
    their_title: Collection[int],
) -> bool:
    """Do two headlines name storms by other names, neither naming the other's storm?"""
    return (
        bool(ours)
        and bool(theirs)
        and ours.isdisjoint(their_title)
        and theirs.isdisjoint(our_title)
    )


# A people's plural ("Brits", "Kiwis", "Turks"): a ceremony's name too ("the Brits"), but a
# people's far more often ("Brits warned over Spanish heat", "Two Kiwis killed ..."). The
# countries' people's words (places.PEOPLES) and the informal ones news writes in headlines.
_PEOPLES: frozenset[str] = frozenset(
    people + "s" for people in PEOPLES if not people.endswith("s")
) | frozenset(("brits", "kiwis", "aussies", "yanks", "poms"))
_THE: frozenset[str] = cased("the")


def plural_names(tokens: Sequence[str], term_of: Callable[[str], int]) -> frozenset[int]:
    """The terms of the words with a capital that a headline's `tokens` write as a name's
    plural ("at the Emmys", "Lumens 2026:", "the BAFTAs"): how a report of the night names an
    awards ceremony in no word of one (story_signals.PairSignals._names_ceremony). Not the
    singular, which is as often a person's, a firm's or a people's name ("Tony Blair", "Lumen
    Technologies", "a Kiwi tourist") as the ceremony's; nor a people's plural (_PEOPLES:
    "Brits warned over Spanish heat") but after "the" or before a year ("at the Brits",
    "Brits 2027:"). `term_of` memoizes (see similarity)."""
    out = set()
    for n, token in enumerate(tokens):
        if len(token) > 3 and token[-1] == "s" and token[0].isupper() and token[-2] not in "s'’":
            tid = term_of(token)
            if tid < 0 or term_of(token[:-1]) != tid:
                continue
            if token.lower() in _PEOPLES and not (
                (n and tokens[n - 1] in _THE) or (n + 1 < len(tokens) and _year(tokens[n + 1]))
            ):
                continue  # a people, not a ceremony
            out.add(tid)
    return frozenset(out)


# A ceremony's prize is called by the ceremony's name in the singular ("dedicates Emmy to her
# late father", "wins her first Lumen"): right after a verb of winning, taking or giving a
# prize, a name is the prize, not a person's or a firm's (whose singular plural_names leaves
# out), unless a longer name goes on ("wins Lumen Technologies contract") or a noun the name
# qualifies ("wins Lumen contract", "win Tony seat": only a word of STOPWORDS may follow, "wins
# Lumen for best drama", "dedicates Emmy to"), or a relative tells a life's past prize ("actor
# who won Lumen in 1987 dies"). Up to two of _PRIZE_BEFORE stand between ("wins her first
# Lumen").
def _forms(words: str) -> frozenset[str]:
    """Each word as written (lower case) and with a capital."""
    return frozenset(form for word in words.split() for form in (word, word.capitalize()))


_PRIZE_VERBS: frozenset[str] = _forms(
    "win wins won winning dedicate dedicates dedicated dedicating accept accepts accepted "
    "accepting collect collects collected collecting scoop scoops scooped scooping clinch "
    "clinches clinched bag bags bagged nab nabs nabbed snag snags snagged"
)
# "who won Lumen in 1987": a life's prize, told of a past night (an obituary, a profile)
_PRIZE_PAST: frozenset[str] = frozenset(("who", "whose"))
_PRIZE_BEFORE: frozenset[str] = _forms(
    "a an the her his their its first second third fourth fifth maiden debut another"
)


def prize_names(tokens: Sequence[str], term_of: Callable[[str], int]) -> frozenset[int]:
    """The terms of the words with a capital that a headline's `tokens` write as a prize right
    after a verb of winning or giving it ("dedicates Emmy to", "wins her first Lumen"), no
    longer name going on: like plural_names, how a report of the night names an awards
    ceremony in no word of one (story_signals.PairSignals._names_ceremony)."""
    if _PRIZE_VERBS.isdisjoint(tokens):  # in C: most headlines stop here
        return frozenset()
    out = set()
    last = len(tokens)
    for n, token in enumerate(tokens):
        if token not in _PRIZE_VERBS:
            continue
        k = n + 1
        while k < last and k - n <= 2 and tokens[k].lower() in _PRIZE_BEFORE:
            k += 1
        if (
            k < last
            and len(tokens[k]) > 2
            and tokens[k][0].isupper()
            and (k + 1 == last or tokens[k + 1] in STOPWORDS)  # no longer name, no noun
            and (n == 0 or tokens[n - 1].lower() not in _PRIZE_PAST)
        ):
            tid = term_of(tokens[k])
            if tid >= 0 and tid not in CEREMONY:
                out.add(tid)
    return frozenset(out)


# Words of what is to come ("... next year", "... plans ..."), as written. Not "will": a
# report of the night tells its winners' plans for it ("Emmy winners' celebrations will
# include ...": the real day's report, parted from the night with it).
_COMING: frozenset[str] = cased("next upcoming scheduled plans planned")


def own_news(words: Sequence[str], title: Collection[int]) -> bool:
    """Does a headline (its `words` as written, its `title` terms) tell a guest's or the
    organisers' own news (OWN_NEWS, or what is to come: "... next year"), no prize won or given
    (_PRIZE_VERBS)?"""
    return (not _COMING.isdisjoint(words) or not OWN_NEWS.isdisjoint(title)) and (
        _PRIZE_VERBS.isdisjoint(words)
    )


# "As expected", "than expected": an outcome measured against what was expected ("Les Quais
# wins best series at the Lumen Awards, as expected"), no preview of it (PREVIEW's "expect").
# And a win to come ("Who will win at the Lumen Awards?", "Les Quais could win best series"):
# a contest's preview, which a report of its night, telling who won, does not write.
_EXPECTED: frozenset[str] = cased("expected")
_MEASURED: frozenset[str] = cased("as than")
_WIN: frozenset[str] = cased("win")
_READ = _EXPECTED | _WIN
_MODAL: frozenset[str] = cased("will could should would might can may")
_OWN_WORDS: frozenset[str] = cased("award awards ceremony gala carpet")


def previews_read(tokens: list[str]) -> list[str]:
    """A headline's `tokens` with its words of expectation read: "expected" left out where it
    measures an outcome ("as expected"), and a win to come in an awards headline ("will win")
    written as "preview" (PREVIEW)."""
    if _READ.isdisjoint(tokens):  # a set operation in C: most headlines stop here
        return tokens
    ahead = not _WIN.isdisjoint(tokens) and not _OWN_WORDS.isdisjoint(tokens)
    out = []
    for n, token in enumerate(tokens):
        before = tokens[n - 1] if n else ""
        if token in _EXPECTED and before in _MEASURED:
            continue
        out.append("preview" if ahead and token in _WIN and before in _MODAL else token)
    return out


def ceremony_told(title: Collection[int]) -> bool:
    """Does a headline's terms tell an awards ceremony (a word of CEREMONY), not its preview?"""
    return not CEREMONY.isdisjoint(title) and PREVIEW.isdisjoint(title)


def previewed(title: Collection[int]) -> bool:
    """Does a headline's terms preview an event (a word of PREVIEW: "Lumen Awards: what to
    expect", "Stars prepare for the Lumens"; or one of AIM in no word of a ceremony: "Streamly
    eyes Lumen glory", not "The most eye-catching looks from the Lumen Awards red carpet")?
    Read against a story whose headline shares a ceremony's name with it
    (story_signals.PairSignals._preview_apart), which is what makes it a ceremony's preview."""
    if not PREVIEW.isdisjoint(title):
        return True
    return not AIM.isdisjoint(title) and CEREMONY.isdisjoint(title)


def kinds(terms: Iterable[int]) -> set[int]:
    """The kinds of happening among `terms` (term ids)."""
    return {KIND_OF[tid] for tid in terms if tid in KIND_OF}


def named(terms: Iterable[int]) -> set[int]:
    """The kinds among `terms` named by a word of their own, not only a common one."""
    return {KIND_OF[tid] for tid in terms if tid in KIND_OF and tid not in COMMON}


def one_kind(ours: Iterable[int], theirs: Iterable[int]) -> bool:
    """Do two headlines' terms name one kind of happening, at least one of them by a word of
    its own ("Bushfire ..." / "... blaze ...", not "Fire ..." / "... fire ...")?"""
    ours, theirs = list(ours), list(theirs)
    shared = kinds(ours) & kinds(theirs)
    return bool(shared) and not shared.isdisjoint(named(ours) | named(theirs))


def stages_apart(ours: Iterable[int], theirs: Iterable[int]) -> bool:
    """Do two headlines' terms name stages of a trial, none the same (STAGES, PENDING)?"""
    return _apart(_stages(ours), _stages(theirs))


def _stages(terms: Iterable[int]) -> set[int]:
    """The stages of a trial a headline's terms name: a verdict or sentence it waits for is
    the first (PENDING)."""
    found = [tid for tid in terms if tid in STAGE_OF or tid in PENDING]
    if not found:
        return set()
    waiting = not PENDING.isdisjoint(found)
    return {0 if waiting and tid in AWAITED else STAGE_OF[tid] for tid in found if tid in STAGE_OF}


def kinds_apart(ours: Iterable[int], theirs: Iterable[int]) -> bool:
    """Do two headlines' terms name kinds of happening, none the same ("... as fire spreads" /
    "... as floodwaters recede")?"""
    return _apart(kinds(ours), kinds(theirs))


def _apart(one: set[int], other: set[int]) -> bool:
    return bool(one) and bool(other) and one.isdisjoint(other)


# Blows and unrest that come again night after night in one place: a city's air strikes, a
# campaign's drone attacks, a movement's protests. Unlike KINDS (a flood, a quake: seldom twice
# in one place within days), another outlet's report of one in the words of a story told two
# days before is as likely the next one: "Russian drones attack Kyiv" two nights after two
# outlets told "Russian drones attack Kyiv" (stories.StoryIndex._agreed, *A blow told anew*).
# The words after the "|" tell a blow only at a place a headline names ("Russian drones attack
# Kyiv"; not "Trump attacks Pelosi", "Fed raids its reserves"). Not "strike" alone (a court strikes
# down a law, workers strike: "air strike" is one), "riot" (a riot's backdrop names a saga:
# "Capitol riot probe"), "march" (the month), "rally" (a campaign's rallies).
_BLOWS = (
    "airstrike airstrikes shelling bombing bombings bombardment drone drones rocket rockets "
    "missile missiles protester protesters protestors demonstrators tear "
    "| attack attacks pound pounds bombard bombards raid raids protest protests clash clashes"
)
_PLAIN_WORDS, _, _PLACED_WORDS = _BLOWS.partition("|")
_BLOW_TERMS: frozenset[int] = _ids(_BLOWS.replace("|", " "))
_PLAIN: frozenset[str] = cased(_PLAIN_WORDS)  # "fire tear gas", "tear-gas" (two tokens)
_AIR: frozenset[str] = cased("air")
_STRIKE: frozenset[str] = cased("strike strikes")
_PLACED: frozenset[str] = cased(_PLACED_WORDS)
# After h-review26's one-event splits (session 26): firefighters are no fire (they dig out a
# landslide, search a tornado's rubble); a house fire is no wildfire (a storm floods streets
# and sparks a fire), a quake no flood apart (its dam breaks); a shooting's own word beside a
# fire with no weapon is a shooting at a fire, which parts from no fire.
_ANY: frozenset[str] = _PLAIN | _PLACED | _STRIKE
_AIR_STRIKE: tuple[int, int] = (term_id(root("air")), term_id(root("strikes")))
# A headline telling what came of a blow (its toll, its aftermath: AFTERMATH), a reaction to it
# ("says", "claims", "condemns", "vows", "sparks outrage", "draws condemnation"), an inquiry
# into it, or its going on ("after", "following", "continue", "day two") tells a late report of
# it, not a fresh one.
_LATER_WORDS = (
    " ".join(sorted(_AFTERMATH.split()))
    + " kill kills injures injuring wounds after aftermath following continue continues"
    " continued continuing day days second week says say said claim claims claimed condemn"
    " condemns condemned blame blames blamed vow vows vowed warn warns probe probes inquiry"
    " investigate investigates investigation investigating respond responds response"
    " retaliate retaliates retaliation react reacts reaction reactions outrage outcry anger"
    " fury backlash condemnation condemnations denounce denounces denounced decry decries"
    " decried spark sparks sparked draw draws drew"
)
_LATER: frozenset[str] = cased(_LATER_WORDS)


def blow_anew(tokens: Sequence[str], placed: bool) -> bool:
    """Does a headline (its tokens as written; `placed`: it names a place) tell a blow or unrest
    (_BLOWS) as a fresh happening: a word of one and none of what came of it, a reaction, an
    inquiry or its going on ("Israeli air strikes pound Gaza City", "Police fire tear gas at
    Nairobi protesters"; not "Gaza counts the dead after air strikes", "ISIS claims attack on
    churches")?"""
    if _ANY.isdisjoint(tokens) or not _LATER.isdisjoint(tokens):  # in C: most stop here
        return False
    if not _PLAIN.isdisjoint(tokens) or (placed and not _PLACED.isdisjoint(tokens)):
        return True
    return any(word in _STRIKE and before in _AIR for before, word in itertools.pairwise(tokens))


def blow_named(terms: Collection[int]) -> bool:
    """Does a stored headline (its `terms`) name a blow or unrest (_BLOWS, or "air" and
    "strike")?"""
    return not _BLOW_TERMS.isdisjoint(terms) or all(tid in terms for tid in _AIR_STRIKE)


# What happened, as a headline tells it: the words left when its actors are taken away. Two
# reports of one act share one ("Israeli strike kills 12 in Gaza" / "Airstrike on Gaza camp
# leaves a dozen dead": a strike, the dead); one actor's two acts share only the actor ("PM
# announces cabinet reshuffle" / "PM meets Modi"; "Edvardsen unveils asylum plan" / "Edvardsen
# sacks minister over expenses row"), which is all a report's fit to the story's reports saw in
# the leader's next act (bench/README.md, *The story as a whole agrees, told twice*).
# A headline term is a word of what happened unless it is a name (capitalised: a person, a
# place, a body), a number, a place or a people's word (places.KNOWN's one-word places,
# places.PEOPLES: a headline's opening "Israeli" is no cued name), a generic word of news
# (terms.GENERIC: government, police, report, plan ...), a word of a kind of name (terms.
# NAME_PARTS: bank, river, port), an office or a title (_ACTORS), a person's plain noun or a
# word of telling (_TELLING: announce, unveil, call, urge, row, bid, dozen). Stop words are no
# terms at all. Related words of one happening count as one (HAPPENED_AS): a kind's words
# (_KINDS' lines: a blaze, a wildfire), an aftermath's (_AFTERMATH's lines: killed, dead,
# death, toll), a blow's (airstrike, strike, shelling, bombing); a generic word of one of them
# (killed, attack, storm) is a word of what happened again. Written by hand, general English.
_ACTORS = """
minister ministers president presidents prime premier pm chancellor governor governors mayor
mayors king queen prince princess pope court courts judge judges justice police army military
government parliament senate congress cabinet official officials spokesman spokeswoman chief
head leader leaders ceo boss secretary director lawmaker lawmakers mp mps senator senators
prosecutor prosecutors regulator regulators opposition coalition ruling party council mayoral
presidential ministerial officer officers minister's president's
man men woman women people child children boy boys girl girls teen teens teenager teenagers
family families resident residents citizen citizens worker workers
"""
_TELLING = """
announce announces announced announcing unveil unveils unveiled unveiling plan plans planned
propose proposes proposed proposal call calls called urge urges urged vow vows vowed pledge
pledges pledged promise promises promised seek seeks face faces faced set sets hold holds held
leave leaves left give gives gave get gets hit hits move moves bid bids push pushes row rows
step steps latest major big top key dozen dozens hundreds thousands scores amid news
overnight
"""
# Each line one happening: a kind's words, an aftermath's (the dead with the killing), a blow's,
# unrest's.
_HAPPENED_LINES = (
    *(line.replace("|", " ") for line in _KINDS.strip().splitlines()),
    *_AFTERMATH.strip().splitlines()[1:],
    _AFTERMATH.strip().splitlines()[0] + " kill kills killing fatalities",
    "airstrike airstrikes strike strikes shelling bombing bombings bombardment bomb bombs drone "
    "drones rocket rockets missile missiles attack attacks raid raids pound pounds bombard",
    "protest protests protester protesters protestors demonstrators rally rallies",
)
HAPPENED_AS: dict[int, int] = {}
for _line in _HAPPENED_LINES:
    _first = term_id(root(_line.split()[0]))
    for _tid in _ids(_line):
        HAPPENED_AS.setdefault(_tid, _first)
# The happenings of harm: the dead and the killing, the hurt, the rescue, the mourning, the flight,
# the damage (_AFTERMATH's lines, as HAPPENED_AS writes them). Any accident's or attack's report
# tells one, so two of them in one city share it ("Fishing pier collapses in Tampa, injuring six"
# / "Explosion at Tampa marina injures two": h-review25's zo- case); a caller leaves them out
# where a shared word must tell the happening itself (stories.StoryIndex._happened_alike).
HARM: frozenset[int] = frozenset(
    HAPPENED_AS[term_id(root(line.split()[0]))] for line in _AFTERMATH.strip().splitlines()
)
_NOT_HAPPENED: frozenset[int] = (
    _ids(_ACTORS + _TELLING) | GENERIC_IDS | NAME_PART_IDS | _ids(" ".join(PEOPLES))
) - frozenset(HAPPENED_AS)


@functools.cache
def _places() -> frozenset[int]:
    """The terms of the one-word places places.KNOWN holds (made at first use: some 5,000
    words, a few ms, asked only of the rare pairs that call what_happened)."""
    return frozenset(term_id(root(words[0])) for words in KNOWN if len(words) == 1)


def what_happened(title: Iterable[int], names: Collection[int] = ()) -> frozenset[int]:
    """The words of what happened among a headline's terms (`title`, term ids as
    similarity.TextFeatures.title or a stored report's TITLE_BIT terms), each as its
    happening's term (HAPPENED_AS): no name (`names`, the report's terms cued as names: its
    headline's and its lead's), number, place, people's word, generic word, office or word of
    telling (_NOT_HAPPENED). "Israeli strike kills 12 in Gaza" -> {strike, death}; "PM
    announces cabinet reshuffle" -> {reshuffle}."""
    return frozenset(
        HAPPENED_AS.get(tid, tid)
        for tid in title
        if not tid & NUMBER_BIT
        and tid not in names
        and tid not in _NOT_HAPPENED
        and (tid in HAPPENED_AS or tid not in _places())
    )


def share_what_happened(ours: frozenset[int], *theirs: Collection[int]) -> bool:
    """Does a headline's what_happened share a word with each of `theirs` (the what_happened of
    another headline, or of each report of a story)? "Israeli strike kills 12 in Gaza" and
    "Airstrike on Gaza camp leaves a dozen dead" do (a strike, the dead); "PM announces cabinet
    reshuffle" and "PM meets Modi" do not (only the actor). False with nothing to compare."""
    return bool(theirs) and all(not ours.isdisjoint(other) for other in theirs)


# Kinds of happening two headlines tell that are never one event told twice (h-kinds, session
# 26): a flood and a wildfire, a mall fire and a market shooting, a plane crash and a helicopter
# crash. Unlike KINDS (what joins), these part, so a kind that follows from another is no
# conflict: a blast sparks a fire, a quake a tsunami or a landslide, a storm floods a coast, a
# plane crashes and burns, helicopters fly out a flood's victims (none of these is listed apart
# below). Only a kind's own words count, and the common ones that have no other sense in news:
# not "storm" (police storm a hotel), "erupt" (protests erupt), "derail" (talks derailed),
# "blackout", "blast" (a minister blasts critics) or a mine (a landmine, "mine ban pact"); a
# fire never parts from a hack or a firm's results ("fires its chief" is no fire).
# A "fire" in a headline telling a shot or a weapon is gunfire ("Gunmen open fire at market",
# "Hezbollah fires rockets"), no fire; "flames" and "shot" are left out (politics "fans the
# flames", a sacked secretary fires a "parting shot"), and a shooting or a stabbing counts only
# in a headline telling harm (HARM: "Shooting at Bangkok market injures three", not "Biden links
# Trump's tongue to mass shootings"); a plane shot down is no plane apart from a shooting.
# Written by hand, general English, before measuring; "flames", "shot", the harm and the
# planes' shootings after the allsides train split showed four one-event splits by them.
_PARTING = {
    "quake": "earthquake quake tremor temblor",
    "flood": "flood flooding flooded floodwater deluge inundation",
    "fire": "fire inferno",
    "wildfire": "bushfire wildfire",
    "storm": "typhoon hurricane cyclone snowstorm blizzard",
    "tornado": "tornado twister",
    "landslide": "landslide mudslide landslip",
    "avalanche": "avalanche",
    "volcano": "volcano eruption lava",
    "tsunami": "tsunami",
    "cyber": "cyber cyberattack hack hacked hacker hacking ransomware",
    "earnings": "earnings profit profits dividend revenue quarterly",
    "derailment": "derailment trainwreck",
    "shooting": "shooting shootings shooter gunman gunmen gunfire gunshot gunshots shootout",
    "stabbing": "stabbing stabbings stabbed knife knifeman",
    "plane": "plane planes aircraft airliner jet jets",
    "helicopter": "helicopter helicopters chopper",
}
# Each kind, the kinds it is never one event with (read both ways).
_NEVER_WITH = {
    "quake": "storm tornado",
    "flood": "wildfire volcano avalanche",
    "fire": "tornado landslide avalanche shooting stabbing",
    "wildfire": "tornado landslide avalanche shooting stabbing",
    "storm": "volcano",
    "tornado": "volcano tsunami",
    "cyber": "quake flood storm tornado landslide avalanche volcano tsunami derailment",
    "earnings": "quake flood storm tornado landslide avalanche volcano tsunami derailment",
    "shooting": "quake flood storm tornado landslide avalanche volcano tsunami cyber earnings",
    "stabbing": "quake flood storm tornado landslide avalanche volcano tsunami cyber earnings",
    "plane": "helicopter derailment cyber earnings",
    "helicopter": "derailment cyber earnings",
}
_BITS = {kind: 1 << number for number, kind in enumerate(_PARTING)}
PARTING_OF: dict[int, int] = {
    tid: _BITS[kind] for kind, words in _PARTING.items() for tid in _ids(words)
}
_NEVER = dict.fromkeys(_BITS.values(), 0)
for _kind, _others in _NEVER_WITH.items():
    for _other in _others.split():
        _NEVER[_BITS[_kind]] |= _BITS[_other]
        _NEVER[_BITS[_other]] |= _BITS[_kind]
_FIRE = _BITS["fire"] | _BITS["wildfire"]
_CRIMES = _BITS["shooting"] | _BITS["stabbing"]
_HARMED = frozenset(tid for tid, happened in HAPPENED_AS.items() if happened in HARM)
# A shot or a weapon told beside "fire" makes it gunfire.
_GUNFIRE = _ids("rocket rockets missile missiles shell shells mortar mortars artillery bullet ")
_GUNFIRE |= _ids("bullets gun guns shot shots tear warning open opens opened cease")
# A shooting's own word beside "fire" is gunfire or a shooting at a fire ("Gunman kills two
# firefighters at house fire"): it tells no kind that parts from a fire.
_SHOOTERS = frozenset(tid for tid, bit in PARTING_OF.items() if bit == _BITS["shooting"])


def parting_kinds(terms: Iterable[int]) -> int:
    """The kinds of happening (_PARTING, as bits) a headline's terms tell: "fire" beside a shot
    or a weapon not counted (gunfire), a shooting or a stabbing only beside harm."""
    found, gunfire, shooter, harmed = 0, False, False, False
    for tid in terms:
        found |= PARTING_OF.get(tid, 0)
        gunfire = gunfire or tid in _GUNFIRE
        shooter = shooter or tid in _SHOOTERS
        harmed = harmed or tid in _HARMED
    if found & _FIRE and (gunfire or shooter):
        if not gunfire:
            return 0
        found &= ~_FIRE
    return found if harmed else found & ~_CRIMES


def kinds_part(ours: int, theirs: int) -> bool:
    """Do two headlines' parting_kinds tell two events: each tells a kind, no kind the same,
    and every kind of one never one event with every kind of the other ("State of emergency
    declared over floods" / "... over wildfire"; not "Quake triggers tsunami" / "Tsunami
    waves hit coast", nor "Blast at chemical plant" / "Fire rages at plant")?"""
    if not ours or not theirs or ours & theirs:
        return False
    bit = ours
    while bit:
        low = bit & -bit
        if theirs & ~_NEVER[low]:
            return False
        bit ^= low
    return True


# Armed groups news names by one word of their own (h-kinds, session 26): two headlines each
# naming one, neither report naming the other's, tell two groups' acts, two events, however
# alike ("Hezbollah fires rockets at northern Israel" / "Houthis fire missile at southern
# Israel"; PairSignals._groups_apart). One line a group, its forms. Written by hand, general
# English; not "Islamic State" (its words are others'), "Wagner" (a name), "Jihad".
_GROUPS = """
hezbollah hizbollah hizballah
houthi houthis
hamas
taliban
shabaab
haram
m23
rsf
pkk
farc
jnim
iswap
hts
"""
GROUP_OF: dict[int, int] = {
    tid: number for number, line in enumerate(_GROUPS.strip().splitlines()) for tid in _ids(line)
}


def groups(terms: Iterable[int]) -> set[int]:
    """The armed groups (_GROUPS, by line) among `terms`."""
    return {GROUP_OF[tid] for tid in terms if tid in GROUP_OF}
