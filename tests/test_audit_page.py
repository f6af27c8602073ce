"""The Audit page pages through everything and says how many entries match: a flood of failed logins by
invented names cannot push a coordinator's import out of reach. Entries written by hand at known moments."""

from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import text

from apptest import page, read_csv, table
from llko import audit
from llko.accounts import auth
from llko.db import make_engine

T = date(2026, 11, 2)  # the app's 'today' in these tests (conftest.DEMO_TODAY)
NOON = datetime(2026, 11, 1, 11, 0, tzinfo=timezone.utc)  # 1 November, 12:00 in Belgium


@pytest.fixture
def flooded(db_url, app_env):
    """One import by the coordinator, then 600 failed logins by invented names a second apart after it."""
    app_env(db_url)
    engine = make_engine(db_url)
    auth.create_user(engine, "test", "coord", "Coord", "coordinator", "een-lang-wachtwoord")
    rows = [{"at": NOON, "actor": "coord", "action": "import", "detail": '{"file": "export.csv", "as_of": "2026-11-01", "rows": 5, "new": 5, "updated": 0, '
                                                          '"status_changes": 5}'}]
    rows += [{"at": NOON + timedelta(seconds=i + 1), "actor": f"naam{i:04d}", "action": "login_failed",
              "detail": '{"reason": "onbekende gebruiker", "attempts": 1}'} for i in range(600)]
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM audit_log"))
        conn.execute(text("INSERT INTO audit_log (at, actor, action, detail) VALUES (:at, :actor, :action, :detail)"),
                     rows)
    yield engine
    engine.dispose()


def said(at) -> str:
    return " ".join(m.value for m in at.markdown)


def test_the_page_says_how_many_match_and_shows_the_newest_first(flooded):
    at = page("views/audit.py", "coord").run()
    assert "601 regels sinds 03/10/2026 bij deze keuze, de nieuwste eerst; hier regels 1 tot 250 (pagina 1 van 3)." \
        in said(at)
    shown = table(at, "Wie")
    assert len(shown) == 250 and shown["Wie"].iloc[0] == "naam0599" and shown["Wie"].iloc[-1] == "naam0350"


def test_the_last_page_reaches_the_oldest_entry(flooded):
    at = page("views/audit.py", "coord").run()
    at.number_input[0].set_value(3).run()
    assert "hier regels 501 tot 601 (pagina 3 van 3)." in said(at)
    shown = table(at, "Wie")
    assert len(shown) == 101
    assert list(shown.iloc[-1][["Wanneer", "Wie", "Actie", "Details"]]) == [
        "01/11/2026 12:00:00", "coord", "Export ingelezen",
        "export.csv, momentopname 01/11/2026: 5 rijen, 5 nieuw, 0 gewijzigd, 5 statuswijzigingen"]


def test_a_filter_finds_the_one_entry_behind_the_flood_and_starts_at_page_one(flooded):
    at = page("views/audit.py", "coord").run()
    at.number_input[0].set_value(2).run()
    at.multiselect(key="audit_actor").select("coord").run()
    assert "1 regel sinds 03/10/2026 bij deze keuze, de nieuwste eerst." in said(at)
    assert not at.number_input  # one page: no page choice
    assert list(table(at, "Wie")["Wie"]) == ["coord"]
    at.multiselect(key="audit_actor").unselect("coord").run()
    at.multiselect(key="audit_action").select("login_failed").run()
    assert "600 regels" in said(at) and "(pagina 1 van 3)" in said(at)


def test_the_download_holds_every_matching_entry_not_just_the_page(flooded, downloads):
    page("views/audit.py", "coord").run()
    rows = read_csv(downloads[f"audit-{T:%Y%m%d}.csv"])
    assert len(rows) == 601
    assert rows["Wie"].iloc[-1] == "coord" and rows["Wie"].iloc[0] == "naam0599"


def test_a_day_with_nothing_says_so(flooded):
    at = page("views/audit.py", "coord").run()
    at.date_input(key="audit_since").set_value(date(2026, 11, 2)).run()
    assert "Geen regels sinds 02/11/2026 bij deze keuze." in said(at)


def test_count_and_pages_in_sql_by_hand(flooded):
    chosen = audit.AuditFilter(date(2026, 11, 1), (), ("login_failed",))
    assert audit.count(flooded, chosen) == 600
    page3 = audit.entries(flooded, limit=250, offset=500, chosen=chosen)
    assert list(page3["actor"][:2]) == ["naam0099", "naam0098"] and len(page3) == 100
    assert audit.count(flooded, audit.AuditFilter(date(2026, 11, 2))) == 0
    actors, actions = audit.choices(flooded, date(2026, 11, 1))
    assert len(actors) == 601 and sorted(actions) == ["import", "login_failed"]
