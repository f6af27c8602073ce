"""The audit trail: who did what, when. Written inside the caller's transaction."""

import json
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import pandas as pd
from sqlalchemy import select, text
from sqlalchemy.engine import Engine
from sqlmodel import Session

from llko import dutch
from llko.clock import LOCAL_TZ
from llko.models import AuditEntry
from llko.roles import ROLES


def record(session: Session, actor: str, action: str, **detail) -> None:
    """Add one audit entry to the session's transaction; detail is stored as JSON."""
    session.add(AuditEntry(actor=actor, action=action, detail=json.dumps(detail, default=str, ensure_ascii=False)))


def record_repeated(session: Session, actor: str, action: str, now: datetime, window: timedelta, **detail) -> None:
    """Like record, but within window after an entry of the same actor and action, a repeat adds to that entry's
    count (attempts, last) instead of a line of its own: a stream of failed logins cannot flood the log."""
    entry = session.execute(
        select(AuditEntry).where(AuditEntry.actor == actor, AuditEntry.action == action, AuditEntry.at > now - window)
        .order_by(AuditEntry.at.desc(), AuditEntry.id.desc()).limit(1).with_for_update()).scalars().first()
    if entry is None:
        data = {**detail, "attempts": 1}
        session.add(AuditEntry(at=now, actor=actor, action=action,
                               detail=json.dumps(data, default=str, ensure_ascii=False)))
        return
    data = json.loads(entry.detail or "{}")
    data.update(detail)
    data["attempts"] = int(data.get("attempts", 1)) + 1
    data["last"] = now
    entry.detail = json.dumps(data, default=str, ensure_ascii=False)
    session.add(entry)


# What each action code means, as the Audit page shows it.
ACTION_LABELS = {
    "login": "Aangemeld",
    "logout": "Afgemeld",
    "login_failed": "Aanmelding mislukt",
    "login_refused_locked": "Aanmelding geweigerd (vergrendeld)",
    "account_locked": "Account vergrendeld",
    "password_changed": "Wachtwoord gewijzigd",
    "password_change_refused": "Wachtwoord wijzigen geweigerd (fout huidig wachtwoord)",
    "password_reset": "Wachtwoord gereset",
    "user_created": "Account aangemaakt",
    "user_updated": "Account gewijzigd",
    "import": "Export ingelezen",
    "import_refused": "Export geweigerd",
    "backup": "Back-up gemaakt",
    "restore": "Back-up teruggezet",
    "demo_built": "Demostad aangemaakt",
    "demo_accounts_created": "Demo-accounts aangemaakt",
    "setting_changed": "Instelling gewijzigd",
    "register_import": "Registerwerkmap ingelezen",
    "register_refused": "Registerwerkmap geweigerd",
    "vacancy_reported": "Vrije plaats gemeld",
    "vacancy_updated": "Vrije plaats gewijzigd",
    "vacancy_confirmed": "Vrije plaats bevestigd (nog steeds vrij)",
    "vacancy_closed": "Vrije plaats afgesloten",
    "vacancy_reopened": "Vrije plaats heropend (afsluiten ongedaan gemaakt)",
    "vacancy_referral": "Gezin ingelicht over een vrije plaats",
    "vacancy_referral_corrected": "Melding van een ingelicht gezin gecorrigeerd",
    "vacancy_referral_withdrawn": "Melding van een ingelicht gezin ingetrokken",
    "infopagina_checked": "Infopagina gecontroleerd (loket)",
    "infopagina_declared": "Infopagina verklaard (opvang)",
    "infopagina_corrected": "Controle of verklaring van de infopagina gecorrigeerd",
    "infopagina_withdrawn": "Controle of verklaring van de infopagina ingetrokken",
    "provider_updated": "Opvanggegevens gewijzigd",
    "agreement_signed": "Ondertekende overeenkomst vastgelegd",
    "agreement_scan_added": "Scan van de overeenkomst toegevoegd",
    "agreement_corrected": "Ondertekende overeenkomst gecorrigeerd",
    "agreement_withdrawn": "Ondertekende overeenkomst ingetrokken",
    "population_recorded": "Bevolkingscijfer vastgelegd (kinderen onder 3)",
    "lok_meeting_added": "LOK-vergadering vastgelegd",
    "lok_attendance_changed": "Aanwezigheden op het LOK gewijzigd",
    "lok_minutes_added": "Verslag van het LOK toegevoegd",
    "lok_meeting_corrected": "LOK-vergadering gecorrigeerd",
    "lok_meeting_withdrawn": "LOK-vergadering ingetrokken",
    "procedure_evaluated": "Jaarlijkse evaluatie van de procedure vastgelegd",
    "procedure_evaluation_replaced": "Jaarlijkse evaluatie van de procedure vervangen",
    "advice_overridden": "Advies aangepast (met motivering)",
    "advice_override_withdrawn": "Aanpassing van een advies teruggezet",
    "advice_round_created": "Adviesronde aangemaakt",
    "advice_round_fixed": "Adviesronde vastgelegd",
    "advice_round_reopened": "Adviesronde heropend (met motivering)",
    "contact_recorded": "Contact met een opvang vastgelegd",
    "contact_corrected": "Contact met een opvang gecorrigeerd",
    "contact_withdrawn": "Contact met een opvang ingetrokken",
    "enforcement_file_opened": "Dossier geopend (tekortkoming vastgesteld)",
    "enforcement_step": "Stap in een dossier gezet",
    "enforcement_step_corrected": "Stap in een dossier gecorrigeerd",
    "enforcement_step_withdrawn": "Stap in een dossier ingetrokken",
    "notify_composed": "Meldingen klaargezet (R13)",
    "notify_run": "Meldingen verstuurd (R13)",
    "notify_retried": "Mislukte melding opnieuw geprobeerd",
    "reminders_switched": "Herinneringen per e-mail aan- of uitgezet",
}

