"""Boilerplate: text that recurs across one feed's items, learned from the feed's own recent
items and left out before stories and rules look at an item.

A YouTube channel's footer ("Subscribe to our channel … Follow us on Twitter …"), a site's
"Related Articles" list, "Read more: …" lines and comment prompts say nothing about the event,
yet they are the text two items of one feed share most: left in, they glue unrelated videos
into one story and let a rule match a footer. What counts as boilerplate is learned per feed:

- each item's summary is cut into lines and words (lower case; digits as 0 in a line of a
  few words, "3 min read") and fingerprinted: every line whole, the head of a "Head: …" line,
  and every run of `SHINGLE` words within a line;
- a fingerprint is boilerplate for a feed when at least `MIN_ITEMS` of the feed's last
  `window` items hold it, and at least `SHARE` of them (a running story repeating a sentence
  in a few items of its outlet stays text; a footer on every item does not);
- from an item's text are left out: lines that are boilerplate whole or by their head, runs
  of at least `MIN_RUN` words covered by boilerplate shingles, and the tail that such text
  starts when boilerplate outweighs what follows it (the related-article list between a
  "Related Articles" heading and a comment prompt; the hashtags after a channel footer).

A headline's credit is learned the same way. Aggregators and many outlets end every headline
with its source ("Minister resigns - Example Times", "… | Example News", "… (Example Wire)"):
left in, two outlets' reports of one event each name an outlet the other never mentions (a
name conflict), every headline of a feed shares the outlet's name, and a rule on that name
fires on every item. Yet a trailing "– Del Rosario" can be news too: who said it. So the
tail after " - ", " – ", " — ", " | ", or in final parentheses (one to `CREDIT_WORDS`
words, after a headline of at least two) is a credit, left out, when

- the same tail (folded) ends at least `MIN_ITEMS` of the feed's last `window` titles (a
  programme's name on a channel's videos, a wire's name on a paper's copy; an attribution
  rarely recurs that often: of the 16 real feeds of the rss-headlines snapshots only
  philstar's "Palace" did, on 3 of 119 attributions), or
- at least `CREDITED` of those titles (and `MIN_ITEMS` or more) end with such a tail: a feed
  that credits every headline, an aggregator's outlets each appearing once (the real feeds'
  largest share over any 100 titles is 0.31).
- of a feed seen only `FEW_CREDITED` to `MIN_ITEMS` - 1 times, every title ends with such a
  tail and none opens on a figure: an aggregator just added, or seen briefly, credits each
  headline to another outlet ("... - Caucasus Today", "... - Savanna 24"), which no count of
  one tail could prove yet. A bulletin's place ("M 5.2 - 34 km SW of Arequipa, Peru") and a
  notice's pack size ("... (340 g)") end every title of their feeds too, and open on a figure.

A credit can lead the headline too: "[Example Wire] Minister resigns", "Example News |
Minister resigns", "EXAMPLE NEWS — Minister resigns", "Example News: Minister resigns". The
head before the first such separator (one to `CREDIT_WORDS` words, in brackets or parentheses,
or before " | ", a spaced dash or ": ", with a headline of at least two words after it) is
learned from the feed's titles as the tail is, but how much repetition proves a credit depends
on its form, since a headline's head is more often news than its tail:

- in brackets or before a bar, a head is a credit when the same head opens at least
  `MIN_ITEMS` of the feed's last `window` titles, or (brackets only) when at least `CREDITED`
  of them open with a bracketed head: a bridge feed crediting each headline to its outlet.
  Tags and labels in those forms ("[Video]", "(LEAD)", "Opinion | ") go too. Of the 16 real
  feeds of the rss-headlines snapshots none opens a headline so;
- before a colon or a dash, a head is a credit when the same head opens at least `OWN` of the
  titles (the feed's own name on nearly every headline), or `MIN_ITEMS` of them and reads as
  an outlet plainly (_masthead: a paper's wire copy, "Northern Wire — …"; not a topic ending
  in a word outlets share, "Royal Mail:", "Environment Agency:"), or (a colon only) when at least
  `HEADED` of them open with a head before a colon (an aggregator: "Example Wire: …"). Fewer
  repetitions do not tell a credit from news there: BBC opened up to 55 % of a window of 100
  titles with "Coronavirus:" and 74 % with some head before a colon (NZ Herald 62 %);
  philstar and gmanews open with who said it ("Palace:", "DOH:"), papers with a columnist's
  name or a running story's ("Beirut explosion:"). Those stay. So do labels ("Live:",
  "Watch:", "Analysis:", "Opinion:"): they are boilerplate, but similarity.py weighs them as
  nothing already (only a name or a topic word in a head weighs);
- a dash aggregator crediting another outlet on each headline ("Example Times — Minister
  resigns") is one whose titles open with a head before a dash as often as `HEADED`, and
  `CREDITED` of those heads read as an outlet (_outlet: "... Times", "... TV", the feed's own
  name). There a head goes that reads as an outlet or opens two titles or more ("Andes
  Report"); one that does neither stays (it may be the topic). A feed that credits each
  headline with a tail ("Short headline - Example Times") has headlines before its dashes,
  which seldom read as an outlet;
- a relay of headlines alone crediting outlets by their initials ("ABC | …", "RNZ | …"): a
  learned bar head in capitals, one word of 2 to 5 letters, goes in a feed whose titles open
  with a bar head as often as `CREDITED` (without text to tell, a head learned by its
  repetition otherwise goes only when it reads as an outlet). A paper labels only
  some of its titles, and a topic label is mostly written in words ("Kerala floods |",
  "Covid-19 |"); a paper labelling most of its titles "NHS | …" would lose that label.

A head that is a known place ("Ukraine:", "[Hong Kong]", places.KNOWN) is never a credit, in
any form: it says where the news is. A learned head stays in a title whose item's own text
(its boilerplate left out) writes every word of it: a paper's running-story label ("Kerala
floods | …", "Coronavirus | …") recurs like a credit, but it is what the report is about, and
a rule on the headline ("title:floods") must still see it. A headline with a leading and a
trailing credit loses both; the leading one goes first, and the tail is looked for in what is
left (the dash after "EXAMPLE NEWS —" belongs to that credit, not to a tail).

The item's stored title keeps its credits (the desk sees the headline as the feed gave it);
stories and rules see the title without them.

The learner keeps, per feed, the fingerprints of its last `window` items (at most `MAX_PRINTS`
each, 8 bytes apiece) and the set of those that are boilerplate now, and each of those items'
title credits (a fingerprint, or none, for the tail; the form and a fingerprint, or none, for
the head, and whether a dash head reads as an outlet); nothing else. It does no I/O: the
pipeline hands it each poll's items (`take` learns from the whole batch first, so a new
feed's backlog teaches it before its own items are cleaned), and the app rebuilds it at
start-up from the stored items, as it does the story index. Stored items keep their text
as the feed gave it; the cleaned copy is what stories and rules see, and what an alert's
snippet shows (`shown`, handed to the deliverer).
"""

