"""Where a report places its event, at one grain: the country (or countries) of the places it
names, for story_signals' *places apart* guard.

Places come at every grain: "Japan earthquake" and "quake off Hokkaido" are one event, "a blast in
West Texas" and "a blast in northern France" two. Compared as words, Hokkaido is no Japan; here
each known place counts as its country, so the two grains meet. A report *places* its event in
the known places of its headline and of its lead's first sentence, and *mentions* the known
places of its headline and lead (similarity.py's 120 words). Both are kept as 64-bit masks of
country bits (a country's bit is its number modulo 64: two countries sharing a bit are taken as
one, so a collision can only keep two reports together, never part them).

The gazetteer is written by hand from general knowledge, and a generated table is folded in
under it (the hand tables win): watcher/data/cities.tsv, cities of 100,000 people or more from
GeoNames (CC-BY 4.0) whose name is one country's only and no common word or person's name,
made by bench/make_places.py, run by hand (the data file is reviewed and committed; nothing is
fetched or generated at run time). By hand:
every country's name, its people's adjective and its capital news writes for its government
(wordforms.COUNTRIES, wordforms.CAPITALS), and below: the United States and the United Kingdom
by their names, a few more countries, US states, Canadian provinces, Australian states, Indian
states, Chinese provinces, German Länder, Japanese islands, big regions of other countries, and
the world's largest cities, England's counties, New Zealand's regions, "NSW" (New South
Wales) and central banks named for their country (Norges Bank, Bank Negara). A place of two
countries (Kashmir, Punjab, Gaza) counts as both, so it never parts them; so does a name of two
places (Georgia the country and the US state), unless the report names a city of one of them.
Left out: names that are as often a person, a club or a common word (Jordan, Chad, Victoria,
Nice, Reading, Phoenix), continents and seas (an "Indian Ocean" quake is no Indian one: such phrases
are listed as placing nowhere).

Within one country, a region named as such ("Turkey's Malatya province", "Van province in
eastern Turkey": `region`, a province, prefecture, governorate or oblast; not a county, which
news abbreviates: "Los Angeles County" / "LA County") is a finer grain: two reports each naming
another region that the other never mentions tell two events.

A report that tells of something worldwide ("worldwide", "global") or among three countries or
more (a summit's communique) places nothing, whatever places it names.

A place is matched as a capitalised word (or phrase, its first word capitalised), possessive
"'s" stripped ("Turkey's Malatya province"); a phrase is matched before its words ("New South
Wales" is Australia, not Wales; "New Mexico" is no Mexico).
"""

from __future__ import annotations

from importlib import resources

from watcher.terms import GENERIC, NAME_PARTS
from watcher.wordforms import CAPITALS, COUNTRIES, HEADLINE_DEMONYMS, cased, joined_lines

# country: its places, comma-separated (a place may be several words). The US line ends with
# big cities that watcher/data/cities.tsv leaves out as made of common words (Fort Worth, Long
# Beach, Little Rock ...; session 24: "Officer kills driver at traffic stop in Fort Worth" was
# in no table, so nothing parted it from a Memphis shooting); their states are in _REGIONS.
# The country's own name is its first word; the tables of wordforms.py add each country's
# adjective and capital.
_PLACES = """
us: us, usa, united states, america, americans, alabama, alaska, arizona, arkansas, california,
  colorado, connecticut, delaware, florida, hawaii, idaho, illinois, indiana, iowa, kansas,
  kentucky, louisiana, maine, maryland, massachusetts, michigan, minnesota, mississippi,
  missouri, montana, nebraska, nevada, new hampshire, new jersey, new mexico, new york,
  carolina, dakota, ohio, oklahoma, oregon, pennsylvania, rhode island, tennessee, texas, utah,
  vermont, virginia, washington, wisconsin, wyoming, new england, puerto rico, los angeles,
  chicago, houston, philadelphia, san antonio, san diego, dallas, san francisco, seattle,
  miami, atlanta, boston, detroit, denver, las vegas, baltimore, minneapolis, new orleans,
  nashville, pittsburgh, honolulu, sacramento, indianapolis, milwaukee, st louis,
  salt lake city, oklahoma city, el paso, indian wells, american samoa, guam, fort worth,
  laredo, uvalde, long beach, fresno, colorado springs, virginia beach, baton rouge,
  little rock, jersey city, anchorage, harrisburg
uk: uk, united kingdom, england, northern ireland, northern irish, london, leeds, glasgow,
  edinburgh, liverpool, belfast, cardiff, bristol, sheffield, nottingham, leicester,
  southampton, coventry, swansea, dundee, inverness, derbyshire, yorkshire, lancashire,
  cheshire, hampshire, wiltshire, oxfordshire, buckinghamshire, hertfordshire, cambridgeshire,
  lincolnshire, nottinghamshire, leicestershire, staffordshire, shropshire, worcestershire,
  warwickshire, gloucestershire, northamptonshire, bedfordshire, merseyside, cumbria,
  northumberland, cornwall, devon
canada: ontario, quebec, british columbia, alberta, manitoba, saskatchewan, nova scotia,
  new brunswick, newfoundland, prince edward island, yukon, nunavut, toronto, montreal,
  vancouver, calgary, edmonton, winnipeg
australia: new south wales, nsw, queensland, western australia, south australia,
  tasmania, northern territory, sydney, melbourne, brisbane, adelaide, hobart, gold coast
new zealand: new zealand, kiwi, auckland, wellington, christchurch, waikato, northland, otago,
  southland, taranaki, bay of plenty, new plymouth, tauranga, rotorua, dunedin, napier,
  whanganui, gisborne, palmerston north, coromandel, manawatu, manawatū
india: uttar pradesh, maharashtra, bihar, west bengal, tamil nadu, karnataka, kerala, gujarat,
  rajasthan, madhya pradesh, andhra pradesh, telangana, odisha, orissa, assam, haryana,
  jharkhand, chhattisgarh, uttarakhand, himachal pradesh, goa, manipur, new delhi, mumbai,
  bombay, kolkata, calcutta, chennai, madras, bangalore, bengaluru, ahmedabad, pune
china: guangdong, sichuan, hubei, henan, hebei, hunan, shandong, jiangsu, zhejiang, fujian,
  yunnan, guizhou, guangxi, shaanxi, shanxi, gansu, qinghai, xinjiang, tibet, inner mongolia,
  heilongjiang, jilin, liaoning, anhui, jiangxi, hainan, ningxia, shanghai, wuhan, shenzhen,
  guangzhou, chongqing, tianjin, chengdu, hong kong, macau
germany: bavaria, baden, württemberg, wurttemberg, saxony, hesse, thuringia, brandenburg,
  mecklenburg, north rhine, westphalia, rhineland, palatinate, saarland, schleswig, holstein,
  hamburg, bremen, munich, frankfurt, cologne, stuttgart, düsseldorf, dusseldorf, dresden,
  leipzig, hanover
japan: hokkaido, honshu, kyushu, shikoku, okinawa, fukushima, osaka, kyoto, yokohama, nagoya,
  kobe, sapporo, hiroshima
russia: siberia, chechnya, dagestan, st petersburg, saint petersburg, vladivostok
ukraine: donbas, donetsk, luhansk, kharkiv, odesa, odessa, kherson, zaporizhzhia, lviv
france: brittany, normandy, corsica, provence, alsace, marseille, lyon, bordeaux, toulouse,
  calais
spain: catalonia, catalan, andalusia, andalusian, andalucia, andalucía, basque, canary islands,
  majorca, mallorca, ibiza, madrid,
  barcelona, seville
italy: sicily, sardinia, lombardy, tuscany, rome, milan, turin, vatican
turkey: turkiye, türkiye, istanbul, izmir, antalya
pakistan: karachi, lahore, peshawar, balochistan, sindh, khyber pakhtunkhwa
afghanistan: kandahar, herat
iran: isfahan, mashhad
iraq: mosul, basra
syria: aleppo, idlib
israel: tel aviv
egypt: sinai
saudi: saudi, saudis, saudi arabia, jeddah, mecca
uae: uae, united arab emirates, emirati, dubai, abu dhabi
south africa: south africa, south african, johannesburg, cape town, durban, pretoria, gauteng,
  western cape, eastern cape, northern cape, limpopo, mpumalanga, soweto, gqeberha,
  port elizabeth
nigeria: lagos, kano, niger delta, niger state
kenya: mombasa
ethiopia: addis ababa, tigray
sudan: darfur
south sudan: south sudan, south sudanese, juba
indonesia: java, bali, sumatra, sulawesi
philippines: mindanao, luzon, cebu
south korea: south korea, south korean, republic of korea, busan
north korea: north korea, north korean, dprk, pyongyang
brazil: sao paulo, são paulo, rio de janeiro
mexico: mexico city, guadalajara, monterrey, aguascalientes, baja california,
  baja california sur, campeche, chiapas, coahuila, colima, guanajuato, jalisco, michoacan,
  michoacán, nayarit, nuevo leon, nuevo león, oaxaca, puebla, queretaro, querétaro,
  quintana roo, san luis potosi, san luis potosí, sinaloa, sonora, tamaulipas, tlaxcala,
  veracruz, yucatan, yucatán, zacatecas
argentina: buenos aires
peru: lima
colombia: medellin, medellín
sri lanka: sri lanka, sri lankan, colombo
vanuatu: vanuatu, port vila
czech: czech, czechia, czech republic, prague
netherlands: holland, amsterdam, rotterdam
belgium: brussels, antwerp
switzerland: geneva, zurich, bern
austria: vienna
sweden: stockholm
norway: oslo
denmark: copenhagen, greenland
finland: helsinki
"""

