"""Cues in a report's words beyond the words themselves, for similarity.py: which figures are
tolls, whether the report tells of an earlier day's happening, and two-word forms written as
their one word. Each works on similarity's tokens (words in order, "" where a sentence ends)
and first asks, with a set operation in C, whether the text holds any word it looks for, so
that most texts cost almost nothing.

* **tolls** — "kills 12", "death toll rises to 30": a figure counting casualties may rise from
  one report of an event to the next, while two magnitudes or two scores that differ tell two
  events.
* **refers_back** — "a day after the quake", "after Monday's floods", "the strike enters its
  second day": such a report continues an earlier day's happening.
* **phrases** — "steps down" is "resign", "passed away" is "death" (wordforms.PHRASES).
* **countries** — in a headline alone, "Dutch" is "Netherlands" (wordforms.COUNTRIES).
* **disowned** — "arrested in a separate case, unrelated to this week's fire": the words of
  what a report says it is not about.
* **aside** — "a day after three people died on Manaslu", "on the day one of its jets left the
  runway": where a lead tells another happening than its own, beside it in time.
* **told_tonight** — "Russian drones attack Kyiv overnight", "... last night", "this morning":
  a report that tells its happening as of the hours before it came out.

Pure functions of the tokens; nothing here keeps state.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Iterable

from watcher.wordforms import (
    CAPITAL_CITIES,
    CAPITALS,
    COUNTRIES,
    HEADLINE_DEMONYMS,
    PHRASES,
    cased,
)

# A casualty word near a figure makes it a toll: "kills 12", "12 dead", "death toll rises to 30".
_CASUALTY_WORDS = """
kill kills killed killing dead death deaths die dies died dying toll tolls injured injures
injuring injuries wounded wounding hurt missing bodies victims casualties fatalities lives
"""
_CASUALTIES = cased(_CASUALTY_WORDS)
_TOLL_REACH = 3  # words between a figure and its casualty word, at most
_TOLL_AFTER = 6  # ... after "toll" itself: "death toll from Castellón floods rises to 30"


def tolls(tokens: list[str]) -> list[str]:
    """Tokens with each figure that counts casualties written "#+12" (a toll: terms.term_id).

    A toll rises as an event unfolds ("Flash floods kill 4" at night, "Death toll rises to 7"
    the next morning), so two reports' tolls may differ and still tell one event, where two
    magnitudes or two scores may not. A figure is a toll when a casualty word is at most
    _TOLL_REACH words before or after it in its sentence, with no other figure between
    ("935 cases, 4 deaths": only the 4)."""
    if _CASUALTIES.isdisjoint(tokens):  # a set operation in C: most texts stop here
        return tokens
    out = tokens
    for n, token in enumerate(tokens):
        if not (token.isdigit() and token.isascii() and is_figure(token)):
            continue
        if n and tokens[n - 1].lower() in ("aged", "age"):
            continue  # "dies aged 87": an age, not a toll
        if _near_casualty(tokens, n):
            out = list(tokens) if out is tokens else out
            out[n] = "#+" + str(int(token))
    return out


def _near_casualty(tokens: list[str], n: int) -> bool:
    """Is a casualty word within _TOLL_REACH words of tokens[n] (or "toll" within _TOLL_AFTER
    words before it), in its sentence, with no other figure between?"""
    for step in (-1, 1):
        k = n + step
        while 0 <= k < len(tokens) and abs(k - n) <= _TOLL_AFTER and tokens[k]:
            word = tokens[k].lower()
            if word[:1].isdigit():
                break
            if word in _CASUALTIES and (abs(k - n) <= _TOLL_REACH or word == "toll"):
                return True
            if step > 0 and k - n == _TOLL_REACH:
                break
            k += step
    return False


DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")  # weekdays
_BACK_DAYS = frozenset(day + mark for day in (*DAYS, "yesterday") for mark in ("'s", "’s"))
_BACK_LOWER = frozenset(("day", "days", "toll", *_BACK_DAYS, *DAYS))  # what refers_back reads
_BACK_WORDS = cased(" ".join(_BACK_LOWER))
_SINCE = frozenset({"after", "in", "since", "by", "from"})  # "after Monday's floods"
_ONE = frozenset({"a", "one", "the", "two", "three"})
_NTH = frozenset({"second", "third", "fourth", "fifth", "2nd", "3rd", "4th", "5th"})
_TOLL_RISES = 8  # "death toll in San Pedro Sula stand collapse rises to 9": words up to "rises"
_BEFORE_ENDS = (["before"], ["before", ""])  # "the day before" ending its sentence
_RISES = frozenset({"rises", "rose", "climbs", "jumps", "reaches", "hits", "passes", "tops"})


# A relative clause telling a happening on a weekday: "which erupted on Wednesday", "that struck
# on Tuesday" (its verb in the past: "-ed" or one of these). The irregular ones are the verbs of
# happenings a report tells as past without "-ed": "a man was shot in the legs late on Friday",
# "the driver fled on Saturday" (without them a lead's weekday is read as no day a happening was
# told on, and a shooting two nights running reads as one: bench/README.md *A lone report a day
# later, told apart*).
_RELATIVE = frozenset({"which", "that"})
_PAST_WORDS = (
    "struck hit began broke fell sank shook swept tore "
    "shot fled froze rose shut blew burnt stole threw caught fought drove"
)
_PAST = frozenset(_PAST_WORDS.split())


def _past(word: str) -> bool:
    """Is a word in lower case a verb in the past ("erupted", "struck")?"""
    return word in _PAST or (word.endswith("ed") and len(word) > 4)


def _told_past(relative: str, verb: str) -> bool:
    return relative in _RELATIVE and _past(verb)


def _clause(words: list[str], start: int, most: int) -> list[str]:
    """Up to `most` words from `start`, in their sentence."""
    out = words[start : start + most]
    return out[: out.index("")] if "" in out else out


def refers_back(tokens: list[str]) -> bool:
    """Does the text tell of an earlier day's happening as such: "after Monday's flash floods",
    "a day after the magnitude 7.1 quake", "seized a day earlier", "the previous day",
    "trapped since Friday", "as the strike enters its second day", "death toll from Castellón
    floods rises to seven", "death toll in Pune bridge collapse rises to 11", "the volcano, which
    erupted on Wednesday", "after the central bank's unexpected rate rise the day before"? Such
    a report continues that happening, so stories.py does not let the day between them count
    against the join. (A weekday's possessive after "ahead of" is a coming event, not an earlier
    one; "the day before the vote" a day measured from a coming one.)"""
    if _BACK_WORDS.isdisjoint(tokens):  # a set operation in C: most texts stop here
        return False
    words = [token.lower() for token in tokens]
    for n in [n for n, word in enumerate(words) if word in _BACK_LOWER]:  # the rest reads none
        word = words[n]
        before = words[n - 1] if n else ""
        after = words[n + 1] if n + 1 < len(words) else ""
        if word in _BACK_DAYS and (before in _SINCE or word.startswith("yesterday")):
            return True
        if word in DAYS and before == "since":
            return True  # "trapped since Friday"
        if word in DAYS and before == "on" and n > 2 and _told_past(words[n - 3], words[n - 2]):
            return True  # "the volcano, which erupted on Wednesday", "the quake that struck on ..."
        if word in ("day", "days") and (
            before in _NTH
            or (before in _ONE and after in ("after", "earlier"))  # not "a day before the vote"
            or (before == "previous" and n > 1 and words[n - 2] == "the")
        ):
            return True  # "a day after the quake", "seized a day earlier", "the previous day"
        if word == "toll" and not _RISES.isdisjoint(_clause(words, n + 1, _TOLL_RISES)):
            return True  # "death toll from Castellón floods rises to seven"
        if word == "day" and before == "the" and words[n + 1 : n + 3] in _BEFORE_ENDS:
            return True  # "after the central bank's rate rise the day before;" (not "... the vote")
    return False


# Weekdays named in a text, as bits (Monday 1, Tuesday 2, ... Sunday 64): days_named.
_DAY_BITS = {
    form: 1 << k
    for k, day in enumerate(DAYS)
    for word in (day, day + "'s", day + "’s")
    for form in (word, word.capitalize(), word.upper())
}
# A sentence with one of these tells of what is to come ("will testify on Tuesday", "is expected
# to rule on Friday"): its weekday is no day a happening was told on.
_COMING_WORDS = "will won't shall expected expects scheduled ahead upcoming next plans planned"
_COMING = frozenset(_COMING_WORDS.split())


# The months a headline names by their whole name ("June jobs report", "lost in April"), as bits:
# not "May" or "March", as often a verb's word in a headline written in title case.
_MONTH_WORDS = "january february april june july august september october november december"
_MONTH_BITS = {
    form: 1 << k
    for k, month in enumerate(_MONTH_WORDS.split())
    for form in (month.capitalize(), month.upper())
}


def months_named(words: list[str]) -> int:
    """The months a headline's `words` name, as bits (January 1 ... December 512; no May or
    March). stories.py reads two headlines both naming months, none the same, as telling two
    months' news ("Unemployment rises in June jobs report" / "20.5 million jobs were lost in
    April"): the next month's figures agree with the last month's in every word but the month."""
    if _MONTH_BITS.keys().isdisjoint(words):  # a set operation in C: most headlines stop here
        return 0
    bits = 0
    for word in words:
        bits |= _MONTH_BITS.get(word, 0)
    return bits


