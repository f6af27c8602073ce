"""Login and account rules with an injected clock: the lock after 5 failures and its exact end, the counter
reset by a good login, the coordinator who cannot demote or disable itself nor
remove the last active coordinator, a session ended when its account is disabled, the audit trail of every
login and account event, and the importer's days-per-week bounds."""

import json
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import text

from apptest import app, errors, login, page
from llko.accounts import auth, sessions
from llko.bootstrap import DEMO_PASSWORD
from ui import login as login_module
from llko.requests.importer import parse

PASSWORD = "een-lang-wachtwoord"
WRONG = "niet-het-wachtwoord"
T0 = datetime(2026, 11, 2, 8, 30, 0, 123456, tzinfo=timezone.utc)  # microseconds: the lock end must keep them
LOCK = timedelta(minutes=15)
ROLE_PAGE_TITLES = {"Overzicht", "Aanvragen", "Beleid", "Cijfers", "Import", "Gebruikers", "Audit", "Mijn account",
                    "Mijn aanvragen"}


# --- helpers ---------------------------------------------------------------------------------------------


def audit_rows(engine, action: str | None = None) -> list[tuple[str, str, dict]]:
    """(actor, action, detail as dict) in the order written; only `action` when given."""
    sql = "SELECT actor, action, detail FROM audit_log"
    params = {}
    if action:
        sql += " WHERE action = :a"
        params["a"] = action
    with engine.connect() as conn:
        rows = conn.execute(text(sql + " ORDER BY id"), params).all()
    return [(actor, act, json.loads(detail) if detail else {}) for actor, act, detail in rows]


def user_rows(engine) -> list[tuple]:
    """Everything an account edit could change, to compare before and after a refused one."""
    with engine.connect() as conn:
        users = conn.execute(text("SELECT username, name, email, role, active, version, failed_logins, locked_until "
                                  "FROM users ORDER BY username")).all()
        links = conn.execute(text("SELECT user_id, provider_id FROM user_providers ORDER BY 1, 2")).all()
    return [tuple(u) for u in users] + [tuple(link) for link in links]


def counters(engine, username: str) -> tuple[int, object]:
    with engine.connect() as conn:
        return tuple(conn.execute(text("SELECT failed_logins, locked_until FROM users WHERE username = :u"),
                                  {"u": username}).one())


def attempt(engine, username: str, password: str, now: datetime) -> bool:
    """One login attempt at `now`: did it sign in?"""
    return sessions.sign_in(engine, username, password, now=now).token is not None


def fail(engine, username: str, times: int, start: datetime) -> list:
    """`times` failed logins, one second apart from `start`; the lock end after each (None while open)."""
    ends = []
    for i in range(times):
        assert not attempt(engine, username, WRONG, start + timedelta(seconds=i))
        ends.append(auth.locked_until(engine, username, now=start + timedelta(seconds=i)))
    return ends


def save(engine, actor: str, username: str, **changes) -> None:
    """auth.update_user with the account's current values, except `changes`."""
    info = auth.user_info(engine, username)
    if info is None:  # disabled: read the row itself
        with engine.connect() as conn:
            name, role = conn.execute(text("SELECT name, role FROM users WHERE username = :u"), {"u": username}).one()
        current = dict(name=name, email="", role=role, active=False, provider_ids=())
    else:
        current = dict(name=info.name, email="", role=info.role, active=True, provider_ids=info.provider_ids)
    auth.update_user(engine, actor, username, **{**current, **changes})


# --- the lock after 5 failures ---------------------------------------------------------------------------


