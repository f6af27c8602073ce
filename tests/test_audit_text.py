"""The Audit page's words: a Dutch label per action code and the detail as a sentence, not raw JSON."""

import json

from llko import audit


def test_every_action_written_anywhere_has_a_dutch_label():
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent / "llko"
    written = set()
    for path in root.rglob("*.py"):
        written |= set(re.findall(r'audit\.record\([^,]+,\s*[^,]+,\s*"([a-z_]+)"', path.read_text()))
    assert written and written <= set(audit.ACTION_LABELS), written - set(audit.ACTION_LABELS)


def test_details_read_as_sentences():
    d = json.dumps
    assert audit.describe("user_created", d({"username": "an", "role": "provider", "providers": ["KO-1", "KO-2"]})) \
        == "account an, rol opvanginitiatief, opvang: KO-1, KO-2"
    assert audit.describe("user_updated", d({"username": "jo", "role": "policy", "active": False, "providers": []})) \
        == "account jo, rol beleid, uitgeschakeld, opvang: geen"
    # A stored UTC moment in Belgian time: 15:00 UTC on 30/11 is 16:00 in winter; 10:00 UTC on 01/07 is 12:00.
    assert audit.describe("account_locked", d({"until": "2026-11-30 15:00:00.123456+00:00"})) \
        == "vergrendeld tot 30/11/2026 16:00"
    assert audit.describe("login_refused_locked", d({"until": "2026-07-01 10:00:00+00:00"})) \
        == "vergrendeld tot 01/07/2026 12:00"
    assert audit.describe("login_failed", d({"attempt": 3})) == "poging 3"
    assert audit.describe("login_failed", d({"reason": "onbekende gebruiker"})) == "onbekende gebruiker"
    assert audit.describe("import", d({"file": "x.csv", "as_of": "2026-11-02", "rows": 5, "new": 4, "updated": 1,
                                       "status_changes": 2})) \
        == "x.csv, momentopname 02/11/2026: 5 rijen, 4 nieuw, 1 gewijzigd, 2 statuswijzigingen"
    assert audit.describe("demo_built", d({"providers": 12, "requests": 300, "children": 90, "status_changes": 700})) \
        == "12 opvanginitiatieven, 300 aanvragen, 90 kinderen, 700 statuswijzigingen"
    assert audit.describe("onbekende_actie", d({"a": 1, "b": "x"})) == "a: 1, b: x"
    assert audit.describe("login", "") == ""
