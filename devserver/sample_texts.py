"""The words of the sample submissions: what civil servants write, in Finnish, Swedish, English.

Data only, read by devserver/samples.py, which builds the messages around them. Each text says
in its name which sample it belongs to; what each exercises is told by that sample's builder.
"""

FI_PLAIN_BODY = """\
Hei,

lähetän teille hyvän käytännön avoimen hallinnon kokemuksiin. Teemaksi sopisi ymmärrettävyys.

Mitä tehtiin ja miksi?
Kirjoitimme ministeriön päätöstiedotteet uudelleen selkeällä yleiskielellä ja teimme
tärkeimmistä myös selkokieliset versiot. Palautteen mukaan tiedotteita oli vaikea ymmärtää
ilman hallinnon taustatietoja, ja kuntien asiakaspalvelu joutui selittämään niitä asukkaille.

Mitä saatiin aikaiseksi?
Syksyn 2025 aikana julkaisimme 24 tiedotetta uudella tavalla. Lukijakyselyyn vastanneista
78 % sanoi ymmärtävänsä, mitä päätös tarkoittaa heidän arjessaan. Kielenhuollon tarkistuslista
on nyt osa jokaisen tiedotteen valmistelua.

Mitä jatkossa?
Laajennamme mallin lausuntopyyntöihin ja koulutamme vuoden 2026 aikana noin 60 valmistelijaa.
Tarkistuslista julkaistaan muiden ministeriöiden käyttöön.

Lisätietoa
https://vm.fi/selkeat-tiedotteet
Anna Virtanen, erityisasiantuntija, anna.virtanen@vm.fi

Ystävällisin terveisin

Anna Virtanen
erityisasiantuntija
Valtiovarainministeriö / Julkisen hallinnon yksikkö
PL 28, 00023 Valtioneuvosto
puh. 0295 530 412
anna.virtanen@vm.fi | vm.fi
"""

SV_PLAIN_BODY = """\
Hej!

Här kommer vår erfarenhet till sidorna om öppen förvaltning.

Vad gjordes och varför?
Vasa stad ordnade tre öppna budgetverkstäder för unga i åldern 13–20 år. Ungdomsfullmäktige
hade påpekat att unga sällan hörs när stadens budget bereds.

Vad uppnåddes?
Över 140 unga deltog. Förslaget om längre öppettider på ungdomsgårdarna och en ny
skateplats i Gerby togs med i budgetförslaget för 2026.

Vad händer härnäst?
Verkstäderna blir en fast del av budgetberedningen och ordnas i fortsättningen på både
svenska och finska, också i skolorna.

Mer information
www.vasa.fi/budgetverkstad
Johan Lindqvist, ungdomssekreterare, johan.lindqvist@vasa.fi

Med vänliga hälsningar / Ystävällisin terveisin
Johan Lindqvist
Ungdomssekreterare / Nuorisosihteeri
Vasa stad / Vaasan kaupunki
tfn 040 123 4567
"""