# More cities, each of one country (written by hand from general knowledge: capitals that
# wordforms.CAPITALS does not fold and the cities most in the news beside them), so that a
# city and its country's name or adjective read as one place at two grains ("trains collide
# near Kosice" / "... in eastern Slovakia": story_signals._names_apart). Kept out of _PLACES'
# order of country bits. Left out: names that are as often a common word, a person or a place
# of another country (Split, Cork, Nice, Florence, Cordoba, Cartagena, Santa Cruz, Medina).
# At its end, the countries of watcher/countries.py that no table here or in wordforms.py
# knew (session 18): each one-word one's capital (not Monrovia, Nassau, Georgetown, Male,
# Victoria: as often a place elsewhere or a word), and the countries of several words by
# their names, their people's words and their capital (not San Jose, Praia).
_CITIES = """
latvia: riga, daugavpils, liepaja
lithuania: vilnius, kaunas, klaipeda
estonia: tallinn, tartu, narva
slovakia: bratislava, kosice, košice, presov, zilina
czech: brno, ostrava, plzen
poland: krakow, kraków, cracow, lodz, łodz, łódź, gdansk, gdańsk, wroclaw, wrocław, poznan,
  poznań, katowice, szczecin, lublin, bialystok, rzeszow, rzeszów
hungary: debrecen, szeged, miskolc
romania: cluj, iasi, timisoara, constanta, brasov
bulgaria: plovdiv, varna, burgas
serbia: novi sad
croatia: zagreb, rijeka
slovenia: ljubljana, maribor
bosnia: sarajevo, banja luka, mostar
albania: tirana
moldova: chisinau
greece: thessaloniki, patras, heraklion, piraeus
cyprus: nicosia, limassol, larnaca, paphos
austria: graz, linz, salzburg, innsbruck
switzerland: lausanne, lucerne
netherlands: utrecht, eindhoven, hague
belgium: ghent, liege, charleroi, bruges
portugal: porto, coimbra
spain: bilbao, malaga, málaga, zaragoza, alicante, pamplona, tenerife
italy: genoa, bologna, verona, bari, palermo, catania, messina, trieste, pisa, lampedusa
sweden: gothenburg, malmo, malmö, uppsala
norway: stavanger, trondheim, tromso, tromsø
denmark: aarhus, odense, aalborg
finland: tampere, turku, oulu
iceland: reykjavik, grindavik
ireland: galway
ukraine: dnipro, mykolaiv, mariupol, bakhmut, chernihiv, poltava, zhytomyr, vinnytsia
russia: novosibirsk, yekaterinburg, kazan, rostov, krasnodar, sochi, murmansk, kaliningrad,
  belgorod, kursk, irkutsk, omsk, chelyabinsk, volgograd
belarus: gomel, grodno, vitebsk
georgia: tbilisi, batumi, kutaisi
armenia: yerevan, gyumri
azerbaijan: baku
kazakhstan: almaty, astana, shymkent, karaganda
uzbekistan: tashkent, samarkand, bukhara
turkey: bursa, adana, gaziantep, diyarbakir, kahramanmaras, hatay, konya, trabzon
iran: tabriz
iraq: erbil, kirkuk, najaf, karbala, fallujah
syria: homs, latakia, raqqa
lebanon: sidon
israel: haifa, eilat
yemen: aden, hodeidah, sanaa
libya: benghazi, misrata
egypt: luxor, aswan, giza
morocco: casablanca, marrakech, marrakesh, rabat, tangier
tunisia: tunis, sfax
algeria: algiers, oran
nigeria: ibadan, port harcourt, kaduna, maiduguri
ghana: accra, kumasi
senegal: dakar
mali: bamako, timbuktu
niger: niamey
kenya: kisumu, nakuru, eldoret
uganda: kampala
rwanda: kigali
tanzania: dar es salaam, dodoma, arusha
somalia: mogadishu
mozambique: maputo, beira, nampula
zimbabwe: harare, bulawayo
zambia: lusaka
angola: luanda
dr congo: dr congo, drc, democratic republic of the congo, democratic republic of congo,
  congo kinshasa, kinshasa, goma, lubumbashi, bukavu
republic of the congo: congo brazzaville, brazzaville, pointe noire
cameroon: yaounde, douala
bangladesh: chittagong
pakistan: rawalpindi, quetta, faisalabad, multan
india: jaipur, lucknow, kanpur, surat, patna, bhopal, indore, nagpur, varanasi, amritsar,
  guwahati, bhubaneswar, vadodara, visakhapatnam
nepal: kathmandu, pokhara
myanmar: yangon, mandalay
thailand: chiang mai, phuket, pattaya
vietnam: ho chi minh city, da nang, haiphong
cambodia: phnom penh
malaysia: kuala lumpur, penang
indonesia: surabaya, bandung, medan, makassar, yogyakarta
philippines: davao, quezon city
south korea: incheon, daegu, gwangju
taiwan: kaohsiung, taichung, tainan
china: nanjing, hangzhou, zhengzhou, kunming, qingdao, dalian, shenyang, harbin, lhasa, urumqi
mongolia: ulaanbaatar
ecuador: quito, guayaquil
bolivia: la paz, cochabamba
uruguay: montevideo
paraguay: asuncion
colombia: barranquilla
peru: arequipa, cusco, cuzco
brazil: porto alegre, recife, fortaleza, belo horizonte, manaus, curitiba
mexico: tijuana, ciudad juarez, cancun, acapulco, puebla, culiacan, oaxaca
venezuela: maracaibo
bahrain: manama
oman: muscat
kyrgyzstan: bishkek, osh
tajikistan: dushanbe
turkmenistan: ashgabat
laos: vientiane
malawi: lilongwe, blantyre
madagascar: antananarivo
namibia: windhoek
botswana: gaborone
mauritania: nouakchott
togo: lome, lomé
gabon: libreville
eritrea: asmara
malta: valletta
montenegro: podgorica
kosovo: pristina
bhutan: thimphu
suriname: paramaribo
barbados: bridgetown
burundi: bujumbura, gitega
lesotho: maseru
eswatini: mbabane
gambia: banjul
samoa: apia
mauritius: port louis
dominican republic: dominican republic, dominican, santo domingo
trinidad and tobago: trinidad and tobago, trinidad, tobago, trinidadian, port of spain
solomon islands: solomon islands, solomons, honiara
costa rica: costa rica, costa rican
el salvador: el salvador, salvadoran, salvadorian, san salvador
sierra leone: sierra leone, sierra leonean, freetown
burkina faso: burkina faso, burkinabe, ouagadougou
ivory coast: ivory coast, ivorian, abidjan
cape verde: cape verde, cabo verde, cape verdean
central african republic: central african republic, bangui
equatorial guinea: equatorial guinea, equatoguinean, malabo
papua new guinea: papua new guinea, papua new guinean, png, port moresby
guinea: guinea, guinean, guineans, conakry
guinea bissau: guinea bissau, bissau guinean, bissau
dominica: dominica, roseau
east timor: east timor, timorese, dili
north macedonia: north macedonia, skopje
marshall islands: marshall islands, marshallese, majuro
"""

