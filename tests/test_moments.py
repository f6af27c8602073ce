"""Belgian time wherever a moment is shown or printed (issue 23): a decision taken at 23:30 UTC on 2 November 2026 was
taken at 00:30 on 3 November in Ninove, and reads so on the Dossier, on Naleving, in the letters and on every table
with a moment; also in summer time (22:15 UTC on 30 June is 00:15 on 1 July)."""

from datetime import datetime, timezone

import pytest
from sqlalchemy import text

from apptest import table
from llko import dutch
from llko.compliance import service

from test_compliance_cli import town  # noqa: F401  (the hand-built town)
from test_compliance_pages import F, T, WHY, advice_round, opened, site  # noqa: F401
from tests.helpers import words


@pytest.mark.parametrize("at, shown", [
    (datetime(2026, 11, 2, 23, 30, tzinfo=timezone.utc), "03/11/2026 00:30"),
    (datetime(2026, 11, 2, 23, 30), "03/11/2026 00:30"),  # a database that drops the zone gives UTC without it
    (datetime(2026, 6, 30, 22, 15, tzinfo=timezone.utc), "01/07/2026 00:15"),
])
def test_a_moment_reads_in_belgian_time(at, shown):
    assert dutch.moment(at) == shown
    assert dutch.moment(at, " om ") == shown.replace(" ", " om ")


def test_a_decision_at_half_past_eleven_utc_shows_the_next_day_in_belgium(site, downloads):  # noqa: F811
    service.override_advice(site, "coord", "P1", "negative_advice", advice_round(site), False, WHY)
    with site.begin() as conn:
        conn.execute(text("UPDATE advice_overrides SET decided_at = :at"), {"at": datetime(2026, 11, 2, 23, 30)})
    dossier = opened("views/dossier.py", "coord", "dossier")
    dossier.selectbox(key="dossier_provider").set_value("P1").run()
    assert any("(Cora Coördinator, 03/11/2026 00:30)" in w.value for w in dossier.warning)
    assert table(dossier, "Beslist op")["Beslist op"].tolist() == ["03/11/2026 00:30"]
    letter = words(downloads[f"advies-uitbreidingsronde-P1-{F:%Y%m%d}-{T:%Y%m%d}.pdf"])
    assert "Aangepast door Cora Coördinator op 03/11/2026 om 00:30" in letter
    naleving = opened("views/naleving.py", "coord", "naleving")
    naleving.selectbox(key="naleving_provider").set_value("P1").run()
    assert any(m.value.startswith("Motivering van de aanpassing (Cora Coördinator, 03/11/2026 00:30)")
               for m in naleving.markdown)
