"""How a word becomes a term id: the word lists, the stem, and the id's bits.

similarity.py turns an item's text into words; this module decides what each word counts as:

* **STOPWORDS** are no term; **GENERIC** words (GENERIC_IDS their terms) are terms that a news
  window is full of ("government", "police"), which stories.py and story_signals.py weigh down;
  a kind word that comes before a name ("Storm Dara", "Christmas market") is one of them: the
  name, not the kind, is what two reports of one event share.
* **stem** / **root** — a light English suffix stripper, and before it wordforms.py's folds
  (FOLDS: "quake" counts as "earthquake"'s term).
* **term_id** — a term as a 32-bit id (xxhash). A word's id has NUMBER_BIT clear; a number's
  ("#12") has it set, with DATE_BIT for a headline's date ("#sep21"), COUNT_BIT and its value
  for a toll ("#+12", see **toll**), DECIMAL_BIT for a decimal ("#6.4") and, with SCORE_MARK,
  a score or tally ("#4-2"): stories.py compares numbers by these bits alone.

Pure functions and constants; nothing here keeps state.
"""

from __future__ import annotations

import xxhash

from watcher.wordforms import MEANINGS

_STOP = """
a about above after again against all also am among an and any are as at be because been before
being below between both but by can could did do does doing down during each few for from
further had has have having he her here hers herself him himself his how i if in into is it its
itself just me more most my myself no nor not now of off on once only or other our ours
ourselves out over own same she should so some such than that the their theirs them themselves
then there these they this those through to too under until up very was we were what when where
which while who whom why will with would you your yours yourself yourselves s t don didn doesn
isn wasn aren weren won wouldn shouldn couldn said says say saying told tell tells according
via per amid despite since within without upon onto new one two three four five first second
last next year years day days week weeks month months time today yesterday tomorrow tonight
morning evening night ago monday tuesday wednesday thursday friday saturday sunday january
february march april may june july august september october november december jan feb mar apr
jun jul aug sep sept oct nov dec mr mrs ms dr read min minute minutes update updated updates
live video videos photo photos watch breaking exclusive opinion analysis newsletter subscribe
click here share comment comments reply post posted article articles related story stories get
got go goes going make makes made take takes took come comes came see sees seen want wants may
might must shall us let lets like well back still even many much way ways
"""
STOPWORDS = frozenset(_STOP.split())
# Words that a news window is full of. They seed the document frequencies (stories.py) so a fresh
# index, which has not yet learned that "council" or "police" is common, does not join two reports
# because both mention a government, a vote and a council.
_GENERIC = """
government governments president prime minister ministers ministry official officials spokesman
spokeswoman spokesperson council security police court courts judge law laws vote votes voted
voting resolution bill state states national international country countries world city region
people leader leaders party parties member members group groups agency report reports statement
talk talks meeting meetings deal plan plans call calls called support attack attacks killed
kill war military force forces army election elections campaign public health company companies
business market markets economy economic percent million billion administration house senate
congress committee united nations un us_ uk_ eu america american foreign affairs political
politics policy issue issues decision decisions action power pressure crisis global local case
cases federal authorities authority chief head former office team director department secretary
general minister's sources source
storm storms hurricane hurricanes typhoon typhoons cyclone cyclones christmas easter
"""
GENERIC = frozenset(_GENERIC.split())
# Words that name a kind of institution or of natural feature, which every name of that kind
# shares: "Bank" in Bank Indonesia and the Czech National Bank, "Central" in the Central Bank of
# Kenya, "Lake" in Lake Kivu and Lake Victoria, "Line" in a tram's or a metro's "Line 1" (a
# Porto tram and a Bilbao metro derailment shared it, h-places4). Shared, such a word proves no
# shared actor (story_signals.PairSignals._headlines_apart); after a people's word it names
# that people's institution ("Swedish central bank", "Hungarian parliament": places.located).
# Words GENERIC holds ("national", "court", "senate") count so too. Written by hand, general
# English.
_NAME_PARTS = """
bank banks central reserve lake lakes river mount port bay gulf island islands university
airport supreme parliament assembly republic line lines
"""
NAME_PARTS = frozenset(_NAME_PARTS.split())

