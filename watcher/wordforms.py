"""Words news writes several ways for one thing: similarity.py folds each to one term.

Two outlets telling one event often pick different words for the same thing ("quake" /
"earthquake", "Schoof quits" / "Schoof resigns", "viaduct" / "bridge", "labour" / "labor"),
and a bag of words sees nothing shared. Each line below is one meaning: its first word, then
every other way of writing it. A form is looked up as written (lower case), and with a plural
"s"; it then counts as the first word's stem, so the forms become one term (and one name, when
capitalised). Forms are matched whole, not by their stem: "quite" stems like "quit" but is no
"resign". An irregular or differently spelt inflection is listed as a form of its own ("fled",
"organised"). A few meanings are also written in two words ("steps down", "passed away",
"walk out", "gave way", "Federal Reserve", "goes bust", "hits rocks", "lifts off"): PHRASES,
written as their one word before the words are counted.

A name transliterated several ways ("Zelenskyy" / "Zelensky", "Qaddafi" / "Gadhafi", "Hizbollah"
/ "Hezbollah") is one spelling variant too: each headline's only name, written two ways, was a
name conflict (bench/README.md, *One name written several ways*). "Covid" / "Covid-19" is not
folded: it joined the real day's Covid saga's events (same section).

Only words that mean the same in news copy belong here — spelling variants, irregular forms the
light stemmer cannot see, true synonyms — never words that are merely related ("storm" /
"hurricane", "arrested" / "charged"): those tell a saga's next event from this one. Written by
hand from general English; nothing here comes from a data set.

Outlets of opposite leaning tell one event in their own register: one writes "Senate
Republicans", "Democrats", "unemployment claims", "a crackdown", "a court overturns", another
"Senate GOP", "Dems", "jobless claims", "Feds crack down", "strikes down", "nixes". Those are
the same things in headline English (the party's nickname, a clipped plural, a phrasal verb for
its one-word verb), so they are folded too; loaded verbs that also mean something else ("kills
a rule", "slams", "guts") are not. "Strikes down" read as a walkout joined a court's ruling to a
port strike; as "overturn" it no longer does (bench/README.md, *Opposite leanings' own words*).

A country's adjective and its name ("Dutch" / "Netherlands", "French" / "France"): COUNTRIES,
folded only in a headline alone (textcues.countries). Folded everywhere they joined one saga's
different events on the labelled real day (the AUKUS row's statements from Paris, Canberra and
London) more than they joined one event's reports; a report with a lead names its country in
its own words there, a headline alone has a few words and may name it only one way
(bench/README.md, *Words folded* and *Twenty-seven more*).

A capital written for its country's government ("Tehran thanks Islamabad"): CAPITALS, folded to
the country in every headline (textcues.capitals), never in the lead, where the capital is
usually the city (bench/README.md, *Capitals for their countries*).
"""

from __future__ import annotations

_MEANINGS = """
earthquake quake tremor temblor
fire blaze blazing inferno ablaze
explosion blast explode exploded exploding
factory plant
bridge viaduct overpass flyover
resign quit quitting resignation
death dead die died dying
injury injured injure injuring injuries
reveal unveil unveiled unveiling
jail prison imprison imprisoned imprisoning gaol
kidnap kidnapped kidnapping abduct abducted abducting abduction
ceasefire truce
cut cutting trim trimmed trimming lowers lowered lowering axed axing slash slashes slashed slashing
carmaker automaker
lawmaker legislator
protester protestor demonstrator
aircraft plane airplane aeroplane airliner
doctor physician
film movie
truck lorry
petrol gasoline
child children children's
woman women women's female
man men men's
fall fell fallen
sink sank sunk
flee fled
president potus
supreme scotus justices
aca obamacare
impeach impeachment
indict indictment
east eastern
west western
north northern
south southern
northeast northeastern
northwest northwestern
southeast southeastern
southwest southwestern
labor labour
color colour
honor honour
favor favour
harbor harbour
rumor rumour
neighbor neighbour
behavior behaviour
center centre
theater theatre
defense defence
offense offence
license licence
program programme
cancel cancelled cancelling
travel travelled travelling traveller
organize organise organised organising organisation
apologize apologise apologised apologising
criticize criticise criticised criticising
recognize recognise recognised recognising
legalize legalise legalised legalising
hospitalize hospitalise hospitalised hospitalising
phone cellphone smartphone
suspend suspended suspending halt halted halting
close shut shuts shutting
asia asian
stampede crush
wildfire bushfire
tornado twister
landslide landslip
collide collision
firefighter fireman firemen
bankrupt bankruptcy insolvent insolvency
coup putsch
strike walkout
referendum plebiscite
convict conviction
acquit acquitted acquitting acquittal
kidnapper abductor
stab stabbed stabbing
rob robbed robbing robbery
steal stole stolen theft
thief thieves
knife knives
life lives
crisis crises
ban banned banning prohibit prohibited prohibiting
trap trapped trapping
scrap scrapped scrapping
expel expelled expelling
plot plotted plotting
bribe bribery
corrupt corruption
slay slain
merge merger
sell sold offload offloads offloaded offloading
launch liftoff blastoff
shrink shrank shrunk
withdraw withdrew withdrawn
overthrow overthrew overthrown
seek sought
freeze froze frozen
swear swore sworn
republican gop
democrat dems democratic
federal feds
unemployment jobless
million mln
billion bln bn
trillion trln
approve oks okays okayed greenlight greenlighted greenlit
former ex
chief boss bosses
scrap nix nixes nixed nixing ditch ditches ditched ditching
zelensky zelenskyy zelenskiy zelenski
gadhafi gaddafi qaddafi qadhafi kadhafi khadafy
muammar moammar moamer
qaeda qaida
hezbollah hizbollah hizbullah hezbolla
houthi huthi
lukashenko lukashenka
navalny navalnyy
"""