# Institutions named for their country, read as it: a country's central bank ("Norges Bank
# holds rate", "Bank Negara keeps OPR": Norway, Malaysia). A bank written "Bank of Japan" already
# names its country; listed too, so that a headline opening on it tells its happening there
# (located's third mask) as "Japan's central bank ..." does. Written by hand.
_INSTITUTIONS = """
norway: norges bank
sweden: riksbank, sveriges riksbank
germany: bundesbank
malaysia: bank negara, bank negara malaysia
indonesia: bank indonesia
mexico: banxico, bank of mexico
india: reserve bank of india, rbi
australia: reserve bank of australia, rba
new zealand: reserve bank of new zealand, rbnz
japan: bank of japan, boj
uk: bank of england, boe
canada: bank of canada
switzerland: swiss national bank, snb
south korea: bank of korea
thailand: bank of thailand
czech: czech national bank
poland: national bank of poland
hungary: national bank of hungary
turkey: central bank of turkey
russia: bank of russia
israel: bank of israel
philippines: bangko sentral, bangko sentral ng pilipinas
brazil: banco central do brasil
morocco: bank al maghrib
iran: bank markazi
lebanon: banque du liban
denmark: danmarks nationalbank
"""

# Places of more than one country: the place, then its countries, comma-separated. Such a place
# never parts two reports (it shares a country with either side).
_SHARED = """
kashmir: india, pakistan
punjab: india, pakistan
bengal: india, bangladesh
crimea: ukraine, russia
gaza: palestine, israel
west bank: palestine, israel
jerusalem: israel, palestine
borneo: indonesia, malaysia
kurdistan: iraq, turkey, syria, iran
gulf of mexico: us, mexico
new guinea: papua new guinea, indonesia
"""

# Names of two places (or countries) in two countries, written as _SHARED: the name alone is
# both, unless the report names a city or a region of one of them, not by a country's own name
# ("Georgia" beside "Tbilisi" or "Atlanta", "Congo" beside "Brazzaville", "Manchester" beside
# "Alabama": `_narrowed`; "Georgia" beside "US" stays both, news about the country names the US
# too). North / South Korea and the Democratic Republic / the Republic of the Congo are two
# countries each, each by its own names above; the bare word is both (session 22's review:
# two parades in Pyongyang and Seoul, two elections in Brazzaville and Kinshasa joined as one
# country's).
_HOMONYMS = """
georgia: georgia, us
hyderabad: india, pakistan
perth: australia, uk
venice: italy, us
naples: italy, us
birmingham: uk, us
manchester: uk, us
valencia: spain, venezuela
santiago: chile, spain
cordoba: spain, argentina
córdoba: spain, argentina
korea: north korea, south korea
korean: north korea, south korea
koreans: north korea, south korea
congo: dr congo, republic of the congo
congolese: dr congo, republic of the congo
"""

# Phrases that place nowhere: seas, continents and regions of many countries, names that hold a
# country's word ("Indian Ocean", "Latin America", "South China Sea").
_NOWHERE = """
indian ocean, south america, latin america, north america, central america, south china sea,
east china sea, sea of japan, irish sea, north sea, english channel, persian gulf,
arabian sea, middle east, american express, british airways, indian premier league,
german shepherd, french fries, turkish airlines, swiss bank, chinese new year, new york times,
washington post, new zealand dollar, gulf of guinea, guinea pig, guinea pigs, guinea fowl
"""

# Regions of a country and the cities of _PLACES within them: one place at two grains, as a
# country and its places are ("Explosions at flooded Texas chemical plant" / "... chemical
# plant outside Houston"; story_signals). Written by hand from general knowledge.
_REGIONS = """
california: los angeles, san diego, san francisco, sacramento, long beach, fresno
texas: houston, san antonio, dallas, el paso, fort worth, laredo, uvalde
illinois: chicago
pennsylvania: philadelphia, pittsburgh, harrisburg
florida: miami
massachusetts: boston
michigan: detroit
colorado: denver, colorado springs
nevada: las vegas
maryland: baltimore
minnesota: minneapolis
louisiana: new orleans, baton rouge
virginia: virginia beach
arkansas: little rock
new jersey: jersey city
alaska: anchorage
tennessee: nashville
hawaii: honolulu
indiana: indianapolis
wisconsin: milwaukee
missouri: st louis
utah: salt lake city
maharashtra: mumbai, bombay, pune
west bengal: kolkata, calcutta
tamil nadu: chennai, madras
karnataka: bangalore, bengaluru
gujarat: ahmedabad
hubei: wuhan
guangdong: shenzhen, guangzhou
sichuan: chengdu
bavaria: munich
saxony: dresden, leipzig
ontario: toronto
quebec: montreal
british columbia: vancouver
alberta: calgary, edmonton
new south wales: sydney
queensland: brisbane
south australia: adelaide
england: london, leeds, liverpool, bristol, sheffield
scotland: glasgow, edinburgh
wales: cardiff
northern ireland: belfast
catalonia: barcelona
andalusia: seville
sicily: palermo, catania
lombardy: milan
bay of plenty: tauranga, rotorua
otago: dunedin
tasmania: hobart
"""

# States of one country (the first grain below a country: US states, Canadian provinces,
# Australian states, Indian states, Chinese provinces, German Länder), written by hand from the
# tables above. Two headlines each naming another of them, neither report naming the other's
# (nor a city of _REGIONS in it), tell two happenings: "Oklahoma governor vetoes bill to cut
# income tax" / "Kentucky income tax to fall to 3.5%" (story_signals._states_apart). A city
# against its state is no such pair (one place at two grains), nor are two cities. Left out:
# "Washington" (as often the US government), "Georgia" (a country too), "Carolina" and
# "Dakota" (North and South are one here: the direction is no part of the name read). Since
# session 24 (h-twocities) also Mexico's states (not Guerrero, Hidalgo, Morelos, Durango,
# Chihuahua, Tabasco, México: as often a person, a US place, a dog, a sauce or the country).
# The UK's four nations too since session 25 (h-xfail), compared only with states of one country
# (one_country): as states of any country they split one val+test event (session 24).
_STATES = """
alabama, alaska, arizona, arkansas, california, colorado, connecticut, delaware, florida, hawaii,
  idaho, illinois, indiana, iowa, kansas, kentucky, louisiana, maine, maryland, massachusetts,
  michigan, minnesota, mississippi, missouri, montana, nebraska, nevada, new hampshire,
  new jersey, new mexico, new york, ohio, oklahoma, oregon, pennsylvania, rhode island,
  tennessee, texas, utah, vermont, virginia, wisconsin, wyoming, puerto rico,
ontario, quebec, british columbia, alberta, manitoba, saskatchewan, nova scotia, new brunswick,
  newfoundland, prince edward island, yukon, nunavut,
new south wales, nsw, queensland, western australia, south australia, tasmania,
  northern territory,
uttar pradesh, maharashtra, bihar, west bengal, tamil nadu, karnataka, kerala, gujarat,
  rajasthan, madhya pradesh, andhra pradesh, telangana, odisha, orissa, assam, haryana,
  jharkhand, chhattisgarh, uttarakhand, himachal pradesh, goa, manipur,
guangdong, sichuan, hubei, henan, hebei, hunan, shandong, jiangsu, zhejiang, fujian, yunnan,
  guizhou, guangxi, shaanxi, shanxi, gansu, qinghai, xinjiang, tibet, inner mongolia,
  heilongjiang, jilin, liaoning, anhui, jiangxi, hainan, ningxia,
bavaria, saxony, hesse, thuringia, brandenburg, saarland,
aguascalientes, baja california, baja california sur, campeche, chiapas, coahuila, colima,
  guanajuato, jalisco, michoacan, michoacán, nayarit, nuevo leon, nuevo león, oaxaca, puebla,
  queretaro, querétaro, quintana roo, san luis potosi, san luis potosí, sinaloa, sonora,
  tamaulipas, tlaxcala, veracruz, yucatan, yucatán, zacatecas,
england, scotland, wales, northern ireland
"""
# Territories news names as places of their own, not as their sovereign's ("Blaze at Aruba
# cruise pier" / "Fire breaks out at Oranjestad cruise terminal": one place at two grains), each
# by its names and its capital or main towns where those are no common word nor another place's
# name (not Hamilton, George Town, Philipsburg); the one-word names and their people's words are
# wordforms.COUNTRIES'. Their bits come after every other country's (_country_bits), so no
# country's bit moved. Puerto Rico, Guam and American Samoa stay the United States' places
# (_PLACES), Greenland Denmark's. Written by hand from general knowledge.
_TERRITORIES = """
aruba: oranjestad
curacao: curaçao, willemstad
bermuda: bermuda
gibraltar: gibraltar
anguilla: anguilla
guadeloupe: guadeloupe
martinique: fort de france
cayman islands: cayman islands, caymans, grand cayman
faroe islands: faroe islands, faroes, faroese, torshavn, tórshavn
french polynesia: french polynesia, tahiti, tahitian, papeete, moorea, bora bora
new caledonia: new caledonia, noumea, nouméa
"""
# One state's other names.
_STATE_SAME = {
    "nsw": "new south wales",
    "orissa": "odisha",
    "michoacán": "michoacan",
    "nuevo león": "nuevo leon",
    "querétaro": "queretaro",
    "san luis potosí": "san luis potosi",
    "yucatán": "yucatan",
}

