"""The themes' names and keywords in Finnish, Swedish and English: data, kept apart from the code.

`THEME_NAMES` are what a sender writes on a "Teema:" line; `THEME_KEYWORDS` are the words that
hint at a theme in free text. Keywords are written in their dictionary forms (nominative,
infinitive): `ingest.understand.theme` lemmatises the text before comparing, so "asukkaiden",
"osallistuivat" and "rajapinnoista" find "asukas", "osallistua" and "rajapinta", and a Finnish
compound counts for its last part ("asukaskysely" for "kysely").
"""

from __future__ import annotations

# Names a sender uses when they state the theme ("Teema: ..."), per theme and language.
THEME_NAMES: dict[str, dict[str, tuple[str, ...]]] = {
    "understandability": {
        "fi": ("ymmärrettävyys", "selkokieli", "selkeä kieli", "ymmärrettävä hallinto"),
        "sv": ("begriplighet", "klarspråk", "tydligt språk", "begriplig förvaltning"),
        "en": ("understandability", "plain language", "clear language"),
    },
    "participation": {
        "fi": ("osallisuus", "osallistaminen", "osallistuminen"),
        "sv": ("delaktighet", "deltagande", "inkludering"),
        "en": ("participation", "inclusion", "engagement"),
    },
    "open_operations": {
        "fi": ("avoin toiminta", "avoimuus", "läpinäkyvyys"),
        "sv": ("öppen verksamhet", "öppenhet", "transparens"),
        "en": ("open operations", "openness", "transparency"),
    },
    "enabling_administration": {
        "fi": ("hallinto mahdollistajana", "mahdollistava hallinto"),
        "sv": ("förvaltningen som möjliggörare", "möjliggörande förvaltning"),
        "en": (
            "enabling administration",
            "administration as an enabler",
            "administration as enabler",
        ),
    },
    "open_data": {
        "fi": ("avoin data", "avoimet tiedot", "avoin tieto", "avoindata"),
        "sv": ("öppna data", "öppen data"),
        "en": ("open data",),
    },
}