def _lines(table: str) -> tuple[tuple[str, ...], ...]:
    """A table's lines, each its words."""
    return tuple(tuple(line.split()) for line in table.strip().splitlines())


MEANINGS = _lines(_MEANINGS)


def cased(words: str) -> frozenset[str]:
    """Each word of `words` as written small, capitalised and in capitals: the forms a set test
    of tokens as written meets ("after", "After", "AFTER")."""
    return frozenset(
        form for word in words.split() for form in (word, word.capitalize(), word.upper())
    )


def joined_lines(table: str) -> list[str]:
    """A table's entries, for tables of one entry a line that may run on (places.py,
    aliases.py): a line indented under the one before it continues it."""
    lines: list[str] = []
    for line in table.strip("\n").splitlines():
        if line.startswith(" ") and lines:
            lines[-1] += " " + line.strip()
        elif line.strip():
            lines.append(line.strip())
    return lines


# Two-word forms: the word they count as, then the forms ("steps down" is "resign"). A form's
# first word is followed by one of the second words given on its line, nothing between.
_PHRASES = """
resign step|steps|stepped|stepping:down stand|stands|stood|standing:down
death pass|passes|passed|passing:away
strike walk|walks|walked|walking:out
collapse give|gives|gave|giving:way
rate borrowing:cost|costs
fed federal:reserve
phone cell|mobile:phone|phones
bankrupt go|goes|went|gone|going:bust
aground hit|hits|hitting|struck:rocks|reef
wildfire forest|bush:fire|fires
tsunami tidal:wave|waves
heatwave heat:wave|waves
convict finds|found:guilty
launch lift|lifts|lifted|lifting:off blast|blasts|blasted|blasting:off
layoff lay|lays|laid|laying:off job|jobs:cut|cuts
ceo chief:executive|executives
blackout power:cut|cuts|outage|outages load:shedding
collapse cave|caves|caved|caving:in
crackdown crack|cracks|cracked|cracking:down
curb rein|reins|reined|reining:in
rollback roll|rolls|rolled|rolling:back
overturn strike|strikes|struck|striking:down
trainwreck train|trains|rail|railway:crash|crashes|collision|collisions|wreck
trainwreck train|trains|rail|railway:collide|collides|collided
"""

PHRASES: dict[tuple[str, str], str] = {
    (first, second): line.split()[0]
    for line in _PHRASES.strip().splitlines()
    for form in line.split()[1:]
    for first in form.split(":")[0].split("|")
    for second in form.split(":")[1].split("|")
}