def days_named(tokens: list[str]) -> int:
    """The weekdays the text tells a happening on (bits: Monday 1 ... Sunday 64): those named in
    a sentence with a verb in the past ("-ed" or struck, fell, ...: "the Supreme Court on
    Wednesday convicted ...", "His lawyers called Wednesday's verdict ...") and no word of what
    is to come ("will", "expected", "next"). stories.py reads a later report and its story's
    first report both naming the day that first report came out, not the later one's own, as
    telling that day's happening again (story_signals.PairSignals._names_first_day): a saga's
    next development happens, and is told, on a day of its own."""
    present = _DAY_BITS.keys() & tokens  # a set operation in C: most texts stop here
    if not present:
        return 0
    ends = _places_of(tokens, ("",))  # where its sentences end ("" ends one) ...
    ends.append(len(tokens))
    named: dict[int, int] = {}  # ... and the days each sentence that names one names
    for at in _places_of(tokens, present):
        n = bisect_left(ends, at)
        named[n] = named.get(n, 0) | _DAY_BITS[tokens[at]]
    bits = 0
    for n, days in named.items():
        sentence = tokens[ends[n - 1] + 1 if n else 0 : ends[n]]
        if _COMING.isdisjoint(map(str.lower, sentence)) and any(
            token.islower() and _past(token) for token in sentence
        ):
            bits |= days
    return bits


