"""The compliance pages (Naleving, Dossier, Mijn naleving) on the hand-built town of test_compliance_cli, period
01/06/2026 .. 01/11/2026, for the three roles. The verdicts are those worked out by hand in test_compliance_cli's
EXPECTED: P1 Het Zonnetje (answering short: A103, A107), P2 Het Nest (answering, infopagina, LOK, vacancies,
agreement short), P3 De Kapoen (LOK, agreement short; infopagina and plus unknown), P4 De Vlinder (in order)."""

from datetime import date

import pytest
from sqlalchemy import text

from apptest import errors, metrics, page, table
from llko.accounts import auth

from test_compliance_cli import town  # noqa: F401  (the hand-built town, on SQLite and PostgreSQL)
from tests.helpers import words

F, T = date(2026, 6, 1), date(2026, 11, 1)
PASSWORD = "een-lang-wachtwoord"
WHY = "Besproken op het LOK: de achterstand kwam door een langdurige ziekte."


@pytest.fixture
def site(town, db_url, app_env):
    app_env(db_url)
    auth.create_user(town, "test", "coord", "Cora Coördinator", "coordinator", PASSWORD)
    auth.create_user(town, "test", "beleid", "Bert Beleid", "policy", PASSWORD)
    auth.create_user(town, "test", "zon", "Zon", "provider", PASSWORD, ("P1",))
    return town


def opened(path: str, username: str, prefix: str):
    """The page as this user, on a free period [F, T] when no advice round is chosen (with a round: its period)."""
    at = page(path, username).run()
    if any(d.key == f"{prefix}_from" for d in at.date_input):
        at.date_input(key=f"{prefix}_from").set_value(F).run()
        at.date_input(key=f"{prefix}_to").set_value(T).run()
    return at


def advice_round(engine, name: str = "Uitbreidingsronde 2027", kind: str = "uitbreidingsronde") -> int:
    """An open advice round over [F, T]: the pages open on it."""
    from llko.compliance import rounds

    return rounds.create(engine, "coord", name, kind, F, T)


def texts(at) -> str:
    """Everything the page writes as text (markdown, alerts, metrics, tables), to look for what must not be there."""
    parts = [m.value for m in at.markdown] + [e.value for e in at.error] + [w.value for w in at.warning]
    parts += [s.value for s in at.success] + [f"{m.label} {m.value}" for m in at.metric]
    parts += [frame.value.to_csv() for frame in at.dataframe]
    return "\n".join(parts)


def test_the_grid_shows_each_verdict_with_its_symbol_and_the_advice(site):
    at = opened("views/naleving.py", "coord", "naleving")
    assert metrics(at) == {"In orde": "1 van 4", "Negatief advies": "3", "0-score": "2", "Aangepast advies": "0"}
    grid = table(at, "Aanvragen tijdig beantwoorden")
    assert list(grid.columns[:4]) == ["Opvang", "Negatief advies", "0-score", "Aanvragen tijdig beantwoorden"]
    assert grid.values.tolist() == [  # the advice right after the name
        ["De Kapoen", "ja", "ja", "✓ in orde", "? onbekend", "✗ tekort", "? onbekend", "✓ in orde", "✓ in orde",
         "✗ tekort"],
        ["De Vlinder", "nee", "nee", "✓ in orde", "✓ in orde", "✓ in orde", "– n.v.t.", "✓ in orde", "✓ in orde",
         "✓ in orde"],
        ["Het Nest", "ja", "ja", "✗ tekort", "✗ tekort", "✗ tekort", "– n.v.t.", "✓ in orde", "✗ tekort", "✗ tekort"],
        ["Het Zonnetje", "ja", "nee", "✗ tekort", "✓ in orde", "✓ in orde", "✓ in orde", "✓ in orde", "✓ in orde",
         "✓ in orde"]]
    # the thresholds in force, with their values
    thresholds = dict(table(at, "Instelling").values.tolist())
    assert thresholds["Minimum tijdig beantwoord"] == "90%"
    assert thresholds["Termijn om te antwoorden"] == "14 dagen"


def test_the_coordinator_sees_the_request_ids_behind_a_verdict(site):
    at = opened("views/naleving.py", "coord", "naleving")
    at.selectbox(key="naleving_provider").set_value("P2").run()
    at.selectbox(key="naleving_obligation").set_value("answering").run()
    assert "9 van 14 aanvragen tijdig beantwoord (64,2%); minimum 90%." in texts(at)
    assert table(at, "Bewijs")["Bewijs"].tolist() == ["A202", "A203", "A210", "A211", "A215"]


