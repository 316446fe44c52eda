"""A proper word that only describes: an entity called by what it is, not by its name.

News calls an entity by a description as often as by its name: "England's largest lake" for
Windermere, "Windhoek's landmark Christuskirche", "Gaudi's basilica" for the Sagrada Familia,
"Danish drugmaker" for Novo Nordisk, "Dutch rival" for Heineken, "the Austrian capital" for
Vienna. The proper word there (England, Windhoek, Gaudi, Danish, Dutch, Austrian) is not the
name of what the report is about: it modifies a common noun phrase that describes it. Cued as a
name, it is one that the other outlet's report (which writes the entity's name) never mentions:
a name conflict (story_signals.py), and the veto splits one event into two alerts. A table of
other names (aliases.py) cannot list such descriptions: any country has a drugmaker, any city a
landmark. So English grammar tells them here, not a list of entities; the lists below are of
common nouns, written by hand from English (nothing from a data set; written knowing the
held-out cases this fixes, bench/README.md, but no entity of theirs is listed):

* **a possessive before a building or a natural feature** (_THINGS: basilica, church, tower,
  bridge, lake, volcano, landmark ...), with at most MODIFIERS small words between ("Gaudi's
  basilica", "Windhoek's landmark Christuskirche", "Lisbon's century-old church");
* **a country's adjective, or a known place's possessive, before what an organisation or a
  place is** (_ROLES: drugmaker, carmaker, brewer, lender, airline, giant, firm, group, rival,
  capital ..., or a _THINGS noun), with at most MODIFIERS small words between ("Danish
  drugmaker", "German industrial giant", "the Austrian capital", "Britain's biggest lender"); a
  known place is one of places.py's gazetteer (a country, a capital, a state, a city). Not a
  place's name written before a noun ("UK supermarkets", "US drugmaker Pfizer", "Texas
  refinery"): such a name is most often the place the report is about, and taken as a
  description it let a right join of the labelled real day's CO2 shortage ("UK could face food
  shortages within weeks") carry a wrong one (a pub chain's price cut) into a larger story;
* **a known place's possessive before a word of rank** (_RANKS: largest, biggest, highest,
  oldest, main ...; an ordinal may come between: "second-largest"), whatever follows ("England's
  largest lake", "Germany's biggest carmaker Volkswagen").

Not a person's role: "German chancellor", "Trump's lawyer", "Apple's biggest supplier" keep
their proper word a name (a second person or company in that slot is a rival, and nothing here
could tell it). Small words are lower-case, no stop word, no sentence break: a title-case
headline has no descriptions (nor name cues from capitals: similarity.py).

What follows from it (similarity.py, story_signals.py): the proper word still counts as a term,
for the cosines; only where it describes it cues no name, unless the text also writes it as a
name elsewhere or opens two sentences on it ("Nigeria's central bank holds rate" over a lead
"Nigeria's central bank kept ...": the subject, a name by similarity._Openers). And two places
in one slot still conflict when one of them only describes: both headlines write a noun or a
word of rank that descriptions are made of, each a place the other report never mentions
("Danish drugmaker cuts jobs" / "Swiss drugmaker cuts jobs"; "Nigeria's central bank holds
rate" / "Bank of Japan keeps interest rates unchanged": story_signals._described_apart).

Pure functions of the tokens (similarity's: words in order, "" where a sentence ends).
"""

from __future__ import annotations

from collections.abc import Sequence

from watcher.places import KNOWN, country_names, lowered, regions, towns
from watcher.terms import STOPWORDS, root, term_id
from watcher.wordforms import COUNTRIES

MODIFIERS = 3  # small words between a description's proper word and its noun, at most


def _plural(word: str) -> str:
    return word + ("es" if word.endswith(("ch", "sh", "s", "x")) else "s")


def _forms(words: str) -> frozenset[str]:
    """Each word and its plural ("giant", "giants")."""
    return frozenset(form for word in words.split() for form in (word, _plural(word)))


# A building or a natural feature: one entity, often called by whose or where it is.
_THINGS = _forms(
    """
    basilica cathedral church chapel mosque temple synagogue shrine abbey monastery convent
    palace castle fortress citadel tower spire bridge museum gallery opera theatre theater
    stadium arena monument statue memorial landmark lake loch river mountain peak volcano
    glacier waterfall canal dam reef
    """
)
# What an organisation is (a company's trade, a body's kind), or a country's capital.
_ROLES = _forms(
    """
    company firm group giant conglomerate maker manufacturer producer supplier retailer grocer
    supermarket chain brewer distiller winemaker drugmaker carmaker automaker chipmaker
    steelmaker planemaker shipbuilder lender bank insurer airline carrier utility miner exporter
    startup rival peer broadcaster publisher newspaper capital
    """
)
# A word of rank or fame after a place's possessive: what makes one thing of it the one.
_RANK_WORDS = """
largest biggest highest tallest oldest longest deepest busiest richest most main chief
leading top famous iconic historic flagship
"""
_RANKS = frozenset(_RANK_WORDS.split())
_ORDINALS = frozenset({"second", "third", "fourth", "fifth"})
_HEADS = _THINGS | _ROLES
_POSSESSIVE = ("'s", "’s", "'S", "’S")
# The quick test: a text without any of these describes nothing ("giant's shares" too).
_CUES = _HEADS | _RANKS | {word + end for word in _HEADS for end in _POSSESSIVE[:2]}
# ... and the words a text past that test is scanned for, a noun in any case ("Bank's").
_CASED = _RANKS | {
    cased + end
    for word in _HEADS
    for cased in (word, word.capitalize(), word.upper())
    for end in ("", *_POSSESSIVE)
}
_PLACE_WORDS = 3  # words of a known place, at most ("New South Wales")
# A country's adjective ("Danish", "Dutch"), as wordforms.COUNTRIES writes it after the name.
_ADJECTIVES = frozenset(form for forms in COUNTRIES for form in forms[1:])