def _places_of(tokens: list[str], words: Iterable[str]) -> list[int]:
    """Where any of `words` stands in `tokens`, in order: each found by list.index, in C, for
    a word that stands in few places (a loop over every token in Python costs more)."""
    out = []
    for word in words:
        at = -1
        for _ in range(tokens.count(word)):
            at = tokens.index(word, at + 1)
            out.append(at)
    out.sort()
    return out


_PHRASE_FIRSTS = frozenset(
    form for first, _ in PHRASES for form in (first, first.capitalize(), first.upper())
)


def phrases(tokens: list[str]) -> list[str]:
    """Tokens with each two-word form of wordforms.PHRASES written as its word ("steps down"
    as "resign", "passed away" as "death"), capitalised as its first word was."""
    present = _PHRASE_FIRSTS.intersection(tokens)  # a set operation in C: most texts stop here
    if not present:
        return tokens
    found: dict[int, str] = {}  # where a form starts -> its word
    last = len(tokens) - 1
    for first in present:  # each place it stands, found by list.index (in C)
        n = -1
        for _ in range(tokens.count(first)):
            n = tokens.index(first, n + 1)
            word = PHRASES.get((first.lower(), tokens[n + 1].lower())) if n < last else None
            if word is not None:
                found[n] = word.capitalize() if first[:1].isupper() else word
    out: list[str] = []
    done = 0  # tokens before it are written; a form's second word is never a first
    for n in sorted(found):
        if n >= done:
            out += tokens[done:n]
            out.append(found[n])
            done = n + 2
    return out + tokens[done:] if found else tokens