# A country's adjective or demonym, and the country ("Dutch" / "Netherlands", "Swiss" /
# "Switzerland"): the country first, then how news writes its people and things. Looked up only
# when the word is capitalised ("polish" the verb, "swede" the turnip are no country), and only
# in a headline alone (textcues.countries). Written by hand; "American", "African", "European",
# "Arab" and "English" are left out (a continent, a people or a language as much as a country).
# Every one-word country of watcher/countries.py (the rule files' entity table) is here with
# its people's words as that table gives them (session 18: some fifty were missing, so
# "Tajikistan" / "Tajik quake" were two names), but for words as often something else: "Chad"
# (a name), "Guinea" (the Gulf of Guinea, Papua New Guinea), Dominica ("Dominican" is the
# Dominican Republic's: places.py), Micronesia (a region), "Lao" (three letters). Georgia is
# also the US state: places.py counts its name as both; "Georgian" is the country's.
_COUNTRIES = """
afghanistan afghan
albania albanian
algeria algerian
andorra andorran
angola angolan
anguilla anguillan
argentina argentine argentinian
armenia armenian
aruba aruban
australia australian
austria austrian
azerbaijan azerbaijani azeri
bahamas bahamian
bahrain bahraini
bangladesh bangladeshi
barbados barbadian bajan
belarus belarusian
belgium belgian
belize belizean
benin beninese
bermuda bermudian bermudan
bhutan bhutanese
bolivia bolivian
bosnia bosnian
botswana motswana batswana
brazil brazilian
britain british briton
brunei bruneian
bulgaria bulgarian
burundi burundian
cambodia cambodian
cameroon cameroonian
canada canadian
chile chilean
china chinese
colombia colombian
comoros comorian
congo congolese
croatia croatian
cuba cuban
curacao curacaoan
cyprus cypriot
denmark danish dane
djibouti djiboutian
ecuador ecuadorian
egypt egyptian
eritrea eritrean
estonia estonian
eswatini swaziland swazi
ethiopia ethiopian
fiji fijian
finland finnish finn
france french
gabon gabonese
gambia gambian
georgia georgian
germany german
ghana ghanaian
gibraltar gibraltarian
greece greek
grenada grenadian
guadeloupe guadeloupean
guatemala guatemalan
guyana guyanese
haiti haitian
honduras honduran
hungary hungarian
iceland icelandic icelander
india indian
indonesia indonesian
iran iranian
iraq iraqi
ireland irish
israel israeli
italy italian
jamaica jamaican
japan japanese
jordan jordanian
kazakhstan kazakh
kenya kenyan
kiribati
korea korean
kosovo kosovar kosovan
kuwait kuwaiti
kyrgyzstan kyrgyz
laos laotian
latvia latvian
lebanon lebanese
lesotho basotho mosotho
liberia liberian
libya libyan
liechtenstein liechtensteiner
lithuania lithuanian
luxembourg luxembourger luxembourgish
madagascar malagasy
malawi malawian
malaysia malaysian
maldives maldivian
mali malian
malta maltese
martinique martiniquais
mauritania mauritanian
mauritius mauritian
mexico mexican
moldova moldovan
monaco monegasque
mongolia mongolian
montenegro montenegrin
morocco moroccan
mozambique mozambican
myanmar burmese
namibia namibian
nauru nauruan
nepal nepali nepalese
netherlands dutch
nicaragua nicaraguan
niger nigerien
nigeria nigerian
norway norwegian
oman omani
pakistan pakistani
palau palauan
palestine palestinian
panama panamanian
paraguay paraguayan
peru peruvian
philippines philippine filipino
poland polish
portugal portuguese
qatar qatari
romania romanian
russia russian
rwanda rwandan
samoa samoan
scotland scottish scot
senegal senegalese
serbia serbian serb
seychelles seychellois
singapore singaporean
slovakia slovak slovakian
slovenia slovenian slovene
somalia somali
spain spanish spaniard
sudan sudanese
suriname surinamese
sweden swedish swede
switzerland swiss
syria syrian
taiwan taiwanese
tajikistan tajik
tanzania tanzanian
thailand thai
togo togolese
tonga tongan
tunisia tunisian
turkey turkish turk
turkmenistan turkmen
tuvalu tuvaluan
uganda ugandan
ukraine ukrainian
uruguay uruguayan
uzbekistan uzbek
venezuela venezuelan
vietnam vietnamese
wales welsh
yemen yemeni
zambia zambian
zimbabwe zimbabwean
"""

COUNTRIES = _lines(_COUNTRIES)


# A capital written for its country's government ("Tehran thanks Islamabad", "Moscow denies"):
# its country, first, then the capital's spellings. Only capitals news writes so, and only
# one-word names that are no common word or club ("Madrid" is Real Madrid as often; Brussels is
# the EU's; Washington a state and a surname; Jerusalem is left out).
_CAPITALS = """
afghanistan kabul
china beijing
egypt cairo
france paris
germany berlin
india delhi
iran tehran
iraq baghdad
japan tokyo
korea seoul
lebanon beirut
nigeria abuja
pakistan islamabad
philippines manila
qatar doha
russia moscow kremlin
syria damascus
taiwan taipei
turkey ankara
ukraine kyiv kiev
venezuela caracas
cuba havana
indonesia jakarta
thailand bangkok
vietnam hanoi
bangladesh dhaka
kenya nairobi
sudan khartoum
saudi riyadh
jordan amman
belarus minsk
poland warsaw
hungary budapest
greece athens
serbia belgrade
romania bucharest
ireland dublin
portugal lisbon
australia canberra
canada ottawa
brazil brasilia
colombia bogota
"""
CAPITALS = _lines(_CAPITALS)