def described(tokens: Sequence[str]) -> list[tuple[int, int]]:
    """(position of a proper word that only describes, position of the word it describes
    with: its noun, or its word of rank) for each such word of `tokens`, in order."""
    if _CUES.isdisjoint(tokens):  # a set operation in C: most texts stop here
        return []
    found: dict[int, int] = {}
    cues = _CASED  # bound once: the list below runs for every word
    for head in [n for n, token in enumerate(tokens) if token in cues]:
        token = tokens[head]
        if token in _RANKS:
            k = head - 1 - (head > 1 and tokens[head - 1] in _ORDINALS)
            if k >= 0 and tokens[k].endswith(_POSSESSIVE):
                for n in _place(tokens, k):
                    found.setdefault(n, head)
        if lowered(token) not in _HEADS:
            continue
        k = head - 1
        while head - k <= MODIFIERS and k >= 0 and _small(tokens[k]):
            k -= 1
        if k < 0 or not tokens[k][:1].isupper():
            continue
        if not tokens[k].endswith(_POSSESSIVE):
            if tokens[k].lower() in _ADJECTIVES:  # "Danish drugmaker"; not "UK supermarkets"
                found.setdefault(k, head)
            continue
        place = _place(tokens, k)
        if place:
            for n in place:
                found.setdefault(n, head)
        elif lowered(token) in _THINGS:
            found.setdefault(k, head)
    return sorted(found.items())


def _small(token: str) -> bool:
    """A word that may stand between a description's proper word and its noun: lower case
    or a figure ("century-old", "400-year-old", "industrial"), no stop word."""
    return bool(token) and (token[0].islower() or token[0].isdigit()) and token not in STOPWORDS


def _place(tokens: Sequence[str], end: int) -> range:
    """The positions of the known place (places.KNOWN) written with capitals that ends at
    tokens[end] (its possessive "'s" aside), longest first; empty if none."""
    for start in range(max(0, end - _PLACE_WORDS + 1), end + 1):
        words = tokens[start : end + 1]
        if all(word[:1].isupper() for word in words) and tuple(map(lowered, words)) in KNOWN:
            return range(start, end + 1)
    return range(0)


def only_described(texts: Sequence[tuple[Sequence[str], list[tuple[int, int]]]]) -> list[str]:
    """The proper words (as written) that the texts — (tokens, described(tokens)) each — write
    with a capital only where they describe: none of them elsewhere, past a sentence's start
    (where a capital is grammar's). Those cue no name (similarity.py)."""
    at = [{n for n, _ in found} for _, found in texts]
    named = {
        lowered(token)
        for (tokens, _), skip in zip(texts, at, strict=True)
        for n, token in enumerate(tokens)
        if n not in skip and n > 0 and tokens[n - 1] and token[:1].isupper()
    }
    return [
        tokens[n]
        for tokens, found in texts
        for n, _ in found
        if lowered(tokens[n]) not in named
    ]


def _term(word: str) -> int:
    """A place word's term id as similarity.py counts it ("us" is the acronym's "us_")."""
    return term_id(word + "_" if word in STOPWORDS else root(word))


# A place's term that is as often another word's, once stemmed: "maine" is "main", "france"
# "franc", "dane" "dan" (a first name), "pune" "pun", "rome" "rom", "wales" "wal", "homs" "hom"
# ("home"), "tampere" "tamper"; "polish" and "turkey" are words of their own. None of them tells
# a rival.
_NOT_PLACE_TERMS = frozenset(
    {"main", "franc", "dan", "pun", "rom", "wal", "polish", "turkey", "hom", "tamper"}
)


def _place_terms() -> dict[int, int]:
    out: dict[int, int] = {}
    for words, mask in KNOWN.items():
        if len(words) == 1 and root(words[0]) not in _NOT_PLACE_TERMS:
            tid = _term(words[0])
            out[tid] = out.get(tid, 0) | mask
    return out