def _date(value) -> str:
    """jjjj-mm-dd as dd/mm/jjjj; a stored moment as dd/mm/jjjj hh:mm in Belgian time."""
    text = str(value)
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return text
    return dutch.day(moment) if len(text) <= 10 else dutch.moment(moment)


def _yes_no(value, otherwise: str = "onbekend") -> str:
    return otherwise if value is None else dutch.yes_no(value)


def describe(action: str, detail: str) -> str:
    """An audit entry's detail (JSON) as one readable Dutch sentence."""
    try:
        data = json.loads(detail) if detail else {}
    except ValueError:
        return detail
    if not isinstance(data, dict):
        return str(data)
    d = data.get

    def providers() -> str:
        return ", ".join(d("providers") or []) or "geen"

    def repeats() -> str:
        return f"; {d('attempts')} pogingen, de laatste op {_date(d('last'))}" if (d("attempts") or 1) > 1 else ""

    def role() -> str:
        return ROLES[d("role")].lower() if d("role") in ROLES else d("role")

    texts = {
        "login_failed": lambda: f"poging {d('attempt')}" if d("attempt") else (d("reason") or "") + repeats(),
        "password_change_refused": lambda: f"poging {d('attempt')}",
        "login_refused_locked": lambda: f"vergrendeld tot {_date(d('until'))}" + repeats(),
        "account_locked": lambda: f"vergrendeld tot {_date(d('until'))}",
        "password_reset": lambda: f"account {d('username')}",
        "user_created": lambda: f"account {d('username')}, rol {role()}, opvang: {providers()}",
        "user_updated": lambda: (f"account {d('username')}, rol {role()}, "
                                 f"{'actief' if d('active') else 'uitgeschakeld'}, opvang: {providers()}"),
        "import": lambda: (f"{d('file')}, momentopname {_date(d('as_of'))}: {d('rows')} rijen, {d('new')} nieuw, "
                           f"{d('updated')} gewijzigd, {d('status_changes')} statuswijzigingen"),
        "import_refused": lambda: f"{d('file')}, momentopname {_date(d('as_of'))}: {d('problems')} problemen",
        "backup": lambda: str(d("file")),
        "restore": lambda: str(d("file")),
        "demo_accounts_created": lambda: f"{d('accounts')} accounts",
        "setting_changed": lambda: f"{d('key')}: {d('old')} → {d('new')}",
        "register_import": lambda: f"{', '.join(d('files') or [])}: " + "; ".join(
            f"{sheet} {n['new']} nieuw, {n['updated']} gewijzigd" for sheet, n in (d("counts") or {}).items()),
        "register_refused": lambda: f"{', '.join(d('files') or [])}: {d('problems')} problemen",
        **{action: (lambda: f"opvang {d('opvang')}, vanaf {_date(d('vanaf'))}, {d('plaatsen')} plaats(en)")
           for action in ("vacancy_reported", "vacancy_updated", "vacancy_confirmed", "vacancy_closed")},
        "vacancy_reopened": lambda: (f"opvang {d('opvang')}, vanaf {_date(d('vanaf'))}: was afgesloten op "
                                     f"{d('was_afgesloten')}; reden: {d('reden')}"),
        **{action: (lambda: f"opvang {d('opvang')}, {_date(d('op'))}: "
                            + (f"ontbreekt {', '.join(d('ontbreekt'))}" if d("ontbreekt") else "volledig"))
           for action in ("infopagina_checked", "infopagina_declared")},
        "vacancy_referral": lambda: f"opvang {d('opvang')}, kind {d('kind')}, ingelicht op {_date(d('op'))}",
        "vacancy_referral_corrected": lambda: (f"kind {d('kind')}, ingelicht op {_date(d('was'))}: nu "
                                               f"{_date(d('op'))}; reden: {d('reden')}"),
        "vacancy_referral_withdrawn": lambda: f"kind {d('kind')}, ingelicht op {_date(d('op'))}; reden: {d('reden')}",
        "infopagina_corrected": lambda: (f"opvang {d('opvang')}, {d('bron')} van {_date(d('was'))}: nu {_date(d('op'))}, "
                                         + (f"ontbreekt {', '.join(d('ontbreekt'))}" if d("ontbreekt") else "volledig")
                                         + f"; reden: {d('reden')}"),
        "infopagina_withdrawn": lambda: f"opvang {d('opvang')}, {d('bron')} van {_date(d('op'))}; reden: {d('reden')}",
        "demo_built": lambda: (f"{d('providers')} opvanginitiatieven, {d('requests')} aanvragen, {d('children')} "
                               f"kinderen, {d('status_changes')} statuswijzigingen"),
        "provider_updated": lambda: f"opvang {d('opvang')}: " + "; ".join(
            f"{_PROVIDER_FIELDS.get(k, k)} {_value(old)} → {_value(new)}"
            for k, (old, new) in (d("changes") or {}).items()),
        "agreement_signed": lambda: (f"opvang {d('opvang')}, ondertekend op {_date(d('op'))} door {d('ondertekenaar')} "
                                     f"({d('functie')}), " + (f"scan {d('scan')}" if d("scan") else "zonder scan")),
        "agreement_scan_added": lambda: (f"opvang {d('opvang')}, handtekening van {_date(d('op'))}: scan {d('scan')}"
                                         + (f" (vervangt {d('vervangt')})" if d("vervangt") else "")),
        "lok_meeting_added": lambda: (f"{_date(d('datum'))}, {d('onderwerp')}; aanwezig: "
                                      f"{', '.join(d('aanwezig') or []) or 'niemand'}"
                                      + (f"; verslag {d('verslag')}" if d("verslag") else "")),
        "lok_attendance_changed": lambda: (f"{_date(d('datum'))}: erbij {', '.join(d('erbij') or []) or 'niemand'}, "
                                           f"eraf {', '.join(d('eraf') or []) or 'niemand'}"),
        "lok_minutes_added": lambda: (f"{_date(d('datum'))}: verslag {d('verslag')}"
                                      + (f" (vervangt {d('vervangt')})" if d("vervangt") else "")),
        "agreement_corrected": lambda: (f"opvang {d('opvang')}, handtekening van {_date(d('was'))}: nu ondertekend op "
                                        f"{_date(d('op'))} door {d('ondertekenaar')} ({d('functie')}); reden: "
                                        f"{d('reden')}"),
        "agreement_withdrawn": lambda: (f"opvang {d('opvang')}, handtekening van {_date(d('op'))}"
                                        + (f" door {d('ondertekenaar')}" if d("ondertekenaar") else "")
                                        + f"; reden: {d('reden')}"),
        "lok_meeting_corrected": lambda: (f"vergadering van {_date(d('was'))}: nu {_date(d('datum'))}, {d('onderwerp')}"
                                          + _years(d("evaluaties"), "gaat mee naar de gecorrigeerde vergadering",
                                                   "gaan mee naar de gecorrigeerde vergadering")
                                          + f"; reden: {d('reden')}"),
        "lok_meeting_withdrawn": lambda: (f"vergadering van {_date(d('datum'))}, {d('onderwerp')}"
                                          + _years(d("evaluaties"), "is niet langer aan een vergadering gekoppeld",
                                                   "zijn niet langer aan een vergadering gekoppeld")
                                          + f"; reden: {d('reden')}"),
        **{action: (lambda: f"jaar {d('jaar')}" + (f", advies van het LOK van {_date(d('lok'))}" if d("lok") else ""))
           for action in ("procedure_evaluated", "procedure_evaluation_replaced")},
        "advice_round_created": lambda: f"{d('ronde')} ({d('soort')}), periode {d('periode')}",
        "advice_round_fixed": lambda: f"{d('ronde')}, vastgelegd op {_date(d('op'))}",
        "advice_round_reopened": lambda: f"{d('ronde')}; motivering: {d('motivering')}",
        **{action: (lambda: f"opvang {d('opvang')}, {d('advies')} "
                            + (f"in {d('ronde')} " if d("ronde") else "") + f"over {d('periode')}: afgeleid "
                            f"{_yes_no(d('afgeleid'))}, beslist {_yes_no(d('waarde'), 'terug naar afgeleid')}; "
                            f"motivering: {d('motivering')}")
           for action in ("advice_overridden", "advice_override_withdrawn")},
        "contact_recorded": lambda: (f"opvang {d('opvang')}, {_date(d('op'))} per {d('kanaal')}"
                                     + (f"; over {', '.join(d('verplichtingen'))}" if d("verplichtingen") else "")
                                     + (f"; aanvragen {', '.join(d('aanvragen'))}" if d("aanvragen") else "")),
        "population_recorded": lambda: (f"{d('deelgemeente')} {d('jaar')}: {d('kinderen')} kinderen onder 3"
                                        + (f" (was {d('was')})" if d("was") is not None else "")),
        "contact_corrected": lambda: (f"opvang {d('opvang')}, contact van {d('was')}: nu {_date(d('op'))} per "
                                      f"{d('kanaal')}; reden: {d('reden')}"),
        "contact_withdrawn": lambda: (f"opvang {d('opvang')}, contact van {_date(d('op'))} per {d('kanaal')}; reden: "
                                      f"{d('reden')}"),
        "enforcement_step_corrected": lambda: (f"opvang {d('opvang')}, dossier {d('dossier')}: {d('stap')} van "
                                               f"{_date(d('was'))}, nu {_date(d('op'))}; reden: {d('reden')}"),
        "enforcement_step_withdrawn": lambda: (f"opvang {d('opvang')}, dossier {d('dossier')}: {d('stap')} van "
                                               f"{_date(d('op'))}" + ("; het dossier is mee ingetrokken"
                                                                      if d("dossier_ingetrokken") else "")
                                               + f"; reden: {d('reden')}"),
        "enforcement_file_opened": lambda: (f"opvang {d('opvang')}, dossier {d('dossier')} op {_date(d('op'))} over "
                                            f"{', '.join(d('verplichtingen') or [])}"),
        "enforcement_step": lambda: (f"opvang {d('opvang')}, dossier {d('dossier')}: {d('stap')} op {_date(d('op'))}"
                                     + (f"; uitkomst: {d('uitkomst')}" if d("uitkomst") else "")
                                     + (f"; bijlagen {', '.join(d('bijlagen'))}" if d("bijlagen") else "")),
        "notify_composed": lambda: (f"{_date(d('dag'))}: {d('mails')} mail(s) aan "
                                    f"{', '.join(d('ontvangers') or [])}"),
        "notify_run": lambda: (f"{_date(d('dag'))}: {d('nieuw')} nieuw, {d('verstuurd')} verstuurd, "
                               f"{d('mislukt')} mislukt"),
        "notify_retried": lambda: (f"mail {d('mail')} aan {d('aan')} van {_date(d('dag'))}: "
                                   + ("verstuurd" if d("gelukt") else "opnieuw mislukt")),
        "reminders_switched": lambda: f"opvang {d('opvang')}: herinneringen {'aan' if d('aan') else 'uit'}",
    }
    if action in texts:
        return texts[action]()
    return ", ".join(f"{k}: {v}" for k, v in data.items())