NUMBER_BIT = 0x80000000  # set in the id of a number term ("#12"), clear in every word's id
DATE_BIT = 0x40000000  # with NUMBER_BIT: a day of a month in a headline ("#sep21")
DATES = NUMBER_BIT | DATE_BIT
COUNT_BIT = 0x20000000  # with NUMBER_BIT, not DATE_BIT: a toll ("kills 12"), textcues.tolls
DECIMAL_BIT = 0x10000000  # with NUMBER_BIT alone: a decimal figure ("#6.4": a magnitude, a rate)
SCORE_MARK = 1  # with DECIMALS: a score or tally ("#4-2"); clear: a decimal ("#6.4")
COUNTS = NUMBER_BIT | COUNT_BIT  # a toll's id is COUNTS | its value (at most COUNT_MAX)
COUNT_MAX = 0xFFFFF
_WORD_BITS = 0xFFFFFFFF & ~NUMBER_BIT  # a word's id: its 32-bit hash, NUMBER_BIT clear


def term_id(term: str) -> int:
    """A 32-bit id; a number's has NUMBER_BIT set, so the index can tell numbers from words,
    a headline's date ("#sep21", see _dated) DATE_BIT too, and a toll ("#+12", see
    textcues.tolls) COUNT_BIT and its value in the low bits, so that two tolls can be compared."""
    if term[:1] != "#":  # a word (most)
        return xxhash.xxh32_intdigest(term.encode()) & _WORD_BITS
    if term[:2] == "#+":
        return COUNTS | min(int(term[2:]), COUNT_MAX)
    tid = xxhash.xxh32_intdigest(term.encode())
    if term[1:2].isalpha():
        return tid | DATES
    tid = (tid | NUMBER_BIT) & ~(DATE_BIT | COUNT_BIT | DECIMAL_BIT)
    if "-" in term:  # a score ("#4-2"): a decimal's kind of figure, marked in the low bit
        return tid | DECIMAL_BIT | SCORE_MARK
    return (tid | DECIMAL_BIT) & ~SCORE_MARK if "." in term else tid


def toll(tid: int) -> int | None:
    """The value of a toll's term id, None for any other term."""
    return tid & COUNT_MAX if tid & (DATES | COUNT_BIT) == COUNTS else None


def stem(word: str) -> str:
    """A light English suffix stripper: plurals, -ing, -ed, final e. Lower-case input."""
    if word.endswith(("'s", "’s")):
        word = word[:-2]
    if len(word) <= 3:
        return word
    if word[-1] == "s":  # hot path: test the last letter before any suffix
        if word.endswith("ies") and len(word) > 4:
            word = word[:-3] + "y"
        elif word.endswith("sses"):
            word = word[:-2]
        elif word[-2] not in "sui":  # not -ss, -us, -is
            word = word[:-1]
    if word.endswith("ing") and len(word) > 6:
        word = word[:-3]
    elif word.endswith("ed") and len(word) > 4:
        word = word[:-1] if word.endswith("eed") else word[:-2]  # agreed -> agree
    if word[-1] == "e" and len(word) > 3:
        word = word[:-1]
    return word


# Each form as written, and its plural -> the stem of its meaning's first word (wordforms.py:
# "quake", "quakes" -> "earthquak").
FOLDS = {
    written: stem(forms[0])
    for forms in MEANINGS
    for form in forms[1:]
    for written in (form, form + "s")
}


def root(word: str) -> str:
    """The term a lower-case word counts as: its stem, or its meaning's (see wordforms.py)."""
    return FOLDS.get(word) or stem(word)


GENERIC_IDS = frozenset(term_id(root(word)) for word in GENERIC)  # the generic words' terms
# The two rival parties of US news, each one term however it is written ("GOP", "Dems",
# "Democratic": wordforms.py). Two headlines opening on different ones ("Senate Republicans
# unveil tax plan ..." / "Senate Democrats unveil plan to tax ...") tell two sides' acts
# (similarity._party, story_signals.PairSignals._parties_apart). Britain's are left out:
# "Labour" counts as "labor", the word of work ("Labor shortages hit ...").
PARTIES = frozenset(term_id(root(word)) for word in ("republican", "democrat"))
NAME_PART_IDS = frozenset(term_id(root(word)) for word in NAME_PARTS)  # NAME_PARTS' terms
