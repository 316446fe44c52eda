"""One entity under other names: similarity.py writes each other name as the entity's own.

News names a company, an institution or a landmark by what it is as often as by its name:
"Facebook owner" for Meta, "iPhone maker" for Apple, "the Tube" for the London Underground,
"Britain's highest peak" for Ben Nevis. Two outlets telling one event then share no word for
its main actor, and each headline names something the other never mentions: a name conflict
(story_signals.py). Here each such other name is written as the entity's name before the
words are counted (`aliases`), so that both reports name it alike.

Each line of the table is one entity: its name as news writes it, then, after ":", its other
names, comma-separated. A form is matched as whole words (case aside, a curly apostrophe as a
straight one), and only when its first word is written with a capital ("the tube" of a
hospital is no Underground; "iPhone" has one): a description starts a headline or follows a
name. The entity's own name in full ("London Underground", "Meta Platforms") is a form too,
so that both sides come out as the same words.

Only names that stand for ONE entity belong here, the way news uses them: a company by its
best-known product or brand ("Facebook owner", "ChatGPT maker"), an institution by its seat or
its members where those mean nothing else ("Holy See", "Capitol Hill"), a landmark by its
fixed description ("Britain's highest peak", "Europe's most active volcano"), a country by
its other name ("UK" / "Britain", "Burma" / "Myanmar", "Côte d'Ivoire" / "Ivory Coast",
"DRC" / "DR Congo": one country under two names was a name conflict, session 23). Never a
description that fits several ("German carmaker", "Dutch rival", "the tech giant"), nor a
capital for its government (wordforms.CAPITALS does that, in headlines only). Folding makes
two reports of one entity share its name; it does not join two events of that entity: two
reports both written "Meta" were never told apart by the name either (bench/README.md, *One
entity under other names*). Written by hand from general knowledge; nothing here comes from a
data set.

A landmark or an island also names the region it lies in (`within`, the _WITHIN table): "Mount
Etna eruption closes Catania airport" and "Sicily airport shut as volcano spews ash cloud" name
one island, each in its own grain. The region is added as the text's last sentence, unless
the text names it already; the place stays a name of its own, so two places of one region
("Etna" / "Lampedusa") still conflict, and only a report naming the region itself no longer
does. Not a city, nor a company for its country (both tried and taken out): two events of one
city ("Shooting at Houston mall" / "Houston refinery fire") or of one company ("Heineken
raises beer prices" / "Heineken to close Brazil plant") then shared two names and joined
(bench/README.md, *One entity under other names*).
"""

from __future__ import annotations

from watcher.places import institutions
from watcher.wordforms import COUNTRIES, joined_lines