# The cities among _PLACES' names that _REGIONS does not list (its other names are countries,
# states, provinces, counties and regions; "Donetsk", "Kherson" ... are as often their oblast).
# With those of _REGIONS, _CITIES, wordforms.CAPITALS and watcher/data/cities.tsv they are the
# cities a headline may tell its happening in (_CITY_WORDS, `located_states`' seventh).
_PLACES_CITIES = """
seattle, atlanta, oklahoma city, nottingham, leicester, southampton, coventry, swansea, dundee,
  inverness, winnipeg, melbourne, hobart, auckland, wellington, christchurch, new plymouth,
  tauranga, rotorua, dunedin, napier, whanganui, gisborne, palmerston north, new delhi, shanghai,
  chongqing, tianjin, hamburg, bremen, frankfurt, cologne, stuttgart, düsseldorf, dusseldorf,
  hanover, osaka, kyoto, yokohama, nagoya, kobe, sapporo, hiroshima, st petersburg,
  saint petersburg, vladivostok, kharkiv, odesa, odessa, lviv, marseille, lyon, bordeaux,
  toulouse, calais, madrid, rome, turin, istanbul, izmir, antalya, karachi, lahore, peshawar,
  kandahar, herat, isfahan, mashhad, mosul, basra, aleppo, tel aviv, jeddah, mecca, dubai,
  abu dhabi, johannesburg, cape town, durban, pretoria, soweto, gqeberha, port elizabeth, lagos,
  kano, mombasa, addis ababa, juba, pyongyang, busan, sao paulo, são paulo, rio de janeiro,
  mexico city, guadalajara, monterrey, buenos aires, lima, medellin, medellín, colombo,
  port vila, prague, amsterdam, rotterdam, brussels, antwerp, geneva, zurich, bern, vienna,
  stockholm, oslo, copenhagen, helsinki
"""

# Countries whose word is as often a person (Jim Jordan): their capital and adjective still place.
_NOT_PLACES = frozenset({"jordan"})
# wordforms.py's parts of the United Kingdom are one country here.
_SAME = {
    "britain": "uk",
    "scotland": "uk",
    "wales": "uk",
    "korea": "south korea",
    "congo": "dr congo",
}


def _entries() -> dict[tuple[str, ...], tuple[str, ...]]:
    """Each known place (its words, lower case) -> its countries (none: it places nowhere)."""
    out = hand_entries()
    for city, country in _generated():
        out.setdefault(tuple(city.split()), (country,))  # the hand tables win
    return out


def hand_entries() -> dict[tuple[str, ...], tuple[str, ...]]:
    """The places of the tables written by hand (this module's and wordforms.py's) -> their
    countries (bench/make_places.py leaves these names out of watcher/data/cities.tsv)."""
    out: dict[tuple[str, ...], tuple[str, ...]] = {}
    for forms in COUNTRIES:
        country = _SAME.get(forms[0], forms[0])
        names = forms[1:] if forms[0] in _NOT_PLACES else forms
        for name in (*names, *(form + "s" for form in forms[1:])):
            out[(name,)] = (country,)
    for forms in CAPITALS:
        for name in forms[1:]:
            out[(name,)] = (_SAME.get(forms[0], forms[0]),)
    tables = (_PLACES, _CITIES, _TERRITORIES, _INSTITUTIONS)
    for line in (line for table in tables for line in joined_lines(table)):
        country, _, places = line.partition(":")
        for place in places.split(","):
            out[tuple(place.split())] = (country.strip(),)
    for line in (*joined_lines(_SHARED), *joined_lines(_HOMONYMS)):
        place, _, countries = line.partition(":")
        out[tuple(place.split())] = tuple(c.strip() for c in countries.split(","))
    for place in " ".join(_NOWHERE.split()).split(","):
        out[tuple(place.split())] = ()
    return out


def institutions() -> list[tuple[str, list[str]]]:
    """Each country of _INSTITUTIONS and its central bank's names (lower case), the one news
    writes most first (aliases.py)."""
    out = []
    for line in joined_lines(_INSTITUTIONS):
        country, _, names = line.partition(":")
        out.append((country.strip(), [" ".join(name.split()) for name in names.split(",")]))
    return out


def country_names() -> list[tuple[str, ...]]:
    """The names of the countries _PLACES, _CITIES and _TERRITORIES list (their words, lower
    case)."""
    lines = (*joined_lines(_PLACES), *joined_lines(_CITIES), *joined_lines(_TERRITORIES))
    return [tuple(line.partition(":")[0].split()) for line in lines]


CITIES_FILE = "cities.tsv"


def _generated() -> list[tuple[str, str]]:
    """The cities of watcher/data/cities.tsv (made by bench/make_places.py from GeoNames: one
    country's name each, no common word or person's name), as (name, country) pairs."""
    return [(name, country) for name, country, _ in _generated_rows()]


def _generated_rows() -> list[tuple[str, str, str]]:
    """watcher/data/cities.tsv's rows: (name, country, a US city's state or "")."""
    return [(row[0], row[1], row[2] if len(row) > 2 else "") for row in _data_rows(CITIES_FILE)]


def _data_rows(name: str) -> list[list[str]]:
    """A tab-separated table of watcher/data (bench/make_places.py's), its comments left out."""
    text = resources.files("watcher").joinpath("data", name).read_text(encoding="utf-8")
    return [line.split("\t") for line in text.splitlines() if line and not line.startswith("#")]


TOWNS_FILE = "towns.tsv"


def towns() -> list[tuple[str, str]]:
    """The towns of watcher/data/towns.tsv (bench/make_places.py with `--floor 5000`: GeoNames'
    15,000-people places kept as cities.tsv keeps them, the floor lowered), as (name, country)
    pairs. No place of the gazetteer: a town's name there may still be a person's or a word's,
    so it only lifts a name conflict against a report placed in its country
    (descriptions.TOWN_BITS)."""
    return [(row[0], row[1]) for row in _data_rows(TOWNS_FILE)]


def regions() -> list[tuple[tuple[str, ...], list[tuple[str, ...]]]]:
    """Each region of _REGIONS (its words, lower case) and its cities' words."""
    out = []
    for line in joined_lines(_REGIONS):
        region, _, cities = line.partition(":")
        out.append((tuple(region.split()), [tuple(city.split()) for city in cities.split(",")]))
    return out


def _state_bits() -> dict[tuple[str, ...], int]:
    """Each state of _STATES (its words, lower case) and each city of _REGIONS or of
    watcher/data/cities.tsv in one of them -> that state's bit (one bit a state, in the order of
    the table)."""
    names = [" ".join(name.split()) for name in " ".join(_STATES.split()).split(",")]
    names = [name for name in names if name]
    own = [name for name in names if name not in _STATE_SAME]
    bit = {name: 1 << n for n, name in enumerate(own)}
    out = {tuple(name.split()): bit[_STATE_SAME.get(name, name)] for name in names}
    for state, cities in regions():
        if state in out:
            out.update({city: out[state] for city in cities})
    for town, _, its_state in _generated_rows():  # a US city of watcher/data/cities.tsv
        if (words := tuple(town.split())) not in out and tuple(its_state.split()) in out:
            out[words] = out[tuple(its_state.split())]
    return out


def _city_words() -> frozenset[tuple[str, ...]]:
    """The cities of the tables (their words, lower case): _PLACES_CITIES, _REGIONS' cities,
    wordforms.CAPITALS (not "Kremlin"), _CITIES but its lines naming a country of several words
    (its name, people's word and capital: "costa rica, costa rican") and watcher/data/cities.tsv."""
    out = {tuple(name.split()) for name in " ".join(_PLACES_CITIES.split()).split(",")}
    for _, cities in regions():
        out.update(cities)
    out.update((name,) for forms in CAPITALS for name in forms[1:] if name != "kremlin")
    for line in joined_lines(_CITIES):
        country, _, names = line.partition(":")
        found = [tuple(name.split()) for name in names.split(",")]
        if tuple(country.split()) not in found:
            out.update(found)
    out.update(tuple(name.split()) for name, _ in _generated())
    return frozenset(words for words in out if words)


