"""What the pages read, as typed functions cached for a minute per database, day, settings and arguments (and
cleared after every write, see session.flash). No page reads the database any other way."""

from dataclasses import replace
from datetime import date

import pandas as pd
import streamlit as st

from llko import audit, bootstrap, settings as settings_store
from llko.accounts import queries as account_queries
from llko.agreements import queries as agreement_queries
from llko.compliance import (queries as compliance_queries,
                             rounds as compliance_rounds, rules as compliance_rules)
from llko.providers import queries as provider_queries
from llko.requests import importer, overview, queries, upload
from llko.requests.queries import EVERYTHING, Selection
from llko.infopagina import queries as infopagina_queries, rules as infopagina_rules
from llko.notify import (compose as notify_compose, queries as notify_queries, service as notify_service,
                         stale as notify_stale)
from llko.registers import export as register_export
from llko.reporting import figures as figures_module
from llko.settings import Settings
from llko.vacancies import matching, queries as vacancy_queries, rules as vacancy_rules, service as vacancy_service
from ui.database import engine_for, url

TTL = 60  # seconds a read is reused; writes in the app clear every cache at once
CACHE = {"ttl": TTL, "max_entries": 64, "show_spinner": False}


def is_demo() -> bool:
    """Whether this database holds the demo town (one small query, every run: the banner must never lie)."""
    return bootstrap.is_demo(engine_for(url()))


def demo_accounts() -> list[tuple[str, str, str]]:
    """(username, role, name) of the demo accounts, for the sign-in page of the demo town."""
    return bootstrap.demo_accounts(engine_for(url()))


def settings() -> Settings:
    """The settings in force, read fresh on every run (one small query), so figures follow a change at once."""
    return settings_store.load(engine_for(url()))


@st.cache_data(**CACHE)
def _providers(db: str) -> pd.DataFrame:
    return provider_queries.providers(engine_for(db))


def providers() -> pd.DataFrame:
    """Every provider: id, name, kind (by name)."""
    return _providers(url())


def provider_names() -> dict[str, str]:
    """Provider id -> name."""
    frame = providers()
    return dict(zip(frame["id"], frame["name"]))


@st.cache_data(**CACHE)
def _kpis(db: str, day: date, config: Settings, provider_ids: tuple[str, ...] | None) -> dict:
    return overview.kpis(engine_for(db), day, config, provider_ids)


def kpis(day: date, provider_ids: tuple[str, ...] | None = None) -> dict:
    """The tiles: open, overdue, due_soon, in_time_rate (90 days) and, for the whole town, children_unmet."""
    return _kpis(url(), day, settings(), provider_ids)


@st.cache_data(**CACHE)
def _shares(db: str, day: date, config: Settings) -> dict:
    return overview.shares(engine_for(db), day, config)


def shares(day: date) -> dict:
    """The town's 90-day in_time_rate and children_unmet (R5)."""
    return _shares(url(), day, settings())


@st.cache_data(**CACHE)
def _request_list(db: str, day: date, config: Settings, which: str,
                  provider_ids: tuple[str, ...] | None) -> pd.DataFrame:
    return overview.request_list(engine_for(db), day, config, which, provider_ids)


def request_list(day: date, which: str, provider_ids: tuple[str, ...] | None = None) -> pd.DataFrame:
    """'overdue', 'due_soon', 'waiting' or 'followups' (R4, with Dutch to-do labels): at most LIST_LIMIT rows."""
    rows = _request_list(url(), day, settings(), which, provider_ids)
    if which == "followups":
        rows = rows.assign(todo=rows["todo"].map({"herinnering": "Herinnering sturen", "afsluiten": "Afsluiten"}))
    return rows


@st.cache_data(**CACHE)
def _classified_requests(db: str, day: date, config: Settings, selection: Selection) -> pd.DataFrame:
    return overview.classified_requests(engine_for(db), day, config, selection)


def classified_requests(day: date, selection: Selection = EVERYTHING) -> pd.DataFrame:
    """Every request of the selection with its R1-R3 flags on that day."""
    return _classified_requests(url(), day, settings(), selection)


@st.cache_data(**CACHE)
def _per_provider(db: str, day: date, config: Settings, selection: Selection) -> pd.DataFrame:
    return overview.per_provider(engine_for(db), day, config, selection)


def per_provider(day: date, selection: Selection = EVERYTHING) -> pd.DataFrame:
    """One row per provider: the report counts, due_soon, total and the 90-day in_time_share."""
    return _per_provider(url(), day, settings(), selection)


