"""Command line: python -m llko import | import-register | report | vacancies | compliance | figures | annual-report |
notify | demo | create-user | settings | backup | restore."""

import argparse
import getpass
import json
import sys
from datetime import date
from pathlib import Path

from llko import bootstrap, clock
from llko.providers import queries as provider_queries
from llko.backup import BackupError
from llko.db import DatabaseBusy, database_url, make_engine


def _date(value: str) -> date:
    try:
        return clock.parse_day(value)
    except ValueError:
        pass
    raise argparse.ArgumentTypeError(f"ongeldige datum '{value}' (verwacht jjjj-mm-dd of dd/mm/jjjj)")


def _year(value: str) -> int:
    if value.strip().isdigit() and 2000 <= int(value) <= 2100:
        return int(value)
    raise argparse.ArgumentTypeError(f"ongeldig jaar '{value}' (verwacht een jaar als 2026)")


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m llko", description="LLKO-dashboard: beheer vanaf de opdrachtregel.")
    sub = p.add_subparsers(dest="command", required=True)
    imp = sub.add_parser("import", help="een export van Opvang.Vlaanderen inlezen (CSV of XLSX)")
    imp.add_argument("file", type=Path)
    imp.add_argument("--as-of", type=_date, default=None, help="datum van de momentopname (standaard: vandaag)")
    imp.add_argument("--user", default="cli", help="wie importeert (voor de audit)")
    reg = sub.add_parser("import-register", help="de registerwerkmap inlezen (XLSX, of een CSV per blad)")
    reg.add_argument("files", type=Path, nargs="+")
    reg.add_argument("--user", default="cli", help="wie importeert (voor de audit)")
    vac = sub.add_parser("vacancies", help="de vrije plaatsen op een dag (R7)")
    vac.add_argument("--as-of", type=_date, required=True)
    vac.add_argument("--json", action="store_true", help="JSON volgens het contract in DESIGN.md")
    com = sub.add_parser("compliance", help="naleving van de samenwerking per opvang over een periode (R11)")
    com.add_argument("--from", dest="date_from", type=_date, default=None,
                     help="begin van de periode (standaard: 364 dagen voor het einde)")
    com.add_argument("--to", dest="date_to", type=_date, default=None, help="einde van de periode (standaard: vandaag)")
    com.add_argument("--round", dest="round_name", default=None,
                     help="een adviesronde (bij naam): haar periode, oordelen en aanpassingen; vastgelegd zoals vastgelegd")
    com.add_argument("--json", action="store_true", help="JSON volgens het nalevingscontract in DESIGN.md")
    fig = sub.add_parser("figures", help="beleidscijfers over een periode: aanvragen, kinderen, deelgemeenten")
    fig.add_argument("--from", dest="date_from", type=_date, default=None,
                     help="begin van de periode (standaard: 1 januari van vorig jaar)")
    fig.add_argument("--to", dest="date_to", type=_date, default=None,
                     help="einde van de periode (standaard: 31 december van vorig jaar)")
    fig.add_argument("--json", action="store_true", help="JSON volgens het cijfercontract in DESIGN.md")
    ann = sub.add_parser("annual-report", help="het jaarverslag van het LOK over een jaar (PDF en/of Excel)")
    ann.add_argument("--year", type=_year, required=True, help="het jaar (1 januari tot en met 31 december)")
    ann.add_argument("--pdf", type=Path, default=None, help="schrijf het jaarverslag als PDF naar dit bestand")
    ann.add_argument("--xlsx", type=Path, default=None, help="schrijf de cijfers als Excel-werkmap naar dit bestand")
    ntf = sub.add_parser("notify", help="de herinneringen aan opvang en het dagoverzicht van de coördinator mailen (R13)")
    ntf.add_argument("--as-of", type=_date, default=None, help="de dag van de meldingen (standaard: vandaag)")
    ntf.add_argument("--dry-run", action="store_true", help="tonen wat zou vertrekken; niets versturen of bewaren")
    ntf.add_argument("--user", default="notify", help="wie de meldingen verstuurt (voor de audit)")
    rep = sub.add_parser("report", help="cijfers per opvang op een dag")
    rep.add_argument("--as-of", type=_date, required=True)
    rep.add_argument("--json", action="store_true", help="JSON volgens het rapportcontract")
    demo = sub.add_parser("demo", help="een lege databank vullen met de demostad")
    demo.add_argument("--today", type=_date, default=None)
    cu = sub.add_parser("create-user", help="een account aanmaken")
    cu.add_argument("username")
    cu.add_argument("--name", required=True)
    cu.add_argument("--role", choices=["coordinator", "provider", "policy"], required=True)
    cu.add_argument("--provider", action="append", default=[], help="opvang_id (herhaalbaar, voor rol provider)")
    cu.add_argument("--email", default="")
    st_ = sub.add_parser("settings", help="de instellingen tonen, of er één wijzigen: settings set KEY VALUE")
    st_.add_argument("action", nargs="?", choices=["set"], help="set: een instelling wijzigen")
    st_.add_argument("key", nargs="?")
    st_.add_argument("value", nargs="?")
    st_.add_argument("--user", default="cli", help="wie de wijziging doet (voor de audit)")
    bk = sub.add_parser("backup", help="een back-up van de SQLite-databank naar een bestand schrijven")
    bk.add_argument("file", type=Path)
    rs = sub.add_parser("restore", help="de databank vervangen door een back-up (SQLite)")
    rs.add_argument("file", type=Path)
    rs.add_argument("--yes", action="store_true", help="bevestigen dat alle huidige gegevens overschreven worden")
    return p


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    engine = make_engine(database_url())
    bootstrap.prepare(engine, fill_demo=False, today=clock.today())
    command = {"import": _import, "import-register": _import_register, "vacancies": _vacancies, "report": _report, "demo": _demo, "create-user": _create_user,
               "compliance": _compliance, "figures": _figures, "annual-report": _annual_report, "notify": _notify,
               "settings": _settings, "backup": _backup, "restore": _restore}[args.command]
    try:
        return command(engine, args)
    except (ValueError, BackupError, DatabaseBusy) as exc:  # a refusal with a Dutch reason: nothing was changed
        print(str(exc), file=sys.stderr)
        return 1