FI_OUTLOOK_HTML = """\
<html xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" \
xmlns:w="urn:schemas-microsoft-com:office:word" xmlns="http://www.w3.org/TR/REC-html40">
<head><meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<meta name="Generator" content="Microsoft Word 15 (filtered medium)">
<style><!--
p.MsoNormal, li.MsoNormal {margin:0cm; font-size:11.0pt; font-family:"Calibri",sans-serif;}
@page WordSection1 {size:612.0pt 792.0pt;}
div.WordSection1 {page:WordSection1;}
--></style></head>
<body lang="FI" link="#0563C1" vlink="#954F72" style="word-wrap:break-word">
<div class="WordSection1">
<p class=MsoNormal>Hei,<o:p></o:p></p>
<p class=MsoNormal><o:p>&nbsp;</o:p></p>
<p class=MsoNormal>tässä Tampereen kaupungin kokemus avoimen datan teemasta.<o:p></o:p></p>
<p class=MsoNormal><o:p>&nbsp;</o:p></p>
<p class=MsoNormal><b>Mitä tehtiin ja miksi<o:p></o:p></b></p>
<p class=MsoNormal>Avasimme kaupungin hankintojen ostolaskutiedot rajapintana. Asukkaat ja \
toimittajat kysyivät hankinnoista usein, ja tietopyyntöjen käsittely vei viikoittain \
päiviä työtä.<o:p></o:p></p>
<p class=MsoNormal><o:p>&nbsp;</o:p></p>
<p class=MsoNormal><b>Mitä saatiin aikaiseksi<o:p></o:p></b></p>
<p class=MsoNormal>Rajapinta päivittyy kuukausittain, ja sitä on käytetty yli 9&nbsp;000 kertaa. \
Tietopyyntöjen määrä laski noin kolmanneksella vuodessa.<o:p></o:p></p>
<p class=MsoNormal><o:p>&nbsp;</o:p></p>
<p class=MsoNormal><b>Mitä jatkossa<o:p></o:p></b></p>
<p class=MsoNormal>Lisäämme sopimustiedot ja hankintojen kilpailutusasiakirjat samaan \
palveluun vuoden 2026 loppuun mennessä.<o:p></o:p></p>
<p class=MsoNormal><o:p>&nbsp;</o:p></p>
<p class=MsoNormal><b>Lisätietoja<o:p></o:p></b></p>
<p class=MsoNormal><a href="https://data.tampere.fi/hankinnat">data.tampere.fi/hankinnat</a>\
<o:p></o:p></p>
<p class=MsoNormal><o:p>&nbsp;</o:p></p>
<p class=MsoNormal>Terveisin<o:p></o:p></p>
<p class=MsoNormal>Päivi Heikkinen<o:p></o:p></p>
<p class=MsoNormal><span style="color:#595959">tietoasiantuntija | Tampereen kaupunki \
&#8211; Konsernihallinto<o:p></o:p></span></p>
<p class=MsoNormal><span style="color:#595959">p. 040 806 1234 | \
paivi.heikkinen@tampere.fi<o:p></o:p></span></p>
</div></body></html>
"""

FI_PHOTO_TEXT = """\
Hei!

Lähetän kokemuksemme asukasiltojen striimaamisesta. Kuva liitteenä.

Mitä tehtiin ja miksi?
Oulun kaupunki alkoi striimata asukasillat ja kerätä kysymykset etukäteen verkossa. \
Iltoihin pääsi paikan päälle vain pieni osa asukkaista.

Mitä saatiin aikaiseksi?
Kevään viiteen asukasiltaan osallistui verkossa yhteensä noin 2 300 ihmistä, ja \
kysymyksiä tuli 410. Vastaukset julkaistiin kaupungin sivuilla.

Mitä jatkossa?
Tallenteet tekstitetään, ja malli otetaan käyttöön kaikissa suuralueissa.

Lisätietoa
https://www.ouka.fi/asukasillat

Kuva: Maija Mallikas

Terveisin
Mikko Korhonen
vuorovaikutussuunnittelija
Oulun kaupunki
"""

FI_PHOTO_HTML = """\
<html><head><meta charset="utf-8"></head><body>
<p>Hei!</p>
<p>Lähetän kokemuksemme asukasiltojen striimaamisesta. Kuva liitteenä.</p>
<p><b>Mitä tehtiin ja miksi?</b><br>Oulun kaupunki alkoi striimata asukasillat ja kerätä \
kysymykset etukäteen verkossa. Iltoihin pääsi paikan päälle vain pieni osa asukkaista.</p>
<p><b>Mitä saatiin aikaiseksi?</b><br>Kevään viiteen asukasiltaan osallistui verkossa yhteensä \
noin 2 300 ihmistä, ja kysymyksiä tuli 410. Vastaukset julkaistiin kaupungin sivuilla.</p>
<p><b>Mitä jatkossa?</b><br>Tallenteet tekstitetään, ja malli otetaan käyttöön kaikissa \
suuralueissa.</p>
<p><b>Lisätietoa</b><br><a href="https://www.ouka.fi/asukasillat">ouka.fi/asukasillat</a></p>
<p>Kuva: Maija Mallikas</p>
<p>Terveisin<br>Mikko Korhonen<br>vuorovaikutussuunnittelija<br>Oulun kaupunki</p>
<p><img width="180" height="48" src="cid:image001.png@01DCB21E.5A4F3C20" alt="Oulun kaupunki"></p>
</body></html>
"""