@st.cache_data(**CACHE)
def _monthly(db: str) -> pd.DataFrame:
    return overview.monthly(engine_for(db))


def monthly() -> pd.DataFrame:
    """Requests per month of receipt and current status: month, status, count."""
    return _monthly(url())


@st.cache_data(**CACHE)
def _received_span(db: str) -> tuple[date | None, date | None]:
    return queries.received_span(engine_for(db))


def received_span() -> tuple[date | None, date | None]:
    """The first and last day any request was received."""
    return _received_span(url())


def status_history(request_id: str) -> pd.DataFrame:
    """Every status seen for one request (status, status_date, snapshot_date); small, not cached."""
    return queries.status_history(engine_for(url()), request_id)


def import_runs() -> pd.DataFrame:
    """The latest imports, newest first; not cached (the Import page must show a new one at once)."""
    return queries.import_runs(engine_for(url()))


def audit_choices(since: date) -> tuple[list[str], list[str]]:
    """The actors and actions in the audit since a day (the Audit page's filters); not cached."""
    return audit.choices(engine_for(url()), since)


def audit_count(chosen: audit.AuditFilter) -> int:
    """How many audit entries match; not cached."""
    return audit.count(engine_for(url()), chosen)


def audit_entries(chosen: audit.AuditFilter, limit: int, offset: int = 0) -> pd.DataFrame:
    """A page of matching audit entries, newest first; not cached."""
    return audit.entries(engine_for(url()), limit=limit, offset=offset, chosen=chosen)


def users() -> pd.DataFrame:
    """Every account with its provider links, state and last login; not cached."""
    return account_queries.users(engine_for(url()))


def already_imported(data: bytes, as_of: date) -> str | None:
    """A Dutch sentence when these bytes were already imported for this snapshot date, else None; not cached."""
    return importer.already_imported(engine_for(url()), data, as_of)


@st.cache_data(max_entries=4, ttl=15 * 60, show_spinner="Bestand controleren…")
def parsed_upload(data: bytes, file_name: str) -> importer.ParsedFile:
    """An uploaded export read and validated once (keyed by its bytes), not again on every rerun of the page; in a
    process of its own, bounded in time, so that it does not stall the other users (upload.parse_bounded)."""
    return upload.parse_bounded(data, file_name)


# --- the registers ------------------------------------------------------------------------------------------


@st.cache_data(**CACHE)
def _vacancies(db: str, provider_ids: tuple[str, ...] | None) -> list[vacancy_rules.Vacancy]:
    return vacancy_queries.vacancies(engine_for(db), provider_ids)


def vacancies(provider_ids: tuple[str, ...] | None = None) -> list[vacancy_rules.Vacancy]:
    """Every free place (of these providers only, when given), by provider, vanaf and gemeld_op."""
    return _vacancies(url(), provider_ids)


@st.cache_data(**CACHE)
def _waiting(db: str) -> pd.DataFrame:
    return vacancy_queries.waiting_requests(engine_for(db))


@st.cache_data(**CACHE)
def _matches(db: str, vacancy: vacancy_rules.Vacancy, day: date, config: Settings) -> list[matching.Candidate]:
    return matching.candidates(vacancy, _waiting(db), day, config)


def matches(vacancy: vacancy_rules.Vacancy, day: date) -> list[matching.Candidate]:
    """R12: the waiting children that fit this free place on this day, in R12's order (coordinator only)."""
    return _matches(url(), vacancy, day, settings())


def referrals(vacancy_ids: tuple[int, ...]) -> pd.DataFrame:
    """The families the loket told about these places, corrected and withdrawn notes included; not cached."""
    return vacancy_service.referrals(engine_for(url()), list(vacancy_ids))


def vacancy_history(vacancy_id: int) -> pd.DataFrame:
    """Every version of one free place; not cached."""
    return vacancy_service.history(engine_for(url()), vacancy_id)


def register_sheet(name: str, provider_ids: tuple[str, ...] | None = None) -> pd.DataFrame:
    """A register as the workbook holds it (for downloads that import back unchanged); not cached."""
    return register_export.sheet(engine_for(url()), name, provider_ids)


def vacancy_recorded() -> dict:
    """When each free place entered the register (UTC); not cached."""
    return vacancy_queries.recorded_at(engine_for(url()))


def vacancy_version(vacancy_id: int) -> int | None:
    """The version of a free place the edit form shows; not cached."""
    return vacancy_queries.version(engine_for(url()), vacancy_id)


@st.cache_data(**CACHE)
def _infopagina_checks(db: str, provider_ids: tuple[str, ...] | None) -> list[infopagina_rules.Check]:
    return infopagina_queries.checks(engine_for(db), provider_ids)