def test_five_failures_lock_for_exactly_15_minutes(engine):
    auth.create_user(engine, "cli", "an", "An", "coordinator", PASSWORD)
    for i in range(4):
        t = T0 + timedelta(seconds=10 * i)
        assert not attempt(engine, "an", WRONG, t)
        assert auth.locked_until(engine, "an", now=t) is None
    assert counters(engine, "an")[0] == 4
    t5 = T0 + timedelta(minutes=1)
    assert not attempt(engine, "an", WRONG, t5)
    assert auth.locked_until(engine, "an", now=t5) == t5 + LOCK

    almost = t5 + timedelta(minutes=14, seconds=59)
    assert not attempt(engine, "an", PASSWORD, almost)  # the right password during the lock: refused...
    assert auth.locked_until(engine, "an", now=almost) == t5 + LOCK  # ...and the lock is not lengthened
    assert auth.locked_until(engine, "an", now=t5 + LOCK) is None  # exactly 15:00 later: open again
    # After the lock a fresh series of 5 starts: one failure does not lock again.
    assert not attempt(engine, "an", WRONG, t5 + LOCK)
    assert auth.locked_until(engine, "an", now=t5 + LOCK) is None
    assert attempt(engine, "an", PASSWORD, t5 + LOCK + timedelta(seconds=1))


def test_the_fifth_attempt_is_still_checked_and_may_be_the_right_one(engine):
    auth.create_user(engine, "cli", "an", "An", "coordinator", PASSWORD)
    fail(engine, "an", 4, T0)
    assert attempt(engine, "an", PASSWORD, T0 + timedelta(seconds=5))
    assert counters(engine, "an") == (0, None)  # the lock it set for itself while checking is lifted


def test_lock_on_the_real_clock_ends_15_minutes_from_now(engine):
    auth.create_user(engine, "cli", "an", "An", "policy", PASSWORD)
    before = datetime.now(timezone.utc)
    for _ in range(auth.MAX_FAILED_LOGINS):
        sessions.sign_in(engine, "an", WRONG)
    after = datetime.now(timezone.utc)
    until = auth.locked_until(engine, "an")
    assert until is not None and before + LOCK <= until <= after + LOCK
    assert auth.locked_until(engine, "an", now=until) is None


def test_the_lock_holds_in_another_time_zone(engine):
    """The same moment written in Brussels time (UTC+1 in November) gives the same answer."""
    auth.create_user(engine, "cli", "an", "An", "policy", PASSWORD)
    fail(engine, "an", 5, T0)
    end = T0 + timedelta(seconds=4) + LOCK
    brussels = timezone(timedelta(hours=1))
    assert auth.locked_until(engine, "an", now=(end - timedelta(seconds=1)).astimezone(brussels)) == end
    assert auth.locked_until(engine, "an", now=end.astimezone(brussels)) is None


def test_unknown_usernames_are_audited_in_one_line_per_quarter_but_lock_nothing(engine):
    auth.create_user(engine, "cli", "an", "An", "policy", PASSWORD)
    before = user_rows(engine)
    fail(engine, " Niemand ", 7, T0)
    assert not attempt(engine, "", WRONG, T0)
    assert user_rows(engine) == before  # no account counted or locked
    last = str(T0 + timedelta(seconds=6))
    assert audit_rows(engine, "login_failed") == [
        ("niemand", "login_failed", {"reason": "onbekende gebruiker", "attempts": 7, "last": last}),
        ("?", "login_failed", {"reason": "onbekende gebruiker", "attempts": 1})]
    assert not audit_rows(engine, "account_locked")
    # 14:59 after the first one still counts on that line; 15:00 after it starts a new one.
    assert not attempt(engine, "niemand", WRONG, T0 + timedelta(minutes=14, seconds=59))
    assert not attempt(engine, "niemand", WRONG, T0 + LOCK)
    assert [d["attempts"] for who, _, d in audit_rows(engine, "login_failed") if who == "niemand"] == [8, 1]
    # An existing account's own count is untouched by those: 4 failures still leave it open.
    fail(engine, "an", 4, T0)
    assert auth.locked_until(engine, "an", now=T0 + timedelta(seconds=5)) is None


# --- the counter: reset by a good login and by a password reset --------------------------------------------


def test_a_good_login_resets_the_failure_count(engine):
    auth.create_user(engine, "cli", "an", "An", "policy", PASSWORD)
    fail(engine, "an", 4, T0)
    assert attempt(engine, "an", PASSWORD, T0 + timedelta(seconds=30))
    assert counters(engine, "an") == (0, None)
    later = T0 + timedelta(minutes=1)
    assert fail(engine, "an", 4, later) == [None] * 4
    fifth = later + timedelta(seconds=5)
    assert not attempt(engine, "an", WRONG, fifth)
    assert auth.locked_until(engine, "an", now=fifth) == fifth + LOCK


