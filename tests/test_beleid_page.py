"""The Beleid page on the hand-worked town of test_figures (period 01/11/2025 .. 31/01/2026, every figure worked out
there by hand), for the policy maker and the coordinator: the period every figure follows, the tiles, the coverage
per deelgemeente against the norm, the downloads — and never a request or child id for the policy role."""

import re
from datetime import date

import pytest
from sqlalchemy import text

from apptest import metrics, page, read_csv, table
from llko import settings
from llko.accounts import auth

from test_figures import PROVIDERS, REQUESTS, store

PASSWORD = "een-lang-wachtwoord"
# the requests of test_figures under ids no page text could hold by chance ('R5' is also the name of a rule)
OWN_REQUESTS = [(f"AV-{r[0]}", f"KIND-{r[1]}", *r[2:]) for r in REQUESTS]


@pytest.fixture
def site(engine, db_url, app_env):
    app_env(db_url)  # 'today' 02/11/2026: 'vorig jaar' is 2025
    store(engine, OWN_REQUESTS, PROVIDERS, [("Okegem", 2025, 150), ("Okegem", 2026, 160), ("Voorde", 2027, 90)],
          [("P1", "2025-11-01", 2), ("P2", "2026-01-31", 1), ("P1", "2026-02-01", 3)])
    auth.create_user(engine, "test", "beleid", "Bert Beleid", "policy", PASSWORD)
    auth.create_user(engine, "test", "coord", "Cora Coördinator", "coordinator", PASSWORD)
    return engine


def opened(username: str, date_from: date = date(2025, 11, 1), date_to: date = date(2026, 1, 31)):
    at = page("views/beleid.py", username).run()
    at.radio(key="beleid_period").set_value("custom").run()
    at.date_input(key="beleid_period_from").set_value(date_from).run()
    at.date_input(key="beleid_period_to").set_value(date_to).run()
    return at


def everything_shown(at) -> str:
    parts = [m.value for m in at.markdown] + [f"{m.label} {m.value}" for m in at.metric]
    parts += [frame.value.to_csv() for frame in at.dataframe]
    return "\n".join(parts)


@pytest.mark.parametrize("username", ["beleid", "coord"])
def test_the_page_shows_the_figures_of_the_chosen_period(site, username):
    at = opened(username)
    # 8 requests; 3 of the 5 answers in time (60%); K2 with an unmet need; answer days 0, 1, 9, 15, 20: median 9
    assert {k: v for k, v in metrics(at).items() if k in ("Aanvragen", "Tijdig beantwoord",
                                                          "Kinderen met onvervulde nood",
                                                          "Dagen tot antwoord (mediaan)")} == {
        "Aanvragen": "8", "Tijdig beantwoord": "60%", "Kinderen met onvervulde nood": "1",
        "Dagen tot antwoord (mediaan)": "9"}
    districts = table(at, "Plaatsen per 100 kinderen").set_index("Deelgemeente")
    assert districts.loc["Okegem", "Plaatsen per 100 kinderen"] == "11,3"  # 18 * 100 / 160 = 11.25, half up
    assert districts.loc["Okegem", "Vergunde plaatsen"] == 18
    assert districts["Aanvragen"].to_dict() == {"Okegem": 6, "Voorde": 0, "onbekend": 2}
    assert any(m.value == "Onder de norm van 33 plaatsen per 100 kinderen: Okegem." for m in at.markdown)
    months = table(at, "Elders goedgekeurd")
    assert months[["Maand", "Totaal"]].values.tolist() == [["nov 2025", 3], ["dec 2025", 2], ["jan 2026", 3]]


def test_the_norm_line_follows_the_setting(site):
    settings.save(site, "coord", "coverage_norm", "10")
    at = opened("beleid")
    assert any(m.value == "Onder de norm van 10 plaatsen per 100 kinderen: geen enkele deelgemeente."
               for m in at.markdown)


def test_the_default_period_is_last_year_and_a_period_ending_before_it_starts_is_refused(site):
    at = page("views/beleid.py", "beleid").run()
    assert any("van 01/01/2025 tot en met 31/12/2025" in m.value for m in at.markdown)
    # in 2025: R1..R6 (R6 on 31/10/2025 too)
    assert metrics(at)["Aanvragen"] == "6"
    at = opened("beleid", date(2026, 2, 1), date(2026, 1, 31))
    assert [e.value for e in at.error] == ["Ongeldige periode: de begindatum (01/02/2026) ligt na de einddatum "
                                           "(31/01/2026). Kies een begindatum op of vóór de einddatum."]
    assert not at.metric