def infopagina_checks(provider_ids: tuple[str, ...] | None = None) -> list[infopagina_rules.Check]:
    """Every infopagina check (of these providers only, when given), by provider and date."""
    return _infopagina_checks(url(), provider_ids)


@st.cache_data(**CACHE)
def _infopagina_history(db: str, provider_ids: tuple[str, ...]) -> pd.DataFrame:
    return infopagina_queries.history(engine_for(db), provider_ids)


def infopagina_history(provider_ids: tuple[str, ...]) -> pd.DataFrame:
    """Every check of these providers, corrected and withdrawn ones included, newest first, with state and remark."""
    return _infopagina_history(url(), provider_ids)


def register_template() -> bytes:
    """The empty register workbook (a download)."""
    return register_export.template()


# --- provider master data, the agreement and the LOK (R10) --------------------------------------------------



@st.cache_data(**CACHE)
def _provider_details(db: str) -> pd.DataFrame:
    return provider_queries.provider_details(engine_for(db))


def provider_details() -> pd.DataFrame:
    """Every provider with its full master data (by name); started_on and stopped_on as dates or None."""
    return _provider_details(url())


@st.cache_data(**CACHE)
def _latest_signatures(db: str) -> pd.DataFrame:
    return agreement_queries.latest_signatures(engine_for(db))


def latest_signatures() -> pd.DataFrame:
    """One row per provider: its latest signature under the cooperation agreement, blank when it never signed."""
    return _latest_signatures(url())


@st.cache_data(**CACHE)
def _signatures(db: str, provider_ids: tuple[str, ...] | None, history: bool) -> pd.DataFrame:
    return agreement_queries.signatures(engine_for(db), provider_ids, history)


def signatures(provider_ids: tuple[str, ...] | None = None, history: bool = False) -> pd.DataFrame:
    """The signatures that stand (of these providers only, when given), without the scans; with history also the
    corrected and withdrawn ones, with their state and remark (R14)."""
    return _signatures(url(), provider_ids, history)


def agreement_scan(agreement_id: int) -> tuple[str, bytes] | None:
    """The scan of one signature (name, bytes), read when its download is clicked; not cached."""
    return agreement_queries.scan(engine_for(url()), agreement_id)


@st.cache_data(**CACHE)
def _lok_meetings(db: str, history: bool) -> list[agreement_queries.Meeting]:
    return agreement_queries.meetings(engine_for(db), history)


def lok_meetings(history: bool = False) -> list[agreement_queries.Meeting]:
    """The LOK meetings that stand, the newest first, with the providers that attended; with history also the
    corrected and withdrawn ones, each with its state and remark (R14)."""
    return _lok_meetings(url(), history)


def lok_minutes(meeting_id: int) -> tuple[str, bytes] | None:
    """The minutes of one LOK meeting (name, bytes), read when its download is clicked; not cached."""
    return agreement_queries.minutes(engine_for(url()), meeting_id)


@st.cache_data(**CACHE)
def _procedure_evaluations(db: str) -> pd.DataFrame:
    return agreement_queries.evaluations(engine_for(db))


def procedure_evaluations() -> pd.DataFrame:
    """The yearly evaluations of the procedure with the LOK's advice, the newest year first."""
    return _procedure_evaluations(url())


# --- compliance (R11, R9) ----------------------------------------------------------------------------------------

@st.cache_data(**CACHE)
def _compliance(db: str, date_from: date, date_to: date, config: Settings) -> dict:
    return compliance_queries.verdicts(engine_for(db), date_from, date_to, config)


def compliance(date_from: date, date_to: date) -> dict[str, dict[str, compliance_rules.Verdict]]:
    """R11's verdicts of every provider over [F, T] with the settings in force (F <= T: the page checks it)."""
    return _compliance(url(), date_from, date_to, settings())


@st.cache_data(**CACHE)
def _advice_rounds(db: str) -> list[compliance_rounds.Round]:
    return compliance_rounds.all_rounds(engine_for(db))


def advice_rounds() -> list[compliance_rounds.Round]:
    """Every advice round, the most recent period first."""
    return _advice_rounds(url())


@st.cache_data(**CACHE)
def _round_standing(db: str, current: compliance_rounds.Round, config: Settings, for_policy: bool
                    ) -> compliance_rounds.Standing:
    found = compliance_rounds.standing(engine_for(db), current)
    shown = compliance_queries.for_policy if for_policy else compliance_queries.named
    return replace(found, overrides=shown(engine_for(db), found.overrides))