_ALIASES = """
Meta: Meta Platforms, Facebook owner, Facebook parent, Facebook's owner, Facebook's parent,
  Instagram owner, Instagram parent, WhatsApp owner, WhatsApp parent
Alphabet: Google parent, Google owner, Google's parent, Google's owner, YouTube owner
Apple: iPhone maker, iPhone-maker, iPad maker
Microsoft: Windows maker, Xbox maker
OpenAI: ChatGPT maker, ChatGPT developer, ChatGPT owner, ChatGPT creator
ByteDance: TikTok owner, TikTok parent, TikTok's owner, TikTok's parent
Snap: Snapchat owner, Snapchat parent
Tencent: WeChat owner, WeChat operator
Sony: PlayStation maker
Nestle: Nescafe maker, KitKat maker, Kit Kat maker
Novo Nordisk: Ozempic maker, Wegovy maker
Pfizer: Viagra maker
Diageo: Guinness maker, Guinness owner, Johnnie Walker maker
AB InBev: Anheuser-Busch InBev, Budweiser maker, Budweiser brewer, Stella Artois maker
Stellantis: Jeep maker, Fiat owner, Peugeot owner, Chrysler owner
IAG: British Airways owner, British Airways parent, BA owner, BA parent
Kering: Gucci owner
LVMH: Louis Vuitton owner
Inditex: Zara owner
Philip Morris: Marlboro maker
Vatican: Holy See
Islamic State: ISIS, ISIL, Daesh
London Underground: Tube
Downing Street: Downing St
Bank of England: Threadneedle Street
Pentagon: Defense Department, Department of Defense
Ben Nevis: Britain's highest peak, Britain's highest mountain, UK's highest peak,
  UK's highest mountain, Scotland's highest peak, Scotland's highest mountain
Snowdon: Yr Wyddfa
Everest: Mount Everest, Mt Everest, World's highest peak, World's highest mountain,
  Nepal's highest peak, Nepal's highest mountain
Aconcagua: Argentina's highest peak, Argentina's highest mountain
Kilimanjaro: Mount Kilimanjaro, Mt Kilimanjaro, Africa's highest peak, Africa's highest mountain,
  Tanzania's highest peak, Tanzania's highest mountain
Fuji: Mount Fuji, Mt Fuji, Japan's highest peak, Japan's highest mountain
Denali: Mount McKinley, North America's highest peak, North America's highest mountain
Kosciuszko: Mount Kosciuszko, Mt Kosciuszko, Australia's highest peak,
  Australia's highest mountain
Etna: Mount Etna, Mt Etna, Europe's most active volcano
Vesuvius: Mount Vesuvius, Mt Vesuvius
Britain: UK, United Kingdom, Great Britain
Britain's: UK's, United Kingdom's, Great Britain's
Turkey: Turkiye, Türkiye
Turkey's: Turkiye's, Türkiye's
Myanmar: Burma
Myanmar's: Burma's
Netherlands: Holland
Czech Republic: Czechia
Czech Republic's: Czechia's
Eswatini: Swaziland
Eswatini's: Swaziland's
Ivory Coast: Cote d'Ivoire, Côte d'Ivoire
Ivory Coast's: Cote d'Ivoire's, Côte d'Ivoire's
DR Congo: DRC, Democratic Republic of the Congo, Democratic Republic of Congo, Congo-Kinshasa
DR Congo's: DRC's
Papua New Guinea: PNG
Papua New Guinea's: PNG's
North Korea: DPRK
North Korea's: DPRK's
"""

# Regions and the landmarks and islands in them that news names either way: "Mount Etna
# eruption closes Catania airport" / "Sicily airport shut as volcano spews ash cloud". A report
# naming a place here also counts as naming its region (`within`), unless it names that region
# itself; the place stays a name of its own. Only places where two different events in a day are
# rare: a volcano, a mountain, an island of an archipelago, a resort town. Cities are left out
# (review, bench/README.md, *One entity under other names*): two reports of one city's two
# events ("Shooting at Houston mall" / "Houston refinery fire") would each gain the state and
# share two names instead of one, and joined, leads and all. A name that is as often another
# place, a person or a word is left out too.
_WITHIN = """
Sicily: Etna, Taormina, Lampedusa, Stromboli
Bali: Kuta, Ubud
Canary Islands: Tenerife, Gran Canaria, Lanzarote, La Palma, Fuerteventura
Scotland: Ben Nevis
Wales: Snowdon
Hawaii: Maui, Oahu, Kilauea, Mauna Loa
"""