def test_the_policy_maker_sees_the_grid_and_the_advice_but_no_request_id(site):
    at = opened("views/naleving.py", "beleid", "naleving")
    assert metrics(at)["Negatief advies"] == "3"
    for provider in ("P1", "P2"):
        for obligation in ("answering", "statuses", "vacancies"):
            at.selectbox(key="naleving_provider").set_value(provider).run()
            at.selectbox(key="naleving_obligation").set_value(obligation).run()
            shown = texts(at)
            assert "A1" not in shown and "A2" not in shown, (provider, obligation)
    assert "Het bewijs per aanvraag blijft bij het loket" in texts(at)
    assert "pagina Instellingen" not in texts(at)  # a page the policy maker cannot open
    assert not any(b.label == "Dossier van deze opvang openen" for b in at.button)


def test_an_override_with_its_motivation_is_shown_beside_the_derived_advice(site):
    advice_round(site)
    at = opened("views/dossier.py", "coord", "dossier")
    at.selectbox(key="dossier_provider").set_value("P1").run()
    assert metrics(at)["Negatief advies"] == "ja"
    advice_box = next(s for s in at.selectbox if s.label == "Advies")
    advice_box.set_value("negative_advice")
    next(r for r in at.radio if r.label == "Nieuwe waarde").set_value("nee")
    next(t for t in at.text_area if t.label == "Motivering").input("te kort")
    next(b for b in at.button if b.label == "Aanpassing bewaren").click().run()
    assert errors(at) == ["Motivering: schrijf waarom u de aanpassing beslist (minstens 20 tekens); ze blijft bij het "
                          "advies staan."]
    with site.connect() as conn:
        assert conn.execute(text("SELECT COUNT(*) FROM advice_overrides")).scalar_one() == 0
    next(t for t in at.text_area if t.label == "Motivering").input(WHY)
    next(b for b in at.button if b.label == "Aanpassing bewaren").click().run()
    assert at.success[0].value == "Het advies ‘negatief advies’ van Het Zonnetje is aangepast naar nee."
    tile = next(m for m in at.metric if m.label == "Negatief advies")  # the value whole, the change beneath it
    assert (tile.value, tile.proto.delta) == ("nee", "aangepast; afgeleid: ja")
    assert any("Aangepast door het loket naar **nee** (Cora Coördinator, " in w.value and WHY in w.value
               for w in at.warning)  # who decided by name, as everywhere
    assert table(at, "Beslist op")["Door"].tolist() == ["Cora Coördinator"]
    grid = opened("views/naleving.py", "coord", "naleving")
    assert table(grid, "Negatief advies").set_index("Opvang").at["Het Zonnetje", "Negatief advies"] == \
        "nee (aangepast; afgeleid: ja)"


def test_the_policy_maker_reads_who_decided_by_name_and_no_id_typed_into_a_motivation(site):
    from llko.compliance import service

    why = "A103 en A107 (kind K103) bleven liggen tijdens een ziekte; A1034 is geen aanvraag. Besproken op het LOK."
    service.override_advice(site, "coord", "P1", "negative_advice", advice_round(site), False, why)
    policy = opened("views/naleving.py", "beleid", "naleving")
    policy.selectbox(key="naleving_provider").set_value("P1").run()
    motivations = [m.value for m in policy.markdown if m.value.startswith("Motivering van de aanpassing")]
    assert len(motivations) == 1 and motivations[0].startswith("Motivering van de aanpassing (Cora Coördinator, ")
    assert motivations[0].endswith("): [id] en [id] (kind [id]) bleven liggen tijdens een ziekte; A1034 is geen "
                                   "aanvraag. Besproken op het LOK.")
    assert "coord" not in texts(policy).replace("Coördinator", "")
    coordinator = opened("views/naleving.py", "coord", "naleving")
    coordinator.selectbox(key="naleving_provider").set_value("P1").run()
    assert any(m.value.endswith(why) and "(Cora Coördinator, " in m.value for m in coordinator.markdown)