# A capital named by its country ("North Macedonia's capital", "the Iranian capital": the
# city itself, textcues.capital_named): each capital, ":", then its country's names and its
# people's words (lower case, without accents, as similarity's tokens fold them). Every capital
# of CAPITALS reads so by COUNTRIES' words; below, capitals the place tables know (places.py,
# by hand from general knowledge) whose names CAPITALS leaves out, and a few more; not
# Georgia's (a US state's too) nor Macedonia's (a Greek region's too).
_CAPITAL_CITIES = """
london: uk, united kingdom, britain, british
rome: italy, italian
madrid: spain, spanish
seoul: south korea, south korean
pyongyang: north korea, north korean
mexico city: mexico, mexican
buenos aires: argentina, argentine, argentinian
lima: peru, peruvian
colombo: sri lanka, sri lankan
prague: czech republic, czechia, czech
amsterdam: netherlands, dutch
brussels: belgium, belgian
bern: switzerland, swiss
vienna: austria, austrian
stockholm: sweden, swedish
oslo: norway, norwegian
copenhagen: denmark, danish
helsinki: finland, finnish
reykjavik: iceland, icelandic
riga: latvia, latvian
vilnius: lithuania, lithuanian
tallinn: estonia, estonian
bratislava: slovakia, slovak
zagreb: croatia, croatian
ljubljana: slovenia, slovenian
sarajevo: bosnia, bosnian
tirana: albania, albanian
chisinau: moldova, moldovan
nicosia: cyprus, cypriot
skopje: north macedonia
podgorica: montenegro, montenegrin
pristina: kosovo, kosovan
valletta: malta, maltese
yerevan: armenia, armenian
baku: azerbaijan, azerbaijani, azeri
astana: kazakhstan, kazakh
tashkent: uzbekistan, uzbek
bishkek: kyrgyzstan, kyrgyz
dushanbe: tajikistan, tajik
ashgabat: turkmenistan, turkmen
sanaa: yemen, yemeni
manama: bahrain, bahraini
muscat: oman, omani
rabat: morocco, moroccan
tunis: tunisia, tunisian
algiers: algeria, algerian
accra: ghana, ghanaian
dakar: senegal, senegalese
bamako: mali, malian
niamey: niger
kampala: uganda, ugandan
kigali: rwanda, rwandan
mogadishu: somalia, somali
maputo: mozambique, mozambican
harare: zimbabwe, zimbabwean
lusaka: zambia, zambian
luanda: angola, angolan
yaounde: cameroon, cameroonian
addis ababa: ethiopia, ethiopian
juba: south sudan, south sudanese
lilongwe: malawi, malawian
antananarivo: madagascar, malagasy
windhoek: namibia, namibian
gaborone: botswana
kathmandu: nepal, nepali, nepalese
phnom penh: cambodia, cambodian
kuala lumpur: malaysia, malaysian
ulaanbaatar: mongolia, mongolian
vientiane: laos, laotian
quito: ecuador, ecuadorian
montevideo: uruguay, uruguayan
asuncion: paraguay, paraguayan
santo domingo: dominican republic
san salvador: el salvador, salvadoran
freetown: sierra leone, sierra leonean
dili: east timor, timor leste, timorese
torshavn: faroe islands, faroes, faroese
oranjestad: aruba, aruban
willemstad: curacao
papeete: french polynesia
noumea: new caledonia
"""


def _capital_cities() -> dict[tuple[str, ...], tuple[str, ...]]:
    countries = {forms[0]: forms for forms in COUNTRIES}
    out: dict[tuple[str, ...], tuple[str, ...]] = {}
    for forms in CAPITALS:
        for name in countries.get(forms[0], forms[:1]):
            out[(name,)] = (forms[1],)
    for line in joined_lines(_CAPITAL_CITIES):
        city, _, names = line.partition(":")
        for name in names.split(","):
            out[tuple(name.split())] = tuple(city.split())
    return out


# A country's words (its name or its people's word) -> its capital's words: every word lower case.
CAPITAL_CITIES = _capital_cities()

# A people's word folded in EVERY headline, not only in a headline alone: the United Kingdom's,
# whose adjective shares no word with any of its names ("Russia expels two British diplomats" /
# "Moscow orders UK envoys out ... Britain would respond"). Every country's adjective folded in
# every headline lost the labelled real day's precision (bench/README.md, *One entity under
# other names*); this one moved nothing but the case it was written for.
HEADLINE_DEMONYMS = (("britain", "british", "briton", "britons"),)