def test_a_password_reset_unlocks_and_resets_the_count(engine):
    auth.create_user(engine, "cli", "an", "An", "policy", PASSWORD)
    auth.create_user(engine, "cli", "coord", "Coord", "coordinator", PASSWORD)
    locked_at = T0 + timedelta(seconds=4)
    assert fail(engine, "an", 5, T0)[-1] == locked_at + LOCK
    one_time = auth.reset_password(engine, "coord", "an")
    soon = locked_at + timedelta(minutes=1)
    assert auth.locked_until(engine, "an", now=soon) is None
    assert counters(engine, "an") == (0, None)
    assert not attempt(engine, "an", PASSWORD, soon)
    assert attempt(engine, "an", one_time, soon)
    assert auth.user_info(engine, "an").must_change_password
    # Halfway a series too: 4 failures, a reset, 4 failures: still open.
    fail(engine, "an", 4, soon)
    auth.reset_password(engine, "coord", "an")
    assert fail(engine, "an", 4, soon + timedelta(minutes=1)) == [None] * 4
    assert counters(engine, "an")[0] == 4


# --- coordinators: not themselves, never the last one ------------------------------------------------------


def test_a_coordinator_cannot_demote_or_disable_itself(engine):
    auth.create_user(engine, "cli", "an", "An", "coordinator", PASSWORD)
    auth.create_user(engine, "cli", "bert", "Bert", "coordinator", PASSWORD)  # so 'an' is not the last one
    before, audited = user_rows(engine), len(audit_rows(engine))
    for changes in ({"role": "policy"}, {"active": False}, {"role": "policy", "active": False}):
        with pytest.raises(ValueError, match="eigen account niet uitschakelen of uw eigen rol"):
            save(engine, " AN ", "an", **changes)  # the actor as typed: case and spaces do not matter
        assert user_rows(engine) == before
        assert len(audit_rows(engine)) == audited
    save(engine, "an", "an", name="An Peeters")  # its own name, though, it may change
    assert auth.user_info(engine, "an").name == "An Peeters"
    save(engine, "bert", "an", role="policy")  # and another coordinator may demote it
    assert auth.user_info(engine, "an").role == "policy"


def test_the_last_active_coordinator_cannot_be_demoted_or_disabled(engine):
    auth.create_user(engine, "cli", "an", "An", "coordinator", PASSWORD)  # the only one, made with the CLI
    auth.create_user(engine, "cli", "bert", "Bert", "coordinator", PASSWORD)
    auth.create_user(engine, "cli", "chris", "Chris", "policy", PASSWORD)
    save(engine, "an", "bert", active=False)  # a disabled coordinator does not count
    before, audited = user_rows(engine), len(audit_rows(engine))
    for actor in ("cli", "bert", "chris"):
        for changes in ({"role": "policy"}, {"active": False}, {"role": "policy", "active": False}):
            with pytest.raises(ValueError, match="'an' is de laatste actieve coördinator") as refused:
                save(engine, actor, "an", **changes)
            assert "Maak eerst een ander account coördinator" in str(refused.value)
            assert user_rows(engine) == before
            assert len(audit_rows(engine)) == audited
    save(engine, "cli", "an", name="An Peeters", email="an@ninove.be")  # other edits stay possible
    assert auth.user_info(engine, "an").name == "An Peeters"
    # Once there is a second active coordinator, the first may go.
    save(engine, "an", "chris", role="coordinator")
    save(engine, "chris", "an", role="policy")
    assert auth.user_info(engine, "an").role == "policy"
    with pytest.raises(ValueError, match="'chris' is de laatste"):
        save(engine, "an", "chris", active=False)
    save(engine, "chris", "bert", active=True)  # re-enabling a coordinator is always allowed
    save(engine, "bert", "chris", active=False)
    assert auth.user_info(engine, "chris") is None


