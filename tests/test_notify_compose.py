"""R13's mails as pure functions: rows and day D in, subject, text and HTML out, checked against what a provider and
the coordinator should read, worked out by hand."""

from dataclasses import replace
from datetime import date
from html.parser import HTMLParser

from llko.notify.compose import DigestRows, Late, Line, Place, Recipient, digest, reminder, sections
from llko.notify.rules import Named
from llko.settings import DEFAULTS

D = date(2026, 11, 20)
URL = "https://llko.ninove.be"
ZONNETJE = Recipient("P1", "Zonnetje", "zonnetje@example.be")
# A5012: received 01/11, deadline 01/11 + 14 = 15/11, late on 20/11; A5020: received 08/11, deadline 22/11, due soon
LATE = Named("A5012", date(2026, 11, 1), date(2026, 11, 15), True)
SOON = Named("A5020", date(2026, 11, 8), date(2026, 11, 22), False)


class _Text(HTMLParser):
    def __init__(self):
        super().__init__()
        self.parts, self.tags = [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.parts.append(data)


def _html(html: str) -> tuple[str, list]:
    parser = _Text()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split()), parser.tags


def test_a_reminder_names_each_request_with_its_received_day_and_deadline():
    mail = reminder(ZONNETJE, [SOON, LATE], D, DEFAULTS, URL)
    assert (mail.kind, mail.target, mail.recipient) == ("herinnering", "P1", "zonnetje@example.be")
    assert mail.request_ids == ("A5012", "A5020")  # sorted by id
    assert mail.subject == "Herinnering: 2 opvangvragen wachten op een antwoord via Opvang.Vlaanderen"
    lines = mail.text.splitlines()
    assert "- A5012: ontvangen op 01/11/2026, antwoord uiterlijk op 15/11/2026 (te laat)" in lines
    assert "- A5020: ontvangen op 08/11/2026, antwoord uiterlijk op 22/11/2026" in lines
    assert lines[0] == "Beste Zonnetje,"
    assert "Op 20/11/2026 wachten deze 2 opvangvragen bij Zonnetje nog op een antwoord" in mail.text
    assert "binnen de 14 dagen een reactie of je plaats hebt of niet" in mail.text  # the procedure's wording
    assert f"{URL}/mijn_aanvragen?opvang=P1" in mail.text  # opens this provider's own page
    assert mail.text.rstrip().endswith("Lokaal Loket Kinderopvang Ninove")


def test_the_html_of_a_reminder_says_the_same_in_a_table_with_a_link():
    mail = reminder(ZONNETJE, [LATE, SOON], D, replace(DEFAULTS, municipality="Aalst", deadline_days=10), URL)
    text, tags = _html(mail.html)
    assert "A5012 01/11/2026 15/11/2026 te laat" in text
    assert "A5020 08/11/2026 22/11/2026 bijna te laat" in text
    assert "binnen de 10 dagen" in text and text.endswith("Lokaal Loket Kinderopvang Aalst")
    assert ("html", {"lang": "nl"}) in tags
    assert ("a", {"href": f"{URL}/mijn_aanvragen?opvang=P1", "style": "color: #0b5394;"}) in tags
    assert sum(1 for tag, attrs in tags if tag == "th" and attrs.get("scope") == "col") == 4


def test_one_request_is_said_in_the_singular():
    mail = reminder(ZONNETJE, [LATE], D, DEFAULTS, URL)
    assert mail.subject == "Herinnering: 1 opvangvraag wacht op een antwoord via Opvang.Vlaanderen"
    assert "Op 20/11/2026 wacht deze opvangvraag bij Zonnetje" in mail.text


def test_names_are_escaped_in_html_and_left_alone_in_text():
    provider = Recipient("P2", "'t Kapoentje <Ninove> & co", "k@example.be")
    mail = reminder(provider, [LATE], D, DEFAULTS, URL)
    assert "Beste 't Kapoentje <Ninove> & co," in mail.text
    assert "&lt;Ninove&gt; &amp; co" in mail.html and "<Ninove>" not in mail.html


def test_no_reminder_without_requests_an_address_or_consent():
    assert reminder(ZONNETJE, [], D, DEFAULTS, URL) is None
    assert reminder(replace(ZONNETJE, email=""), [LATE], D, DEFAULTS, URL) is None
    assert reminder(replace(ZONNETJE, wants_reminders=False), [LATE], D, DEFAULTS, URL) is None


COORDINATORS = [Recipient("an", "An", "an@ninove.be"), Recipient("bert", "Bert", ""),
                Recipient("cis", "Cis", "cis@ninove.be")]