def is_figure(digits: str) -> bool:
    """ "12 injured", "195-106": figures tell events apart; years and long codes do not."""
    return len(digits) <= 6 and not (len(digits) == 4 and digits[:2] in ("19", "20"))


# A capital -> its country, capitalised ("Tehran" -> "Iran"); a capitalised demonym, and its
# plural, too ("Dutch" -> "Netherlands"); a capital wins where a form would be both.
_CAPITAL_OF = {
    form.capitalize(): forms[0].capitalize()
    for forms in (*CAPITALS, *HEADLINE_DEMONYMS)
    for form in forms[1:]
}
_COUNTRY_OF = {
    written.capitalize(): forms[0].capitalize()
    for forms in COUNTRIES
    for form in forms[1:]
    for written in (form, form + "s")
} | _CAPITAL_OF


def capitals(tokens: list[str]) -> list[str]:
    """Tokens with each capital written as its country ("Tehran thanks Islamabad"), and a
    demonym of wordforms.HEADLINE_DEMONYMS as its country ("British" as "Britain"): for any
    headline (similarity.py)."""
    return _written_as(tokens, _CAPITAL_OF)


def countries(tokens: list[str]) -> list[str]:
    """Tokens with each capital or capitalised demonym written as its country ("Dutch prime
    minister resigns" as "Netherlands prime minister resigns"): for a headline alone
    (similarity.py), whose few words may name the country only one way."""
    return _written_as(tokens, _COUNTRY_OF)


def _written_as(tokens: list[str], table: dict[str, str]) -> list[str]:
    if table.keys().isdisjoint(tokens):  # a set operation in C: most texts stop here
        return tokens
    return [table.get(token, token) for token in tokens]


# "capital" as a word of another thing: "Iran's capital punishment", "Britain's capital gains".
_NOT_A_CITY_WORDS = """punishment gains gain markets market spending expenditure flight controls
investment investments requirements requirement ratio ratios buffer buffers injection raising
projects project budget goods offence offences crimes crime case cases charges"""
_NOT_A_CITY = frozenset(_NOT_A_CITY_WORDS.split())
_CAPITAL_WORDS = max(map(len, CAPITAL_CITIES))  # a country's words, at most


def capital_named(tokens: list[str]) -> list[str]:
    """Tokens with a capital named by its country written as the city ("North Macedonia's
    capital closes schools" as "Skopje closes schools", "the Iranian capital" as "the
    Tehran"): wordforms.CAPITAL_CITIES. Not where the city follows ("the Ukrainian capital,
    Kyiv") nor where "capital" is another thing's word ("Iran's capital punishment"). In a
    headline, textcues.capitals then reads a capital of CAPITALS as its country again."""
    if "capital" not in tokens and "Capital" not in tokens:  # most texts stop here
        return tokens
    out: list[str] = []
    for n, token in enumerate(tokens):
        found = _capital_of(tokens, n) if token in ("capital", "Capital") else None
        if found is None:
            out.append(token)
        else:
            size, city = found
            del out[len(out) - size :]
            out += city
    return out