def _years(years, one: str, more: str) -> str:
    """'; de evaluatie van 2025 <one>' (or '; de evaluaties van 2024 en 2025 <more>') for the evaluations a LOK
    correction touched; '' when none."""
    named = [str(y) for y in years or []]
    if not named:
        return ""
    if len(named) == 1:
        return f"; de evaluatie van {named[0]} {one}"
    return f"; de evaluaties van {', '.join(named[:-1])} en {named[-1]} {more}"


PAGE_SIZE = 250  # entries per page on the Audit page
DOWNLOAD_LIMIT = 100_000  # entries a download holds at most (the page says so when more match)


@dataclass(frozen=True)
class AuditFilter:
    """Which entries to show: since the start of a day in Belgium, by these actors, of these actions (empty:
    all)."""

    since: date | None = None
    actors: tuple[str, ...] = ()
    actions: tuple[str, ...] = ()


def _where(chosen: AuditFilter) -> tuple[str, dict]:
    clauses, params = [], {}
    if chosen.since is not None:
        clauses.append("at >= :since")
        params["since"] = pd.Timestamp(chosen.since).tz_localize(LOCAL_TZ).tz_convert("UTC").to_pydatetime()
    for column, values in (("actor", chosen.actors), ("action", chosen.actions)):
        if values:
            names = [f"{column}{i}" for i in range(len(values))]
            clauses.append(f"{column} IN ({', '.join(':' + n for n in names)})")
            params.update(zip(names, values))
    return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