FI_FORWARDED_BODY = """\
Hei,

välitän kollegani kokemuksen teille, hän ei ollut varma oikeasta osoitteesta.

t. Liisa

Liisa Mäkinen
neuvotteleva virkamies
Oikeusministeriö

Lähettäjä: Nieminen Kari (OM) <kari.nieminen@gov.fi>
Lähetetty: tiistai 17. maaliskuuta 2026 11.05
Vastaanottaja: Mäkinen Liisa (OM) <liisa.makinen@gov.fi>
Aihe: Hyvä käytäntö avoimen hallinnon sivuille

Moi Liisa,

voisitko laittaa tämän eteenpäin avoimen hallinnon väelle?

1. Mitä tehtiin?
Kokosimme virastoille työkalupakin, jolla sidosryhmien kuuleminen suunnitellaan jo \
lainvalmistelun alussa. Kuulemiset tehtiin ennen liian myöhään ja liian kiireellä.

2. Mitä saatiin aikaiseksi?
Työkalupakkia on käyttänyt 14 virastoa, ja lausuntoaikoja on pidennetty keskimäärin \
kahdella viikolla.

3. Jatko
Työkalupakki käännetään ruotsiksi ja siihen lisätään ohjeet saavutettavista \
kuulemistilaisuuksista.

4. Lisätiedot
Kari Nieminen, kari.nieminen@gov.fi, 0295 150 321

Kari
"""

EN_FREE_PROSE_BODY = """\
Hello,

A colleague suggested that we share our experience with the open government team. Over the \
past year the Digital and Population Data Services Agency opened its building and address \
register as open data, because municipalities, researchers and companies kept requesting the \
same extracts and each request was handled by hand.

Since the data became available through an open interface last autumn, manual extract requests \
have almost stopped and the data has been downloaded more than 50 000 times. Rescue services \
told us that the fresher address data helps them in their daily work.

Next we plan to publish the change history of the register and write clearer documentation \
together with the users. Anyone interested can read more at https://dvv.fi/en/open-data or \
contact me directly.

Best regards,
Sarah Nyström
Senior Specialist, Digital and Population Data Services Agency
sarah.nystrom@dvv.fi
"""

FI_LATIN1_BODY = """\
Hei,

alla Lapin hyvinvointialueen kokemus osallisuudesta.

1) Mitä tehtiin ja miksi
Perustimme asiakasraadin, jossa asukkaat ja omaiset arvioivat palveluiden muutoksia ennen \
päätöksiä. Päätökset koettiin kaukaisiksi, etenkin pienissä kunnissa.

2) Mitä saatiin aikaiseksi
Raati käsitteli vuonna 2025 yhdeksän asiaa, ja sen esitykset näkyvät päätösten perusteluissa.

3) Mitä jatkossa
Raadin jäseniä valitaan jatkossa myös saamenkielisistä kunnista.

4) Lisätietoa
Heikki Räsänen, heikki.rasanen@lapha.fi

Heikki Räsänen
osallisuuskoordinaattori
Lapin hyvinvointialue
"""

FI_OUT_OF_OFFICE_BODY = """\
Olen lomalla 23.3.–3.4.2026 enkä lue sähköpostiani. Kiireellisissä asioissa ota yhteyttä \
kirjaamoon, kirjaamo.stm@gov.fi.

Jag har semester 23.3–3.4.2026 och läser inte min e-post.

I am on annual leave 23 March – 3 April 2026 and will not read my e-mail.

Tuomas Laine
Sosiaali- ja terveysministeriö
"""