def _country_bits(entries: dict[tuple[str, ...], tuple[str, ...]]) -> dict[str, int]:
    """Each country's bit, one of its own: the countries of _PLACES (those most in the news)
    first, the rest in alphabetical order after them, then _TERRITORIES' (added later: no
    other country's bit moved). Masks are Python ints of about 200 bits (story_slots keeps
    each slot's as one shared int object). Until session 22 the bits were taken modulo 64, so
    three countries shared each (Honduras and Peru, Taiwan and Malta, the US and Bosnia) and
    two events in two of them were never told apart by place."""
    ordered = [line.partition(":")[0].strip() for line in joined_lines(_PLACES)]
    late = [line.partition(":")[0].strip() for line in joined_lines(_TERRITORIES)]
    known = {c for countries in entries.values() for c in countries}
    rest = sorted(known - set(ordered) - set(late))
    order = [*ordered, *rest, *late]
    return {country: 1 << n for n, country in enumerate(order)}


# A first word's places by the number of their other words, most first: (that number, {other
# words: country bits}); one dict test per length however many places share the first word
# ("al", "new", "san": _scan).
_Sizes = list[tuple[int, dict[tuple[str, ...], int]]]


def _tables(
    entries: dict[tuple[str, ...], tuple[str, ...]], bits: dict[str, int]
) -> tuple[frozenset[str], dict[str, _Sizes]]:
    """The capitalised forms a place may start with (a quick test), and each first word's
    places (`entries`, their countries as `bits`) by their length (_Sizes)."""
    by_first: dict[str, dict[int, dict[tuple[str, ...], int]]] = {}
    forms: set[str] = set()
    for words, countries in entries.items():
        mask = 0
        for country in countries:
            mask |= bits[country]
        first, rest = words[0], words[1:]
        by_first.setdefault(first, {}).setdefault(len(rest), {})[rest] = mask
        short = words in _INITIALS  # "US", never "Us"; but "Goa", "Qom", "Ufa" as names
        written = {first.upper()} if short else {first.capitalize(), first.upper()}
        # possessives as written: "Texas's", "TEXAS'S", "US's" (never "Texas'S")
        forms |= written | {
            w + s for w in written for s in _POSSESSIVES if short or w.isupper() == s.isupper()
        }
    by_length = {first: sorted(sizes.items(), reverse=True) for first, sizes in by_first.items()}
    return frozenset(forms), by_length


_POSSESSIVES = ("'s", "’s", "'S", "’S")
# Places written as initials, matched in capitals only ("US", never "us" nor "Us"): the short
# names of the tables above that are no word. A place of three letters or fewer that is a word
# ("Goa", "Qom", "Ufa", "Osh") is matched as any other place: capitalised or in capitals.
_INITIALS = frozenset(
    (name,)
    for name in (
        *("us", "uk", "usa", "uae", "nsw", "boe", "boj", "rba", "rbi", "snb"),
        *("drc", "png", "dprk"),
    )
)
# Made once at import: _entries reads watcher/data/cities.tsv.
_ENTRIES = _entries()
_BITS = _country_bits(_ENTRIES)  # each country's bit
_FIRSTS, _BY_LENGTH = _tables(_ENTRIES, _BITS)
# Seats of a government or of bodies of many countries, named as where someone speaks ("The
# State Department in Washington said ...", "Speaking in New York, the UN rights chief ..."):
# they narrow no homonym ("Georgia" stays the country's there too: h-review23).
_SEATS = frozenset(
    tuple(name.split()) for name in ("washington", "new york", "geneva", "brussels", "hague")
)
_HOMONYM_WORDS = frozenset(
    tuple(line.partition(":")[0].split()) for line in joined_lines(_HOMONYMS)
)
_STATE_OF = _state_bits()


def _homonym_nations() -> dict[tuple[str, ...], int]:
    """Each homonym of _HOMONYMS that is a country's own name ("Georgia") -> that country's
    bit alone."""
    out = {}
    for line in joined_lines(_HOMONYMS):
        name, _, countries = line.partition(":")
        if (own := " ".join(name.split())) in (c.strip() for c in countries.split(",")):
            out[tuple(own.split())] = _BITS[own]
    return out


# A homonym that is a country's name, before a title only a country's government has
# ("Georgia's prime minister meets Trump in Florida", "Georgia's president": no US state has a
# prime minister, a president or a parliament), is the country, whatever else the report names
# (_narrowed: Florida would have made it the US state; h-review23).
_HOMONYM_NATIONS = _homonym_nations()
_NATIONAL_OFFICES = frozenset({"prime", "president", "president's", "parliament", "pm", "foreign"})
_CITY_WORDS = _city_words()
STATE_BITS = max(_STATE_OF.values()).bit_length()  # every state's bit is below this one

# Every known place that places somewhere, as its words in lower case -> its country bits
# (descriptions.py).
KNOWN = {
    (first, *rest): mask
    for first, sizes in _BY_LENGTH.items()
    for _, found in sizes
    for rest, mask in found.items()
    if mask
}


def _state_countries() -> tuple[int, ...]:
    """Each country's states (_STATES) as one mask of their state bits."""
    out: dict[int, int] = {}
    for name in " ".join(_STATES.split()).split(","):
        if words := tuple(name.split()):
            out[KNOWN[words]] = out.get(KNOWN[words], 0) | _STATE_OF[words]
    return tuple(out.values())


def one_country(states: int, others: int) -> bool:
    """Are some of the state bits `states` and some of `others` states of one country (a US
    state and a US state, England and Scotland; not England and Texas)?"""
    return any(states & mask and others & mask for mask in _STATE_COUNTRIES)


_STATE_COUNTRIES = _state_countries()


def lowered(token: str) -> str:
    """A token in lower case, a possessive "'s" left out."""
    low = token.lower()
    return low[:-2] if low.endswith(("'s", "’s")) else low


# A place that follows one of these (with at most _BETWEEN words between: "the", a direction, a
# capitalised name) is where something happened: "in West Texas", "in northern France",
# "at a plant near Lubbock, Texas", "off Hokkaido". A place named otherwise is often a topic:
# "Russia probe", "Trump's Ukraine call", "to counter China" (and "outside China" is as often
# "beyond China" as "near"). "on the" is one too ("in a cabin on the NSW north coast", "on the
# Gold Coast"); "on" alone is as often a topic ("sanctions on Russia").
_WAYS = ("north", "south", "east", "west", "northeast", "northwest", "southeast", "southwest")
_LOCATIVES = frozenset({"in", "at", "near", "off", "across", "inside", "throughout"})
_BETWEEN_WORDS = frozenset(
    ("the", "central", *(f"{way}{end}" for way in _WAYS for end in ("", "ern")))
)
_BETWEEN = 3
# A tournament named for where it is played places what happens at it: "to reach his 11th
# Australian Open final" is in Australia (and the ATP Finals "in Turin" in Italy).
_HELD_IN = frozenset({"Open"})
# A sentence that tells of something worldwide places it nowhere, whatever place it names ("1
# million deaths worldwide since the illness was first reported in Wuhan, China").
_EVERYWHERE = cased("worldwide global globally")


# A report naming this many countries tells of something among them (a summit's communique
# signed by "the U.K., Italy, Germany, Canada, Japan and France"), not in one place. (So a
# report that places something names at most two countries: pack() keeps its places in 2 bits.)
_AMONG = 3


# A headline tells what happened in a place it names after these too ("Floods hit Poland",
# "Quake rocks western Turkey", "Quake jolts Kumamoto": a quake's own verbs beside "shakes"),
# or as its first words ("Polish PM resigns", "Nairobi matatu operators strike"): `located`'s
# third mask, story_signals' *headlines apart*. Such a verb tells no happening from another of
# its kind (happenings.STRIKING).
STRUCK = frozenset(
    {
        *("hit", "hits", "strike", "strikes", "struck", "rock", "rocks", "rocked"),
        *("lash", "lashes", "lashed", "batter", "batters", "battered", "pound", "pounds"),
        *("pounded", "sweep", "sweeps", "swept", "ravage", "ravages", "ravaged"),
        *("shake", "shakes", "shook"),
        *("jolt", "jolts", "jolted", "rattle", "rattles", "rattled"),
    }
)
_HEADLINE_LOCATIVES = _LOCATIVES | STRUCK


def _located(tokens: list[str], n: int, locatives: frozenset[str] = _LOCATIVES) -> bool:
    """Does the place starting at tokens[n] follow a locative word ("in", "near", "off")?"""
    if n + 1 < len(tokens) and tokens[n + 1] in _HELD_IN:
        return True
    for k in range(n - 1, max(-1, n - 2 - _BETWEEN), -1):
        word = tokens[k]
        low = word.lower()
        if low in locatives or (low == "on" and tokens[k + 1] == "the"):
            return True
        if not word or not (low in _BETWEEN_WORDS or word[:1].isupper()):
            return False
    return False


