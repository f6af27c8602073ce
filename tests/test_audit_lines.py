"""Every write leaves its audit line: who, which action and what it was about. These are the writes no other test
read the audit of (a free place edited, confirmed and closed; an infopagina check and a declaration; a register
workbook read or refused); each line is checked against what the call said, worked out by hand."""

import json
from datetime import date

from sqlalchemy import text

from llko.infopagina import service as infopagina
from llko.registers.workbook import import_register
from llko.vacancies import service as vacancies

from test_vacancy_service import PLACE, T, town  # noqa: F401  (P1 Zonnetje and P2 Het Nest, 'today' 02/11/2026)

ALL = {"openingsuren": True, "openingsdagen": True, "contact": True, "foto_logo": True, "tarief": False}


def lines(engine, prefix: str) -> list[tuple[str, str, dict]]:
    with engine.connect() as conn:
        found = conn.execute(text("SELECT actor, action, detail FROM audit_log WHERE action LIKE :p ORDER BY id"),
                             {"p": prefix + "%"}).all()
    return [(actor, action, json.loads(detail)) for actor, action, detail in found]


def test_a_free_place_edited_confirmed_and_closed_leaves_one_line_each(town):  # noqa: F811
    place = vacancies.report(town, "zon", "P1", PLACE, T, allowed=("P1",))
    vacancies.edit(town, "zon", place, {**PLACE, "plaatsen": 2}, T, 1, allowed=("P1",))
    vacancies.confirm(town, "zon", place, date(2026, 11, 3), allowed=("P1",))
    vacancies.close(town, "coord", place, date(2026, 11, 20), "ingevuld")
    found = lines(town, "vacancy_")
    assert [(actor, action) for actor, action, _ in found] == [
        ("zon", "vacancy_reported"), ("zon", "vacancy_updated"), ("zon", "vacancy_confirmed"),
        ("coord", "vacancy_closed")]
    assert [(d["opvang"], d["vanaf"], d["plaatsen"]) for _, _, d in found] == [
        ("P1", "2026-11-09", 1), ("P1", "2026-11-09", 2), ("P1", "2026-11-09", 2), ("P1", "2026-11-09", 2)]


def test_an_infopagina_check_and_a_declaration_each_leave_a_line(town):  # noqa: F811
    infopagina.record(town, "coord", "P1", date(2026, 10, 1), "loket", ALL, "Cora", today=T)
    infopagina.record(town, "nest", "P2", date(2026, 11, 2), "opvang", {**ALL, "tarief": True}, "Nest",
                      allowed=("P2",), today=T)
    assert lines(town, "infopagina_") == [
        ("coord", "infopagina_checked", {"opvang": "P1", "op": "2026-10-01", "ontbreekt": ["tarief"]}),
        ("nest", "infopagina_declared", {"opvang": "P2", "op": "2026-11-02", "ontbreekt": []})]


def test_a_register_workbook_read_or_refused_leaves_a_line_with_its_files(town):  # noqa: F811
    good = "opvang_id;naam\nP3;De Kapoen\n".encode()
    bad = "opvang_id;naam\nP4;\n".encode()  # naam is required
    assert import_register(town, [("opvang.csv", good)], "coord").ok
    assert not import_register(town, [("opvang.csv", bad)], "coord").ok
    found = lines(town, "register_")
    assert [(actor, action, d["files"]) for actor, action, d in found] == [
        ("coord", "register_import", ["opvang.csv"]), ("coord", "register_refused", ["opvang.csv"])]
    assert found[0][2]["counts"]["opvang"] == {"new": 1, "updated": 0, "unchanged": 0}
    assert found[1][2]["problems"] == 1
