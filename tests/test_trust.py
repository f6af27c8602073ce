"""Trust that holds everywhere (issue 22), on a small town written by hand: a provider account bound to its own
providers whatever its browser sends (two providers share a name), downloads that check the session when they are
served, text from data shown as text, and values no browser can send to crash a page."""

import re
from datetime import date

import pytest
from markdown_it import MarkdownIt

from apptest import element_id, page, read_csv, run_sending
from llko import settings
from llko.accounts import auth, sessions
from llko.compliance import rounds, service as compliance
from llko.requests.importer import import_file
from llko.vacancies import service as vacancies
from ui.choices import unique_labels
from ui.downloads import DownloadRefused

T = date(2026, 11, 2)  # the app's 'today' in these tests
PASSWORD = "een-lang-wachtwoord"
# P1 and P3 are both called 'Het Zonnetje' (names come from the export and are not unique). The account 'twee'
# holds P1 and P2; everything of P3 is marked Z3 so that a leak shows.
EXPORT = """aanvraag_id;kind_id;opvang_id;opvang_naam;datum_aanvraag;gewenste_startdatum;status;datum_status;datum_antwoord
A11;K11;P1;Het Zonnetje;01/10/2026;01/12/2026;nieuw;01/10/2026;
A21;K21;P2;Het Nest;25/10/2026;15/11/2026;nieuw;25/10/2026;
Z31;Z3K1;P3;Het Zonnetje;01/09/2026;01/12/2026;nieuw;01/09/2026;
Z32;Z3K2;P3;Het Zonnetje;15/09/2026;01/12/2026;goedgekeurd;20/09/2026;20/09/2026
"""
PLACE = {"vanaf": date(2026, 11, 9), "tot": None, "dagen": ["ma", "di"], "dagdeel": "dag", "plaatsen": 2,
         "leeftijd": "baby", "soort": "vast", "opmerking": ""}
PROVIDER_PAGES = ["views/mijn_aanvragen.py", "views/mijn_vrije_plaatsen.py", "views/mijn_naleving.py",
                  "views/mijn_infopagina.py"]


@pytest.fixture
def town(db_url, app_env, engine):
    app_env(db_url)
    assert import_file(engine, EXPORT.encode(), "e.csv", T, "test").ok
    auth.create_user(engine, "test", "coord", "Cora Coördinator", "coordinator", PASSWORD)
    auth.create_user(engine, "test", "beleid", "Bert Beleid", "policy", PASSWORD)
    auth.create_user(engine, "test", "twee", "Twee Opvang", "provider", PASSWORD, ("P1", "P2"))
    vacancies.report(engine, "coord", "P1", {**PLACE, "opmerking": "plaats van P1"}, T)
    vacancies.report(engine, "coord", "P3", {**PLACE, "opmerking": "Z3 geheime plaats"}, T)
    return engine


def everything_shown(at) -> str:
    """All text a page shows: markdown, alerts, headings, metrics, tables and widget labels and options."""
    parts = [e.proto.body for kind in (at.markdown, at.error, at.warning, at.info, at.success, at.subheader,
                                       at.header, at.title) for e in kind]
    parts += [f"{m.label} {m.value}" for m in at.metric] + [frame.value.to_csv() for frame in at.dataframe]
    parts += [c.value for c in at.code]
    for widgets in (at.selectbox, at.multiselect, at.radio):
        parts += [w.label for w in widgets] + [str(o) for w in widgets for o in w.options]
    return "\n".join(parts)


# --- 1. a provider is bound to its own providers ---------------------------------------------------------------

def test_labels_that_occur_twice_carry_their_id():
    assert unique_labels({"P1": "Het Zonnetje", "P2": "Het Nest", "P3": "Het Zonnetje"}) == {
        "P1": "Het Zonnetje (P1)", "P2": "Het Nest", "P3": "Het Zonnetje (P3)"}
    assert unique_labels({"P1": "Het Zonnetje", "P2": "Het Nest"}) == {"P1": "Het Zonnetje", "P2": "Het Nest"}