from __future__ import annotations

import math
import re
from array import array
from collections import Counter, OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from itertools import chain
from typing import NamedTuple
from urllib.parse import urlsplit

from watcher.model import Item, Story
from watcher.places import KNOWN

WINDOW = 100  # recent items remembered per feed
SHINGLE = 5  # words per shingle
MIN_RUN = SHINGLE  # words; a run of one shingle is enough once SHARE of the items hold it
GAP = 3  # words between two boilerplate shingles that go with them ("bit.ly" for "aje.io")
# A fingerprint is boilerplate when at least MIN_ITEMS recent items of the feed hold it (not 3:
# a small feed's updates of one story often repeat a background paragraph) ...
MIN_ITEMS = 5
SHARE = 0.15  # ... and at least this share of the feed's remembered items
MAX_PRINTS = 600  # fingerprints kept per item: its first 150 and last 450 shingles, lines
RECOUNT = 10  # boilerplate is recounted once 1/RECOUNT of a feed's remembered items is new
SHORT_LINE = 4  # words; a line this short is compared with its digits folded
HEAD_WORDS = 4  # "Read more:" heads are one to this many words before a colon
HEAD_LINE_WORDS = 20  # a longer line keeps its text when its head recurs (only the head goes)
CREDIT_WORDS = 6  # words of a headline's credit at most ("Headline - Example Times")
CREDITED = 0.6  # share of a feed's titles with a credit-shaped tail: every tail is a credit
# ... or, of a feed seen FEW_CREDITED to MIN_ITEMS times, every title's tail, none opening on a
# figure (a bulletin's "M 5.2 - 34 km SW of Arequipa, Peru", a notice's "(340 g)")
FEW_CREDITED = 3
OWN = 0.8  # share of a feed's titles one head before a colon or dash opens: the feed's name
HEADED = 0.9  # share of a feed's titles with a head before a colon: every such head is a credit

