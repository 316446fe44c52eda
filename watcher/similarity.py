"""Text features for story grouping: terms, name cues and a near-duplicate signature.

Owns how an item's text becomes numbers, so that stories.py only compares numbers:

* **heads** — the headline is read without a wire's, a breaking feed's or a live page's head
  ("UPDATE 1-", "RUGBY-", "JUST IN: ", "LIVE | ": heads.bare), and a digest's trailing
  hashtags ("... #Lithuania #Politics") are read as a tag (_tag): terms, no names.
* **terms** — content words of the title and the *lead* (the first 120 words of the summary),
  lightly stemmed and hashed to 32-bit ids (terms.py: the stop and generic words, stem, root,
  term_id and its bits), with a raw weight (a title word counts double). Accents on Latin and
  Greek letters are left out first ("Grindavík" is "Grindavik": _unaccented). Only the lead is used
  because feeds mix one-line teasers with full bodies, and a long body mentions everything (a
  call between ministers that also "discussed trade" must not look like a trade story). 120
  rather than 80 words: a web article's first 80 are often its standfirst and bylines
  repeated (seed 000), and the words after them are what another outlet's report shares.
  Numbers (not years) are terms too, written "#12", their ids marked by NUMBER_BIT. A number
  hyphenated onto a capitalised word is part of that name ("Covid-19", "G-7", "F-35" are the
  terms covid19, g7, f35), not a figure: every Covid report shared "#19", so "22 new cases"
  and "level 3" in two Covid headlines never counted as different figures. A figure next to a
  casualty word is a *toll* ("kills 12", "death toll rises to 30"), its id carrying its value
  (COUNT_BIT), so that stories.py can let a toll rise from one report to the next; a decimal
  figure ("6.4") has DECIMAL_BIT, so that two magnitudes or rates can be told apart; so has a
  score or tally ("4-2", "51-48"), a term of its own besides its two numbers, marked by
  SCORE_MARK, so that two games' results are told apart and never against a decimal.
* **refers_back** — whether the title or lead tells of an earlier day's happening as such ("a
  day after the quake", "after Monday's floods", "enters its second day"), for stories.py.
* **folds** — before hashing, a word is looked up (terms.root) in wordforms.py's hand-written
  table of words news writes several ways for one thing ("quake" / "earthquake", "quits" /
  "resigns"), and counts as that meaning's term; two-word forms ("steps down") first become
  their one word (textcues.phrases), an entity's other name its name ("Facebook owner" is
  "Meta", "Britain's highest peak" is "Ben Nevis": aliases.py), and in a headline alone a
  country's adjective its name ("Dutch" is "Netherlands", textcues.countries).
* **names** — which of those terms are cued as named entities: capitalised mid-sentence, all-caps
  acronyms, and acronyms spelled out ("United Nations Human Rights Council" also yields "unhrc");
  not a proper word that only describes ("Gaudi's basilica", "Danish drugmaker":
  descriptions.py), whose noun and place a headline's **described** keeps for story_signals.
* **subject** — the word a headline opens on (or its opening spelled-out name's acronym) when the
  report never writes it small: "Fed holds rates steady" against "ECB holds ..." (_subject).
* **disowned** — the terms of what the report says it is not about ("arrested in a separate
  case, unrelated to this week's fire": textcues.disowned), and of what its headline says
  happened again ("Second shark attack": textcues.repeated), for story_signals.py.
* **aside** — the terms its lead writes only where it tells another happening beside its own
  ("a day after three people died on Manaslu": textcues.aside), for story_signals.py.
* **front** / **behind** — when its headline tells its happening against a backdrop, after
  "during" or "amid", the terms before the cue and the capitalised words after it ("Bomb threats
  made against White Ferns during England tour": textcues.backdrop), for story_signals.py.
* **live** — whether its headline is a live page's (heads.live_page), for stories.py.
* **contexts** — the words right beside each of its headline's names, and for a headline
  alone also the nearest words and names around each (name_slots.py), so that two headlines'
  different names can be told to stand in one slot ("Port of Antwerp" / "Port of Rotterdam")
  or two headlines to fill one template with other names ("Alcaraz beats Zverev" / "Djokovic
  beats Sinner").
* **signature** — a one-permutation MinHash over word 4-shingles of the body, for copies
  (minhash.py: the signature, its Jaccard estimate, LSH band keys and their table).

Pure functions of the text; nothing here keeps state.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field

from watcher.aliases import aliases, within, written_out
from watcher.arcs import FIRE_TERMS, told_out
from watcher.descriptions import COUNTRY_BITS, described, only_described
from watcher.happenings import (
    AFRESH,
    BROUGHT,
    CEREMONY,
    CEREMONY_OWN,
    COMMON,
    DISASTER_QUALIFIERS,
    DISASTER_WORDS,
    ELECTION,
    FOLLOWING_UP,
    KIND_OF,
    KIND_WORDS,
    MODIFIED,
    MOVING,
    OFFICE_TERMS,
    REACHING,
    STORM_TERMS,
    WHERE,
    WIDE,
    afresh,
    blow_anew,
    ceremony_names,
    holder_names,
    kinds,
    own_news,
    plural_names,
    previews_read,
    prize_names,
    storm_names,
    struck_site,
    vote_told,
)
from watcher.heads import bare, hashtags, live_page
from watcher.kin import NICKNAMES, TITLE_IDS, kin
from watcher.minhash import signature
from watcher.name_slots import beside, contexts
from watcher.places import KNOWN, located_states, lowered, nations, region
from watcher.terms import GENERIC, GENERIC_IDS, NUMBER_BIT, PARTIES, STOPWORDS, root, term_id
from watcher.textcues import (
    DAYS,
    aside,
    backdrop,
    capital_named,
    capitals,
    countries,
    days_named,
    disowned,
    is_figure,
    months_named,
    phrases,
    recalled,
    refers_back,
    repeated,
    told_tonight,
    told_too,
    tolls,
)
from watcher.wordforms import COUNTRIES, HEADLINE_DEMONYMS, cased

MAX_WEIGHT = 63  # raw weights are stored in 6 bits
# Words whose analysis a caller's vocab keeps (the story index's: ~113 bytes a word, 4.5 MB at
# most). When it holds more, only its newest VOCAB_KEEP are kept (the order they were first met
# in). Over bench_stories' stream (73,914 distinct words in 120,000 items, ~48 a text) the memo
# then misses 2.3 words an item; clearing it at 20,000 (before) missed 6.5, and a miss costs
# ~11,000 instructions (~5 µs in a full index; bench/README.md, *Speed and memory*).
VOCAB_LIMIT = 40_000
VOCAB_KEEP = 30_000
# What _count needs of a word, in one int: its term id (-1: none) << 3 and three flags, all-caps
# acronym (ACRONYM), capitalised term (CAPITAL), joiner (JOINER). An int, not a tuple: 72 bytes
# less a word in the memo (2.9 MB at VOCAB_LIMIT); `info >> 3` is the term id, -1 included.
WordInfo = int
ACRONYM, CAPITAL, JOINER = 4, 2, 1

# Joiners inside a spelled-out name: "Organisation of Islamic Cooperation" -> "oic".
_NAME_JOINERS = frozenset({"of", "for", "and", "the", "on", "de", "&"})
# Where a full name is cut (kin.py): a title, a generic news word, a country's or people's word
# ("Brazilian President Jair Bolsonaro" gives Bolsonaro the kin "Jair" only).
# A given name that is also a generic word ("Bill") is no such cut.
_KIN_SPLITS = (TITLE_IDS | GENERIC_IDS | frozenset(COUNTRY_BITS)) - NICKNAMES.keys()
_LEAD_CHARS = 7  # characters a lead's word takes, about: the lead's text kin reads
# A country's name or its people's word (wordforms.COUNTRIES, HEADLINE_DEMONYMS) -> the country's
# name: opening a run of capitals that goes on in generic news words or initials only, a
# country's office ("Polish Prime Minister", "Portuguese PM"), whose acronym keeps the country
# whole (_acronym).
_COUNTRY_OF = {form: forms[0] for forms in (*COUNTRIES, *HEADLINE_DEMONYMS) for form in forms}

# One scan finds the words and the sentence breaks between them. A word is letters and digits
# with inner apostrophes; a break (whitespace after .!?:;, newlines, a spaced dash or bar) is
# returned as "" because only the word is captured. Neither can start inside the other, so this
# is the same as splitting into sentences first and finding the words of each, at half the cost.
# Combining diacritical marks after NFD, on a Latin or Greek letter only: Cyrillic "й" and "ї"
# decompose too, and are letters of their own (a Russian name keeps one spelling whatever else
# its text holds).
_ACCENTS = re.compile("(?<=[A-Za-z\u00c0-\u024f\u0370-\u03ff\u1e00-\u1fff])[\u0300-\u036f]+")
_ACCENTED = re.compile("[\u00c0-\u024f\u0300-\u03ff\u1e00-\u1eff]")  # Latin, Greek letters
_TOKEN = re.compile(r"([^\W_]+(?:['’][^\W_]+)*)|(?<=[.!?:;])\s+|\n+|\s[-–—|]\s")
# The same scan for an ASCII text (most), its classes spelled out so that the engine tests a
# character against a table, not its Unicode category: on ASCII, [^\W_] is [A-Za-z0-9] and \s is
# [\t-\r\x1c-\x1f ] (str.isspace's ASCII whitespace, the information separators too).
_SPACE = r"[\t-\r\x1c-\x1f ]"
_ASCII_TOKEN = re.compile(
    rf"([A-Za-z0-9]+(?:['’][A-Za-z0-9]+)*)|(?<=[.!?:;]){_SPACE}+|\n+|{_SPACE}[-–—|]{_SPACE}"
)
# U.S., U.K., U.N.: two or more "X." at the start of a word, i.e. r"\b((?:[A-Z]\.){2,})". It is
# written to start with [A-Z] (the \b moved behind it, as "no word character before the capital")
# so that the regex engine skips straight to capitals: the same matches, three times faster.
_DOTTED = re.compile(r"([A-Z](?<!\w[A-Z])\.(?:[A-Z]\.)+)")
# A decimal point ("6.9", "1.5"): the figure is one number, "#6.9", not "#6" and "#9" (a 6.9 and a
# 6.1 quake shared "#6" and never conflicted). The point becomes a "p" for _TOKEN, which keeps
# word characters together; _term turns "6p9" back into "#6.9". Written as r"(?<=\d)\.(?=\d)"
# with the dot first, so that the regex engine skips straight to dots: five times faster.
_DECIMAL = re.compile(r"\.(?<=\d\.)(?=\d)")
# "Covid-19", "G-7", "F-35": a number hyphenated onto a capitalised word is one term with it.
# The pattern finds a hyphen between a letter and at most three digits, starting with the hyphen
# so that the engine skips to hyphens; _join_named checks the word before it.
_NAMED_DASH = re.compile(r"-(?<=[A-Za-z]-)(?=\d{1,3}\b)")
# A score or a tally ("4-2", "3–2", "57-43") is also one figure, "#4-2" (SCORE_MARK), after
# its two numbers: Game 4's 4-2 and Game 5's 3-2 shared "#2", and nothing told the two games
# apart. It is written for _TOKEN as the two numbers joined by "s", the larger first ("2-4" is
# the same result told by the loser), which _term turns into "#4-2". Not a part of a longer run
# of figures and dashes ("2020-21", "1-2-3") nor of a word. Written to start with a digit, the
# lookbehind r"(?<![\w.,\-–])" moved behind it, so that the engine skips straight to digits: the
# same matches, three times faster.
_SCORE = re.compile(r"([0-9](?<![\w.,\-–][0-9])[0-9]{0,2})[-–]([0-9]{1,3})(?![\w\-–]|[.,][0-9])")


def _score(found: re.Match[str]) -> str:
    one, other = found.group(1), found.group(2)
    return f"{one} {other} {max(int(one), int(other))}s{min(int(one), int(other))}"


NO_SUBJECT = 0xFFFFFFFF  # no word's term id (a word's has NUMBER_BIT clear)


@dataclass(frozen=True, slots=True)
class TextFeatures:
    """What the story index stores and compares for one item."""

    weights: dict[int, int]  # term id -> raw weight (title x2 + lead count), at most MAX_WEIGHT
    names: frozenset[int]  # term ids cued as named entities
    signature: tuple[int, ...]  # minhash.SIG_BINS minima, EMPTY_BIN where no shingle fell
    shingles: int  # how many distinct shingles the signature saw
    title: frozenset[int] = frozenset()  # term ids found in the title
    refers_back: bool = False  # tells of an earlier day's happening (textcues.refers_back)
    subject: int = NO_SUBJECT  # the headline's subject (see _subject), NO_SUBJECT if none
    # the party its headline opens on and the term of what it does (_party)
    party: tuple[int, ...] = ()
    disowned: frozenset[int] = frozenset()  # terms of what it says it is not about (textcues)
    places: int = 0  # country bits of where it places its event (places.py)
    mentions: int = 0  # ... of every place its headline and lead name
    headline: int = 0  # ... of the places its headline tells it in (places.located)
    titled: int = 0  # ... of every place its headline names (places.located_states)
    region: int = NO_SUBJECT  # the term of the region it names as such (places.region)
    states: int = 0  # state bits of the states its headline names (places.located_states)
    state_mentions: int = 0  # ... of those its headline and lead name
    city: int = NO_SUBJECT  # the term of the city its headline tells it in (places.located_states)
    # ... of the city its lead's first sentence places it in, when its headline tells none and
    # names no kind of happening that strikes wide (happenings.WIDE)
    lead_city: int = NO_SUBJECT
    contexts: tuple[int, ...] = ()  # next to its headline's names (name_slots.py)
    kin: tuple[int, ...] = ()  # the other words of its headline's names' full names (kin.py)
    # its headline's descriptions: (a proper word's term, its noun's), descriptions.py
    described: tuple[tuple[int, int], ...] = ()
    # terms its lead writes only where it tells another happening (textcues.aside), and of
    # those the ones told beside it ("on the day ..."), not measured from it ("a day after")
    aside: frozenset[int] = frozenset()
    beside: frozenset[int] = frozenset()
    # the kinds of happening that travel (happenings.MOVING) its lead tells there as its own,
    # where it struck before ("Floods reach Passau ... a day after floods hit Regensburg")
    moving: frozenset[int] = frozenset()
    # the names its headline writes as an awards ceremony's ("the Emmy Awards"): happenings
    ceremony: frozenset[int] = frozenset()
    # ... and the names it writes as a plural ("at the Emmys") or as the prize ("dedicates Emmy
    # to"): happenings.plural_names, prize_names
    plurals: frozenset[int] = frozenset()
    # the names its headline gives a storm ("Hurricane Ida"): happenings.storm_names
    storms: frozenset[int] = frozenset()
    # the names its headline gives an office's holder ("Governor Kiprono"): happenings.holder_names
    holders: frozenset[int] = frozenset()
    days: int = 0  # the weekdays its headline and lead name, as bits (textcues.days_named)
    months: int = 0  # the months its headline names, as bits (textcues.months_named)
    # the terms of a happening it names as past by name ("over Sardinia wildfire", "two days
    # after Cyclone Imani"), its headline naming a kind of happening: textcues.recalled
    recalled: frozenset[int] = frozenset()
    # its headline, in a ceremony's words or a plural, tells a guest's or the organisers' own
    # news ("Lumens to add a comedy category next year"): no report of the night
    # (happenings.own_news)
    own_news: bool = False
    # the terms its headline writes before "during" or "amid", when it writes one: its own
    # happening, told against a backdrop ("Bomb threats made against the team during England
    # tour"): textcues.backdrop
    front: frozenset[int] = frozenset()
    behind: frozenset[int] = frozenset()  # ... and the capitalised words after it
    live: bool = False  # a live page's headline (heads.live_page)
    # the arcs its headline tells the turn of in words that are no terms ("Refinery blaze out
    # after nine hours"): arcs.told_out
    ends: frozenset[int] = frozenset()
    # its headline says its happening came "again" ("Strong earthquake shakes Crete again"): the
    # next happening of its kind, however alike it is told (stories.StoryIndex._agreed)
    again: bool = False
    # its headline or lead tells its actor doing what another did ("CSKA Sofia fire coach too",
    # "did the same", "the second club to"): textcues.told_too, story_signals' _too_apart
    too: bool = False
    # its headline tells a fresh happening of its kind, an aftershock (happenings.afresh)
    afresh: bool = False
    # its headline or lead (outside quotation marks) tells its happening as of the night or the
    # morning before it came out ("Russian drones attack Kyiv overnight", "last night"):
    # textcues.told_tonight; a day after its story's first report, the next night's
    # (stories.StoryIndex._agreed)
    tonight: bool = False
    # its headline tells a blow or unrest as a fresh happening ("Russian drones attack Kyiv",
    # "air strikes hit ...": happenings.blow_anew); two days after a story of one, the next one
    # unless a weekday ties them (stories.StoryIndex._agreed)
    blow: bool = False
    # the country bits of the countries its headline names by their own names or peoples'
    # words when it tells an election's vote itself (happenings.ELECTION, vote_told: "Canadians
    # vote in snap election"; places.nations), else 0: stories.py *An election*
    polled: int = 0
    # the terms its headline writes only where it measures its own happening from an earlier
    # one of its kind ("Chemical warehouse blaze ... kills 4, a day after factory fire"):
    # _earlier, for story_signals.PairSignals._earlier_apart
    earlier: frozenset[int] = frozenset()
    # ... and, with those, the site its own happening struck, as its headline tells it
    # ("market" in "Blaze guts Dhaka market a day after garment factory fire":
    # happenings.struck_site), for the same
    site: frozenset[int] = frozenset()
    # the terms its headline writes only where it measures its own act from an earlier
    # happening of another kind, and its own words' terms that tell that act ("quits" in
    # "Mayor of South Korea's second city quits a day after bribery indictment"): _next_act,
    # for story_signals.PairSignals._next_act_apart
    after_told: frozenset[int] = frozenset()
    after_act: frozenset[int] = frozenset()


_MONTH_NAMES = [
    *["january", "february", "march", "april", "may", "june", "july", "august"],
    *["september", "october", "november", "december"],
    *["jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec"],
]
_MONTHS = {name: name[:3] for name in _MONTH_NAMES}  # how a headline's date is written
_POSSESSIVE = ("'s", "’s")
# A contraction is no name however it is written: "It's", "Here's", "What's", "Don't", "We're"
# open a sentence with a capital, and "'s" after a pronoun or an adverb is "is", no possessive
# (which _Openers counts twice). The words before an "'s" that make one; "May's", "Trump's" stay.
_CONTRACTING = frozenset(
    ("it", "here", "there", "what", "that", "who", "where", "when", "how", "let", "he", "she")
)
_CONTRACTED_ENDS = ("t", "re", "m", "ve", "ll", "d")


# A headline's last words in parentheses or brackets: "(Civic Wire)", "(Video)", "(Update 2)".
# Its leading blanks start after a non-blank: searched from inside a run of blanks, the match
# would cost the run's length at each of its characters.
_TAG = re.compile(r"(?<!\s)\s*(?:\(([^()\[\]]+)\)|\[([^()\[\]]+)\])\s*$")
TAG_WORDS = 4  # words of such a tag at most
TAG_AFTER = 3  # words of headline before it at least


def _tag(title: str) -> tuple[int, list[str]]:
    """Where a tag of capitalised words or figures in parentheses or brackets at the end of
    `title` starts, and its words ((0, []) without one): an outlet's credit ("Kremlin
    confirms Putin will visit Beijing (Civic Wire)"), a format ("(Video)", "[PHOTOS]"), an
    edition ("(Update 2)"). Its words stay terms but are no names (features): a one-off
    credit that boilerplate.py cannot learn (it learns the credits that recur in a feed)
    would otherwise be a name the other outlet's headline never mentions, a name conflict;
    and left out whole, a credit changes a short headline's cosine (bench/README,
    *Headlines alone*). An aside in small words ("(and why it matters)") or a long one is
    no tag, nor is a known place ("[Ohio] Measles outbreak declared ..." / "[Oregon] ...":
    two states' outbreaks, told apart by their names; places.KNOWN)."""
    if not (title.endswith(")") or title.endswith("]")):
        return 0, []
    found = _TAG.search(title)
    if found is None:
        return 0, []
    words = (found.group(1) or found.group(2)).split()
    if not 0 < len(words) <= TAG_WORDS or len(title[: found.start()].split()) < TAG_AFTER:
        return 0, []
    capped = [w[:1].isupper() or w[:1].isdigit() for w in words]  # "Bank of England" too
    if not (capped[0] and capped[-1]) or not all(
        c or w in _NAME_JOINERS for c, w in zip(capped, words, strict=True)
    ):
        return 0, []
    if tuple(w.lower() for w in words) in KNOWN:  # "[Ohio] ...": where, as boilerplate.py reads
        return 0, []
    return found.start(), words


_LEADING_TAG = re.compile(r"[\[(]([^()\[\]]+)[\])]\s+(.+)", re.DOTALL)


def _tag_last(title: str) -> str:
    """A headline that opens on a tag in brackets or parentheses ("[Civic Wire] Kremlin
    confirms ...", "(Video) ..."), the tag moved to its end, where _tag reads it: a one-off
    leading credit that boilerplate.py cannot learn names nothing either."""
    found = _LEADING_TAG.fullmatch(title)
    return f"{found.group(2)} ({found.group(1)})" if found else title


def _tokens(text: str) -> list[str]:
    """The words of `text` in order, with "" where a sentence ends (see _TOKEN), their accents
    left out ("Grindavík" is "Grindavik": outlets spell one name both ways)."""
    if not text.isascii() and _ACCENTED.search(text):  # curly quotes and dashes are no accents
        text = _unaccented(text)
    if "." in text:  # without a dot there is nothing to fold, and `in` is cheaper than sub
        text = _DOTTED.sub(lambda m: m.group(1).replace(".", ""), text)
        text = _DECIMAL.sub("p", text)
    if "-" in text:
        text = _join_named(text)
    if "-" in text or "–" in text:
        text = _SCORE.sub(_score, text)
    tokens: list[str] = (_ASCII_TOKEN if text.isascii() else _TOKEN).findall(text)
    return written_out(tokens)  # "Fla" is Florida, "LA" Los Angeles (aliases.py)


def _may_name_days(text: str) -> bool:
    """May `text`'s tokens name a weekday (textcues.days_named)? Each weekday's name has "day"
    or "DAY" in it, unless an accent that _tokens leaves out stands inside: substring tests in
    C, and half the items then need no pass over their tokens."""
    if "day" in text or "DAY" in text:
        return True
    return not text.isascii() and _ACCENTED.search(text) is not None


def _unaccented(text: str) -> str:
    """`text` with the accents of its letters left out (canonical decomposition, the combining
    diacritical marks dropped, composed again: other scripts keep their letters)."""
    return unicodedata.normalize("NFC", _ACCENTS.sub("", unicodedata.normalize("NFD", text)))


def _join_named(text: str) -> str:
    """`text` with the hyphen left out of "Covid-19", "G-7", "F-35": a number (up to three
    digits) hyphenated onto a word of up to eight ASCII letters that starts with a capital."""
    pieces, kept = [], 0
    for found in _NAMED_DASH.finditer(text):
        dash = start = found.start()
        while start > 0 and text[start - 1].isascii() and text[start - 1].isalpha():
            start -= 1
        before = text[start - 1] if start else " "
        if dash - start <= 8 and text[start].isupper() and not (before.isalnum() or before == "_"):
            pieces.append(text[kept:dash])
            kept = dash + 1
    return "".join(pieces) + text[kept:] if pieces else text


def _dated(tokens: list[str]) -> list[str]:
    """Headline tokens with a day of a month ("September 21", "21 Sept") as one date term,
    "#sep21": the editions of a daily series ("Best of cartoons, September 20" / "..., September
    21") are told apart by it (stories.py), and it is no figure shared with a "21 injured"."""
    if _MONTHS.keys().isdisjoint(map(str.lower, tokens)):
        return tokens
    out = list(tokens)
    gone = set()  # the month words, now in their dates
    for n, token in enumerate(tokens):
        month = _MONTHS.get(token.lower()) if token[:1].isupper() else None
        if month is None:  # a month is written with a capital ("may 3" is no date)
            continue
        for k in (n + 1, n - 1):  # "September 21", then "21 September"
            day = out[k] if 0 <= k < len(out) else ""
            if day.isdigit() and day.isascii() and 1 <= int(day) <= 31:
                out[k] = f"#{month}{int(day)}"
                gone.add(n)
                break
    return [token for n, token in enumerate(out) if n not in gone]


def _is_title_case(words: Sequence[str]) -> bool:
    """Headline style capitalises every word, so capitals there say nothing about names.

    Nearly every long word (4 in 5): "Strike halts Port of Antwerp" capitalises 3 of its 4, and
    is a sentence naming a port, not a title-case headline."""
    long_words = [w for w in words if len(w) > 3 and w.lower() not in STOPWORDS]
    if len(long_words) < 2:
        return False
    return len([w for w in long_words if w[0].isupper()]) >= 0.8 * len(long_words)


def _is_acronym(word: str) -> bool:
    return len(word) >= 2 and word.isupper() and word.isalpha()


# A figure's multiplier written onto it ("$4.1bn", "$2tn", "50k"): the figure is read without
# it, so "$4.1bn" and "$2.7bn" are two decimals as "$4.1 billion" and "$2.7 billion" are. Not
# "m": "3M" is a name, and _term reads a word in lower case only (similarity._memo_info).
_UNITS = ("bn", "mn", "k", "tn", "trn")


# A weekday's possessive ("Saturday's trip", "Tuesday's vote") is the weekday, a stop word: no
# term, so no name when capitalised mid-sentence. As a term, two reports of two happenings
# that each tell of "Saturday's" game shared it as a rare name (bench/README.md, h-too's
# Levski / Ross County pair, h-xfail). Months are left out: "May's" is Theresa May's.
_DAY_POSSESSIVES = frozenset(day + "'s" for day in DAYS)


def _term(word: str, low: str, acronym: bool) -> str | None:
    if low in STOPWORDS:
        return low + "_" if acronym else None  # "US" the country, not "us" the pronoun
    if low.isalpha():  # a plain word (most): none of the figures below, a letter no term
        return root(low) if len(low) > 1 else None
    if low[:1] == "#":
        return low  # a headline's date, from _dated
    if low.isdigit() and low.isascii():
        return "#" + low if is_figure(low) else None
    if len(low) < 2 or not low[0].isalpha():
        if low[:1].isdigit() and low.isascii() and low.endswith(_UNITS):
            low = low.rstrip("bnmktr")  # "$4.1bn", "$2tn": the figure
            if low.isdigit():
                return "#" + low if is_figure(low) else None
        whole, point, part = low.partition("p")  # a decimal, from _tokens: "6p9" is 6.9
        if point and whole.isdigit() and part.isdigit() and whole.isascii() and part.isascii():
            return "#" + whole + "." + part if len(low) <= 8 else None
        whole, dash, part = low.partition("s")  # a score, from _tokens: "4s2" is 4-2
        if dash and whole.isdigit() and part.isdigit() and whole.isascii() and part.isascii():
            return "#" + whole + "-" + part
        return None
    if "’" in low and not _contracted(low):
        low = low.replace("’", "'")  # "O’Reilly" is "O'Reilly"; "won’t" stays as it was
    if low in _DAY_POSSESSIVES:
        return None  # "Saturday's" is its weekday, which is no term (a stop word)
    return root(low)


def _acronym(run: Sequence[str]) -> str | None:
    """The initials of a run of capitalised words ("United Nations Human Rights Council":
    "unhrc"); of a country's office, the country's name and the office's initials ("Polish PM",
    "Polish Prime Minister": "polandpm"), which the initials of every country of that letter
    would share ("Portuguese PM": "ppm" too)."""
    kept = [w for w in run if w.lower() not in _NAME_JOINERS]
    letters = "".join([w if _is_acronym(w) else w[0] for w in kept])
    if len(letters) < 3:
        return None
    country = _COUNTRY_OF.get(lowered(run[0]))
    if country is not None and _office(run):
        return country + letters[1:].lower()
    return letters.lower()


def _contracted(low: str) -> bool:
    """Is the lower-case word a contraction ("it's", "don’t", "we're"; not "o'neill")?"""
    head, mark, tail = low.replace("’", "'").rpartition("'")
    if not mark:
        return False
    return tail in _CONTRACTED_ENDS or (tail == "s" and head in _CONTRACTING)


def _word_info(word: str) -> WordInfo:
    """What _count needs of one word, whatever its sentence: term id (-1: none), and flags.

    The sentence break "" is no term, no capital and no joiner: it ends a name like a comma.
    """
    low = word.lower()
    acronym = _is_acronym(word)
    flags = (ACRONYM if acronym else 0) | (JOINER if low in _NAME_JOINERS else 0)
    term = _term(word, low, acronym)
    if term is None:
        return -1 << 3 | flags
    capital = word[:1].isupper() and not _contracted(low)
    return term_id(term) << 3 | flags | (CAPITAL if capital else 0)


def _memo_info(word: str, vocab: dict[str, WordInfo]) -> WordInfo:
    """_word_info(word) for a word the memo misses, read off its analysis of the word in the
    other case when it holds one ("Coup" after "coup", "coup" after "Coup"): an ASCII word that
    is no acronym has the term of its lower-case form (_term reads only that), and its flags but
    the capital are that form's. (A miss costs ~5 µs in a full index, and a headline's
    capitalised words are a sixth of them.)"""
    if word.isascii() and not _is_acronym(word):
        low = word.lower()
        other = vocab.get(low) if low != word else vocab.get(word.capitalize())
        if other is not None:  # the same term (-1: none), joiner or not; no acronym
            capital = other >= 0 and word[:1].isupper() and not _contracted(low)
            return (other & ~CAPITAL) | (CAPITAL if capital else 0)
    return _word_info(word)


def _forget_oldest(vocab: dict[str, WordInfo]) -> None:
    """Keep the memo's newest VOCAB_KEEP words, in their order: a word met since the last trim
    is likely met again. Rebuilt, not deleted from, so that the dropped words hold no slots."""
    kept = list(itertools.islice(vocab.items(), len(vocab) - VOCAB_KEEP, None))
    vocab.clear()
    vocab.update(kept)


def _count(
    tokens: Sequence[str],
    cue_caps: bool,
    step: int,
    weights: dict[int, int],
    names: set[int],
    vocab: dict[str, WordInfo],
    openers: _Openers,
    text: str = "",
) -> None:
    """Add the terms of `tokens` (from _tokens) to `weights`, and name cues to `names`, in order.

    A sentence's first word is capitalised by grammar, not because it is a name: it is only
    noted in `openers` (see _Openers). A capitalised stop word ("Friday", "The") ends a
    spelled-out name, and so does a comma or a bracket in `text`, the tokens' source (_add_run);
    a joiner ("of") may continue one. Per-word work is looked up in `vocab`
    (news repeats its words), which forgets its oldest words when full (_forget_oldest).
    Insertion order of `weights` is text order: the index's tie-breaks rely on it.
    """
    if len(vocab) > VOCAB_LIMIT:
        _forget_oldest(vocab)
    if text and "," not in text and "(" not in text and ")" not in text:  # memchr each, in C
        text = ""  # no comma nor bracket: nothing ends a run but a small word (_add_run)
    weight_of, seen, lower = weights.get, openers.seen, openers.lower  # once: a loop per word
    in_lower = lower.add
    run: list[str] = []
    opening = True  # the next word starts a sentence
    # The memo is looked up by map (in C, no call from Python), lazily: a word first met in
    # this text is in it when the word comes again.
    for word, info in zip(tokens, map(vocab.get, tokens), strict=True):
        if info is None:
            info = vocab[word] = _memo_info(word, vocab)
        # The flags as a small int once (info is a two-digit int: each & on it makes a new
        # int); a term's info is >= 0, "no term"'s (-1 << 3 | flags) is negative.
        flags = info & 7
        if not flags:  # most words (small, no joiner): what the tests below do for them
            if info >= 0:
                tid = info >> 3
                weight = weight_of(tid, 0) + step
                weights[tid] = weight if weight < MAX_WEIGHT else MAX_WEIGHT
                in_lower(tid)
                opening = False  # a term is never the sentence break ""
            else:
                opening = not word
            if run:  # it ends a run of capitals
                if cue_caps and len(run) > 1:
                    _add_run(run, step, weights, names, text)
                run = []
            continue
        if info >= 0:
            tid = info >> 3
            weight = weight_of(tid, 0) + step
            weights[tid] = weight if weight < MAX_WEIGHT else MAX_WEIGHT
            if flags & ACRONYM or (cue_caps and flags & CAPITAL and not opening):
                names.add(tid)
            elif not flags & CAPITAL:
                lower.add(tid)
            elif cue_caps:  # a capitalised sentence opener: a name only if never lower-case
                # "Schoof's coalition survives ...": a possessive opener is as good as two
                seen[tid] = seen.get(tid, 0) + (
                    2 if word.endswith(_POSSESSIVE) and tid not in GENERIC_IDS else 1
                )
        if flags & CAPITAL or (run and flags & JOINER):
            run.append(word)
        elif run:
            if cue_caps and len(run) > 1:  # one word (often a sentence's first) is no acronym
                _add_run(run, step, weights, names, text)
            run = []
        opening = not word
    if cue_caps and len(run) > 1:
        _add_run(run, step, weights, names, text)


@dataclass(slots=True)
class _Openers:
    """Capitalised words that open sentences, and the terms seen in lower case, over one text.

    A word that opens two sentences (the headline's and the lead's: "Heineken third-quarter
    volumes rise" / "Heineken said on Wednesday ...") and is never written in lower case is a
    name, as a mid-sentence capital is: templated reports of two companies then name different
    companies instead of none. Once is not enough ("Police said ..." opens many a lead), nor
    counts a title-case headline, which capitalises every word. A possessive opener counts
    twice ("Schoof's coalition survives no-confidence vote", a headline alone): a common noun
    seldom opens a sentence owning something, and the generic news words ("Government's")
    are left out."""

    seen: dict[int, int] = field(default_factory=dict)
    lower: set[int] = field(default_factory=set)

    def names(self) -> set[int]:
        return {tid for tid, n in self.seen.items() if n >= 2 and tid not in self.lower}


def _kind_openers(tokens: Sequence[str]) -> set[int]:
    """The terms of the words opening a sentence of `tokens` that tell what kind of disaster
    or how bad (happenings.DISASTER_QUALIFIERS) right before a natural disaster's word
    (happenings.DISASTER_WORDS): "Flash floods hit Kerala" opens on what kind of flood it was,
    no name (_Openers), even when its lead opens so too. A place opening both stays a name
    ("Noto earthquake: toll rises ...")."""
    return {
        _word_info(word) >> 3
        for n, word in enumerate(tokens[:-1])
        if (n == 0 or not tokens[n - 1])
        and tokens[n + 1] in DISASTER_WORDS
        and word.lower() in DISASTER_QUALIFIERS
    }


def _add_run(
    run: list[str], step: int, weights: dict[int, int], names: set[int], text: str = ""
) -> None:
    """A run of capitalised words spelled out ("United Nations Human Rights Council") also
    counts as its acronym ("unhrc"), a name. A comma or a bracket between two of its words
    (in `text`, the words' source) ends a name: "Regulators close Ozark Prairie Bank, FDIC
    takes over", "in Little Rock, Arkansas", "the Federal Deposit Insurance Corporation
    (FDIC)" spell out "Ozark Prairie Bank" and "FDIC", not one name "OPBFDIC" that no other
    report writes (_broken)."""
    if text and len(run) >= 2 and " ".join(run) not in text:  # as written: no comma in it
        start = 0
        for n in range(1, len(run)):
            if _broken(run[n - 1], run[n], text):
                _add_run(run[start:n], step, weights, names)
                start = n
        if start:
            run = run[start:]
    while run and run[-1].lower() in _NAME_JOINERS:
        run = run[:-1]
    if len(run) >= 2:
        acronym = _acronym(run)
        if acronym is not None:
            tid = term_id(acronym)
            weights[tid] = min(MAX_WEIGHT, weights.get(tid, 0) + step)
            names.add(tid)


def _office(run: Sequence[str]) -> bool:
    """Does the run of capitals, a country's word first, go on in generic news words
    (terms.GENERIC) or initials only ("Polish PM", "Dutch Foreign Ministry")?"""
    return all(_is_acronym(word) or word.lower() in GENERIC for word in run[1:])


def _broken(word: str, after: str, text: str) -> bool:
    """Does `text` write a comma or a bracket between `word` and the word `after` it (and never
    the two with only a space between)? Asked only of a run of capitalised words, so a few
    substring tests a text."""
    if f"{word} {after}" in text:
        return False
    return f"{word}," in text or f"{word} (" in text or f"{word})" in text or f"({after}" in text


def _lead(tokens: list[str], words: list[str], lead_words: int) -> list[str]:
    """The tokens up to and including the `lead_words`-th word (`words` is tokens sans breaks)."""
    if len(words) <= lead_words:
        return tokens
    if lead_words <= 0:
        return []
    ends = [i for i, token in enumerate(tokens) if token]  # only for the rare long text
    return tokens[: ends[lead_words - 1] + 1]


def features(
    title: str,
    summary: str,
    *,
    lead_words: int = 120,
    body_words: int = 400,
    copy_min_words: int = 30,
    title_weight: int = 2,
    vocab: dict[str, WordInfo] | None = None,
) -> TextFeatures:
    """Terms of title + lead, name cues, and the copy signature of the body.

    `vocab` memoizes per-word work across calls (the story index passes its own); the result
    is the same with or without it.
    """
    vocab = {} if vocab is None else vocab
    weights: dict[int, int] = {}
    names: set[int] = set()
    live = live_page(title)
    title = bare(title)  # no "UPDATE 1-", "JUST IN: ", "LIVE | " (heads.py)
    start, tag = _tag(title)
    if not tag and title.startswith(("[", "(")):  # "[Civic Wire] Kremlin ...": read at its end
        start, tag = _tag(title := _tag_last(title))
    if not tag and "#" in title:  # a digest's "... #Lithuania #Politics", read as a tag
        start, tag = hashtags(title)
        if len(title[:start].split()) < TAG_AFTER:
            start, tag = 0, []
    if tag:  # its own sentence: a spelled-out name ends before it (see _tag)
        title = f"{title[:start]} | {' '.join(tag)}"
    title_tokens = _tokens(title)
    title_words = list(filter(None, title_tokens))  # the words, without the "" breaks
    months = months_named(title_words)
    # Its subject as its terms name it: "Facebook owner fined ..." opens on Meta (aliases.py).
    aliased = aliases(title_tokens)
    opening = title_words if aliased is title_tokens else list(filter(None, aliased))
    # no alias holds a date; "as expected" tells no preview, "will win" one (happenings)
    # "North Macedonia's capital" names Skopje (textcues.capital_named)
    title_tokens = previews_read(tolls(phrases(within(_dated(capital_named(aliased))))))
    # A headline alone: "Dutch" is "Netherlands"; any headline: "Tehran" is "Iran", "British"
    # is "Britain" (textcues).
    alone = not summary.strip()
    # "Dutch rival" before it reads "Netherlands rival" (one token for one: same positions)
    in_headline = described(title_tokens)
    title_tokens = countries(title_tokens) if alone else capitals(title_tokens)
    tag_words = list(filter(None, _tokens(" ".join(tag)))) if tag else []  # no names
    cue_caps = not _is_title_case(title_words[: len(title_words) - len(tag_words)])
    openers = _Openers()
    _count(title_tokens, cue_caps, title_weight, weights, names, vocab, openers, title)
    in_title = frozenset(weights)
    # Only the lead and the first body_words are used: never tokenize a whole long article.
    read = summary[: body_words * 12]
    body_tokens = _tokens(read)
    body = list(filter(None, body_tokens))
    raw_lead = _lead(body_tokens, body, lead_words)
    lead = tolls(phrases(within(aliases(capital_named(raw_lead)))))
    _count(lead, True, 1, weights, names, vocab, openers, read)
    # "England's largest lake", "Danish drugmaker": a proper word that only describes cues no
    # name (descriptions.py), unless the text also writes it as one elsewhere; a word opening
    # two sentences ("Nigeria's central bank holds rate" / "Nigeria's central bank kept ...")
    # is still the subject it opens on (_Openers).
    in_lead = described(lead)
    if in_headline or in_lead:
        names -= {
            _word_info(word) >> 3
            for word in only_described(((title_tokens, in_headline), (lead, in_lead)))
        }
    if openers.seen:
        names |= openers.names() - _kind_openers(title_tokens) - _kind_openers(lead)
    if tag:  # its capitals are no names (see _tag)
        before = {_word_info(w) >> 3 for w in _tokens(title[:start])}
        names -= {tid for w in tag_words if (tid := _word_info(w) >> 3) not in before}
        if len(tag) > 1 and (acronym := _acronym(tag)) is not None:
            names.discard(term_id(acronym))
    body = body[:body_words]
    # A body long enough to be an article is compared on its own, so a copy under another
    # headline (or a prefixed "UPDATE:" title) still matches; a teaser is compared with its title.
    sig_words = body if len(body) >= copy_min_words else title_words + body
    sig, shingles = signature(sig_words)
    back = refers_back(title_tokens) or refers_back(lead)
    told_aside, told_beside, moving = _aside_terms(lead, in_title, title_tokens, vocab)
    subject = _subject(opening, cue_caps, weights, openers.lower, vocab)
    party = () if PARTIES.isdisjoint(in_title) else _party(opening, vocab)
    # What it disowns, in common words, not names: "unrelated to this week's fire", not "nothing
    # to do with Biden" (a name every report of a campaign shares); and what its headline says
    # happened again ("Second shark attack": textcues.repeated).
    gone = disowned(title_tokens) + disowned(lead)
    said = _word_terms(gone) - names
    denied = frozenset(said | _word_terms(repeated(title_tokens)))
    # the weekdays it tells of, but those of what it disowns ("nothing to do with Friday's crash")
    days = 0
    if _may_name_days(title) or _may_name_days(read):
        days = (days_named(title_tokens) | days_named(lead)) & ~days_named(gone)
    placed, mentions, headline, states, state_mentions, titled, city, lead_place = located_states(
        title_words, raw_lead, KIND_WORDS
    )  # places.py
    named = region(title_words, raw_lead)
    region_tid = _word_info(named) >> 3 if named is not None else -1
    city_tid = _word_info(city) >> 3 if city is not None else -1
    lead_city = -1
    if city is None and lead_place is not None and WIDE.isdisjoint(kinds(in_title)):
        lead_city = _word_info(lead_place) >> 3
    # Where its headline's names stand: the words beside them, for any headline (a demonym
    # as its country, so no slot: "Israel strikes ..." / "Israeli strike ..."), and for a
    # headline alone (no lead term) their nearest words and names, which story_signals reads
    # only when both reports are headlines alone (_rivals).
    near: tuple[int, ...] = ()
    headline_names = {tid for tid in in_title & names if tid not in GENERIC_IDS}

    def term_of(word: str) -> int:
        return (vocab.get(word) or _word_info(word)) >> 3

    kins: tuple[int, ...] = ()
    if headline_names:
        lead_text = summary[: lead_words * _LEAD_CHARS]
        kins = kin(title, lead_text, headline_names, names, term_of, _KIN_SPLITS)
        near = beside(title_tokens if alone else countries(title_tokens), headline_names, term_of)
        if len(weights) == len(in_title):
            near = contexts(title_tokens, headline_names, term_of) + near
    ends: frozenset[int] = frozenset()
    if not FIRE_TERMS.isdisjoint(in_title):  # a few headlines in a hundred
        ends = told_out(title_tokens)
    fresh = not AFRESH.isdisjoint(in_title) and afresh(title_tokens, term_of)  # a few in 10,000
    recall: frozenset[int] = frozenset()
    earlier: frozenset[int] = frozenset()
    site: frozenset[int] = frozenset()
    going = not KIND_OF.keys().isdisjoint(in_title)  # a few headlines in a hundred
    storms: frozenset[int] = frozenset()
    if not STORM_TERMS.isdisjoint(in_title):  # a few headlines in a thousand (storm titles)
        storms = storm_names(title_tokens, term_of, cue_caps)
    if going:
        recall = _recalled(title, title_tokens, lead, term_of, cue_caps, storms)
        earlier = _earlier(title, title_tokens, term_of)
        if earlier and _start_told(lead, title_tokens, in_title, term_of):
            earlier = frozenset()  # what it is measured from is its own happening's start
        if earlier:
            site = struck_site(title_tokens, frozenset(aside(title_tokens)), term_of)
    after_told, after_act = _next_act(title_tokens, term_of, names)
    ceremony: frozenset[int] = frozenset()
    if not CEREMONY_OWN.isdisjoint(in_title):  # a few headlines in a thousand
        ceremony = ceremony_names(title_tokens, term_of, cue_caps)
    holders: frozenset[int] = frozenset()
    if not OFFICE_TERMS.isdisjoint(in_title):  # a few headlines in a hundred (office titles)
        holders = holder_names(title_tokens, term_of, cue_caps)

    def memo_term(word: str) -> int:  # a plural's singular is met again: memoized
        info = vocab.get(word)
        if info is None:
            info = vocab[word] = _memo_info(word, vocab)
        return info >> 3

    plurals = plural_names(title_words, memo_term) | prize_names(title_words, memo_term)
    own = bool(plurals or not CEREMONY.isdisjoint(in_title)) and own_news(title_words, in_title)

    cue = backdrop(title_tokens)
    if cue and any(term_of(w) in KIND_OF for w in title_tokens[cue:]):
        cue = 0  # a disaster as the backdrop is the story's own happening: its consequence
    return TextFeatures(
        weights,
        frozenset(names),
        sig,
        shingles,
        in_title,
        back,
        subject,
        party=party,
        disowned=denied,
        places=placed,
        mentions=mentions,
        headline=headline,
        titled=titled,
        region=region_tid if region_tid >= 0 else NO_SUBJECT,
        states=states,
        state_mentions=state_mentions,
        city=city_tid if city_tid >= 0 else NO_SUBJECT,
        lead_city=lead_city if lead_city >= 0 else NO_SUBJECT,
        contexts=near,
        kin=kins,
        described=tuple(
            (_word_info(title_tokens[n]) >> 3, _word_info(title_tokens[head]) >> 3)
            for n, head in in_headline
        ),
        aside=told_aside,
        beside=told_beside,
        moving=moving,
        ceremony=ceremony,
        storms=storms,
        holders=holders,
        plurals=plurals,
        days=days,
        months=months,
        recalled=recall,
        ends=ends,
        afresh=fresh,
        own_news=own,
        front=frozenset(map(term_of, filter(None, title_tokens[:cue]))) if cue else frozenset(),
        behind=frozenset(term_of(w) for w in title_tokens[cue:] if w[:1].isupper())
        if cue
        else frozenset(),
        live=live,
        again=not _AGAIN.isdisjoint(title_tokens),
        too=told_too(title_tokens) or told_too(raw_lead, lead=True),
        blow=blow_anew(title_tokens, bool(titled)),
        tonight=told_tonight(title_tokens, going=going)
        or (
            told_tonight(raw_lead, True, going)
            and told_tonight(_tokens(_QUOTED.sub(" ", read)), True, going)
        ),
        polled=(
            nations(title_words)
            if not ELECTION.isdisjoint(in_title) and vote_told(title_words)
            else 0
        ),
        earlier=earlier,
        site=site,
        after_told=after_told,
        after_act=after_act,
    )


def _recalled(
    title: str,
    headline: list[str],
    lead: list[str],
    term_of: Callable[[str], int],
    cased: bool,
    storms: frozenset[int] = frozenset(),
) -> frozenset[int]:
    """The terms of the happenings its headline and lead name as past (textcues.recalled),
    when its headline tells no happening of that kind of its own: every word of such a kind
    there is in such a span or written as a modifier before a hyphen ("aid reaches
    cyclone-hit Toamasina"), not "Strong quake hits Piura two days after Arequipa quake" (a
    fresh happening), and it tells nothing "again" ("Sardinia burns again ... days after
    Oristano wildfire": told anew). Of a span, its kind's words and the names it writes with
    a capital (in a headline in title case every word has one: "After Pipeline Hack" names no
    pipeline), and a storm's name after its title (`storms`: happenings.storm_names, which
    reads title case: "three days after Typhoon Koinu")."""

    def is_kind(word: str) -> bool:
        return term_of(word) in KIND_OF

    spans = recalled(headline, is_kind)
    words = [
        word
        for start, end in spans
        for word in headline[start:end]
        if is_kind(word) or (cased and word[:1].isupper()) or term_of(word) in storms
    ]
    words += [
        word
        for start, end in recalled(lead, is_kind)
        for word in lead[start:end]
        if is_kind(word) or word[:1].isupper()
    ]
    if not words:
        return frozenset()
    terms = frozenset(map(term_of, words)) - {-1}
    told = {KIND_OF[tid] for tid in terms if tid in KIND_OF}
    inside = {k for start, end in spans for k in range(start, end)}
    hyphened = {found.lower() for found in _BEFORE_HYPHEN.findall(title)}
    for k, word in enumerate(headline):
        if word in _AGAIN:
            return frozenset()  # "Sardinia burns again ... days after Oristano wildfire"
        if k in inside or word.lower() in hyphened:
            continue
        tid = term_of(word)
        kind = KIND_OF.get(tid)
        if kind in told:
            return frozenset()  # it tells a happening of that kind of its own
        if (
            kind is not None
            and tid not in COMMON
            and not any(kind in BROUGHT.get(k, ()) for k in told)
        ):
            return frozenset()  # ... or of another kind, by a word of its own: "Earthquake
            # jolts Hualien three days after Typhoon Koinu" (the typhoon only tells when); not
            # what the recalled storm brings ("Floodwaters still cover ... after Typhoon Koinu")
    return terms


_AGAIN = cased("again")  # a happening told anew
# What a lead quotes is someone's words, not when the report's happening came: "We were ready to
# retaliate last night," he wrote (TextFeatures.tonight).
_QUOTED = re.compile(r"[\"“][^\"“”]*[\"”]")


def _earlier(title: str, headline: list[str], term_of: Callable[[str], int]) -> frozenset[int]:
    """The terms a headline writes only where it measures its own happening from another
    (textcues.aside: "a day after", "hours after"), when both are of one kind (happenings.py):
    "Chemical warehouse blaze in Bangladesh port city kills 4, a day after factory fire" tells
    the next fire, not the factory's. Not a kind's word written as a modifier, before a hyphen
    ("cyclone-hit") or a noun of the aftermath ("Flood toll rises to 40 a day after flash floods
    hit Kerala": the earlier one's toll), nor a travelling happening's next place ("Floods reach
    Passau a day after floods hit Regensburg": happenings.REACHING, as _moving reads a lead)."""
    at = aside(headline)
    if not at:
        return frozenset()
    marked = set(at)
    hyphened = {found.lower() for found in _BEFORE_HYPHEN.findall(title)}
    inside = {term_of(headline[k]) for k in at}
    outside = {term_of(word) for k, word in enumerate(headline) if word and k not in marked}
    own = {
        tid
        for k, word in enumerate(headline[:-1])
        if k not in marked
        and (tid := term_of(word)) in KIND_OF
        and word.lower() not in hyphened
        and term_of(headline[k + 1]) not in MODIFIED
    }
    shared = kinds(inside) & kinds(own)
    if not shared or (not shared.isdisjoint(MOVING) and not outside.isdisjoint(REACHING)):
        return frozenset()
    return frozenset(inside - outside - {-1})


def _next_act(
    headline: list[str], term_of: Callable[[str], int], names: Collection[int]
) -> tuple[frozenset[int], frozenset[int]]:
    """The terms a headline writes only where it measures its own happening from another as
    past (textcues.aside after "after": "a day after bribery indictment", "hours after deadly
    riot"), and the terms of its own words that tell its own act ("quits", "escape"): no name,
    generic news word, figure, place word nor kind of happening. None when its own words
    follow the other happening up (happenings.FOLLOWING_UP: "Toll rises ...", "Police arrest
    suspect ...") or are measured from a kind of happening (happenings.KIND_OF: a disaster's
    aftermath is told in many words, "still without power three days after Typhoon Koinu"; the
    next one of its kind is _earlier's), or tell nothing of their own."""
    marked = set(aside(headline))
    # only what it is measured from as past ("hours before midnight deadline": a coming one;
    # "overshadowed by": one beside it)
    at = [
        k
        for k in marked
        if k > 0
        and k - 1 not in marked
        and headline[k - 1].lower() == "after"
        and not _in_span(headline, k)
    ]
    at = [
        k for start in at for k in itertools.takewhile(marked.__contains__, itertools.count(start))
    ]
    if not at:
        return frozenset(), frozenset()
    inside = {term_of(headline[k]) for k in at}
    outside = {term_of(word) for k, word in enumerate(headline) if word and k not in marked}
    if not FOLLOWING_UP.isdisjoint(outside) or kinds(inside):
        return frozenset(), frozenset()
    # its own words but names, as written small ("Mayor" opening it is "mayor")
    small = {
        term_of(word.lower())
        for k, word in enumerate(headline)
        if word and k not in marked and term_of(word) not in names
    }
    act = frozenset(
        tid
        for tid in small - inside
        if tid != -1
        and tid not in names
        and tid not in GENERIC_IDS
        and not tid & NUMBER_BIT
        and tid not in KIND_OF
        and tid not in WHERE
    )
    if not act:
        return frozenset(), frozenset()
    return frozenset(inside - outside - {-1}), act


def _in_span(headline: list[str], k: int) -> bool:
    """Is the span of time before the "after" that ends at headline[k - 1] one within which
    ("biggest gain in a year after rate shock", "of the week after"), not one measured?"""
    before = headline[max(0, k - 5) : k - 2]
    return any(word.lower() in _WITHIN_SPAN for word in before[-2:])


_WITHIN_SPAN = frozenset(("in", "of", "for", "within"))
_BEFORE_HYPHEN = re.compile(r"(\w+)-\w")  # "cyclone-hit": a word written as a modifier

# A happening's start told as a verb ("the fire broke out", "the wildfire that erupted"): "broke"
# and "breaks" only with "out" after them. A headline telling one tells a happening of its own.
_STARTED = frozenset(("erupted", "started", "began", "ignited"))
_STARTS = _STARTED | frozenset(("erupts", "starts", "begins", "ignites", "erupt", "start"))
_BROKE = frozenset(("broke", "breaks"))
_THE_KIND_WITHIN = 3  # words after "the" up to the kind's word, at most ("the chemical plant fire")
_THAT = frozenset(("that", "which"))
_AS_EARLIER = frozenset(("after", "since"))  # "a day after the fire broke out"
_A = frozenset(("a", "an"))
_EARLIER = frozenset(("earlier", "before"))  # "the wildfire that erupted ... a day earlier"


def _start(tokens: list[str], k: int, verbs: frozenset[str]) -> bool:
    """Does tokens[k] tell a happening's start ("erupted", "broke out")?"""
    word = tokens[k].lower() if k < len(tokens) else ""
    after = tokens[k + 1].lower() if k + 1 < len(tokens) else ""
    return word in verbs or (word in _BROKE and after == "out")


def _start_told(
    lead: list[str], headline: list[str], title: frozenset[int], term_of: Callable[[str], int]
) -> bool:
    """Does the lead tell the start of the headline's own happening as earlier than the report
    (_own_starts)? Then what the headline measures its happening from ("blaze rages a day after
    Houston fire": _earlier) is that start, not another happening."""
    return bool(_own_starts(lead, headline, title, term_of))


def _own_starts(
    lead: list[str], headline: list[str], title: frozenset[int], term_of: Callable[[str], int]
) -> list[int]:
    """Where the lead tells the start of the headline's own happening as earlier than the
    report: the positions of "the" before a word of a kind the headline names (lower-case words
    between, no name) and its start's verb, after "after" / "since" or before "earlier" /
    "before" in its sentence ("... as smoke drifted over the city, a day after the fire broke
    out", "as the wildfire that erupted east of Thessaloniki a day earlier burned south"). None
    when the headline itself tells a start or another of its kind ("Wildfire breaks out near
    Barcelona a day after Catalonia blaze", "New blaze ..."), or the lead another of its kind ("A
    new wildfire forced villages to empty ..., a day after the blaze that broke out near
    Thessaloniki was brought under control"): its own happening is the new one; nor an
    indefinite start ("a day after a blaze broke out"). After "after", only a start told without
    "that", and placed by no name, indefinite or word of what the headline measures from ("in
    the port"): "a day after the fire that broke out at a garment factory in Gazipur killed
    nine" under "... a day after factory fire", or "... the fire broke out at a clothing plant
    north of Dhaka", tells the other fire."""
    own = kinds(title)
    if not own:
        return []
    at = set(aside(headline))
    words = [word.lower() if k not in at else "" for k, word in enumerate(headline)]
    if not _OTHER.isdisjoint(words) or any(_start(words, k, _STARTS) for k in range(len(words))):
        return []  # its own words, not those it measures them from
    if any(
        word.lower() in _OTHER
        and any(KIND_OF.get(term_of(after)) in own for after in lead[k + 1 : k + 3])
        for k, word in enumerate(lead)
    ):
        return []  # "A new wildfire forced villages to empty": the lead's own is another
    # what the headline measures its happening from ("a day after Kolkata hotel fire")
    measured = {term_of(headline[k]) for k in at} - KIND_OF.keys()
    found = []
    for n, token in enumerate(lead):
        if token.lower() != "the":
            continue
        for k in range(n + 1, min(n + 1 + _THE_KIND_WITHIN, len(lead))):
            word = lead[k]
            if not word or word[:1].isupper():
                break
            if KIND_OF.get(term_of(word)) not in own:
                continue
            that = k + 1 < len(lead) and lead[k + 1].lower() in _THAT
            verb = k + 1 + that
            if not _start(lead, verb, _STARTED):
                break
            rest = lead[verb + 1 :]
            sentence = rest[: rest.index("")] if "" in rest else rest
            if n and lead[n - 1].lower() in _AS_EARLIER:
                # "a day after the fire broke out (in the port)", not "a day after the fire that
                # started in a Kolkata hotel killed eight" nor "... broke out at a guesthouse
                # near Esplanade": a start told of "the fire that ...", or placed by a name, an
                # indefinite or what the headline measures from, is the other happening's
                if not (
                    that
                    or any(w[:1].isupper() or w.lower() in _A for w in sentence)
                    or not measured.isdisjoint(term_of(w) for w in sentence)
                ):
                    found.append(n)
            elif not _EARLIER.isdisjoint(w.lower() for w in sentence):
                found.append(n)  # "the wildfire that erupted ... a day earlier burned south"
            break
    return found


def _aside_terms(
    lead: list[str], title: frozenset[int], headline: list[str], vocab: dict[str, WordInfo]
) -> tuple[frozenset[int], frozenset[int], frozenset[int]]:
    """The terms `lead` writes only where it tells another happening (textcues.aside: "a day
    after three people died on Manaslu"), not in its headline (`title`) nor elsewhere; of
    those the ones told beside it ("on the day one of its jets left the runway"); and the
    kinds of happening that travel it tells there as its own (_moving)."""
    at = aside(lead)
    if not at:
        return frozenset(), frozenset(), frozenset()

    def term_of(word: str) -> int:
        return (vocab.get(word) or _word_info(word)) >> 3

    marked = set(at)
    # "a day after the fire broke out in the port": its own happening's start, not another
    for n in _own_starts(lead, headline, title, term_of):
        if n in marked and lead[n - 1].lower() in _AS_EARLIER:
            marked -= set(itertools.takewhile(marked.__contains__, itertools.count(n)))
    if len(marked) < len(at):
        at = [k for k in at if k in marked]
        if not at:
            return frozenset(), frozenset(), frozenset()
    inside = {term_of(lead[k]) for k in at}
    outside = {term_of(word) for k, word in enumerate(lead) if word and k not in marked}
    told = frozenset(inside - outside - title - {-1})
    beside = {term_of(lead[k]) for k in aside(lead, measured=False)}
    # "they" after the cue is the headline's happening when its headline writes it plural
    # ("Floods reach Passau"), not under "Wildfire spreads" (there: the crews, the residents)
    they = "they" in lead and any(
        w.endswith("s") and KIND_OF.get(term_of(w.lower()), -1) in MOVING for w in headline
    )
    return told, told & beside, _moving(lead, at, marked, title, term_of, they)


_NOT_GERUNDS = frozenset(("morning", "evening", "during", "nothing", "something", "anything"))
_OTHER = frozenset(("another", "second", "third", "new", "separate"))
_ANOTHER = _OTHER | {"a", "an"}
_KIND_WITHIN = 3  # the first words of an aside that may name its kind


def _moving(
    lead: list[str],
    at: list[int],
    marked: set[int],
    title: frozenset[int],
    term_of: Callable[[str], int],
    they: bool,
) -> frozenset[int]:
    """The kinds of happening that travel (happenings.MOVING: a flood, a wildfire, a storm)
    that `lead` tells where it struck before as the report's own, at the positions `at`
    (textcues.aside): "a day after floods hit Regensburg" (the kind, not "a landslide" nor
    "another flood", and not one named apart, "Hurricane Kestrel" under "Hurricane Osprey
    ..."), or "a day after sweeping through Regensburg" (its subject the sentence's, the
    headline's flood: "Floodwaters reach Passau"), or, when `they` (the headline writes its
    kind plural), "a day after they swamped Regensburg" ("it" is the report's own already:
    textcues.aside). Another happening of that kind is seldom measured so; a report of the
    same one reaching a new place often is, and its headline says so (happenings.REACHING:
    "reach", "spread"; not "Wildfire erupts in Ventura County")."""
    if title.isdisjoint(REACHING):
        return frozenset()
    out: set[int] = set()
    for k in at:
        if k - 1 in marked:
            continue  # told from its first word on
        first = lead[k]
        if (they and first == "they") or (
            first.endswith("ing") and first.islower() and first not in _NOT_GERUNDS
        ):
            told = itertools.takewhile(marked.__contains__, range(k, len(lead)))
            if _OTHER.isdisjoint(lead[n].lower() for n in told):  # not "... a separate blaze"
                out |= kinds(title) & MOVING  # "a day after sweeping through / they hit ..."
            continue
        for n in range(k, k + _KIND_WITHIN):  # "floods hit", "the flash floods swept"
            if n not in marked or lead[n].lower() in _ANOTHER:
                break  # "a landslide in Uganda", "another flood": another one
            kind = KIND_OF.get(term_of(lead[n]), -1)
            if kind < 0:
                continue
            after = lead[n + 1] if n + 1 < len(lead) else ""
            if kind in MOVING and (not after[:1].isupper() or term_of(after) in title):
                out.add(kind)  # not "Hurricane Kestrel" under "Hurricane Osprey ..."
            break
    return frozenset(out)


def _word_terms(words: list[str]) -> set[int]:
    """The term ids of `words`, figures left out."""
    return {tid for word in words if (tid := _word_info(word) >> 3) >= 0 and not tid & NUMBER_BIT}


_ARTICLES = frozenset({"the", "a", "an"})
# Adjectives of size, force or harm that open many a headline ("Massive blaze guts timber yard",
# "Toxic gas cloud from Indian factory kills 4", "Strong earthquake strikes ..."): a headline
# opening on one has no subject (_subject). General English, written by hand; no word here is
# often a company's, a person's or a place's name.
_DESCRIBING_WORDS = """
massive huge enormous vast deadly deadliest fatal lethal toxic powerful strong heavy fierce
severe violent devastating dramatic sudden brutal bloody tragic shocking horrific catastrophic
intense extreme fiery raging torrential suspected alleged mysterious armed masked hooded
unidentified
"""
_DESCRIBING = frozenset(_DESCRIBING_WORDS.split())


PARTY_REACH = 3  # a headline's party opens it within this many words: "House GOP leaders ..."
# Who of a party acts, between the party and what it does ("GOP senators block ...",
# "Democratic governors unveil ..."); "leaders", "members" and "officials" are generic words.
_MEMBER_WORDS = """
senator lawmaker legislator governor representative congressman congresswoman candidate mayor
"""
_MEMBERS = frozenset(term_id(root(word)) for word in _MEMBER_WORDS.split())


def _party(words: Sequence[str], vocab: dict[str, WordInfo]) -> tuple[int, ...]:
    """The term of the party (terms.PARTIES) a headline opens on within PARTY_REACH words
    (after "The"; every word before it capitalised), as its actor, then the term of the next
    word but a member's ("senators") or a generic news word, within two words: what that
    party does ("Senate Republicans unveil tax plan ...": republican, unveil; "GOP senators
    block ...": republican, block). () when it opens on none. A party named further on
    ("Trump attacks Democrats over ...") is no actor of the headline's: one event's outlets
    of opposite leanings name either side there (bench/README.md, *Opposite leanings: two
    parties' acts*)."""
    if words and words[0].lower() in _ARTICLES:
        words = words[1:]

    def term_of(word: str) -> int:
        info = vocab.get(word)
        return (info if info is not None else _word_info(word)) >> 3

    for n, word in enumerate(words[:PARTY_REACH]):
        if not word[:1].isupper():
            break  # "Trump attacks Democrats ...": a party after the verb is its object
        party = term_of(word)
        if party in PARTIES:
            for after in words[n + 1 : n + 3]:
                act = term_of(after)
                if act >= 0 and act not in GENERIC_IDS and act not in _MEMBERS:
                    return party, act
            return (party,)
    return ()


def _subject(
    words: Sequence[str],
    cue_caps: bool,
    weights: dict[int, int],
    lower: set[int],
    vocab: dict[str, WordInfo],
) -> int:
    """The term of the word a headline opens with (after "The"), when the report never writes
    it small: "Fed holds rates steady", "Apple shares fall ...". A headline opening on a
    spelled-out name ("European Central Bank holds rates ...") has that name's acronym ("ecb")
    when it has one (of three letters or more).

    Its capital says nothing (every headline's first word has one), so this is no name cue;
    story_signals reads two reports whose subjects differ, each never mentioned by the other,
    and that share no rare name, as two events on one template ("Fed holds rates steady" /
    "ECB holds rates steady"). A common word as subject ("Explosion at ..." / "Blast at ...")
    is harmless there when the reports share a place or a name."""
    if words and words[0].lower() in _ARTICLES:
        words = words[1:]
    if not words or not words[0][:1].isupper() or _contracted(words[0].lower()):
        return NO_SUBJECT
    if words[0].lower() in _DESCRIBING:  # "Massive blaze guts ...": an adjective, no subject
        return NO_SUBJECT
    if cue_caps and len(words) > 1 and (words[1][:1].isupper() or words[1] in _NAME_JOINERS):
        run = list(itertools.takewhile(lambda w: w[:1].isupper() or w in _NAME_JOINERS, words))
        while run and run[-1] in _NAME_JOINERS:
            run.pop()
        acronym = _acronym(run) if len(run) >= 2 else None
        if acronym is not None and term_id(acronym) in weights:
            return term_id(acronym)
    info = vocab.get(words[0])
    tid = (info if info is not None else _word_info(words[0])) >> 3
    if tid < 0 or tid & NUMBER_BIT or tid in GENERIC_IDS or tid in lower or tid not in weights:
        return NO_SUBJECT
    return tid