def test_two_coordinators_demoting_each_other_leave_one(engine):
    auth.create_user(engine, "cli", "an", "An", "coordinator", PASSWORD)
    auth.create_user(engine, "cli", "bert", "Bert", "coordinator", PASSWORD)
    save(engine, "an", "bert", role="policy")
    with pytest.raises(ValueError, match="eigen|laatste"):
        save(engine, "bert", "an", role="policy")
    with engine.connect() as conn:
        assert conn.execute(text("SELECT username FROM users WHERE role = 'coordinator' AND active = :t"),
                            {"t": True}).scalars().all() == ["an"]


def test_two_coordinators_demoting_each_other_at_the_same_moment_leave_one(engine):
    """Each save waits just before its UPDATE until the other one got that far (at most 3 s): without locking
    the coordinators first, both would pass the check on the old state and leave no coordinator at all."""
    import threading

    from sqlalchemy import event

    auth.create_user(engine, "cli", "an", "An", "coordinator", PASSWORD)
    auth.create_user(engine, "cli", "bert", "Bert", "coordinator", PASSWORD)
    barrier, waited = threading.Barrier(2), set()

    def meet_before_update(conn, cursor, statement, params, context, executemany):
        if statement.lstrip().upper().startswith("UPDATE USERS") and threading.get_ident() not in waited:
            waited.add(threading.get_ident())
            try:
                barrier.wait(timeout=3)
            except threading.BrokenBarrierError:
                pass  # the other save is waiting for our lock: go on alone

    outcome: dict[str, str] = {}

    def demote(actor, username):
        try:
            save(engine, actor, username, role="policy")
            outcome[username] = "demoted"
        except ValueError as exc:
            outcome[username] = str(exc)

    event.listen(engine, "before_cursor_execute", meet_before_update)
    try:
        threads = [threading.Thread(target=demote, args=args) for args in (("an", "bert"), ("bert", "an"))]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
    finally:
        event.remove(engine, "before_cursor_execute", meet_before_update)
    assert sorted(v == "demoted" for v in outcome.values()) == [False, True], outcome
    assert any("de laatste actieve coördinator" in v for v in outcome.values()), outcome
    with engine.connect() as conn:
        assert conn.execute(text("SELECT COUNT(*) FROM users WHERE role = 'coordinator' AND active = :t"),
                            {"t": True}).scalar() == 1


def _edit_own_account(at, **changes):
    at.selectbox(key="edit_user").select("coordinator").run()
    assert not at.exception
    if "role" in changes:
        [s for s in at.selectbox if s.label == "Rol"][-1].select(changes["role"])
    if changes.get("active") is False:
        next(c for c in at.checkbox if c.label == "Actief").uncheck()
    return next(b for b in at.button if b.label == "Wijzigingen bewaren").click().run()


@pytest.mark.parametrize("changes", [{"role": "policy"}, {"active": False}])
@pytest.mark.parametrize("second_coordinator", [False, True])
def test_gebruikers_page_refuses_a_coordinators_own_demotion(own_demo, changes, second_coordinator):
    if second_coordinator:
        auth.create_user(own_demo, "cli", "an", "An", "coordinator", PASSWORD)
    before, audited = user_rows(own_demo), len(audit_rows(own_demo))
    at = page("views/gebruikers.py", "coordinator").run()
    assert not at.exception
    at = _edit_own_account(at, **changes)
    assert not at.exception
    assert any("U kunt uw eigen account niet uitschakelen of uw eigen rol wijzigen." in e for e in errors(at))
    assert not at.success
    assert user_rows(own_demo) == before
    assert len(audit_rows(own_demo)) == audited
    info = auth.user_info(own_demo, "coordinator")
    assert info is not None and info.role == "coordinator"


# --- an account disabled during a live session ---------------------------------------------------------------


def _disable_by_coordinator(engine, username):
    save(engine, "coordinator", username, active=False)


def _disable_by_sql(engine, username):
    with engine.begin() as conn:
        conn.execute(text("UPDATE users SET active = :f WHERE username = :u"), {"f": False, "u": username})