def test_a_contact_and_a_file_along_the_ladder_make_one_timeline(site):
    at = opened("views/dossier.py", "coord", "dossier")
    at.selectbox(key="dossier_provider").set_value("P2").run()
    next(t for t in at.text_area if t.label == "Notitie").input("Gebeld over de late antwoorden.")
    next(b for b in at.button if b.label == "Contact bewaren").click().run()
    assert at.success[0].value == "Het contact met Het Nest van 02/11/2026 is bewaard."
    notes = [t for t in at.text_area if t.label == "Notitie"]
    notes[1].input("Vijf late antwoorden, overeenkomst na het einde van de periode getekend.")
    next(b for b in at.button if b.label == "Dossier openen").click().run()
    assert at.success[0].value == "Tekortkoming vastgesteld: vastgelegd in het dossier van Het Nest."
    assert metrics(at)["Open dossier"] == "Tekortkoming vastgesteld"
    timeline = table(at, "Over / bijlagen")
    assert timeline["Wat"].tolist() == ["Contact (telefoon)", "Tekortkoming vastgesteld"]
    next(s for s in at.selectbox if s.label == "Stap").set_value("signal")
    notes = [t for t in at.text_area if t.label == "Notitie"]
    notes[1].input("Signaal verstuurd naar Opgroeien Regie.")
    next(b for b in at.button if b.label == "Stap bewaren").click().run()
    assert metrics(at)["Open dossier"] == "Signaal aan Opgroeien Regie"
    overview = page("views/overzicht.py", "coord").run()
    assert metrics(overview)["Open dossiers"] == "1"
    assert table(overview, "Stap").values.tolist()[0][:2] == ["Het Nest", "Signaal aan Opgroeien Regie"]


def test_the_provider_sees_its_own_verdicts_and_evidence_only(site):
    at = opened("views/mijn_naleving.py", "zon", "mijn_naleving")
    assert errors(at) == ["Niet in orde: Aanvragen tijdig beantwoorden."]
    evidence = table(at, "Bewijs")
    assert evidence["Bewijs"].tolist() == ["A103", "A107", "20/10/2026", "A112", "A107"]
    shown = texts(at)
    assert "A2" not in shown and "Het Nest" not in shown
    assert "Negatief advies (uitbreidingsronde en jaarlijkse subsidie van de stad): ja" in shown
    # the thresholds, without sending the provider to a page it cannot open
    assert "De oordelen volgen deze instellingen van het loket:" in shown and "Instellingen" not in shown


def test_the_dossier_produces_the_signal_and_the_advice_letters_from_the_data(site, downloads):
    subsidy_round = advice_round(site, "Subsidie 2027", "subsidie")
    advice_round(site)  # the expansion round, the one the page opens on (both open, the same period: the newest)
    at = opened("views/dossier.py", "coord", "dossier")
    at.selectbox(key="dossier_provider").set_value("P2").run()
    next(t for t in at.text_area if t.label == "Notitie").input("Gebeld: belooft beterschap.")
    next(b for b in at.button if b.label == "Contact bewaren").click().run()
    at.selectbox(key="dossier_round").set_value(subsidy_round).run()  # each round writes its own advice letter
    stem = "P2-20260601-20261101"
    assert {f"signaal-{stem}.pdf", f"advies-uitbreidingsronde-{stem}.pdf", f"advies-subsidie-{stem}.pdf",
            f"bewijs-{stem}.xlsx"} <= set(downloads.names())
    signal = words(downloads[f"signaal-{stem}.pdf"])
    for expected in ("Signaal aan Opgroeien Regie", "Lokaal Loket Kinderopvang Ninove", "Het Nest", "P2",
                     "01/06/2026 tot en met 01/11/2026", "A202", "A203", "A210", "A211", "A215", "A212", "A213", "A216",
                     "Gebeld: belooft beterschap.", "Cora Coördinator", "90%"):
        assert expected in signal, expected
    subsidy = words(downloads[f"advies-subsidie-{stem}.pdf"])
    assert "Het Nest" in subsidy and "0-score" not in subsidy
    round_letter = words(downloads[f"advies-uitbreidingsronde-{stem}.pdf"])
    assert "0-score" in round_letter


def test_the_opvang_page_tells_where_a_providers_file_stands(site):
    from llko.compliance import service

    service.open_file(site, "coord", "Cora", "P2", date(2026, 10, 20), ["answering"], "Late antwoorden.",
                      date(2026, 11, 2))
    at = page("views/opvang.py", "coord").run()
    at.selectbox(key="opvang_provider").set_value("P2").run()
    assert "Open dossier sinds 20/10/2026, nu op ‘Tekortkoming vastgesteld’ (sinds 20/10/2026)." in texts(at)
    at.selectbox(key="opvang_provider").set_value("P4").run()
    assert "Geen open dossier. Nog geen contact van het loket vastgelegd." in texts(at)