def _capital_of(tokens: list[str], n: int) -> tuple[int, list[str]] | None:
    after = tokens[n + 1].lower() if n + 1 < len(tokens) else ""
    if after in _NOT_A_CITY:
        return None
    for size in range(min(_CAPITAL_WORDS, n), 0, -1):
        words = [word.lower() for word in tokens[n - size : n]]
        if not words[0] or not all(word[:1].isalpha() for word in words):
            continue
        last = words[-1]
        words[-1] = last[:-2] if last.endswith(("'s", "\u2019s")) else last.rstrip("'\u2019")
        city = CAPITAL_CITIES.get(tuple(words))
        if city is not None:
            if after == city[0]:  # "the Ukrainian capital, Kyiv": the city is written
                return None
            return size, [word.capitalize() for word in city]
    return None


# "unrelated to", "not connected with", "nothing to do with", "no link to": the words after
# them name what the report says it is not about.
_DISOWN_CUES = "unrelated unconnected related connected linked link connection nothing"
_DISOWN_WORDS = cased(_DISOWN_CUES)
_DENIED = frozenset({"not", "never", "no"})  # "not related to", "no link with"
_DISOWN_REACH = 5  # words after the cue that name what is disowned, at most


def disowned(tokens: list[str]) -> list[str]:
    """The words (tokens) a report says it is not about: up to _DISOWN_REACH words, in their
    sentence, after "unrelated to", "unconnected with", "not connected to", "never linked to",
    "no link with", "nothing to do with". A tax arrest "unrelated to this week's fire" tells
    another event than the fire, however many names it shares with the fire's story."""
    if _DISOWN_WORDS.isdisjoint(tokens):  # a set operation in C: most texts stop here
        return []
    out: list[str] = []
    for n, token in enumerate(tokens):
        start = _disowning(tokens, n) if token in _DISOWN_WORDS else 0
        for word in tokens[start : start + _DISOWN_REACH] if start else ():
            if not word:  # the sentence ends
                break
            out.append(word)
    return out


# "Second shark attack in two days", "Another quake hits ...": the headline tells a new event of
# the kind its next words name, not the earlier one ("second day", "third week" go on with it).
_REPEAT_WORDS = cased("second third fourth fifth another")
# "second day" goes on; "third party", "second term" are one name
_GOES_ON_WORDS = """day days night nights week weeks month months year years straight consecutive
successive running time quarter half term party thought of chance look place hand"""
_GOES_ON = frozenset(_GOES_ON_WORDS.split())
_REPEAT_REACH = 2  # words after the cue that name what happened again


def repeated(tokens: list[str]) -> list[str]:
    """The words (tokens) a headline says happened again: up to _REPEAT_REACH words after
    "second", "third", ..., "another" ("Second shark attack in two days": shark, attack),
    none after "second day" or "third straight night". Such a report is another event than
    a story whose first headline it names ("Surfer injured in shark attack"), however much
    else it shares with it."""
    if _REPEAT_WORDS.isdisjoint(tokens):  # a set operation in C: most headlines stop here
        return []
    out: list[str] = []
    for n, token in enumerate(tokens):
        if token not in _REPEAT_WORDS:
            continue
        after = tokens[n + 1 : n + 1 + _REPEAT_REACH]
        if "" in after:  # the sentence ends
            after = after[: after.index("")]
        if after and after[0].lower() not in _GOES_ON and not after[0][:1].isdigit():
            out.extend(after)  # "another 6.6 million" is an amount, not a happening
    return out


def _disowning(tokens: list[str], n: int) -> int:
    """Where the disowned words start, if tokens[n] opens a cue; else 0."""
    word = tokens[n].lower()
    after = [token.lower() for token in tokens[n + 1 : n + 4]]
    if after[:1] not in (["to"], ["with"]):
        return 0
    if word in ("unrelated", "unconnected"):
        return n + 2
    if word in ("related", "connected", "linked", "link", "connection"):
        return n + 2 if n and tokens[n - 1].lower() in _DENIED else 0
    if word == "nothing" and after == ["to", "do", "with"]:
        return n + 4
    return 0