def test_the_provider_picker_offers_the_accounts_own_providers_and_switches_between_them(town):
    at = page("views/mijn_aanvragen.py", "twee").run()
    assert at.selectbox(key="own_provider").options == ["Het Zonnetje", "Het Nest"]
    assert "A11" in everything_shown(at) and "A21" not in everything_shown(at)
    at.selectbox(key="own_provider").select("P2").run()
    assert "A21" in everything_shown(at) and "A11" not in everything_shown(at)


@pytest.mark.parametrize("path", PROVIDER_PAGES)
@pytest.mark.parametrize("sent", ["P3", "Het Zonnetje (P3)", "", "null"])
def test_a_forged_provider_shows_nothing_of_a_same_named_provider(town, downloads, path, sent):
    at = page(path, "twee").run()
    at = run_sending(at, {element_id(at.selectbox, "own_provider"): sent})
    shown = everything_shown(at)
    assert "Z3" not in shown and "P3" not in shown
    assert "Het Zonnetje" in shown  # the account's first provider, P1, instead
    for name in downloads.names():
        assert "P3" not in name and b"Z3" not in downloads[name], name


def test_the_same_name_sent_as_a_label_means_the_accounts_own_provider(town, downloads):
    at = page("views/mijn_aanvragen.py", "twee").run()
    at = run_sending(at, {element_id(at.selectbox, "own_provider"): "Het Zonnetje"})
    assert "A11" in everything_shown(at) and "Z31" not in everything_shown(at)
    assert list(read_csv(downloads["mijn-aanvragen-P1-20261102.csv"])["Aanvraag"]) == ["A11"]


# --- 2. every download checks the session when it is served -------------------------------------------------------

def test_a_download_is_served_only_while_the_session_that_drew_it_lives(town, downloads):
    token = sessions.start(town, "twee")
    at = page("views/mijn_vrije_plaatsen.py")
    at.session_state["_llko_token"] = token
    at.run()
    name = "mijn-vrije-plaatsen-P1-20261102.csv"
    assert "plaats van P1" in read_csv(downloads[name])["opmerking"].tolist()
    sessions.sign_out(town, token)  # signed out in another tab: this tab still shows the button
    with pytest.raises(DownloadRefused):
        downloads[name]


@pytest.mark.parametrize("change", ["disabled", "unlinked", "role"])
def test_a_download_is_refused_after_the_account_changed(town, downloads, change):
    at = page("views/mijn_vrije_plaatsen.py", "twee").run()
    name = "mijn-vrije-plaatsen-P1-20261102.csv"
    assert downloads[name]
    version = auth.user_info(town, "twee")
    fields = {"disabled": {"active": False}, "unlinked": {"provider_ids": ("P2",)}, "role": {"role": "policy"}}[change]
    current = {"name": version.name, "email": version.email, "role": version.role, "active": True,
               "provider_ids": version.provider_ids}
    auth.update_user(town, "coord", "twee", **{**current, **fields})
    if change == "unlinked":  # a change of links keeps the session: the file is refused for its provider
        assert sessions.session_user(town, at.session_state["_llko_token"]) is not None
    with pytest.raises(DownloadRefused):
        downloads[name]


ROLE_ACCOUNTS = {"coordinator": "coord", "provider": "twee", "policy": "beleid"}


def test_every_download_of_every_page_is_refused_after_sign_out(town, downloads):
    import ui

    compliance.record_contact(town, "coord", "P1", T, "telefoon", "Gebeld over A11.", T, ["answering"], ["A11"])
    for role, username in ROLE_ACCOUNTS.items():
        for spec in ui.menu(auth.user_info(town, username)):
            page(spec.path, username).run()
    assert len(downloads.names()) >= 20, downloads.names()
    for name in downloads.names():  # every button works while signed in
        assert downloads[name], name
    for username in ROLE_ACCOUNTS.values():  # a sign-out anywhere ends every session of the account
        sessions.sign_out(town, sessions.start(town, username))
    for name in downloads.names():
        with pytest.raises(DownloadRefused):
            downloads[name]
            pytest.fail(f"{name} was served after the sign-out")