def round_standing(current: compliance_rounds.Round, for_policy: bool = False) -> compliance_rounds.Standing:
    """A round's verdicts, overrides and settings (live while open, as fixed once fixed); who decided an override by
    full name. for_policy: also every id in a motivation masked, as a policy maker may read it."""
    return _round_standing(url(), current, settings(), for_policy)


@st.cache_data(**CACHE)
def _figures(db: str, date_from: date, date_to: date, config: Settings) -> dict:
    return figures_module.figures(engine_for(db), date_from, date_to, config)


def figures(date_from: date, date_to: date) -> dict:
    """The figures contract over [F, T] with the settings in force (the policy view)."""
    return _figures(url(), date_from, date_to, settings())


def override_history(provider_id: str) -> pd.DataFrame:
    """Every decision on a provider's advice, newest first (not cached: the dossier shows it after each write)."""
    return compliance_queries.override_history(engine_for(url()), provider_id)


@st.cache_data(**CACHE)
def _contacts(db: str, provider_ids: tuple[str, ...] | None, since: date | None, history: bool) -> pd.DataFrame:
    return compliance_queries.contacts(engine_for(db), provider_ids, since, history)


def contacts(provider_ids: tuple[str, ...] | None = None, since: date | None = None,
             history: bool = False) -> pd.DataFrame:
    """The loket's contacts with providers that stand (these only, since that day, when given), newest first; with
    history also the corrected and withdrawn ones, with their state and remark (R14)."""
    return _contacts(url(), provider_ids, since, history)


@st.cache_data(**CACHE)
def _enforcement_files(db: str, provider_ids: tuple[str, ...] | None) -> pd.DataFrame:
    return compliance_queries.files(engine_for(db), provider_ids)


def enforcement_files(provider_ids: tuple[str, ...] | None = None) -> pd.DataFrame:
    """The enforcement files with their latest step, open ones first."""
    return _enforcement_files(url(), provider_ids)


@st.cache_data(**CACHE)
def _enforcement_steps(db: str, provider_id: str, history: bool) -> pd.DataFrame:
    return compliance_queries.steps(engine_for(db), provider_id, history)


def enforcement_steps(provider_id: str, history: bool = False) -> pd.DataFrame:
    """The standing steps of one provider's files, oldest first, with their attachments' (id, name); with history
    also the corrected and withdrawn ones, with their state and remark (R14)."""
    return _enforcement_steps(url(), provider_id, history)


def step_attachment(attachment_id: int, provider_id: str) -> tuple[str, bytes] | None:
    """One attachment (name, bytes) of this provider's files, read when its download is clicked; not cached."""
    return compliance_queries.attachment(engine_for(url()), attachment_id, provider_id)


@st.cache_data(**CACHE)
def _notify_preview(db: str, day: date, config: Settings) -> notify_service.RunResult:
    return notify_service.run(engine_for(db), day, dry_run=True)


def notify_preview(day: date) -> notify_service.RunResult:
    """What `python -m llko notify --as-of day` would compose now (a dry run: nothing stored or sent)."""
    return _notify_preview(url(), day, settings())


@st.cache_data(**CACHE)
def _outbox(db: str, since: date | None, state: str | None) -> pd.DataFrame:
    return notify_queries.history(engine_for(db), since, state)


def outbox(since: date | None = None, state: str | None = None) -> pd.DataFrame:
    """The mails of the outbox, newest first (notify.queries.HISTORY_COLUMNS)."""
    return _outbox(url(), since, state)


def outbox_mail(mail_id: int):
    """One stored mail with its bodies (not cached: read when opened)."""
    return notify_queries.mail(engine_for(url()), mail_id)


@st.cache_data(**CACHE)
def _reminder_recipients(db: str) -> dict[str, notify_compose.Recipient]:
    return notify_queries.providers(engine_for(db))


def reminder_recipients() -> dict[str, notify_compose.Recipient]:
    """Provider id -> its reminder's recipient (name, e-mail, reminders on or off)."""
    return _reminder_recipients(url())


@st.cache_data(**CACHE)
def _stale_flags(db: str, day: date, config: Settings, provider_ids: tuple[str, ...] | None) -> list[notify_stale.Flag]:
    return notify_stale.flags(engine_for(db), day, config, provider_ids)


def stale_flags(day: date, provider_ids: tuple[str, ...] | None = None) -> list[notify_stale.Flag]:
    """The stale-data flags on `day` (of these providers only, when given)."""
    return _stale_flags(url(), day, settings(), provider_ids)