# "a day after", "two days after", "hours before", "weeks after": a span of time, then the
# happening it is measured from; "on the day" one of its jets left the runway: one beside it.
_SPAN_WORDS = "hour hours day days night nights week weeks weekend month months year years"
_SPANS = frozenset(_SPAN_WORDS.split())
_SPAN_FORMS = cased(_SPAN_WORDS)
_COUNT_WORDS = "a an one two three four five six seven eight nine ten few several the 24 36 48 72"
_COUNTS = frozenset(_COUNT_WORDS.split())
_ASIDE_REACH = 12  # words after the cue that tell the other happening, at most
_CUE_FORMS = cased("after before day")  # a cue holds one of these besides its span
_OWN = frozenset(("it",))  # "a day after it ...": its own happening ("its jet": the actor's)
# "The weekend's games were overshadowed by news of the death of ...": what overshadows a
# happening is another one beside it in time (h-realday5, session 16).
_SHADOW_FORMS = cased("overshadowed eclipsed")


def aside(tokens: list[str], *, measured: bool = True) -> list[int]:
    """Where a text tells another happening than its own, measured from it or beside it in
    time: the positions (in `tokens`) of up to _ASIDE_REACH words, in their sentence, after
    "a day after", "two days before", "hours after", "weeks after", "on the day",
    "overshadowed by" (what overshadows it happens beside it). An avalanche
    report's "a day after three people died on Manaslu" names the earlier avalanche's peak,
    and a strike vote's "on the day one of its jets left the runway at Cusco" the airline's
    other news: names another story's headline holds, mentioned as another happening
    (story_signals.PairSignals._aside_apart). With `measured` False, only the happenings
    beside it ("on the day ..."), not those it is measured from, which are as often its cause
    ("a day after Hurricane Ian made landfall" under a disaster declaration)."""
    spans = not (_SPAN_FORMS.isdisjoint(tokens) or _CUE_FORMS.isdisjoint(tokens))
    if not spans and _SHADOW_FORMS.isdisjoint(tokens):  # sets in C: most texts stop here
        return []
    cues = _SPAN_FORMS | _SHADOW_FORMS if spans else _SHADOW_FORMS
    out: list[int] = []
    for n in [n for n, token in enumerate(tokens) if token in cues]:
        start = _aside_start(tokens, n, measured)
        for k in range(start, min(start + _ASIDE_REACH, len(tokens)) if start else 0):
            if not tokens[k]:  # the sentence ends
                break
            out.append(k)
    return out


def _aside_start(tokens: list[str], n: int, measured: bool) -> int:
    """Where the other happening's words start, if tokens[n] (a span of time) opens a cue
    ("a day after", or only "on the day" when not `measured`); else 0."""
    before = tokens[n - 1].lower() if n else ""
    after = tokens[n + 1].lower() if n + 1 < len(tokens) else ""
    if tokens[n] in _SHADOW_FORMS:
        return n + 2 if after == "by" else 0  # "overshadowed by news of ..."
    many = tokens[n].lower().endswith("s")  # "hours after": no count needed
    if measured and after in ("after", "before") and (many or before in _COUNTS or not before):
        # "a day after it forced thousands from their homes": the report's own happening, an
        # earlier stage of it, not another
        own = n + 2 < len(tokens) and tokens[n + 2].lower() in _OWN
        return 0 if own else n + 2  # "a day after ...", "hours before ..."
    if tokens[n].lower() == "day" and before == "the" and n > 1 and tokens[n - 2].lower() == "on":
        return n + 1 + (after in ("that", "when", "as"))  # "on the day (that) ..."
    return 0


# A happening named as past by its own name: "over Sardinia wildfire that burned ...", "two days
# after Cyclone Imani", "since Monday's Riga fire" (recalled). Not one told as another ("after a
# gas blast at another mine", "a day after a separate fire"): an indefinite or other word in the
# span makes it some other happening.
_RECALLING = frozenset(("after", "since", "over", "following"))
_RECALL_FORMS = cased(" ".join(_RECALLING))
_RECALL_REACH = 4  # words after the cue up to the happening's kind word, at most
_INDEFINITE = frozenset(("a", "an", "another", "second", "third", "new", "separate", "fresh"))