_WORD = re.compile(r"\w+")
_DIGIT = re.compile(r"[1-9]")
_FIGURE_FIRST = re.compile(r"[\s\-–—|(]*\d")  # a tail opening on a figure: "- 34 km SW of ..."
# Around a cut run: separators that went with it ("- Follow us", "…com/ #tag").
_LEFT_JUNK = frozenset(" \t-–—|•·:/")
_RIGHT_KEEP = frozenset("#@\"“‘'([")
# A headline's tail that may be a credit: after a spaced dash or bar, or in final parentheses.
_CREDIT = re.compile(r"(?:\s+[-–—|]\s+([^-–—|()]+?)|\s+\(([^()]+)\))\s*$")
# A headline's head that may be a credit: in brackets or parentheses, or before the first bar,
# spaced dash or colon (within its first LEAD_CHARS characters); no bracket before that.
_BRACKETED = re.compile(r"[\[(]([^\[\]()]+)[\])]\s*")
_LEAD_END = re.compile(r"[\[\]()]|\s+[|–—-]\s+|:\s+")
_TWO_WORDS = re.compile(r"\w+\W+\w")  # a headline after the head: two words at least
LEAD_CHARS = 100
# A wire's dateline credit: the text opens on its place in capitals (and a country, a date),
# then the wire's name in parentheses and a dash: "PANAJI, India, June 5 (Keel Wire) - ...".
_DATELINE = re.compile(
    r"[A-Z][A-Z.'’ -]*[A-Z](?:,[^()\n,]{1,30}){0,2}\s*(\(([^()\n]{1,40})\))\s*[-–—]\s"
)
# A wire's closing credit: a sentence opening on one or two words and "by", then a name
# ("Reporting by Rohan Desai; Editing by Priya Nair", "Additional reporting by ..."), looked
# for in a text's last CLOSING_CHARS characters; the word before "by" is its fingerprint.
_CLOSING = re.compile(r"(?:^|(?<=[.!?”\"’)]\s))(?:[A-Z][a-z]+ )?([A-Za-z][a-z]+) by [A-Z]")
CLOSING_CHARS = 300
_DASHES = frozenset("–—-")
_TAGGED = "["  # the form of a head in brackets or parentheses
_REPEATED = frozenset("[|")  # forms whose head is a credit once it recurs MIN_ITEMS times
_NAMED = frozenset("-:")  # ... and these when the head reads as an outlet plainly (_masthead)
_LOOKS, _NAMES = 1, 2  # a head reads as an outlet (_outlet), plainly (_masthead)
# Forms whose every head goes once this share of a feed's titles (MIN_ITEMS or more) open so.
_EVERY = {_TAGGED: CREDITED, ":": HEADED}
_RELAYS = ("|",)  # forms whose learned heads in initials go once CREDITED of the titles open so
_LINE_MARK = ("\x00line",)
_HEAD_MARK = ("\x00head",)
_DATELINE_MARK = ("\x00dateline",)
_CLOSING_MARK = ("\x00closing",)


@dataclass(frozen=True, slots=True)
class _Line:
    """One line of an item's text: its words (folded) and fingerprints."""

    text: str
    words: tuple[str, ...]
    whole: int  # fingerprint of the line's words
    head: int | None  # of its "Head:" words, when it has such a head
    shingles: tuple[int, ...]  # of each SHINGLE-word run, by first word