# A US state or city as news abbreviates it ("Surfside, Fla.", "Redding, Calif.", "LA port"):
# the name it stands for, then its abbreviations exactly as written (the dot of "Fla." is no
# part of a token; "L.A." comes as "LA": similarity._tokens). Matched case and all, so "La
# Palma" is no Los Angeles, and an abbreviation in capitals inside a headline written all in
# capitals ("LA PALMA ERUPTS") is left as written (`written_out`). Only abbreviations that are
# no word, given name or other body in a headline's capitals: not "Pa.", "Va.", "Ga.", "La.",
# "Mo.", "Mass.", "Miss.", "Del." (Del Rio), "Ind.", "Ill.", "Wash.", "Ore.", "Mont.", "Ark.",
# "Kan.", nor "SC", "NH", "DC" (Washington, DC, is as often the US government). Not "NY"
# ("N.Y."): headlines write it for the state (its governor, attorney general, legislature), and
# written out as "New York" it met New York City's reports as one name (h-review23's `yv-` NY
# cases). Not "NYC" either: written out, it joined New York City's ranked-choice voting to its
# mayoral primary on allsides raw (P -0.0006; bench/README.md, *One name written several
# ways*). Written by hand from the AP's state abbreviations and general knowledge; nothing here
# comes from a data set.
_ABBREVIATED = """
California: Calif
Florida: Fla
Arizona: Ariz
Tennessee: Tenn
Oklahoma: Okla
Minnesota: Minn
Michigan: Mich
Colorado: Colo
Connecticut: Conn
Nebraska: Neb
Nevada: Nev
Wyoming: Wyo
Wisconsin: Wis
Kentucky: Ky
New Jersey: NJ
Los Angeles: LA
Philadelphia: Philly
"""
WRITTEN_OUT: dict[str, tuple[str, ...]] = {
    short.strip(): tuple(name.split())
    for line in joined_lines(_ABBREVIATED)
    for name, _, shorts in [line.partition(":")]
    for short in shorts.split(",")
}
_SHORTS = frozenset(WRITTEN_OUT)
# A lawmaker's party and state ("Sen. Ron Johnson (R-Wis.)"): where the lawmaker sits, no
# place the report tells of; left as written.
_PARTY_LETTERS = frozenset({"D", "R", "I"})


def written_out(tokens: list[str]) -> list[str]:
    """Tokens (similarity's) with each abbreviation of _ABBREVIATED written as its name ("Fla"
    as "Florida", "LA" as "Los Angeles"), but one in capitals beside another word in capitals
    (a headline written all in capitals: "LA PALMA ERUPTS") and one after a party's letter (a
    lawmaker's seat: "Sen. Ron Johnson (R-Wis.)")."""
    if _SHORTS.isdisjoint(tokens):  # a set operation in C: nearly every text stops here
        return tokens
    out: list[str] = []
    for n, token in enumerate(tokens):
        name = WRITTEN_OUT.get(token)
        if (
            name is None
            or (token.isupper() and _in_capitals(tokens, n))
            or (n and tokens[n - 1] in _PARTY_LETTERS)
        ):
            out.append(token)
        else:
            out += name
    return out


def _in_capitals(tokens: list[str], n: int) -> bool:
    """Does a word written in capitals stand beside tokens[n] (no abbreviation itself)?"""
    return any(
        0 <= k < len(tokens)
        and len(tokens[k]) > 1
        and tokens[k].isupper()
        and tokens[k].isalpha()
        and tokens[k] not in _SHORTS
        for k in (n - 1, n + 1)
    )


Form = tuple[str, ...]
_SMALL = frozenset({"of", "do", "du", "ng"})  # lower case inside a bank's name


def _written(name: str) -> str:
    """A name of places.py's lower-case tables as news writes it ("Bank of Japan", "BOJ")."""
    if " " not in name and len(name) <= 4:
        return name.upper()
    return " ".join(word if word in _SMALL else word.capitalize() for word in name.split())


def _central_banks() -> str:
    """Lines of the _ALIASES kind for each central bank named for its country (places.py's
    _INSTITUTIONS) whose name does not hold its country's word ("Norges Bank", "Bank Negara",
    "Riksbank"): news names it as often by its country, "Malaysia's central bank", "Swedish
    central bank", which is written as its name, with its other names ("Bank Negara
    Malaysia"). A bank whose name holds its country's ("Bank of Japan", "Czech National
    Bank") shares that word with such a description already."""
    peoples = {forms[0]: forms for forms in COUNTRIES}
    lines = []
    for country, names in institutions():
        forms = peoples.get(country)
        if forms is None or not set(forms).isdisjoint(names[0].split()):
            continue
        name = forms[0].capitalize()
        own = (f"{name}'s", name, *(form.capitalize() for form in forms[1:]))
        described = [f"{word} central bank" for word in own]
        lines.append(f"{_written(names[0])}: {', '.join([*map(_written, names[1:]), *described])}")
    return "\n".join(lines)