def _import(engine, args) -> int:
    from llko.requests.importer import import_file

    try:
        data = args.file.read_bytes()
    except OSError as exc:
        print(f"Kan {args.file} niet lezen: {exc.strerror}", file=sys.stderr)
        return 2
    result = import_file(engine, data, args.file.name, args.as_of or clock.today(), args.user)
    for notice in result.notices:
        print(notice, file=sys.stderr)
    if not result.ok:
        print(f"Bestand {args.file.name} geweigerd; er is niets gewijzigd:", file=sys.stderr)
        for line in result.summary:
            print(f"- {line}", file=sys.stderr)
        return 1
    print(f"{args.file.name}: {result.rows_total} rijen, {result.rows_new} nieuw, {result.rows_updated} gewijzigd, "
          f"{result.rows_unchanged} ongewijzigd, {result.status_changes} statuswijzigingen (import #{result.run_id}).")
    return 0


def _import_register(engine, args) -> int:
    from llko.registers.workbook import import_register

    files = []
    for path in args.files:
        try:
            files.append((path.name, path.read_bytes()))
        except OSError as exc:
            print(f"Kan {path} niet lezen: {exc.strerror}", file=sys.stderr)
            return 2
    result = import_register(engine, files, args.user)
    for notice in result.notices:
        print(notice, file=sys.stderr)
    if not result.ok:
        print("Registerwerkmap geweigerd; er is niets gewijzigd:", file=sys.stderr)
        for problem in result.problems:
            print(f"- {problem}", file=sys.stderr)
        return 1
    for sheet, n in result.counts.items():
        print(f"{sheet}: {n['new']} nieuw, {n['updated']} gewijzigd, {n['unchanged']} ongewijzigd")
    return 0


def _vacancies(engine, args) -> int:
    from llko.vacancies.queries import contract

    found = contract(engine, args.as_of)
    if args.json:
        print(json.dumps(found, ensure_ascii=False))
        return 0
    print(f"Vrije plaatsen op {args.as_of:%d/%m/%Y}:")
    for row in found["active"]:
        until = f" tot {date.fromisoformat(row['tot']):%d/%m/%Y}" if row["tot"] else ""
        print(f"- {row['opvang_id']}: {row['plaatsen']} plaats(en) vanaf {date.fromisoformat(row['vanaf']):%d/%m/%Y}"
              f"{until}, {','.join(row['dagen'])}, {row['dagdeel']}, {row['leeftijd']}, {row['soort']}")
    print(f"Samen {sum(found['places'].values())} plaatsen bij {sum(1 for n in found['places'].values() if n)} "
          "opvanginitiatieven.")
    return 0


def _compliance(engine, args) -> int:
    from llko.compliance import rounds
    from llko.compliance.queries import compliance
    from llko.compliance.rules import period
    from llko.compliance.text import format_table

    if args.round_name is not None:
        if args.date_from or args.date_to:
            raise ValueError("Kies een adviesronde (--round) of een periode (--from/--to), niet beide.")
        current = rounds.by_name(engine, args.round_name)
        if current is None:
            known = ", ".join(f"‘{r.name}’" for r in rounds.all_rounds(engine)) or "nog geen"
            raise ValueError(f"Onbekende adviesronde ‘{args.round_name}’ (rondes: {known}).")
        found = rounds.contract(current, rounds.standing(engine, current))
    else:
        date_from, date_to = period(args.date_from, args.date_to, clock.today())
        found = compliance(engine, date_from, date_to)
    if args.json:
        print(json.dumps(found, ensure_ascii=False))
    else:
        names = dict(provider_queries.providers(engine)[["id", "name"]].itertuples(index=False))
        print(format_table(found, names))
    return 0


def _figures(engine, args) -> int:
    from llko.reporting.figures import figures, format_text, last_full_year

    default_from, default_to = last_full_year(clock.today())
    found = figures(engine, args.date_from or default_from, args.date_to or default_to)
    print(json.dumps(found, ensure_ascii=False) if args.json else format_text(found))
    return 0