# --- 3. text from data is shown as text ---------------------------------------------------------------------

NASTY = "![x](http://evil.example/x.png) [Meld u opnieuw aan](http://evil.example/) **b** <img src=x> _i_ `c` #"


def rendered(markdown: str) -> str:
    """The HTML a CommonMark renderer makes of this markdown (without the invisible joiners ui.literal adds)."""
    return MarkdownIt("commonmark").render(markdown).replace("\u2060", "")


def test_literal_markdown_renders_as_the_text_itself():
    from ui.text import literal

    html = rendered(f"Opvang {literal(NASTY)} — stand op 02/11/2026")
    assert "<img" not in html and "<a " not in html and "<strong>" not in html and "<em>" not in html
    assert "<code>" not in html and "<h1>" not in html
    assert "![x](http://evil.example/x.png) [Meld u opnieuw aan](http://evil.example/) **b** &lt;img src=x&gt;" in html
    assert rendered(literal("regel een\n# regel twee")) == "<p>regel een<br />\n# regel twee</p>\n"
    assert literal(None) == ""


# GitHub-flavoured markdown (Streamlit's) links bare addresses after parsing, in the text itself: the patterns of
# mdast-util-gfm-autolink-literal, which need a space, punctuation or the start before them.
GFM_URL = re.compile(r"(?:(?<=^)|(?<=[\s\W]))(https?://|www(?=\.))([-.\w]+)", re.IGNORECASE | re.ASCII)
GFM_EMAIL = re.compile(r"([-.\w+]+)@([-\w]+(?:\.[-\w]+)+)", re.ASCII)


def test_literal_text_holds_no_address_markdown_would_turn_into_a_link():
    from ui.text import literal

    for typed in ("zie http://evil.example/x.png", "HTTPS://evil.example", "www.evil.example", "info@zon.be",
                  "(http://evil.example)"):
        text = re.sub(r"\\(.)", r"\1", literal(typed))  # the text node markdown leaves after its escapes
        assert not GFM_URL.search(text) and not GFM_EMAIL.search(text), typed
        assert text.replace("\u2060", "") == typed  # and it reads the same


def nasty_town(engine) -> None:
    """Every field a person or a file fills, with markdown and HTML in it."""
    from llko.agreements import service as agreements
    from llko.providers import service as providers

    providers.update_provider(engine, "coord", "P1", name=f"Zon {NASTY}", address=NASTY, contact_person=NASTY)
    settings.save(engine, "coord", "municipality", "Ninove ![x](http://evil.example/x.png) **b** <img src=x>")
    auth.update_user(engine, "coord", "twee", name=f"Twee {NASTY}", email="", role="provider", active=True,
                     provider_ids=("P1", "P2"))
    advice_round = rounds.create(engine, "coord", f"Ronde {NASTY[:60]}", "uitbreidingsronde", date(2025, 11, 3), T)
    compliance.override_advice(engine, "coord", "P1", "negative_advice", advice_round, False, f"Motivering met {NASTY}")
    compliance.record_contact(engine, "coord", "P1", T, "telefoon", f"Notitie {NASTY}", T, ["answering"], [])
    agreements.record_signature(engine, "coord", "P1", date(2026, 2, 1), f"Ann {NASTY}", f"functie {NASTY}", T)
    agreements.add_meeting(engine, "coord", date(2026, 10, 20), f"Onderwerp {NASTY}", ["P1"], T)


PICKERS = ("opvang_provider", "dossier_provider", "naleving_provider", "infopagina_provider", "detail_provider")


