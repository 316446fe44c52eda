"""Built-in entities: every country by its common English names and its demonyms/adjectives.

Where the list comes from: the country names are the ISO 3166-1 English short names as commonly
written in news copy (plus the UN observer states, Taiwan, Kosovo and Hong Kong), with
well-known other names (Burma, Holland, Türkiye, USA); the demonyms are the usual English
adjectives and nouns for the people (Iranian, Pakistani, Dutch, Briton). Written by hand for
watcher. Nouns for people get a plural (Iranians), except adjectives such as British or Swiss.

Ambiguous words are left out rather than guessed: "Korea" (North or South), "America" (it is
also in "Latin America"), "Emirates" (the airline), "Pole" (North Pole); "Congolese" belongs to
both Congos. A rule file can extend any entity
(`[entity.Iran] aliases = [...]`), replace it (`builtin = false` in that table) or switch all of
them off (`[entities] builtin = false`); see docs/rules.md.
"""

from __future__ import annotations

from watcher.query.values import Entity

# name | other names | demonyms and adjectives   (";" separates several)
_COUNTRIES = """
Afghanistan | | Afghan
Albania | | Albanian
Algeria | | Algerian
Andorra | | Andorran
Angola | | Angolan
Antigua and Barbuda | Antigua | Antiguan
Argentina | | Argentine; Argentinian
Armenia | | Armenian
Australia | | Australian; Aussie
Austria | | Austrian
Azerbaijan | | Azerbaijani; Azeri
Bahamas | The Bahamas | Bahamian
Bahrain | | Bahraini
Bangladesh | | Bangladeshi
Barbados | | Barbadian; Bajan
Belarus | | Belarusian
Belgium | | Belgian
Belize | | Belizean
Benin | | Beninese
Bhutan | | Bhutanese
Bolivia | | Bolivian
Bosnia and Herzegovina | Bosnia; Bosnia-Herzegovina | Bosnian
Botswana | | Motswana; Batswana
Brazil | | Brazilian
Brunei | Brunei Darussalam | Bruneian
Bulgaria | | Bulgarian
Burkina Faso | | Burkinabe
Burundi | | Burundian
Cabo Verde | Cape Verde | Cape Verdean
Cambodia | | Cambodian; Khmer
Cameroon | | Cameroonian
Canada | | Canadian
Central African Republic | | Central African
Chad | | Chadian
Chile | | Chilean
China | People's Republic of China; PRC | Chinese
Colombia | | Colombian
Comoros | | Comorian
Democratic Republic of the Congo | DR Congo; DRC; Congo-Kinshasa | Congolese
Republic of the Congo | Congo-Brazzaville | Congolese
Costa Rica | | Costa Rican
Côte d'Ivoire | Ivory Coast; Cote d'Ivoire | Ivorian
Croatia | | Croatian; Croat
Cuba | | Cuban
Cyprus | | Cypriot
Czechia | Czech Republic | Czech; Czechs
Denmark | | Danish; Dane
Djibouti | | Djiboutian
Dominica | | Dominican
Dominican Republic | | Dominican
Ecuador | | Ecuadorian
Egypt | | Egyptian
El Salvador | | Salvadoran; Salvadorian
Equatorial Guinea | | Equatoguinean; Equatorial Guinean
Eritrea | | Eritrean
Estonia | | Estonian
Eswatini | Swaziland | Swazi
Ethiopia | | Ethiopian
Fiji | | Fijian
Finland | | Finnish; Finn
France | | French
Gabon | | Gabonese
Gambia | The Gambia | Gambian
Georgia | | Georgian
Germany | | German
Ghana | | Ghanaian
Greece | | Greek
Grenada | | Grenadian
Guatemala | | Guatemalan
Guinea | | Guinean
Guinea-Bissau | | Bissau-Guinean
Guyana | | Guyanese
Haiti | | Haitian
Honduras | | Honduran
Hong Kong | | Hongkonger
Hungary | | Hungarian
Iceland | | Icelandic; Icelander
India | | Indian
Indonesia | | Indonesian
Iran | Islamic Republic of Iran | Iranian
Iraq | | Iraqi
Ireland | Republic of Ireland; Eire | Irish
Israel | | Israeli
Italy | | Italian
Jamaica | | Jamaican
Japan | | Japanese
Jordan | | Jordanian
Kazakhstan | | Kazakh; Kazakhstani
Kenya | | Kenyan
Kiribati | | I-Kiribati
Kosovo | | Kosovar; Kosovan
Kuwait | | Kuwaiti
Kyrgyzstan | | Kyrgyz
Laos | Lao PDR | Lao; Laotian
Latvia | | Latvian
Lebanon | | Lebanese
Lesotho | | Basotho; Mosotho
Liberia | | Liberian
Libya | | Libyan
Liechtenstein | | Liechtensteiner
Lithuania | | Lithuanian
Luxembourg | | Luxembourger; Luxembourgish
Madagascar | | Malagasy
Malawi | | Malawian
Malaysia | | Malaysian
Maldives | | Maldivian
Mali | | Malian
Malta | | Maltese
Marshall Islands | | Marshallese
Mauritania | | Mauritanian
Mauritius | | Mauritian
Mexico | | Mexican
Micronesia | | Micronesian
Moldova | | Moldovan
Monaco | | Monegasque
Mongolia | | Mongolian
Montenegro | | Montenegrin
Morocco | | Moroccan
Mozambique | | Mozambican
Myanmar | Burma | Burmese
Namibia | | Namibian
Nauru | | Nauruan
Nepal | | Nepali; Nepalese
Netherlands | Holland; The Netherlands | Dutch
New Zealand | | New Zealander
Nicaragua | | Nicaraguan
Niger | | Nigerien
Nigeria | | Nigerian
North Korea | DPRK; Democratic People's Republic of Korea | North Korean
North Macedonia | Macedonia | Macedonian
Norway | | Norwegian
Oman | | Omani
Pakistan | | Pakistani
Palau | | Palauan
Palestine | State of Palestine; Palestinian territories | Palestinian
Panama | | Panamanian
Papua New Guinea | PNG | Papua New Guinean
Paraguay | | Paraguayan
Peru | | Peruvian
Philippines | The Philippines | Filipino; Filipina; Philippine
Poland | | Polish
Portugal | | Portuguese
Qatar | | Qatari
Romania | | Romanian
Russia | Russian Federation | Russian
Rwanda | | Rwandan
Saint Kitts and Nevis | St Kitts and Nevis | Kittitian; Nevisian
Saint Lucia | St Lucia | Saint Lucian
Saint Vincent and the Grenadines | St Vincent and the Grenadines | Vincentian
Samoa | | Samoan
San Marino | | Sammarinese
Sao Tome and Principe | São Tomé and Príncipe | Santomean
Saudi Arabia | KSA | Saudi
Senegal | | Senegalese
Serbia | | Serbian; Serb
Seychelles | | Seychellois
Sierra Leone | | Sierra Leonean
Singapore | | Singaporean
Slovakia | | Slovak; Slovakian
Slovenia | | Slovenian; Slovene
Solomon Islands | | Solomon Islander
Somalia | | Somali
South Africa | | South African
South Korea | Republic of Korea; ROK | South Korean
South Sudan | | South Sudanese
Spain | | Spanish; Spaniard
Sri Lanka | | Sri Lankan
Sudan | | Sudanese
Suriname | | Surinamese
Sweden | | Swedish; Swede
Switzerland | | Swiss
Syria | | Syrian
Taiwan | | Taiwanese
Tajikistan | | Tajik
Tanzania | | Tanzanian
Thailand | | Thai
Timor-Leste | East Timor | Timorese
Togo | | Togolese
Tonga | | Tongan
Trinidad and Tobago | Trinidad | Trinidadian; Tobagonian
Tunisia | | Tunisian
Turkey | Türkiye | Turkish; Turk
Turkmenistan | | Turkmen
Tuvalu | | Tuvaluan
Uganda | | Ugandan
Ukraine | | Ukrainian
United Arab Emirates | UAE; U.A.E. | Emirati
United Kingdom | UK; U.K.; Britain; Great Britain | British; Briton
United States | United States of America; USA; U.S.A.; US; U.S. | American
Uruguay | | Uruguayan
Uzbekistan | | Uzbek
Vanuatu | | Ni-Vanuatu
Vatican City | Vatican; Holy See |
Venezuela | | Venezuelan
Vietnam | Viet Nam | Vietnamese
Yemen | | Yemeni
Zambia | | Zambian
Zimbabwe | | Zimbabwean
"""

# Adjectives, not nouns for people: no plural.
_NO_PLURAL = ("s", "sh", "ch", "se", "ic", "x", "z", "i-kiribati")


def _plural(demonym: str) -> tuple[str, ...]:
    if demonym.lower().endswith(_NO_PLURAL):
        return (demonym,)
    return (demonym, demonym + "s")


def builtin_entities() -> dict[str, Entity]:
    """The country entities, keyed by name (a fresh dict each call)."""
    entities: dict[str, Entity] = {}
    for line in _COUNTRIES.strip().splitlines():
        name, others, demonyms = (part.strip() for part in line.split("|"))
        aliases = [a.strip() for a in others.split(";") if a.strip()]
        for demonym in (d.strip() for d in demonyms.split(";") if d.strip()):
            aliases += _plural(demonym)
        unique = tuple(a for a in dict.fromkeys(aliases) if a != name)
        entities[name] = Entity(name, unique, builtin=True)
    return entities