# The words of travellers' disruption before a locative: a city told after them is where a
# happening's consequence is felt, not where it happened ("Lufthansa strike cancels hundreds of
# flights in Frankfurt" / "... leaves passengers stranded in Munich": one strike told at two
# airports, h-places4, session 21), so no city of the headline (`located_states`' seventh;
# "makes emergency landing in Izmir" still is).
_FELT = frozenset(
    (
        *("flight", "flights", "passengers", "travellers", "travelers", "commuters"),
        *("stranded", "strands", "delays", "delayed", "cancellations", "cancelled"),
        *("canceled", "grounded"),
    )
)


def _felt_in(tokens: list[str], n: int) -> bool:
    """Does the place starting at tokens[n] follow a locative that follows a word of
    travellers' disruption (_FELT: "flights in Frankfurt", "stranded at Munich airport")?"""
    for k in range(n - 1, max(0, n - 2 - _BETWEEN), -1):
        if tokens[k].lower() in _LOCATIVES:
            return tokens[k - 1].lower() in _FELT
    return False


def located(
    title: list[str], lead: list[str], kinds: frozenset[str] = frozenset()
) -> tuple[int, int, int]:
    """`located_states`' first three: where, what it mentions, what its headline tells."""
    return located_states(title, lead, kinds)[:3]


def located_states(
    title: list[str], lead: list[str], kinds: frozenset[str] = frozenset()
) -> tuple[int, int, int, int, int, int, str | None, str | None]:
    """The country bits of where a report places its event (the places its headline and its
    lead's first sentence locate something in: _located), of every place its headline and
    lead name, and of the places the headline tells something happened in: those it places,
    those after a verb of striking ("Floods hit Poland") and one it opens on ("Polish PM
    resigns", "Nairobi taxi drivers strike"); none placed if the report tells of something
    worldwide or among three countries or more; and the state bits (_STATES) of the states its
    headline names, and of those its headline and lead name (a city of _REGIONS naming its
    state); and the country bits of the places its headline tells or names by their name (not
    by a people's word: "Danish tourist killed ..." tells who, not where); and the last word of
    the first city (_CITY_WORDS) the headline tells something happened in, possessive left out
    ("Airbus jet makes emergency landing in Toulouse": Toulouse), None if none or if nothing is
    told there (worldwide, among countries); and the last word of the first city its lead's
    first sentence locates something in ("... collapse of a residential block in Mombasa"),
    None as the headline's. `title` is the headline's words, `lead` the lead's tokens
    (similarity's: words in order, "" where a sentence ends)."""
    which = _qualifying(title, lead)
    headline, named, told, states, proper, city, vague = _scan(
        title, len(title), _HEADLINE_LOCATIVES, kinds, which
    )
    end = _first_sentence_end(lead)
    first, named_in_lead, _, in_lead, _, lead_city, vague_in_lead = _scan(
        lead, end, None, kinds, which
    )
    if (vague and vague[2]) or (vague_in_lead and vague_in_lead[2]):
        keep = ~_narrowed(vague, vague_in_lead)
        headline, named, told, proper = headline & keep, named & keep, told & keep, proper & keep
        first, named_in_lead = first & keep, named_in_lead & keep
    placed = headline | first
    mentions = named | named_in_lead
    told_at = placed or told
    if told_at and not (_EVERYWHERE.isdisjoint(title) and _EVERYWHERE.isdisjoint(lead[:end])):
        placed = told = 0  # told as worldwide
        city = lead_city = None
    elif told_at and mentions.bit_count() >= _AMONG:
        placed = told = 0  # told as among countries
        city = lead_city = None
    return placed, mentions, told, states, states | in_lead, told | proper, city, lead_city


# A place told which one by a state after it ("London, Ontario", "St. Petersburg, Florida",
# "Holland, Michigan": similarity's tokens keep no comma) is that state's, wherever the report
# names it ("Shooting in London leaves two dead" over a lead in London, Ontario, is no shooting
# in England). The state is one of _STATES, of another country than the place's, not a
# possessive ("in London, Ontario's premier said": whose premier); a country after a place is
# no such qualifier ("In Kyiv, Russia said ..."), nor is a state after a state (a list: "Texas,
# Tamaulipas and Nuevo Leon"), nor a state's name before another capitalised word: a person's
# given name ("In London, Virginia Roberts began ...", "In Milan, Alberta Ferretti opened ...":
# h-review24's zf- cases). A "St." or "Mt." before a name ends a
# sentence in similarity's tokens ("St", "", "Petersburg"): read across it.
_QUALIFIERS = {
    words: (KNOWN[words], _STATE_OF[words])
    for words in (tuple(name.split()) for name in " ".join(_STATES.split()).split(","))
    if words in KNOWN
}
_QUALIFIER_FIRSTS = frozenset(
    form for words in _QUALIFIERS for form in (words[0].capitalize(), words[0].upper())
)
_QUALIFIER_LONGEST = max(len(words) for words in _QUALIFIERS)
_ABBREVIATED = frozenset({"St", "Ste", "Mt", "Ft", "ST", "MT", "FT"})


def _qualifying(title: list[str], lead: list[str]) -> dict[tuple[str, ...], tuple[int, int]] | None:
    """_qualified of the headline and of the lead; None when neither writes a first word of
    a state (a set operation in C each: most texts stop here, and a text that writes none is
    not read)."""
    firsts = _QUALIFIER_FIRSTS
    in_title, in_lead = firsts.intersection(title), firsts.intersection(lead)
    if not (in_title or in_lead):
        return None
    return _qualified(title, in_title) | _qualified(lead, in_lead)


def _qualified(
    tokens: list[str], present: frozenset[str]
) -> dict[tuple[str, ...], tuple[int, int]]:
    """The known places (their words, lower case) that `tokens` tell which one of by a state
    of another country right after them (_QUALIFIERS: "London Ontario"), each -> that state's
    country bits and state bit. `present`: the first words of states `tokens` writes (of
    _QUALIFIER_FIRSTS); their places are found by list.index, in C, not by a loop here."""
    out: dict[tuple[str, ...], tuple[int, int]] = {}
    for n in _positions(tokens, present):
        for size in range(_QUALIFIER_LONGEST, 0, -1):
            state = tuple(map(str.lower, tokens[n : n + size]))
            if len(state) == size and state in _QUALIFIERS:
                break
        else:
            continue
        if tokens[n + size - 1].lower().endswith(("'s", "’s")):
            continue  # whose, not which: "London, Ontario's premier"
        if n + size < len(tokens) and tokens[n + size][:1].isupper():
            continue  # a name's first word: "In Milan, Alberta Ferretti opened ..."
        mask, bit = _QUALIFIERS[state]
        before = _words_before(tokens, n)
        for size in range(len(before), 0, -1):
            place = tuple(map(lowered, before[-size:]))
            if (
                before[-size][:1].isupper()
                and place in KNOWN
                and not KNOWN[place] & mask
                and place not in _NATIONAL
                and place not in _HOMONYM_WORDS
                and place not in _QUALIFIERS
            ):
                out[place] = (mask, bit)
                break
    return out


def _positions(tokens: list[str], words: frozenset[str]) -> list[int]:
    """Where `tokens` write each of `words` (all of them, in order), the first token left out
    (no place before it)."""
    out = []
    for word in words:
        n = 0
        try:
            while True:
                n = tokens.index(word, n) + 1
                out.append(n - 1)
        except ValueError:
            pass
    out.sort()
    return out[1:] if out and out[0] == 0 else out


def _words_before(tokens: list[str], n: int) -> list[str]:
    """Up to three words before tokens[n] in its sentence, read across the end of a sentence
    that an abbreviation made ("St", "", "Petersburg": _ABBREVIATED)."""
    out: list[str] = []
    k = n - 1
    while k >= 0 and len(out) < 3:
        if tokens[k]:
            out.insert(0, tokens[k])
        elif not out or k == 0 or tokens[k - 1] not in _ABBREVIATED:
            break  # a sentence ended here
        k -= 1
    return out


# A people's word opening a headline tells who, not where: "British tourist killed in shark
# attack" (in Egypt), "Pakistani migrants among hundreds feared dead in shipwreck" (off Greece),
# "Israeli troops ..."; before a news word or initials, its country's office, it tells where
# ("Polish PM resigns", "Kenyan police fire tear gas": terms.GENERIC), and so before a kind of
# institution ("Swedish central bank holds rate", "Hungarian parliament votes": terms.NAME_PARTS).
# (h-review, session 15: each such pair, one event told by its victims' country and by its
# place, was split.)
PEOPLES = frozenset(form for forms in (*COUNTRIES, *HEADLINE_DEMONYMS) for form in forms[1:])
_OFFICES = GENERIC | NAME_PARTS
# ... and before a noun of a place, anywhere in a headline, it tells where, as the place's name
# would: "Turkish resort hotel collapse toll rises" (Bodrum), "Lithuanian port city's mayor
# detained" (Klaipėda), "Greek island wildfire" (session 22's one stream joined each into
# another country's event of its kind). Not "state" ("Turkish state media": who speaks).
_PLACE_NOUNS = frozenset(
    (
        *("port", "seaport", "harbour", "harbor", "resort", "city", "town", "village"),
        *("capital", "province", "region", "island", "islands", "coast", "border"),
    )
)