# Words that hint at a theme in free text, comma-separated per language. A phrase must appear as
# consecutive words. Words common in every submission ("kaupunki", "palvelu", "tieto") are left
# out: they would vote for whichever theme lists them.
THEME_KEYWORDS: dict[str, dict[str, str]] = {
    "understandability": {
        "fi": (
            "ymmärrettävyys, ymmärrettävä, selkokieli, selkokielinen, selkeä kieli, selkeys, "
            "selkeyttäminen, selkeyttää, selkiyttää, virkakieli, kielenhuolto, saavutettavuus, "
            "saavutettava, ymmärtää, selkeä, kieli, ohje, kirje, lomake, viestintä, sanasto, "
            "kuvitus, infografiikka, tulkkaus, viittomakieli, monikielinen, kielenkäyttö, "
            "tekstiviesti, verkkosivu, termi, luettava, luettavuus, päätöskirje, opas"
        ),
        "sv": (
            "begriplighet, begriplig, klarspråk, lättläst, tydligt språk, tydlig, språkvård, "
            "tillgänglighet, tillgänglig, myndighetsspråk, förståelig, förstå, språk, anvisning, "
            "blankett, brev, broschyr, webbplats, teckenspråk, flerspråkig, ordlista"
        ),
        "en": (
            "understandability, understandable, plain language, clear language, easy read, "
            "easy-to-read, accessibility, accessible, plain english, jargon, "
            "letter, guidance, instructions, language, sign language, multilingual, "
            "glossary, understand"
        ),
    },
    "participation": {
        "fi": (
            "osallisuus, osallistuminen, osallistaminen, osallistaa, osallistua, osallinen, "
            "kuuleminen, kuulla, vuorovaikutus, asukas, asukasilta, asukasraati, kansalainen, "
            "kansalaisraati, yhteiskehittäminen, työpaja, kysely, lausuntokierros, lausunto, "
            "otakantaa, kansalaisaloite, nuorisovaltuusto, vanhusneuvosto, vaikuttaminen, "
            "vaikuttaa, palaute, raati, kuntalainen, nuori, lapsi, ikäihminen, äänestää, "
            "osallistuva budjetointi, budjetointi, dialogi, keskustelu, keskustelutilaisuus, "
            "yhdenvertaisuus, ideointi, ehdotus, kokemusasiantuntija"
        ),
        "sv": (
            "delaktighet, deltagande, delta, inkludering, engagemang, samråd, hörande, höra, "
            "medborgare, invånare, dialog, workshop, enkät, remiss, påverkan, påverka, "
            "medborgarpanel, panel, ungdomsfullmäktige, äldreråd, respons, synpunkt, "
            "kommuninvånare, unga, barn, deltagande budgetering, diskussion, förslag"
        ),
        "en": (
            "participation, participatory, participate, inclusion, inclusive, engagement, engage, "
            "consultation, consult, citizen, resident, co-creation, co-design, workshop, survey, "
            "dialogue, stakeholder, feedback, deliberative, panel, jury, youth council, young "
            "people, children, participatory budgeting, proposal"
        ),
    },
    "open_operations": {
        "fi": (
            "avoin toiminta, avoimuus, läpinäkyvyys, läpinäkyvä, avoimesti, julkisuus, "
            "julkisuusperiaate, avoimuusrekisteri, lobbaus, lobbari, tietopyyntö, päätöksenteko, "
            "avoin valmistelu, valmistelu, hankerekisteri, tilivelvollisuus, luottamus, "
            "korruptio, sidonnaisuus, esteellisyys, pöytäkirja, esityslista, kokous, suoratoisto, "
            "striimata, julkinen, raportointi, budjetti, hankinta, lautakunta, valtuusto, "
            "kalenteri, asiakirja, diaari, eettinen, etiikka, vastuullisuus"
        ),
        "sv": (
            "öppen verksamhet, öppenhet, transparens, insyn, offentlighet, offentlighetsprincip, "
            "öppenhetsregister, lobbning, lobbyist, beslutsfattande, beredning, förtroende, "
            "korruption, jäv, protokoll, föredragningslista, sammanträde, möte, direktsändning, "
            "rapportering, budget, upphandling, nämnd, fullmäktige, kalender, etik"
        ),
        "en": (
            "open operations, transparency, transparent, lobbying, lobbyist, transparency "
            "register, decision-making, freedom of information, public access, trust, corruption, "
            "integrity, minutes, agenda, meeting, livestream, budget, procurement, "
            "council, calendar, ethics, conflict of interest"
        ),
    },
    "enabling_administration": {
        "fi": (
            "hallinto mahdollistajana, mahdollistaja, mahdollistaa, mahdollistava, kokeilu, "
            "kokeilla, kokeilukulttuuri, yhteistyö, verkosto, kumppanuus, palvelumuotoilu, "
            "innovaatio, rahoitus, avustus, kansalaisyhteiskunta, järjestö, yhdistys, "
            "vapaaehtoinen, vapaaehtoistoiminta, toimintaympäristö, sääntely, lupaprosessi, lupa, "
            "sujuvoittaa, sujuva, digitalisaatio, sähköinen asiointi, asiointi, yrittäjä, "
            "neuvonta, byrokratia, purkaa, keventää, matalan kynnyksen"
        ),
        "sv": (
            "förvaltningen som möjliggörare, möjliggörare, möjliggöra, försök, pilot, samarbete, "
            "nätverk, partnerskap, tjänstedesign, innovation, finansiering, understöd, bidrag, "
            "civilsamhälle, förening, frivillig, reglering, tillstånd, smidig, digitalisering, "
            "e-tjänst, företagare, rådgivning, byråkrati, plattform"
        ),
        "en": (
            "enabling administration, enabler, enable, experiment, pilot, collaboration, "
            "cooperation, network, partnership, service design, innovation, funding, grant, civil "
            "society, association, volunteer, regulation, permit, licence process, streamline, "
            "digitalisation, e-service, entrepreneur, advice, bureaucracy, platform"
        ),
    },
    "open_data": {
        "fi": (
            "avoin data, avoimet tiedot, avoin tieto, data, avoindata, tietoaineisto, aineisto, "
            "rajapinta, tietovaranto, lisenssi, koneluettava, tilasto, paikkatieto, tietokanta, "
            "tiedonhallinta, dataportaali, metatieto, visualisointi, kartta, karttapalvelu, "
            "avata, avaaminen, csv, json, tietomalli, datasetti, uudelleenkäyttö, koodi, avoin "
            "lähdekoodi, github, tekoäly, analytiikka, mittari, dashboard"
        ),
        "sv": (
            "öppna data, öppen data, data, datamängd, gränssnitt, licens, maskinläsbar, "
            "statistik, geodata, databas, informationshantering, dataportal, metadata, "
            "visualisering, karta, kartjänst, öppna, källkod, öppen källkod, återanvändning"
        ),
        "en": (
            "open data, data, dataset, api, interface, licence, license, machine-readable, "
            "statistics, geospatial, database, data portal, metadata, visualisation, "
            "visualization, map, open source, source code, reuse, download, dashboard, csv"
        ),
    },
}