def test_text_from_data_shows_literally_on_every_page_of_every_role(town):
    import ui

    nasty_town(town)
    seen = set()
    for role, username in ROLE_ACCOUNTS.items():
        for spec in ui.menu(auth.user_info(town, username)):
            at = page(spec.path, username).run()
            runs = [at]
            for key in PICKERS:  # the page again with the provider whose name is nasty (P1) chosen
                if any(box.key == key for box in at.selectbox):
                    at.selectbox(key=key).select("P1")
                    runs.append(at.run())
            for shown in runs:
                for kind in (shown.markdown, shown.error, shown.warning, shown.info, shown.success, shown.subheader,
                             shown.header, shown.title):
                    for element in kind:
                        html = rendered(element.proto.body)
                        assert "<img" not in html and "<a " not in html, (spec.path, element.proto.body)
                        assert "<strong>b</strong>" not in html and "<em>i</em>" not in html, (spec.path, html)
                        if "evil.example" in html:
                            seen.add((role, spec.title))
                            assert "![x](http://evil.example/x.png)" in html, (spec.path, html)
    assert seen == {  # where the nasty name, municipality, motivation or signatory reached the page's text
        ("coordinator", "Aanvragen"), ("coordinator", "Beleid"), ("coordinator", "Cijfers"), ("coordinator", "Dossier"),
        ("coordinator", "Naleving"), ("coordinator", "Opvang"), ("policy", "Beleid"), ("policy", "Cijfers"),
        ("policy", "Naleving"),
        ("provider", "Mijn aanvragen"), ("provider", "Mijn naleving"), ("provider", "Mijn vrije plaatsen")}


# --- 6. no value a browser sends crashes a page -------------------------------------------------------------

@pytest.mark.parametrize("cells", ['[[999, "Opvang"]]', '[["x", 1]]', "null", '[[0, "Niet een kolom"]]', '"x"'])
def test_a_forged_grid_selection_is_ignored_on_naleving(town, cells):
    at = page("views/naleving.py", "coord").run()
    chosen = at.selectbox(key="naleving_provider").value
    selection = f'{{"selection": {{"rows": [], "columns": [], "cells": {cells}}}}}'
    at = run_sending(at, {element_id(at.dataframe, "naleving_grid"): selection})
    assert at.selectbox(key="naleving_provider").value == chosen


def test_a_click_on_the_grid_still_chooses_its_provider_and_names_twins_apart(town):
    at = page("views/naleving.py", "coord").run()
    grid = next(d for d in at.dataframe if d.key == "naleving_grid").value
    assert list(grid["Opvang"]) == ["Het Nest", "Het Zonnetje (P1)", "Het Zonnetje (P3)"]
    at = run_sending(at, {element_id(at.dataframe, "naleving_grid"):
                          '{"selection": {"rows": [], "columns": [], "cells": [[2, "Opvang"]]}}'})
    assert at.selectbox(key="naleving_provider").value == "P3"


@pytest.mark.parametrize("rows", ["[999]", '["x"]', "[-1]", "[true]"])
def test_a_forged_row_selection_is_ignored_on_aanvragen(town, rows):
    at = page("views/aanvragen.py", "coord").run()
    chosen = at.selectbox(key="detail_provider").value
    at = run_sending(at, {element_id(at.dataframe, "per_provider"):
                          f'{{"selection": {{"rows": {rows}, "columns": [], "cells": []}}}}'})
    assert at.selectbox(key="detail_provider").value == chosen


@pytest.mark.parametrize("path,key", [("views/aanvragen.py", "detail_provider"), ("views/dossier.py",
                                      "dossier_provider"), ("views/opvang.py", "opvang_provider"),
                                      ("views/naleving.py", "naleving_provider"),
                                      ("views/vrije_plaatsen.py", "match_vacancy")])
def test_a_forged_selectbox_value_is_ignored(town, path, key):
    at = page(path, "coord").run()
    chosen = at.selectbox(key=key).value
    at = run_sending(at, {element_id(at.selectbox, key): "P999"})
    assert at.selectbox(key=key).value == chosen


def test_a_forged_multiselect_value_neither_crashes_nor_widens_the_selection(town):
    at = page("views/aanvragen.py", "coord").run()
    box = next(m for m in at.multiselect if m.label == "Opvang")
    at = run_sending(at, {box.proto.id: ["P999", "Het Nest"]})
    assert list(next(d for d in at.dataframe if d.key == "per_provider").value["Opvang"]) == ["Het Nest"]