# ... and so before one word and a title of its government ("Polish defence minister resigns",
# "Czech interior ministry ...": its country's office, as "Polish PM" is).
_TITLES = frozenset({"minister", "ministry", "premier", "chancellor", "government", "cabinet"})


# ... and so before the word of a body that works or governs in its own country: its public
# servants who strike at home ("Bolivian teachers strike", "Ghanaian doctors walk out") and its
# politics ("Hungarian coalition collapses", "Dutch lawmakers vote"). Not those who travel or
# are told of abroad (a tourist, migrants, troops, a national, students, workers): "British
# tourist killed in shark attack" is in Egypt.
_AT_HOME = frozenset(
    (
        *("teachers", "doctors", "nurses", "midwives", "coalition", "opposition"),
        *("lawmakers", "legislators", "mps", "judges"),
    )
)


def _before_place_noun(tokens: list[str], after: int) -> bool:
    """Is tokens[after] a noun of a place (_PLACE_NOUNS), possessive left out?"""
    return after < len(tokens) and lowered(tokens[after]) in _PLACE_NOUNS


def _opens_at(tokens: list[str], more: int) -> bool:
    """Does a headline opening on a known place (`more`: its words after the first) tell its
    happening there: a place's name ("Nairobi matatu operators strike"), or a people's word
    before its country's office or institution (PEOPLES) or a noun of a place?"""
    if lowered(tokens[0]) not in PEOPLES:
        return True
    after = tokens[1 + more] if 1 + more < len(tokens) else ""
    then = tokens[2 + more].lower() if 2 + more < len(tokens) else ""
    return (
        after.isupper()
        or after.lower() in _OFFICES
        or after.lower() in _AT_HOME
        or _before_place_noun(tokens, 1 + more)
        or (after.islower() and then in _TITLES)
    )


# An institution named "of" its place that opens a headline tells its happening there, as the
# place opening it would: "Central Bank of Kenya holds rate", "Reserve Bank of Zimbabwe ...",
# "Supreme Court of India ...", "Port of Antwerp ..." (its words: a kind of institution, or
# one of a few news words of such names, capitalised; not "Talks of ...").
_OF_PLACE = frozenset(
    word.capitalize() for word in (*NAME_PARTS, "national", "federal", "state", "court")
)


def _opening(tokens: list[str]) -> int:
    """Where the place a headline opens on starts: after an institution named "of" it (the
    Central Bank of Kenya: 3), else 0."""
    n = 0
    while n < len(tokens) and tokens[n] in _OF_PLACE:
        n += 1
    return n + 1 if n and n < len(tokens) and tokens[n] == "of" else 0


def _first_sentence_end(lead: list[str]) -> int:
    """Where the lead's first sentence ends (similarity's tokens: "" ends a sentence)."""
    return lead.index("") if "" in lead else len(lead)


# _scan's homonyms of one text: the country bits of its other names, of those of them that are
# no country's own name (_NATIONAL: a city, a region), and each homonym's; None if it names no
# place.
_Vague = tuple[int, int, tuple[int, ...]] | None


def _scan(
    tokens: list[str],
    end: int,
    told_in: frozenset[str] | None = None,
    kinds: frozenset[str] = frozenset(),
    which: dict[tuple[str, ...], tuple[int, int]] | None = None,
) -> tuple[int, int, int, int, int, str | None, _Vague]:
    """The country bits of the known places in `tokens` that tokens[:end] locates something
    in (_located), and of all of them; with `told_in`, also of those that open the tokens or
    follow one of those words (_located); the state bits of the states among them; the
    country bits of those named by a place's name, not a people's word (PEOPLES); the last
    word (as written, possessive left out) of the first city among those told; and the
    homonyms named (_HOMONYMS: "Georgia"), for `_narrowed` (_Vague). `which`: the places
    the report tells which one of by a state after them (_qualified), read as that state's."""
    if _FIRSTS.isdisjoint(tokens):  # a set operation in C: most texts stop here
        return 0, 0, 0, 0, 0, None, None
    placed = every = told = states = proper = firm = sure = 0
    city = None
    vague: tuple[int, ...] = ()
    skip_to = 0
    opening = _opening(tokens) if told_in is not None else 0
    for n in [n for n, token in enumerate(tokens) if token in _FIRSTS]:
        if n < skip_to:
            continue  # a word of the phrase matched before it ("Wales" in "New South Wales")
        low = lowered(tokens[n])
        sizes = _BY_LENGTH[low]
        after = tuple(map(lowered, tokens[n + 1 : n + 1 + sizes[0][0]]))
        for size, found in sizes:  # the longest place that the words after it spell
            rest = after[:size]  # shorter than `size` if the tokens end first: not found
            if rest not in found:
                continue
            mask, state, words = found[rest], -1, (low, *rest)
            if which and words in which:
                mask, state = which[words]
            elif words in _NATIONAL and _a_river(tokens, n, len(words)):
                mask = 0  # "River Niger", "Congo River": no country
            if words in _HOMONYM_NATIONS and _before_office(tokens, n + 1 + len(rest)):
                mask = _HOMONYM_NATIONS[words]
                firm |= mask
            elif words in _HOMONYM_WORDS and (own := _country_beside(tokens, n, len(words), mask)):
                mask = own  # "Argentina's Córdoba province", "Córdoba, Spain": as a city's
                firm |= mask
                sure |= mask
            elif words in _HOMONYM_WORDS:
                vague += (mask,)
            else:
                firm |= mask
                sure |= 0 if words in _NATIONAL or words in _SEATS else mask
            every |= mask
            states |= _STATE_OF.get(words, 0) if state < 0 else state
            people = not rest and low in PEOPLES
            # a people's word before a noun of a place tells where ("Turkish resort ...")
            where = people and told_in is not None and _before_place_noun(tokens, n + 1)
            if not people or where:
                proper |= mask
            if n < end and mask and (_located(tokens, n) or _owns_place(tokens, n, words)):
                placed |= mask
                if told_in is None and city is None and words in _CITY_WORDS:
                    city = _city_word(tokens[n + len(rest)])  # a lead's first city placed
            if (
                told_in is not None
                and mask
                and (
                    _located(tokens, n, told_in)
                    or (n == 0 and _opens_at(tokens, len(rest)))
                    or (n == opening and opening > 0)
                    or where
                    or (
                        n + 1 + len(rest) < len(tokens)
                        and tokens[n + 1 + len(rest)].lower() in kinds
                    )
                )
            ):
                told |= mask
                if city is None and words in _CITY_WORDS and not _felt_in(tokens, n):
                    city = _city_word(tokens[n + len(rest)])
            skip_to = n + 1 + len(rest)
            break
    return placed, every, told, states, proper, city, (firm, sure, vague)


def _city_word(last: str) -> str:
    """A city's last word as written, possessive left out."""
    return last[:-2] if last.lower().endswith(("'s", "’s")) else last


# A country's possessive before a place's name and its noun places what happens there, as a
# locative would: "Dockworkers strike shuts Brazil's Santos port", "Quake hits China's Sichuan
# province", "Fire on Greece's Evia island" (a name no table knows, its country told).
_OWNED_NAME_WORDS = 2


def _owns_place(tokens: list[str], n: int, words: tuple[str, ...]) -> bool:
    """Is the place at tokens[n] (its lower-case `words`) a country's own name, written as a
    possessive, before at most _OWNED_NAME_WORDS capitalised words and a noun of a place
    (_PLACE_NOUNS: "Brazil's Santos port", "China's Sichuan province")?"""
    last = n + len(words) - 1
    if words not in _NATIONAL or not tokens[last].lower().endswith(("'s", "’s")):
        return False
    for k in range(last + 1, min(last + 2 + _OWNED_NAME_WORDS, len(tokens))):
        if _before_place_noun(tokens, k):
            return k > last + 1
        if not tokens[k][:1].isupper():
            return False
    return False


# A river named for a country is no country ("Boat capsizes on River Niger": in Nigeria's Kwara
# state; "the Congo River", "the Senegal River"): its name beside the word places nothing.
_RIVER = frozenset({"River", "RIVER"})