def test_the_policy_maker_sees_no_request_or_child_id(site, downloads):
    at = opened("beleid")
    ids = re.compile("|".join(sorted({r[0] for r in OWN_REQUESTS} | {r[1] for r in OWN_REQUESTS})))
    assert not ids.search(everything_shown(at))
    files = [n for n in downloads.names() if n.endswith("-20251101-20260131.csv")]
    assert sorted(files) == ["aanvragen-per-maand-20251101-20260131.csv", "cijfers-opgroeien-20251101-20260131.csv",
                             "deelgemeenten-20251101-20260131.csv", "kinderen-20251101-20260131.csv"]
    for name in files:
        assert not ids.search(read_csv(downloads[name]).to_csv()), name


def test_the_coordinator_fills_in_a_population_figure_and_the_coverage_follows(site):
    at = opened("coord")
    assert not any(t.label == "Deelgemeente" for t in opened("beleid").text_input)  # the policy maker reads only
    next(t for t in at.text_input if t.label == "Deelgemeente").input("Voorde")
    next(n for n in at.number_input if n.label == "Jaar").set_value(2026)
    next(n for n in at.number_input if n.label == "Kinderen onder 3").set_value(40)
    next(b for b in at.button if b.label == "Cijfer bewaren").click().run()
    assert at.success[0].value == "Bewaard: Voorde, 2026: 40 kinderen onder 3."
    at = opened("coord")
    districts = table(at, "Plaatsen per 100 kinderen").set_index("Deelgemeente")
    assert districts.loc["Voorde", "Kinderen onder 3"] == 40 and districts.loc["Voorde", "Plaatsen per 100 kinderen"] == "0,0"
    next(n for n in at.number_input if n.label == "Jaar").set_value(1890)
    next(n for n in at.number_input if n.label == "Kinderen onder 3").set_value(-5)
    next(b for b in at.button if b.label == "Cijfer bewaren").click().run()
    assert [e.value for e in at.error] == ["Deelgemeente: vul de naam van de deelgemeente in.",
                                           "Jaar: een jaar van 1990 tot en met 2027.",
                                           "Kinderen onder 3: een geheel getal van 0 tot 100.000."]
    with site.connect() as conn:
        lines = conn.execute(text("SELECT actor, detail FROM audit_log WHERE action = 'population_recorded'")).all()
    assert [tuple(line) for line in lines] == [
        ("coord", '{"deelgemeente": "Voorde", "jaar": 2026, "kinderen": 40, "was": null}')]


def test_the_figures_for_opgroeien_per_provider_and_in_total(site, downloads):
    at = opened("beleid")
    found = table(at, "Opvang").set_index("Opvang")
    # test_figures' EXPECTED providers: P1 3 received, 1 niet mogelijk, 1 approved; P2 3, P3 2; in total 8
    assert found["Ontvangen"].to_dict() == {"P1": 3, "P2": 3, "P3": 2, "Totaal": 8}
    assert found["Tekort (niet mogelijk)"].to_dict() == {"P1": 1, "P2": 0, "P3": 1, "Totaal": 2}
    assert found.loc["Totaal", "Elders goedgekeurd"] == 2
    csv = read_csv(downloads["cijfers-opgroeien-20251101-20260131.csv"])
    assert csv["Opvang"].tolist() == ["P1", "P2", "P3", "Totaal"]


def test_a_period_without_requests_says_so_instead_of_empty_charts(site):
    at = opened("beleid", date(2024, 1, 1), date(2024, 12, 31))
    assert [i.value for i in at.info][0].startswith("Geen aanvragen ontvangen van 01/01/2024 tot en met 31/12/2024")
    assert not any(h.value == "Aanvragen per maand" for h in at.header)
    assert any(h.value == "Aanbod per deelgemeente" for h in at.header)


def test_the_yearly_report_is_one_click_away_with_the_figures_of_its_year(site, downloads):
    import io

    import openpyxl

    at = page("views/beleid.py", "beleid").run()
    at.selectbox(key="beleid_report_year").set_value(2025).run()
    book = openpyxl.load_workbook(io.BytesIO(downloads["jaarverslag-llko-2025.xlsx"]))
    rows = list(book["Aanvragen per maand"].iter_rows(values_only=True))
    assert rows[-1][:2] == ("Totaal", 6)  # received in 2025: R1..R6 of test_figures' town (R6 on 31/10/2025)
    assert downloads["jaarverslag-llko-2025.pdf"].startswith(b"%PDF-")