ROWS = DigestRows(
    since=date(2026, 11, 19),
    newly_overdue=(Late("A5012", "Zonnetje (P1)", date(2026, 11, 1), date(2026, 11, 15), days_late=5),),
    due_soon=(Late("A5020", "Zonnetje (P1)", date(2026, 11, 8), date(2026, 11, 22)),),
    followups=(Late("A4000", "Maan (P2)", date(2026, 9, 1), date(2026, 9, 15), todo="afsluiten",
                    since=date(2026, 10, 1)),),
    new_places=(Place("Maan (P2)", 2, date(2026, 12, 1), date(2026, 11, 19), date(2026, 11, 19)),),
    stale=(Line("Zon (P1)", "infopagina: nooit nagekeken door het loket", None),
           Line("Maan (P2)", "vrije plaats: 1 plaats vanaf 01/10/2026: niet meer bevestigd sinds 20/09/2026",
                date(2026, 9, 20))),
    files=(Line("Maan (P2)", "Gesprek met het loket (Aanvragen tijdig beantwoorden)", date(2026, 11, 3)),),
    unsent=(Line("Ster (P3)", "geen e-mailadres in de opvanggegevens; aanvragen A6001", D),),
)


def flat(text: str) -> str:
    """The text with every wrapped list item on one line again."""
    return text.replace("\n  ", " ")


def test_the_digest_goes_to_every_coordinator_with_an_address():
    mails = digest(ROWS, COORDINATORS, D, DEFAULTS, URL)
    assert [(m.kind, m.target, m.recipient) for m in mails] == [("overzicht", "an", "an@ninove.be"),
                                                                ("overzicht", "cis", "cis@ninove.be")]
    assert mails[0].subject == "Dagoverzicht Lokaal Loket Kinderopvang Ninove 20/11/2026: 1 nieuw te laat, 1 bijna te laat"
    assert mails[0].request_ids == ("A4000", "A5012", "A5020")
    assert mails[0].text.startswith("Beste An,") and mails[1].text.startswith("Beste Cis,")


def test_the_digest_lists_what_the_coordinator_acts_on_and_leaves_out_empty_parts():
    text = digest(ROWS, COORDINATORS, D, DEFAULTS, URL)[0].text
    assert "Nieuw te laat sinds het vorige overzicht van 19/11/2026 (1)" in text
    assert "- A5012 · Zonnetje (P1) · 01/11/2026 · 15/11/2026 · 5" in text
    assert "- A5020 · Zonnetje (P1) · 08/11/2026 · 22/11/2026" in text
    assert "- A4000 · Maan (P2) · 01/10/2026 · afsluiten" in text
    assert "Nieuw gemelde vrije plaatsen sinds het vorige overzicht van 19/11/2026 (1)" in text
    assert "- Maan (P2) · 2 · 01/12/2026 · 19/11/2026" in text
    assert "Verouderde gegevens (2)" in text
    assert "- Zon (P1) · nooit · infopagina: nooit nagekeken door het loket" in text
    assert ("- Maan (P2) · 20/09/2026 · vrije plaats: 1 plaats vanaf 01/10/2026: niet\n"
            "  meer bevestigd sinds 20/09/2026") in text  # a long item wraps under its own text
    assert "- Maan (P2) · 03/11/2026 · Gesprek met het loket (Aanvragen tijdig beantwoorden)" in flat(text)
    assert "- Ster (P3) · 20/11/2026 · geen e-mailadres in de opvanggegevens; aanvragen A6001" in flat(text)
    assert "Infopagina: verklaringen" not in text  # nothing to say there
    assert f"{URL}/meldingen" in text


def test_the_digest_html_has_a_heading_and_a_table_per_part():
    html = digest(ROWS, COORDINATORS, D, DEFAULTS, URL)[0].html
    text, tags = _html(html)
    assert [t for t, _ in tags].count("h2") == 7 == [t for t, _ in tags].count("table")
    assert "A5012 Zonnetje (P1) 01/11/2026 15/11/2026 5" in text


def test_no_digest_when_there_is_nothing_to_say():
    assert digest(DigestRows(since=D), COORDINATORS, D, DEFAULTS, URL) == []
    assert digest(ROWS, [Recipient("bert", "Bert", "")], D, DEFAULTS, URL) == []


def test_the_first_digest_says_so_and_the_settings_name_the_windows():
    rows = replace(ROWS, since=None)
    titles = [s.title for s in sections(rows, replace(DEFAULTS, due_soon_days=5))]
    assert titles[0] == "Nieuw te laat (eerste overzicht)"
    assert titles[1] == "Bijna te laat (termijn binnen 5 dagen)"
    assert "Nieuw gemelde vrije plaatsen (eerste overzicht)" in titles


def test_plain_text_lines_fit_a_mail_program_and_no_id_or_link_is_broken():
    named = [Named(f"A2024-{i:06d}", date(2026, 10, 1), date(2026, 10, 15), True) for i in range(3)]
    provider = Recipient("KO-150631", "Crèche Pimpampoentje met een heel lange naam (Outer)", "c@example.be")
    mail = reminder(provider, named, D, DEFAULTS, URL + "/" + "x" * 80)
    lines = mail.text.split("\n")
    assert all(len(line) <= 76 or " " not in line.strip() for line in lines)  # only a link may be longer
    assert "- A2024-000001: ontvangen op 01/10/2026, antwoord uiterlijk op 15/10/2026 (te laat)" not in lines
    assert "- A2024-000001: ontvangen op 01/10/2026, antwoord uiterlijk op 15/10/2026" in lines  # wrapped whole
    assert "  (te laat)" in lines
    assert f"{URL}/{'x' * 80}/mijn_aanvragen?opvang=KO-150631" in lines