def recalled(tokens: list[str], is_kind: Callable[[str], bool]) -> list[tuple[int, int]]:
    """Where the text names a happening as past, after "after", "since", "over" or
    "following": (start, end) of the words up to its kind's word (`is_kind`) within
    _RECALL_REACH, then the capitalised or kind's words right after it (a storm's name: "after
    Cyclone Imani", "after Karaganda mine blast"); none for a span with an indefinite or other
    word ("after a gas blast at another mine"). stories.py asks whether they name a story's
    own happening by its rare name."""
    if _RECALL_FORMS.isdisjoint(tokens):  # a set operation in C: most texts stop here
        return []
    out: list[tuple[int, int]] = []
    for n, token in enumerate(tokens):
        if token.lower() not in _RECALLING:
            continue
        span = _clause(tokens, n + 1, _RECALL_REACH)
        at = next((k for k, word in enumerate(span) if is_kind(word)), -1)
        if at < 0 or not _INDEFINITE.isdisjoint(word.lower() for word in span[: at + 1]):
            continue
        end = n + 2 + at
        while end < len(tokens) and (tokens[end][:1].isupper() or is_kind(tokens[end])):
            end += 1  # "after Cyclone Imani", "after Karaganda mine blast"
        out.append((n + 1, end))
    return out


# "Bomb threats made against the team during England tour", "Central bank pumps cash into market
# amid developer's crisis": what "during" or "amid" opens in a headline is the backdrop of its
# happening, not the happening (story_signals.PairSignals._backdrop_apart).
_BACKDROP_FORMS = cased("during amid")


def backdrop(tokens: list[str]) -> int:
    """Where a headline's backdrop starts: the position of its first "during" or "amid" after
    a word of its own, 0 if none."""
    if _BACKDROP_FORMS.isdisjoint(tokens):  # a set operation in C: most headlines stop here
        return 0
    return next((n for n, token in enumerate(tokens) if n and token in _BACKDROP_FORMS), 0)


# "Russian drones attack Kyiv overnight", "Rockets hit the port last night", "... this morning":
# a text that tells its happening as of the night or the morning before it came out. A report a
# day after its story's first that tells its own night so tells the next night's happening,
# however alike it is told (stories.StoryIndex._agreed). "This morning" only as written small
# ("CBS This Morning" is a programme).
_TONIGHT_FORMS = cased("overnight tonight night morning")
_TONIGHT = cased("overnight tonight")
_LAST = cased("last")
# A happening that grew in the night gone by ("the wildfire, which spread overnight towards
# Martigues", "the Danube, which rose overnight"): its night is one of a happening still going
# on, no night of its own. A start ("broke out overnight") or a strike ("struck overnight") is.
_GROWING_WORDS = """
spread spreads spreading rose rises rising risen grew grows growing grown swelled swells
swelling swollen widened widens widening expanded expands expanding advanced advances
advancing crept creeps creeping intensified intensifies
"""
_GROWING = frozenset(_GROWING_WORDS.split())
_GROWING_REACH = 2  # words before the night, at most, to the verb ("rose sharply overnight")


def told_tonight(tokens: list[str], lead: bool = False, going: bool = False) -> bool:
    """Does the text tell a happening as of its own night or morning: "overnight", "tonight",
    "last night", "this morning"? In a lead (`lead`) only a night gone by ("overnight", "last
    night"): there "this morning" and "tonight" tell the report's own hour of a happening still
    going on or still to come ("negotiators were still talking to the gunman this morning",
    "oxygen could run out tonight"). With `going` (its headline names a kind of happening), a
    night a verb of growth tells ("which spread overnight", "rose overnight": _GROWING) is
    that happening's night gone by while it goes on, none of its own."""
    if _TONIGHT_FORMS.isdisjoint(tokens):  # a set operation in C: most texts stop here
        return False
    for n, token in enumerate(tokens):
        if token in _TONIGHT and not (lead and token.lower() == "tonight"):
            night = n
        elif n and token.lower() == "night" and tokens[n - 1] in _LAST:
            night = n - 1
        else:
            night = -1
        if night >= 0 and not (going and _grown(tokens, night)):
            return True
        if n and token == "morning" and tokens[n - 1] == "this" and not lead:
            return True
    return False