def _a_river(tokens: list[str], n: int, size: int) -> bool:
    """Is the country's name at tokens[n:n + size] a river's (_RIVER before or after it)?"""
    after = n + size
    return (n > 0 and tokens[n - 1] in _RIVER) or (
        after < len(tokens) and (tokens[after] in _RIVER or tokens[after] == "river")
    )


def _country_beside(tokens: list[str], n: int, size: int, mask: int) -> int:
    """The bit of the country of a homonym's (`mask`: its countries' bits) that a country's own
    name tells it is, as a possessive right before it ("Argentina's Córdoba province") or right
    after it ("Córdoba, Spain": similarity's tokens keep no comma); 0 if none does, or if the
    homonym is itself a country's name ("Georgia", "Korea": _HOMONYM_WORDS are read alone)."""
    if tuple(map(lowered, tokens[n : n + size])) in _NATIONAL:
        return 0
    near = []
    if n > 0 and tokens[n - 1].lower().endswith(("'s", "’s")):
        near.append(lowered(tokens[n - 1]))
    if n + size < len(tokens) and not tokens[n + size - 1].lower().endswith(("'s", "’s")):
        near.append(lowered(tokens[n + size]))  # "Valencia, Spain's third city"
    for word in near:
        bits = KNOWN.get((word,), 0) if (word,) in _NATIONAL else 0
        if bits and bits & mask == bits:
            return bits
    return 0


def _before_office(tokens: list[str], after: int) -> bool:
    """Is tokens[after] a word of a country's government's title (_NATIONAL_OFFICES)?"""
    return after < len(tokens) and tokens[after].lower() in _NATIONAL_OFFICES


def _narrowed(*found: _Vague) -> int:
    """The country bits to leave out of a report's places (`found`: _scan's homonyms of its
    headline and of its lead): of each homonym it names ("Georgia" is the country and the US
    state) the countries other than the one a city or a region it names places it in
    ("Tbilisi", "Atlanta"), unless another of its names names them. A country's own name
    narrows nothing ("Georgia" beside "US": news about the country names the US too), nor
    does a seat where someone speaks (_SEATS: "The State Department in Washington said")."""
    firm = sure = drop = keep = 0
    for part in found:
        if part is not None:
            firm, sure = firm | part[0], sure | part[1]
    for part in found:
        for mask in part[2] if part is not None else ():
            if mask & sure:
                drop |= mask & ~sure
            else:
                keep |= mask
    return drop & ~keep & ~firm


# A country's own names: those of wordforms.COUNTRIES (its name and its people's words, also
# in the plural: "Canadians"), the countries the tables above list places of, and the names of
# the two whose lines list no name of their own.
_NATIONAL_NAMES = "us, usa, united states, america, americans, uk, united kingdom"


def _national() -> frozenset[tuple[str, ...]]:
    out = {tuple(name.split()) for name in _NATIONAL_NAMES.split(",")}
    for forms in (*COUNTRIES, *HEADLINE_DEMONYMS):
        out |= {(form,) for form in forms} | {(form + "s",) for form in forms[1:]}
    for line in (*joined_lines(_PLACES), *joined_lines(_CITIES), *joined_lines(_TERRITORIES)):
        out.add(tuple(line.partition(":")[0].split()))
    return frozenset(out)


_NATIONAL = _national()


def nations(tokens: list[str]) -> int:
    """The country bits of the countries `tokens` name by a country's own name or its people's
    word ("Canada", "Canadians", "Russian"), not by a city's or a region's ("Texas")."""
    if _FIRSTS.isdisjoint(tokens):  # a set operation in C: most texts stop here
        return 0
    found = skip_to = 0
    for n in [n for n, token in enumerate(tokens) if token in _FIRSTS]:
        if n < skip_to:
            continue  # a word of the phrase matched before it
        first = lowered(tokens[n])
        sizes = _BY_LENGTH[first]
        after = tuple(lowered(t) for t in tokens[n + 1 : n + 1 + sizes[0][0]])
        for size, places in sizes:  # the longest place that the words after it spell
            rest = after[:size]
            if rest not in places:
                continue
            if (first, *rest) in _NATIONAL:
                found |= places[rest]
            skip_to = n + 1 + len(rest)
            break
    return found


# A region named as such: the word before one of these ("Turkey's Malatya province", "Van
# province in eastern Turkey", "Harris County").
_REGION_KINDS = cased("province prefecture governorate oblast")
_NOT_REGIONS = frozenset({"the", "a", "this", "that", "each", "every", "its", "their", "one"})
# A race named for the city it is run in, as a name ("wins Paris Marathon", "the Rotterdam
# Marathon"): two reports each naming another that the other never mentions tell two races
# ("Half" is part of the race's kind: "Lisbon Half Marathon").
_HELD_KINDS = frozenset({"Marathon", "MARATHON"})
_KIND_PARTS = frozenset({"Half", "HALF"})
# A lake named as such, its name after the word ("capsizes on Lake Toba", "Lake Ohrid"): a
# place of its own (session 20, h-places3: boats sinking on four lakes of four countries, most
# of them under the city table's floor, joined one story). A report naming it and another
# naming its country or a town on its shore name no two lakes, and stay to the other guards.
_LAKE_KINDS = frozenset({"Lake", "LAKE"})
# ... but only a "Lake" that opens the name ("on Lake Toba"), not one inside another name ("Salt
# Lake City", "Salt Lake County": one shooting told at two grains, h-review20) nor one naming a
# county or a district ("Lake County", "Lake District").
_LAKE_NOT_NAMES = frozenset({"City", "County", "District", "CITY", "COUNTY", "DISTRICT"})
# Any word `region` reads a region, a race or a lake by: a text writing none names none.
_REGION_WORDS = _REGION_KINDS | _HELD_KINDS | _LAKE_KINDS


def region(title: list[str], lead: list[str]) -> str | None:
    """The name of the first region the headline or the lead's first sentence names as such
    ("Magnitude 6.7 earthquake hits Turkey's Malatya province": Malatya), possessive left out;
    None if none. Two reports of one kind of event in one country, each naming another region
    that the other never mentions, tell two events (the Malatya quake and the Van quake). A
    lake named as such is one too, its name after the word ("on Lake Toba": Toba)."""
    for tokens in (title, lead[: _first_sentence_end(lead)]):
        if _REGION_WORDS.isdisjoint(tokens):  # a set operation in C: most texts stop here
            continue
        for n, token in enumerate(tokens[1:], 1):
            if token in _LAKE_KINDS or tokens[n - 1] in _LAKE_KINDS:
                if (
                    tokens[n - 1] in _LAKE_KINDS
                    and token[:1].isupper()
                    and token not in _LAKE_NOT_NAMES
                    and (n < 2 or not tokens[n - 2][:1].isupper())
                ):
                    return token[:-2] if token.lower().endswith(("'s", "’s")) else token
                continue
            if token in _HELD_KINDS:
                n -= 1 if tokens[n - 1] in _KIND_PARTS and n > 1 else 0
            elif token not in _REGION_KINDS:
                continue
            name = tokens[n - 1]
            if name[:1].isupper() and name.lower() not in _NOT_REGIONS:
                return name[:-2] if name.lower().endswith(("'s", "’s")) else name
    return None


def pack(placed: int, mentions: int) -> int:
    """`placed` in two bits, for a report whose places are `mentions` (placed is a part of
    them): whether the lowest and the highest country bit of `mentions` are placed. A report
    places something only when it names at most two countries (_AMONG), so that is all of it;
    were it more, both bits are set, read back as all of `mentions`: a wider place, which only
    keeps reports together."""
    if not placed:
        return 0
    if mentions.bit_count() > 2:
        return 3
    low, high = mentions & -mentions, 1 << (mentions.bit_length() - 1)
    return (1 if placed & low else 0) | (2 if placed & high else 0)


def unpack(flags: int, mentions: int) -> int:
    """The placed country bits that pack() kept in `flags`."""
    if flags == 3:
        return mentions
    low = mentions & -mentions if flags & 1 else 0
    return low | (1 << (mentions.bit_length() - 1) if flags & 2 else 0)


def apart(placed: int, mentions: int, their_placed: int, their_mentions: int) -> bool:
    """Both reports place their event in known places, and neither mentions a country where
    the other places its own: "Explosion at fertiliser plant in West Texas" against "Blast
    rocks fertiliser factory in northern France". Two sides of one event ("Iran thanks
    Pakistan", "Tehran grateful to Islamabad") share a country; two grains of one place
    ("Japan earthquake", "off Hokkaido") are one country."""
    return bool(
        placed and their_placed and not placed & their_mentions and not their_placed & mentions
    )