def _words(written: str) -> Form:
    """A form's words as similarity.py's tokens split them (a hyphen parts words)."""
    return tuple(written.replace("-", " ").split())


def _table(table: str) -> tuple[dict[str, list[tuple[Form, Form]]], frozenset[str]]:
    """Each form's first word (lower case) -> (the form's other words, lower case; the
    entity's words as written), longest form first; and the first words as a token may write
    them (as in the table, capitalised, in capitals; either apostrophe): the quick test."""
    by_first: dict[str, list[tuple[Form, Form]]] = {}
    firsts: set[str] = set()
    for line in joined_lines(table):
        name, _, forms = line.partition(":")
        entity = _words(name)
        for form in forms.split(","):
            written = _words(form)
            words = tuple(w.lower() for w in written)
            by_first.setdefault(words[0], []).append((words[1:], entity))
            for cased in (written[0], written[0].capitalize(), written[0].upper()):
                firsts |= {cased, cased.replace("'", "’")}
    for found in by_first.values():
        found.sort(key=lambda form: len(form[0]), reverse=True)
    return by_first, frozenset(firsts)


ALIASES, _FIRSTS = _table(_ALIASES + _central_banks())
WITHIN, _WITHIN_FIRSTS = _table(_WITHIN)


def aliases(tokens: list[str]) -> list[str]:
    """Tokens (similarity's: words in order, "" where a sentence ends) with each other name of
    an entity written as its name ("Facebook owner" as "Meta", "Britain's highest peak" as
    "Ben Nevis"); a form's first word must carry a capital (_FIRSTS)."""
    if _FIRSTS.isdisjoint(tokens):  # a set operation in C: most texts stop here
        return tokens
    found = [
        (n, m)
        for n, token in enumerate(tokens)
        if token in _FIRSTS and (m := _match(ALIASES, tokens, n))
    ]
    if not found:  # "London", "Mount", "Google" alone: the usual case past the quick test
        return tokens
    out: list[str] = []
    kept = 0
    for n, (length, entity) in found:
        if n >= kept:  # not inside the form before it
            out += tokens[kept:n]
            out += entity
            kept = n + length
    return out + tokens[kept:]


def within(tokens: list[str]) -> list[str]:
    """Tokens (similarity's) followed by the regions (_WITHIN) their places lie in that they do
    not name themselves, each as a sentence of its own ("Etna" and "Sicily")."""
    if _WITHIN_FIRSTS.isdisjoint(tokens):  # a set operation in C: most texts stop here
        return tokens
    regions = [
        m[1]
        for n, token in enumerate(tokens)
        if token in _WITHIN_FIRSTS and (m := _match(WITHIN, tokens, n))
    ]
    if not regions:
        return tokens
    named = {token.lower() for token in tokens}
    extra: list[str] = []
    for region in dict.fromkeys(regions):
        if not named.issuperset(word.lower() for word in region):
            extra += ["", *region]
    return tokens + extra if extra else tokens


def _match(
    table: dict[str, list[tuple[Form, Form]]], tokens: list[str], n: int
) -> tuple[int, Form] | None:
    """The length and entity of the longest form of `table` starting at tokens[n], if any."""
    first = tokens[n].lower().replace("’", "'")
    for rest, entity in table.get(first, ()):
        following = tokens[n + 1 : n + 1 + len(rest)]
        if [w.lower().replace("’", "'") for w in following] == list(rest):
            return 1 + len(rest), entity
    return None