# Each one-word known place's term id -> its country bits (places.py): a description's rival is
# a place of another country (story_signals), in one slot: where both headlines write one of
# the nouns or words of rank descriptions are made of.
PLACE_TERMS = _place_terms()
# The terms of a country's name or its people's adjective among them (wordforms.COUNTRIES): the
# widest grain, which a city, a region or a port of that country lies within (story_signals).
COUNTRY_TERMS = frozenset(
    tid for forms in COUNTRIES for form in forms if (tid := _term(form)) in PLACE_TERMS
)
HEAD_TERMS = frozenset(_term(word) for word in _HEADS | _RANKS)


# Words of a place's name that tell it from no other ("New South Wales", "San Diego", "Salt Lake
# City"): a direction, "new", "city", a Spanish article.
_COMMON_PLACE_WORDS = frozenset(
    {"north", "south", "east", "west", "northern", "southern", "new", "city", "bay", "of"}
    | {"san", "los", "las", "el", "st", "salt", "lake"}
)
# A word of a country's name that names something wider when written alone: a continent.
_WIDER = frozenset({"africa", "america", "asia", "europe"})


def _country_bits() -> dict[int, int]:
    out = {tid: PLACE_TERMS[tid] for tid in COUNTRY_TERMS}
    for name in country_names():
        mask = KNOWN.get(name, 0)
        if len(name) < 2 or not mask:
            continue
        for word in name:
            if word in _COMMON_PLACE_WORDS or word in _WIDER or (word,) in KNOWN:
                continue  # "south"; "Africa" the continent; "Sudan" in "South Sudan"
            out[_term(word)] = out.get(_term(word), 0) | mask  # "islands": each such country
    return out


# The terms of a country's name or its people's adjective (COUNTRY_TERMS) and of the words of a
# country named in several ("New Zealand": "zealand"; "Sri Lanka": "sri", "lanka"; not
# "south", nor "Africa", which alone is the continent, nor "Sudan", a country of its own) ->
# its country bits: the widest grain, which a place of that country lies within
# (story_signals._within). A name of several words is several terms (similarity), so "New
# Zealand" is its "zealand".
COUNTRY_BITS = _country_bits()
# Of those, the words of a country named in several ("zealand", "sri", "lanka"): alone, such a
# word may be another place's ("Zealand", Denmark's island), so it counts as its country only in
# a report that names the country itself (story_signals._within).
COUNTRY_PARTS = frozenset(COUNTRY_BITS.keys() - COUNTRY_TERMS)


# The initials news writes for a country named in several words, as general knowledge has
# them (a reviewed table, not made from the names: "NM", "DC", "NC" would be North Macedonia,
# DR Congo and New Caledonia, but news writes them for New Mexico, Washington and North
# Carolina, h-review25's zo- cases). "PNG", "DRC", "UAE" are places of their own (places.py).
_INITIALS = {"sa": ("south", "africa"), "nz": ("new", "zealand"), "ksa": ("saudi", "arabia")}
# A country's initials -> its country bits: a name for the country as wide as its own, but
# only to lift a name conflict against a report that places its event in that country
# (story_signals._within: "Load-shedding returns across SA as Eskom units fail" against "South
# Africa's Eskom ramps up power cuts"). No place of its own, no shared name: "SA" is as often a
# company's suffix ("Airbus SA") or South Australia, which a report placed in South Africa
# rarely meets, and then only a conflict is lifted.
COUNTRY_INITIALS = {_term(initials): KNOWN[name] for initials, name in _INITIALS.items()}


def _town_bits() -> dict[int, int]:
    out: dict[int, int] = {}
    for name, country in towns():
        mask = KNOWN.get(tuple(country.split()), 0)
        if " " in name or not mask or root(name) in _NOT_PLACE_TERMS:
            continue  # a name of several words is several terms, none of them the town's
        tid = _term(name)
        if tid not in PLACE_TERMS and tid not in COUNTRY_BITS:  # the gazetteer's own win
            out[tid] = out.get(tid, 0) | mask
    return out


# A one-word town's term (places.towns: GeoNames' places of 5,000 people or more, one
# country's name each) -> its country bits: a finer grain than the gazetteer's, which a
# headline's name may be ("Tanker explodes at Kintampo filling station" against "Ghana fuel
# station blast death toll climbs"). No place of its own (a town's name may be a person's or a
# word's): it only lifts a name conflict against a report placed in its country
# (story_signals._names_apart).
TOWN_BITS = _town_bits()


def _region_cities() -> dict[int, frozenset[int]]:
    out: dict[int, set[int]] = {}
    for region, cities in regions():
        found = {_term(w) for city in cities for w in city if w not in _COMMON_PLACE_WORDS}
        for word in region:
            if word not in _COMMON_PLACE_WORDS:
                out.setdefault(_term(word), set()).update(found)
    return {tid: frozenset(cities) for tid, cities in out.items()}


# A region's words' terms -> the terms of its cities' words (places.regions): a region named on
# one side lies around the city the other headline names, one place at two grains
# (story_signals._names_apart).
REGION_CITIES = _region_cities()