@pytest.mark.parametrize("username, title, disable", [
    ("beleid", "Beleid", _disable_by_coordinator),
    ("opvang01", "Mijn aanvragen", _disable_by_sql),
])
def test_an_account_disabled_during_a_session_is_signed_out(own_demo, username, title, disable):
    at = login(app().run(), username, DEMO_PASSWORD)
    assert not at.exception
    assert at.title[0].value == title and (at.metric or at.dataframe)
    disable(own_demo, username)
    at.run()
    assert not at.exception
    assert errors(at) == [login_module.ENDED]
    assert not {t.value for t in at.title} & ROLE_PAGE_TITLES
    assert not at.metric
    for frame in at.dataframe:  # only the demo-account list of the login page
        assert list(frame.value.columns) == ["gebruikersnaam", "rol", "naam"]
    assert at.session_state["_llko_token"] is None
    at.run()  # and it stays signed out
    assert not at.exception
    assert not {t.value for t in at.title} & ROLE_PAGE_TITLES and not at.metric
    assert len(at.text_input) == 2  # the login form is back
    refused = login(app().run(), username, DEMO_PASSWORD)
    assert not refused.exception
    assert errors(refused) == [sessions.REFUSED]


# --- the audit trail -------------------------------------------------------------------------------------------


def test_every_login_and_account_event_is_audited(engine):
    auth.create_user(engine, "cli", "coord", "Coord", "coordinator", PASSWORD)
    auth.create_user(engine, "coord", "an", "An", "policy", PASSWORD)
    token = sessions.sign_in(engine, "an", PASSWORD, now=T0 - timedelta(minutes=1)).token
    locked_at = T0 + timedelta(seconds=4)
    fail(engine, "an", 5, T0)
    assert not attempt(engine, "an", PASSWORD, locked_at + timedelta(minutes=1))
    assert not attempt(engine, "an", WRONG, locked_at + timedelta(minutes=2))
    assert not attempt(engine, "Niemand", WRONG, T0)
    sessions.sign_out(engine, token)
    auth.change_password(engine, "an", PASSWORD, "een-ander-wachtwoord")
    auth.reset_password(engine, "coord", "an")
    save(engine, "coord", "an", name="An Peeters", active=False)
    until = str(locked_at + LOCK)
    assert audit_rows(engine) == [
        ("cli", "user_created", {"username": "coord", "role": "coordinator", "providers": []}),
        ("coord", "user_created", {"username": "an", "role": "policy", "providers": []}),
        ("an", "login", {}),
        ("an", "login_failed", {"attempt": 1}),
        ("an", "login_failed", {"attempt": 2}),
        ("an", "login_failed", {"attempt": 3}),
        ("an", "login_failed", {"attempt": 4}),
        ("an", "login_failed", {"attempt": 5}),
        ("an", "account_locked", {"until": until}),
        ("an", "login_refused_locked", {"until": until, "attempts": 2,
                                         "last": str(locked_at + timedelta(minutes=2))}),
        ("niemand", "login_failed", {"reason": "onbekende gebruiker", "attempts": 1}),
        ("an", "logout", {}),
        ("an", "password_changed", {}),
        ("coord", "password_reset", {"username": "an"}),
        ("coord", "user_updated", {"username": "an", "role": "policy", "active": False, "providers": []}),
    ]
    assert datetime.fromisoformat(until) == locked_at + LOCK  # the detail reads back as the moment itself


def test_a_refused_password_change_is_not_audited_as_a_change(engine):
    auth.create_user(engine, "cli", "an", "An", "policy", PASSWORD)
    with pytest.raises(ValueError, match="klopt niet"):
        auth.change_password(engine, "an", "niet-het-wachtwoord", "een-ander-wachtwoord")
    assert not audit_rows(engine, "password_changed")
    assert attempt(engine, "an", PASSWORD, T0)


def test_login_and_logout_through_the_app_are_audited_with_the_username(own_demo):
    at = login(app().run(), "beleid", DEMO_PASSWORD)
    assert not at.exception and at.title[0].value == "Beleid"
    next(b for b in at.sidebar.button if b.label == "Afmelden").click().run()
    assert not at.exception
    assert not at.metric and not {t.value for t in at.title} & ROLE_PAGE_TITLES
    actions = [(actor, action) for actor, action, _ in audit_rows(own_demo) if action in ("login", "logout")]
    assert actions == [("beleid", "login"), ("beleid", "logout")]


# --- importer: days per week -------------------------------------------------------------------------------------