def _grown(tokens: list[str], n: int) -> bool:
    """Does a verb of growth (_GROWING) come within _GROWING_REACH words before position `n`,
    in its sentence?"""
    for k in range(n - 1, max(n - 1 - _GROWING_REACH, -1), -1):
        word = tokens[k].lower()
        if not word:
            return False  # a sentence's end
        if word in _GROWING:
            return True
    return False


# "CSKA Sofia fire coach too as capital's giants struggle", a lead's
# "Levski did the same a day earlier", "Ajax followed suit", "the second club to sack its coach":
# the report's actor does what another one did, one more happening of that kind. "Too" before a
# word of degree ("too late", "too close to call") or after a verb it measures is no such cue.
# "Also" is not read, in a headline either: "Banks and broadcasters also hit by global IT
# outage" tells one outage's further victims (zf-global-it-outage-...), as often as "Kenya also
# hit by locusts" tells another happening.
_TOO_WORD_LIST = "too same suit second third fourth fifth"
_TOO_WORDS = frozenset(_TOO_WORD_LIST.split())  # as told_too reads them: in lower case
_TOO_FORMS = cased(_TOO_WORD_LIST)
_TOO_END_WORDS = "as after amid following while with despite but and on in at over for from"
_TOO_ENDS = frozenset(_TOO_END_WORDS.split())
_SAME_DONE = frozenset(("did", "do", "does", "done", "doing"))
_SUIT = frozenset(("followed", "follow", "follows", "following"))
_ORDINALS = frozenset(("second", "third", "fourth", "fifth"))
_ORDINAL_REACH = 3  # words between "the second" and its "to" ("the second top-flight club to")


def told_too(tokens: list[str], lead: bool = False) -> bool:
    """Does the text tell its actor doing what another one did: in a headline "too" ending its
    clause ("CSKA Sofia fire coach too", "... too as ..."); in a headline or a lead "did the
    same", "followed suit", "the second (third, ...) club to ..."? ("Also" anywhere, and "too"
    in a lead, add a detail of one happening as often: not read.)
    story_signals.PairSignals._too_apart reads such a report against a story whose headline
    another actor opens."""
    if _TOO_FORMS.isdisjoint(tokens):  # a set operation in C: most texts stop here
        return False
    for n, token in enumerate(tokens):
        word = token.lower()
        if word not in _TOO_WORDS:
            continue  # each test below reads one of them: the words around it are not made
        before = tokens[n - 1].lower() if n else ""
        after = tokens[n + 1].lower() if n + 1 < len(tokens) else ""
        if not lead and word == "too" and before and (not after or after in _TOO_ENDS):
            return True
        if word == "same" and before == "the" and n > 1 and tokens[n - 2].lower() in _SAME_DONE:
            return True
        if word == "suit" and before in _SUIT:
            return True
        if word in _ORDINALS and before == "the" and _ordinal_to(tokens, n):
            return True
    return False


def _ordinal_to(tokens: list[str], n: int) -> bool:
    """Does "to" come within _ORDINAL_REACH words after the ordinal at `n`, in its sentence,
    before a verb's stem ("the second club to sack"), the ordinal's noun no span nor one name
    (_GOES_ON: not "the second half to ...", "the third time to")?"""
    if n + 1 >= len(tokens) or tokens[n + 1].lower() in _GOES_ON:
        return False
    for k in range(n + 2, min(n + 2 + _ORDINAL_REACH, len(tokens))):
        if not tokens[k]:
            return False
        if tokens[k].lower() == "to":
            return k + 1 < len(tokens) and bool(tokens[k + 1]) and tokens[k + 1][:1].islower()
    return False