def _fold(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def _line(text: str) -> _Line:
    words = tuple(_fold(text))
    head = None
    colon = text.find(":")
    if colon > 0:
        head_words = _fold(text[:colon])
        if 0 < len(head_words) <= HEAD_WORDS and len(words) > len(head_words):
            head = hash((*_HEAD_MARK, *head_words))
    return _Line(text, words, hash((*_LINE_MARK, *_short_line(words))), head, _shingles(words))


def _shingles(words: tuple[str, ...]) -> tuple[int, ...]:
    """The hash of each run of SHINGLE words, as a tuple, without a Python-level loop."""
    return tuple(map(hash, zip(*[words[k:] for k in range(SHINGLE)], strict=False)))


def _short_line(words: tuple[str, ...]) -> tuple[str, ...]:
    """A short line's words with digits as 0 ("2 min read", "Posted 5 hours ago", a date).
    Only there: in text, numbers are news, and a templated report ("rose 0.5% to 7,012")
    that differs only in them is not boilerplate."""
    if len(words) > SHORT_LINE or not any(w.isdigit() or not w.isalpha() for w in words):
        return words
    return tuple(_DIGIT.sub("0", w) for w in words)


def _head_words(line: _Line) -> int:
    return len(_fold(line.text[: line.text.find(":")]))


def _lines(text: str) -> list[_Line]:
    return [_line(t) for t in text.split("\n") if t.strip()]


def _prints(lines: Sequence[_Line]) -> array[int]:
    """An item's fingerprints, distinct and sorted, at most MAX_PRINTS."""
    # Most items are one line: its tuple is used as it is.
    shingles: Sequence[int] = (
        lines[0].shingles
        if len(lines) == 1
        else list(chain.from_iterable(line.shingles for line in lines))
    )
    if len(shingles) > MAX_PRINTS - 2 * len(lines):  # boilerplate sits at either end
        keep = max(0, MAX_PRINTS - 2 * len(lines))
        shingles = [*shingles[: keep // 4], *shingles[len(shingles) - (keep - keep // 4) :]]
    found = {line.whole for line in lines}
    found.update(line.head for line in lines if line.head is not None)
    found.update(shingles)
    credits = [_dateline(lines[0].text), _closing(lines[-1].text)] if lines else []
    found.update(credit[0] for credit in credits if credit is not None)
    return array("q", sorted(found)[:MAX_PRINTS])


def _dateline(text: str) -> tuple[int, int, int] | None:
    """A wire's dateline credit opening `text`: its fingerprint and where it is written (the
    parentheses); None without one."""
    found = _DATELINE.match(text)
    if found is None:
        return None
    words = _fold(found.group(2))
    if not 0 < len(words) <= CREDIT_WORDS:
        return None
    return hash((*_DATELINE_MARK, *words)), found.start(1), found.end(1)


def _closing(text: str) -> tuple[int, int] | None:
    """A closing credit in `text`'s last CLOSING_CHARS characters: the fingerprint of its
    word before "by" ("Reporting by", "Additional reporting by") and where it starts; None
    without one."""
    if " by " not in text[-CLOSING_CHARS:]:
        return None
    found = list(_CLOSING.finditer(text, max(0, len(text) - CLOSING_CHARS)))
    if not found:
        return None
    last = found[-1]
    return hash((*_CLOSING_MARK, last.group(1).lower())), last.start()


def _credits_out(text: str, frequent: frozenset[int]) -> str:
    """`text` without a wire's dateline credit and closing credit whose fingerprints are the
    feed's boilerplate: the wire's name in the dateline goes (its place stays), the closing
    credit goes with all after it (the photo credit, what is left of a footer)."""
    dated = _dateline(text)
    if dated is not None and dated[0] in frequent:
        text = f"{text[: dated[1]].rstrip()} {text[dated[2] :].lstrip()}"
    closing = _closing(text)
    if closing is not None and closing[0] in frequent:
        text = text[: closing[1]].rstrip()
    return text


def _credit(title: str) -> tuple[int, int] | None:
    """Where a headline's credit-shaped tail starts, and its fingerprint; None without one."""
    found = _CREDIT.search(title)
    if found is None:
        return None
    words = _fold(found.group(1) or found.group(2))
    if not 0 < len(words) <= CREDIT_WORDS or len(_fold(title[: found.start()])) < 2:
        return None
    return found.start(), hash(("\x00credit", *words))


class _Lead(NamedTuple):  # a tuple: made for every title learned, a dataclass costs more
    """A headline's credit-shaped head: its form ("[", "|", "-" or ":"), its fingerprint, and
    where the headline after it starts."""

    form: str
    print: int
    end: int


def _lead(title: str) -> _Lead | None:
    """A headline's credit-shaped head; None without one, or when it names a known place."""
    if title.startswith(("[", "(")):
        found = _BRACKETED.match(title)
        if found is None:
            return None
        head, form, end = found.group(1), _TAGGED, found.end()
    else:
        found = _LEAD_END.search(title, 0, LEAD_CHARS)
        if found is None or found.group() in "[]()":
            return None
        head, form, end = title[: found.start()], found.group().strip(), found.end()
        form = "-" if form in _DASHES else form
    words = _fold(head)
    if not 0 < len(words) <= CREDIT_WORDS or _TWO_WORDS.search(title, end) is None:
        return None
    if tuple(words) in KNOWN:  # "Ukraine: …" says where, not who
        return None
    return _Lead(form, hash(("\x00lead", form, *words)), end)


def _told(head: str, text: str) -> bool:
    """Does `text` write every word of a headline's `head`?"""
    return bool(text) and set(_fold(head)) <= set(_fold(text))


# The words outlets are named with ("Harbour Times", "Northern Wire", "HARBOUR TV") and the wires
# that credit copy: a head ending so reads as an outlet, not a topic ("Kerala floods", "Brexit").
_OUTLET_WORDS = """news wire wires times post daily herald journal press radio tv television
gazette courier tribune express telegraph chronicle agency media channel observer standard mail
guardian independent monitor bulletin insider reporter dispatch mirror examiner inquirer globe
magazine weekly reuters ap afp pti ani ians xinhua bloomberg yonhap kyodo tass efe dpa ansa upi
aap bernama anadolu bbc cnn"""
_OUTLETS = frozenset(_OUTLET_WORDS.split())
# Of those, the words that also end a topic or a source a paper heads its news with: "Royal
# Mail: ...", "English Channel: ...", "Environment Agency: ...", "Social media: ...", "Fake
# news: ...", "Reality TV: ...", "BBC: ..." (a running story about the broadcaster). A head
# ending so reads as an outlet in a feed that credits nearly every headline (an aggregator),
# not on the few titles of a paper that recur with it (_FeedMemory._count_heads).
_TOPICAL_WORDS = """mail channel agency media news tv television radio press post standard
independent monitor observer insider express globe mirror guardian bulletin reporter dispatch
bbc cnn"""
_TOPICAL = frozenset(_TOPICAL_WORDS.split())
_ACRONYM = re.compile(r"[A-Z]{2,5}")  # a broadcaster's or agency's initials, as written


def _outlet(head: str, outlet: tuple[frozenset[str], frozenset[str]]) -> bool:
    """Does a headline's `head` read as an outlet's name: its last word one outlets are named
    with (_OUTLETS), or its words the feed's own name's or a label of its host's ("Kowhai
    Post" of kowhaipost.example; `outlet`: _FeedMemory)?"""
    words = _fold(head)
    names, labels = outlet
    return bool(words) and (
        words[-1] in _OUTLETS or set(words) <= names or "".join(words) in labels
    )


def _masthead(head: str, outlet: tuple[frozenset[str], frozenset[str]]) -> bool:
    """Does a headline's `head` read as an outlet's name and nothing else: as _outlet, its last
    word no topic's (_TOPICAL: "Harbour Times", "Northern Wire", not "Royal Mail")?"""
    words = _fold(head)
    names, labels = outlet
    return bool(words) and (
        (words[-1] in _OUTLETS and words[-1] not in _TOPICAL)
        or set(words) <= names
        or "".join(words) in labels
    )


def _acronym(head: str) -> bool:
    """Is a headline's `head` (separator and all) one short word in capitals ("ABC", "RNZ")?"""
    return _ACRONYM.fullmatch(head.strip(" \t|:-–—")) is not None


def _outlet_of(item: Item) -> tuple[frozenset[str], frozenset[str]]:
    """The words of an item's feed's name, and the labels of its feed's and link's hosts."""
    hosts = " ".join(urlsplit(url).hostname or "" for url in (item.feed_url, item.link))
    return frozenset(_fold(item.feed_name)), frozenset(re.split(r"[\s.-]+", hosts.lower()))


class _FeedMemory:
    __slots__ = (
        "credited",
        "credits",
        "figured",
        "frequent",
        "headed",
        "heads",
        "items",
        "leads",
        "outlet",
        "relayed",
        "relays",
        "tails",
        "unseen",
    )

    def __init__(self, outlet: tuple[frozenset[str], frozenset[str]]) -> None:
        self.items: OrderedDict[str, array[int]] = OrderedDict()  # item key -> fingerprints
        self.tails: dict[str, int | None] = {}  # item key -> its title's credit fingerprint
        self.figured: set[str] = set()  # item keys whose credit-shaped tail opens on a figure
        self.frequent: frozenset[int] = frozenset()
        self.credits: frozenset[int] = frozenset()  # title credits that recur
        self.credited = False  # the feed credits (nearly) every headline: every tail goes
        # item key -> its title's head (its form, its fingerprint, how it reads as an outlet:
        # colon and dash heads only; 0 not, _LOOKS as one, _NAMES one plainly: _masthead),
        # counted as the tails are
        self.heads: dict[str, tuple[str, int, int] | None] = {}
        self.leads: frozenset[int] = frozenset()  # title heads that are credits
        self.headed: frozenset[str] = frozenset()  # forms of head that every title has: all go
        self.relayed: frozenset[int] = frozenset()  # a dash aggregator's heads that recur
        self.relays: frozenset[str] = frozenset()  # forms of head most titles have: a relay
        self.unseen = 0  # items learned since `frequent` was counted
        # the feed's name's words and its hosts, as a credit of its own would write them
        self.outlet = outlet

    def learn(
        self,
        key: str,
        prints: array[int],
        tail: int | None,
        head: _Lead | None,
        title: str,
        window: int,
        figured: bool = False,
    ) -> None:
        if key in self.items:
            return
        self.items[key] = prints
        self.tails[key] = tail
        if figured:
            self.figured.add(key)
        if head is None:
            self.heads[key] = None
        else:  # a colon or dash head's look is counted (an aggregator's read as outlets)
            outlet = 0
            if head.form in _NAMED and _outlet(written := title[: head.end], self.outlet):
                outlet = _NAMES if _masthead(written, self.outlet) else _LOOKS
            self.heads[key] = (head.form, head.print, outlet)
        while len(self.items) > window:
            old, _ = self.items.popitem(last=False)
            del self.tails[old]
            self.figured.discard(old)
            del self.heads[old]
        self.unseen += 1

    def boilerplate(self) -> frozenset[int]:
        # Counting the window costs ~0.5 ms; boilerplate changes slowly, so a full window is
        # recounted once a tenth of it is new (a small one, a new feed's, every time).
        if self.unseen and self.unseen * RECOUNT >= len(self.items):
            counts = Counter(chain.from_iterable(self.items.values()))
            need = max(MIN_ITEMS, math.ceil(SHARE * len(self.items)))
            self.frequent = frozenset([p for p, n in counts.items() if n >= need])
            tails = Counter(t for t in self.tails.values() if t is not None)
            self.credits = frozenset([t for t, n in tails.items() if n >= MIN_ITEMS])
            tailed = tails.total()
            self.credited = (tailed >= MIN_ITEMS and tailed >= CREDITED * len(self.tails)) or (
                FEW_CREDITED <= tailed == len(self.tails) and not self.figured
            )
            self._count_heads()
            self.unseen = 0
        return self.frequent

    def _count_heads(self) -> None:
        heads = Counter(head for head in self.heads.values() if head is not None)
        formed = Counter(form for form, _, _ in heads.elements())
        own = max(MIN_ITEMS, math.ceil(OWN * len(self.heads)))
        self.leads = frozenset(
            [
                p
                for (form, p, outlet), n in heads.items()
                if n >= MIN_ITEMS and (n >= own or form in _REPEATED or outlet == _NAMES)
            ]
        )
        every = {f: max(MIN_ITEMS, share * len(self.heads)) for f, share in _EVERY.items()}
        headed = {f for f, need in every.items() if formed[f] >= need}
        # A dash aggregator: nearly every title opens with a dash head, most of them outlets'
        # names (a feed crediting each headline with a tail has headlines there instead).
        dashed = [(p, outlet, n) for (form, p, outlet), n in heads.items() if form == "-"]
        looks = sum(n for _, outlet, n in dashed if outlet)
        if formed["-"] >= every[":"] and looks >= CREDITED * formed["-"]:  # ":" needs HEADED
            headed.add("-")
        self.headed = frozenset(headed)
        self.relayed = frozenset([p for p, _, n in dashed if n >= 2] if "-" in headed else [])
        relay = max(MIN_ITEMS, CREDITED * len(self.heads))
        self.relays = frozenset([f for f in _RELAYS if formed[f] >= relay])

    def title_without(self, title: str, text: str = "") -> str:
        """`title` without its credits, when the feed's titles show them to be ones. A head
        whose every word the item's own `text` writes stays: a running story's label
        ("Kerala floods | ...") is what the report is about, not who sent it. Without text
        to tell, a head that recurs in a feed of its own stays unless it reads as an outlet
        (_outlet): a headline-only feed's "Brexit: ..." is its topic."""
        self.boilerplate()
        if self.leads or self.headed:
            head = _lead(title)
            if head is not None and self._credit_head(title[: head.end], head, text):
                title = title[head.end :]
        if not (self.credited or self.credits):
            return title
        found = _credit(title)
        if found is None or not (self.credited or found[1] in self.credits):
            return title
        return title[: found[0]].rstrip()

    def _credit_head(self, written: str, head: _Lead, text: str) -> bool:
        """Is a headline's credit-shaped head (`written`, as the title writes it) a credit?"""
        if head.print not in self.leads:  # an aggregator's, whose every head of a form goes
            if head.form not in self.headed or _told(written, text):
                return False
            # a dash aggregator's head reads as an outlet or recurs: it may be a topic else
            return head.form != "-" or head.print in self.relayed or _outlet(written, self.outlet)
        if _told(written, text):
            return False
        if text or head.form == _TAGGED or _outlet(written, self.outlet):
            return True
        # A relay's initials: a broadcaster ("ABC |", "RNZ |") recurs on many titles of a feed
        # that opens most with a head so; a topic label ("Kerala floods |", "Covid-19 |") is
        # written in words, and a paper labels only some of its titles.
        return head.form in self.relays and _acronym(written)


class Boilerplate:
    """Per-feed boilerplate learned from recent items (see the module docstring)."""

    def __init__(self, window: int = WINDOW) -> None:
        self.window = window
        self._feeds: dict[str, _FeedMemory] = {}

    def learn(self, items: Sequence[Item]) -> None:
        """Remember items' fingerprints, in the order given (an item already remembered is
        not counted twice). Of a long batch only each feed's last `window` items are looked
        at: the ones before would only be forgotten again."""
        for k in self._recent(items):
            self._learn(items[k], _lines(items[k].summary))

    def take(self, items: Sequence[Item], *, learn: bool = True) -> list[Item]:
        """Learn from the items given (as `learn`; not when `learn` is False: they were
        learned already, with the rest of their batch), then return each with its
        boilerplate left out."""
        lines = [_lines(item.summary) for item in items]
        for k in self._recent(items) if learn else ():
            self._learn(items[k], lines[k])
        return [self._clean(item, ls) for item, ls in zip(items, lines, strict=True)]

    def clean(self, item: Item) -> Item:
        """`item` with its feed's boilerplate left out of its summary and its title's credit
        left out (the same item when there is neither)."""
        return self._clean(item, None)

    def shown(self, story: Story) -> Story:
        """`story` as an alert shows it: each item's text without its feed's boilerplate (a
        snippet that is the channel's footer tells the desk nothing); titles as the feed gave
        them, credits and all."""
        items = tuple(
            replace(i, summary=self.text_without(i.feed_url, i.summary)) for i in story.items
        )
        return story if items == story.items else replace(story, items=items)

    def text_without(self, feed_url: str, text: str) -> str:
        """`text`, an item of `feed_url`, without the feed's boilerplate."""
        memory = self._feeds.get(feed_url)
        frequent = memory.boilerplate() if memory is not None else frozenset()
        return _strip(_lines(text), frequent) if frequent and text else text

    def _recent(self, items: Sequence[Item]) -> list[int]:
        """Indexes of each feed's last `window` items of `items`, in order."""
        if len(items) <= self.window:
            return list(range(len(items)))
        counts: dict[str, int] = {}
        kept: list[int] = []
        for k in range(len(items) - 1, -1, -1):
            seen = counts.get(items[k].feed_url, 0)
            if seen < self.window:
                counts[items[k].feed_url] = seen + 1
                kept.append(k)
        return kept[::-1]

    def _learn(self, item: Item, lines: Sequence[_Line]) -> None:
        memory = self._feeds.get(item.feed_url)
        if memory is None:
            memory = self._feeds[item.feed_url] = _FeedMemory(_outlet_of(item))
        if item.key not in memory.items:  # a repeated item is not counted twice
            tail = _credit(item.title)
            memory.learn(
                item.key,
                _prints(lines),
                None if tail is None else tail[1],
                _lead(item.title),
                item.title,
                self.window,
                tail is not None and _FIGURE_FIRST.match(item.title, tail[0]) is not None,
            )

    def _clean(self, item: Item, lines: Sequence[_Line] | None) -> Item:
        memory = self._feeds.get(item.feed_url)
        if memory is None:
            return item
        frequent = memory.boilerplate()
        text = item.summary
        if frequent and text:
            text = _strip(_lines(text) if lines is None else lines, frequent)
        title = memory.title_without(item.title, text)  # a footer naming the outlet is no text
        if title == item.title and text == item.summary:
            return item
        return replace(item, title=title, summary=text)


# -- leaving it out ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Segment:
    """A piece of the text in order: a line, or (in one-line text) a run of words."""

    boiler: bool
    weight: int  # 1 per line in text of several lines, else its words
    line: int
    start: int  # word range within the line (whole line: 0, len)
    end: int


def _strip(lines: Sequence[_Line], frequent: frozenset[int]) -> str:
    segments: list[_Segment] = []
    cuts: dict[int, list[tuple[int, int]]] = {}  # line -> word runs to leave out
    several = len(lines) > 1
    for k, line in enumerate(lines):
        n = len(line.words)
        if line.whole in frequent or (several and line.head in frequent and n <= HEAD_LINE_WORDS):
            segments.append(_Segment(True, 1 if several else n, k, 0, n))
            continue
        runs = _runs(line, frequent)
        if line.head in frequent:  # a label ("OPINION: …") on the text itself: only it goes
            runs = _merged([(0, _head_words(line)), *runs])
        cuts[k] = runs
        if several:
            segments.append(_Segment(False, 1, k, 0, n))
            continue
        at = 0
        for start, end in runs:
            if start > at:
                segments.append(_Segment(False, start - at, k, at, start))
            segments.append(_Segment(True, end - start, k, start, end))
            at = end
        if at < n:
            segments.append(_Segment(False, n - at, k, at, n))
    tail = _tail(segments, several)
    kept: list[str] = []
    for k, line in enumerate(lines):
        if tail is not None and k > tail.line:
            break
        drop = [(s.start, s.end) for s in segments if s.boiler and s.line == k]
        if tail is not None and k == tail.line:
            drop.append((tail.start, len(line.words)))
        text = _cut(line, sorted(set(drop) | set(cuts.get(k, ()))))
        if text:
            kept.append(text)
    return _credits_out("\n".join(kept), frequent)


def _runs(line: _Line, frequent: frozenset[int]) -> list[tuple[int, int]]:
    """Word ranges of the line covered by boilerplate shingles (up to GAP words between two
    of them included), MIN_RUN words or longer."""
    runs: list[tuple[int, int]] = []
    for i, fp in enumerate(line.shingles):
        if fp not in frequent:
            continue
        if runs and i <= runs[-1][1] + GAP:  # a link's variable word between two known parts
            runs[-1] = (runs[-1][0], i + SHINGLE)
        else:
            runs.append((i, i + SHINGLE))
    return [(a, b) for a, b in runs if b - a >= MIN_RUN]


def _merged(runs: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for a, b in sorted(runs):
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


def _tail(segments: Sequence[_Segment], several: bool) -> _Segment | None:
    """The boilerplate segment from which the rest of the text is left out: the earliest one
    after which boilerplate weighs at least as much as the rest (and, in text of several
    lines, the last line is boilerplate too: a footer, not one stray line mid-article)."""
    if not segments or (several and not segments[-1].boiler):
        return None
    opening = next((k for k, s in enumerate(segments) if not s.boiler), len(segments))
    boiler = other = 0
    found = None
    for segment in reversed(segments[opening + 1 :]):  # a tail follows what the text says
        if segment.boiler:
            boiler += segment.weight
        else:
            other += segment.weight
        if segment.boiler and boiler >= other:
            found = segment
    return found


def _cut(line: _Line, drop: Sequence[tuple[int, int]]) -> str:
    """The line's text without the word ranges in `drop` (sorted), and the separators that
    went with them; spaces collapsed."""
    if not drop:
        return line.text.strip()
    if drop[0] == (0, len(line.words)) or not line.words:
        return ""
    spans = [m.span() for m in _WORD.finditer(line.text)]
    if len(spans) != len(line.words):  # folding changed the word count (rare scripts)
        return line.text.strip()
    text = line.text
    pieces: list[str] = []
    at = 0
    for first, last in drop:
        start, end = spans[first][0], spans[min(last, len(spans)) - 1][1]
        while start > at and text[start - 1] in _LEFT_JUNK:
            start -= 1
        while end < len(text) and not text[end].isalnum() and text[end] not in _RIGHT_KEEP:
            end += 1
        if start > at:
            pieces.append(text[at:start])
        at = max(at, end)
    pieces.append(text[at:])
    return " ".join(" ".join(pieces).split())