def count(engine: Engine, chosen: AuditFilter = AuditFilter()) -> int:
    """How many entries match."""
    where, params = _where(chosen)
    with engine.connect() as conn:
        return conn.execute(text("SELECT count(*) FROM audit_log" + where), params).scalar()


def choices(engine: Engine, since: date | None = None) -> tuple[list[str], list[str]]:
    """The actors and the actions that occur since a day: what the filters offer."""
    where, params = _where(AuditFilter(since))
    with engine.connect() as conn:
        actors = conn.execute(text(f"SELECT DISTINCT actor FROM audit_log{where} ORDER BY actor"), params).scalars()
        actors = list(actors)
        actions = list(conn.execute(text(f"SELECT DISTINCT action FROM audit_log{where}"), params).scalars())
    return actors, actions


def entries(engine: Engine, since: date | None = None, limit: int = PAGE_SIZE, offset: int = 0,
            chosen: AuditFilter | None = None) -> pd.DataFrame:
    """The matching entries, newest first: `limit` of them after skipping `offset` (a page)."""
    where, params = _where(chosen or AuditFilter(since))
    params.update(n=limit, skip=offset)
    with engine.connect() as conn:
        frame = pd.read_sql(text("SELECT at, actor, action, detail FROM audit_log" + where
                                 + " ORDER BY at DESC, id DESC LIMIT :n OFFSET :skip"), conn, params=params)
    frame["at"] = pd.to_datetime(frame["at"], format="ISO8601", utc=True)
    return frame


# The provider master data as the audit names it (llko.providers.service.FIELD_LABELS, lower case).
_PROVIDER_FIELDS = {
    "name": "naam", "kind": "soort", "subsidy_level": "subsidietrap", "licensed_places": "vergunde plaatsen",
    "address": "adres", "district": "deelgemeente", "email": "e-mail", "phone": "telefoon",
    "contact_person": "contactpersoon", "started_on": "gestart op", "stopped_on": "gestopt op",
}


def _value(value) -> str:
    """A changed master-data value: blank as –, a date as dd/mm/jjjj."""
    text = "–" if value is None or value == "" else str(value)
    return _date(text) if len(text) == 10 and text[4] == "-" and text[7] == "-" else text