def _annual_report(engine, args) -> int:
    from llko.reporting.annual import annual_report, report_pdf, report_xlsx

    if args.pdf is None and args.xlsx is None:
        print("Geef --pdf BESTAND, --xlsx BESTAND of beide: waar moet het jaarverslag naartoe?", file=sys.stderr)
        return 2
    today = clock.today()
    if args.year >= today.year:
        print(f"Let op: {args.year} is nog niet voorbij; het verslag telt met 31/12/{args.year} als ‘vandaag’.",
              file=sys.stderr)
    report = annual_report(engine, args.year, written_on=today)
    for path, write in ((args.pdf, report_pdf), (args.xlsx, report_xlsx)):
        if path is None:
            continue
        try:
            path.write_bytes(write(report))
        except OSError as exc:
            print(f"Kan {path} niet schrijven: {exc.strerror}", file=sys.stderr)
            return 2
        print(f"Jaarverslag {args.year} geschreven naar {path}.")
    return 0


def _notify(engine, args) -> int:
    from llko.notify.service import run

    day = args.as_of or clock.today()
    result = run(engine, day, actor=args.user, dry_run=args.dry_run)
    if args.dry_run:
        print(f"Proefrun voor {day:%d/%m/%Y}: {len(result.composed)} mail(s) zouden vertrekken; er is niets "
              "verstuurd of bewaard.")
        for draft in result.composed:
            print(f"\n--- {draft.kind} aan {draft.recipient}: {draft.subject}")
            if draft.request_ids:
                print(f"Aanvragen: {', '.join(draft.request_ids)}")
            print(draft.text.rstrip())
    else:
        print(f"Meldingen voor {day:%d/%m/%Y}: {len(result.composed)} nieuw klaargezet, {result.sent} verstuurd, "
              f"{len(result.failed)} mislukt.")
    for line in result.unreachable:
        print(f"Geen herinnering voor {line.provider}: {line.text}.", file=sys.stderr)
    if result.failed:
        print(f"{len(result.failed)} mail(s) niet verstuurd; ze blijven bewaard en worden bij de volgende run opnieuw "
              "geprobeerd:", file=sys.stderr)
        for mail_id, recipient, reason in result.failed:
            print(f"- mail {mail_id} aan {recipient}: {reason}", file=sys.stderr)
        return 1
    return 0


def _report(engine, args) -> int:
    from llko.reporting.report import build_report, format_table

    report = build_report(engine, args.as_of)
    if args.json:
        print(json.dumps(report, ensure_ascii=False))
    else:
        names = dict(provider_queries.providers(engine)[["id", "name"]].itertuples(index=False))
        print(format_table(report, names))
    return 0


def _settings(engine, args) -> int:
    from llko import services, settings

    if args.action == "set":
        if args.key is None or args.value is None:
            print("Gebruik: python -m llko settings set KEY VALUE", file=sys.stderr)
            return 2
        value = services.change_setting(engine, args.user, args.key, args.value)
        print(f"{args.key} = {settings.show(args.key, value)}")
        return 0
    current = settings.load(engine)
    for key in settings.KEYS:
        value, default = getattr(current, key), getattr(settings.DEFAULTS, key)
        marker = "" if value == default else f" (standaard {settings.show(key, default)})"
        print(f"{key:<24} {settings.show(key, value) + marker:<28} {settings.DESCRIPTIONS[key]}")
    return 0


def _demo(engine, args) -> int:
    if not bootstrap.is_empty(engine):
        print("De databank is niet leeg; de demostad wordt alleen in een lege databank gebouwd.", file=sys.stderr)
        return 1
    counts = bootstrap.build_demo(engine, args.today or clock.today())
    print(f"Demostad gebouwd: {counts}. Demo-accounts met wachtwoord '{bootstrap.DEMO_PASSWORD}'.")
    return 0


def _create_user(engine, args) -> int:
    from llko.accounts.auth import create_user

    password = getpass.getpass("Wachtwoord (12 tot 72 bytes): ") if sys.stdin.isatty() else sys.stdin.readline().rstrip("\n")
    create_user(engine, "cli", args.username, args.name, args.role, password, tuple(args.provider), args.email)
    print(f"Account '{args.username.strip().lower()}' aangemaakt ({args.role}).")
    return 0


def _backup(engine, args) -> int:
    from llko.backup import backup

    target = backup(engine, args.file, actor="cli")
    print(f"Back-up geschreven naar {target} ({target.stat().st_size} bytes).")
    return 0


def _restore(engine, args) -> int:
    from llko.backup import check_restore, restore

    check_restore(engine, args.file)
    if not args.yes:
        print(f"Terugzetten vervangt alle gegevens in de databank {engine.url.database} door die uit {args.file}. "
              "Herhaal het commando met --yes om dat te bevestigen; er is niets gewijzigd.", file=sys.stderr)
        return 1
    revision = restore(engine, args.file, actor="cli")
    print(f"Back-up {args.file} teruggezet (schemaversie {revision}, bijgewerkt naar de nieuwste).")
    return 0