def _export(days: list[str]) -> bytes:
    lines = ["aanvraag_id;kind_id;opvang_id;datum_aanvraag;status;datum_status;dagen_per_week"]
    lines += [f"A{i};K{i};P1;01/03/2026;nieuw;01/03/2026;{d}" for i, d in enumerate(days, start=1)]
    return ("\r\n".join(lines) + "\r\n").encode()


def test_days_per_week_bounds_are_inclusive():
    parsed = parse(_export(["0,5", "5", "7", "0.5", "7,0", ""]), "x.csv")
    assert parsed.problems == []
    assert parsed.frame["dagen_per_week"].tolist() == [0.5, 5.0, 7.0, 0.5, 7.0, None]


def test_days_per_week_out_of_bounds_are_refused_with_their_row():
    parsed = parse(_export(["0,5", "0,4", "7", "7,5", "5", "0"]), "x.csv")
    # The header is row 1: the second data row is row 3.
    assert [(p.row, p.column, p.value) for p in parsed.problems] == [
        (3, "dagen_per_week", "0,4"), (5, "dagen_per_week", "7,5"), (7, "dagen_per_week", "0")]
    messages = [p.message for p in parsed.problems]
    assert messages[0].startswith("Rij 3, kolom dagen_per_week: '0,4' is ongeldig")
    assert messages[1].startswith("Rij 5, kolom dagen_per_week: '7,5' is ongeldig")
    assert parsed.frame.empty  # the whole file is refused


def test_guessing_the_current_password_on_mijn_account_counts_toward_the_lock(engine):
    """Five wrong current passwords on the password form lock the account like five failed logins; each is
    audited; while locked even the right one is refused; a good change resets the count."""
    t0 = datetime(2026, 11, 30, 10, 0, tzinfo=timezone.utc)
    auth.create_user(engine, "test", "jo", "Jo", "policy", "juist-wachtwoord-1")
    for attempt in range(1, 5):
        with pytest.raises(ValueError, match="Het huidige wachtwoord klopt niet."):
            auth.change_password(engine, "jo", f"gok-{attempt}-xxxxxxx", "nieuw-wachtwoord-1", now=t0)
        assert auth.locked_until(engine, "jo", now=t0) is None
    with pytest.raises(ValueError, match="Het huidige wachtwoord klopt niet."):
        auth.change_password(engine, "jo", "gok-5-xxxxxxx", "nieuw-wachtwoord-1", now=t0)
    assert auth.locked_until(engine, "jo", now=t0) == t0 + timedelta(minutes=15)
    # 10:15 UTC is 11:15 in Belgium (winter)
    with pytest.raises(ValueError, match="vergrendeld na 5 foute wachtwoorden; probeer opnieuw na 11:15"):
        auth.change_password(engine, "jo", "juist-wachtwoord-1", "nieuw-wachtwoord-1", now=t0 + timedelta(minutes=14))
    auth.change_password(engine, "jo", "juist-wachtwoord-1", "nieuw-wachtwoord-1", now=t0 + timedelta(minutes=15))
    with engine.connect() as conn:
        actions = [r[0] for r in conn.execute(text("SELECT action FROM audit_log WHERE actor = 'jo' ORDER BY id"))]
        failed = conn.execute(text("SELECT failed_logins FROM users WHERE username = 'jo'")).scalar()
    assert actions == ["password_change_refused"] * 5 + ["account_locked", "password_changed"] and failed == 0


@pytest.mark.parametrize("username, message", [
    ("", "Vul een gebruikersnaam in (letters, cijfers, punt, streepje of liggend streepje)."),
    ("   ", "Vul een gebruikersnaam in (letters, cijfers, punt, streepje of liggend streepje)."),
    ("an peeters", "De gebruikersnaam mag alleen letters, cijfers, punt, streepje en liggend streepje bevatten."),
])
def test_an_empty_user_name_asks_to_be_filled_in(engine, username, message):
    from llko.accounts import auth

    with pytest.raises(ValueError) as refused:
        auth.create_user(engine, "test", username, "An Peeters", "policy", "een-lang-wachtwoord")
    assert str(refused.value) == message
