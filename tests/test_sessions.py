"""Sign-in and sessions (llko.accounts.sessions): a lock that holds under a burst of parallel attempts, the same
answer and timing for known and unknown names, and sessions that a logout, a password change or reset, a
disable or a role change end — on SQLite and on PostgreSQL."""

import statistics
import threading
import time
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import text

from llko import audit
from llko.accounts import auth, sessions
from tests.helpers import audit_actions

PASSWORD = "een-lang-wachtwoord"
WRONG = "niet-het-wachtwoord"
T0 = datetime(2026, 11, 30, 9, 0, tzinfo=timezone.utc)


def four_failures(engine, username):
    for _ in range(4):
        assert sessions.sign_in(engine, username, WRONG).token is None
    assert auth.locked_until(engine, username) is None


# --- the lock under a burst ------------------------------------------------------------------------------


def test_a_burst_of_20_after_4_failures_gets_one_password_checked(engine):
    """After 4 failures, 20 attempts at once: only the fifth in the count is checked (and fails, locking the
    account); the other 19 are refused unchecked, and summarised in one audit line."""
    auth.create_user(engine, "test", "an", "An", "policy", PASSWORD)
    four_failures(engine, "an")
    start = threading.Barrier(20)
    results = []

    def attempt():
        start.wait()
        results.append(sessions.sign_in(engine, "an", WRONG).token)

    threads = [threading.Thread(target=attempt) for _ in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert results == [None] * 20
    actions = audit_actions(engine, "an")
    assert actions.count("login_failed") == 5  # the 4 before and the fifth of the burst
    assert actions.count("account_locked") == 1 and actions.count("login_refused_locked") == 1
    with engine.connect() as conn:
        refused = conn.execute(text("SELECT detail FROM audit_log WHERE action = 'login_refused_locked'")).scalar()
    assert '"attempts": 19' in refused
    assert sessions.sign_in(engine, "an", PASSWORD).token is None  # locked: the right password waits too


def test_the_right_password_in_a_burst_after_4_failures_does_not_get_in(engine, monkeypatch):
    """The attack of issue 14: 19 wrong guesses at once, the right one just behind them. Each check is slowed
    down (as a busy server would), so an attempt that was checked before the lock was written would get in."""
    auth.create_user(engine, "test", "an", "An", "policy", PASSWORD)
    four_failures(engine, "an")
    real_check = sessions._bcrypt_matches

    def slow_check(password, password_hash):
        time.sleep(0.3)
        return real_check(password, password_hash)

    monkeypatch.setattr(sessions, "_bcrypt_matches", slow_check)
    start = threading.Barrier(20)
    results = {}

    def attempt(i, password, delay):
        start.wait()
        time.sleep(delay)
        results[i] = sessions.sign_in(engine, "an", password).token

    threads = [threading.Thread(target=attempt, args=(i, WRONG, 0)) for i in range(19)]
    threads.append(threading.Thread(target=attempt, args=(19, PASSWORD, 0.05)))
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert list(results.values()) == [None] * 20
    assert "login" not in audit_actions(engine, "an")
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM login_sessions")).scalar() == 0


# --- unknown names: the same answer, the same time ----------------------------------------------------------


def test_known_and_unknown_names_get_the_same_answer_in_the_same_time(engine):
    auth.create_user(engine, "test", "an", "An", "policy", PASSWORD)
    auth.create_user(engine, "test", "bo", "Bo", "policy", PASSWORD)
    auth.create_user(engine, "test", "cy", "Cy", "policy", PASSWORD)
    for _ in range(5):
        sessions.sign_in(engine, "bo", WRONG)  # bo is locked now
    timings = {"known": [], "unknown": [], "locked": [], "too long": []}
    for _ in range(3):
        for kind, name, password in (("known", "an", WRONG), ("unknown", "niemand", WRONG),
                                     ("locked", "bo", PASSWORD), ("too long", "cy", "x" * 100)):
            began = time.perf_counter()
            result = sessions.sign_in(engine, name, password, now=datetime.now(timezone.utc))
            timings[kind].append(time.perf_counter() - began)
            assert result == sessions.SignIn(None, sessions.REFUSED)
    medians = {kind: statistics.median(times) for kind, times in timings.items()}
    known = medians["known"]
    for kind in ("unknown", "locked", "too long"):  # each did one bcrypt check at the same cost
        assert 0.6 * known < medians[kind] < 1.6 * known, medians


def test_a_too_long_password_at_login_counts_as_a_failure_of_that_name(engine):
    auth.create_user(engine, "test", "an", "An", "policy", PASSWORD)
    assert sessions.sign_in(engine, "an", "é" * 40).token is None  # 80 bytes
    assert audit_actions(engine, "an") == ["login_failed"]


LOGIN_T0 = datetime(2026, 11, 30, 15, 0, tzinfo=timezone.utc)  # 16:00 in Ninove (winter time)


def fail_login(engine, username, now):
    assert sessions.sign_in(engine, username, "niet-het-wachtwoord", now=now).token is None


def test_the_audit_numbers_each_failure_and_a_lock_needs_five_fresh_failures(engine):
    """Failures at 15:00-15:04 UTC: the audit reads 'poging 1' to 'poging 5', then 'vergrendeld tot 30/11/2026
    16:19' (15:04 + 15 minutes, Belgian time). After the lock a new series starts at zero: four failures do not
    lock, the fifth does (until 15:24 + 15 = 15:39 UTC). (The count itself is llko.accounts.sessions' claim.)"""
    auth.create_user(engine, "test", "jo", "Jo", "coordinator", "een-lang-wachtwoord")
    for i in range(4):
        fail_login(engine, "jo", LOGIN_T0 + timedelta(minutes=i))
        assert auth.locked_until(engine, "jo", now=LOGIN_T0 + timedelta(minutes=i)) is None
    fail_login(engine, "jo", LOGIN_T0 + timedelta(minutes=4))
    assert auth.locked_until(engine, "jo", now=LOGIN_T0 + timedelta(minutes=4)) == datetime(
        2026, 11, 30, 15, 19, tzinfo=timezone.utc)
    log = audit.entries(engine).iloc[::-1]
    mine = log[log["actor"] == "jo"]
    assert [audit.describe(a, d) for a, d in zip(mine["action"], mine["detail"])] == [
        "poging 1", "poging 2", "poging 3", "poging 4", "poging 5", "vergrendeld tot 30/11/2026 16:19"]

    for i in range(20, 24):
        fail_login(engine, "jo", LOGIN_T0 + timedelta(minutes=i))
        assert auth.locked_until(engine, "jo", now=LOGIN_T0 + timedelta(minutes=i)) is None
    fail_login(engine, "jo", LOGIN_T0 + timedelta(minutes=24))
    assert auth.locked_until(engine, "jo", now=LOGIN_T0 + timedelta(minutes=24)) == datetime(
        2026, 11, 30, 15, 39, tzinfo=timezone.utc)


# --- sessions end when they should ----------------------------------------------------------------------------


def signed_in(engine, username, password=PASSWORD, now=None):
    token = sessions.sign_in(engine, username, password, now=now).token
    assert token and sessions.session_user(engine, token, now=now).username == username
    return token


def test_logout_ends_every_session_of_the_account_and_no_other(engine):
    auth.create_user(engine, "test", "an", "An", "policy", PASSWORD)
    auth.create_user(engine, "test", "bo", "Bo", "policy", PASSWORD)
    laptop, phone, other = signed_in(engine, "an"), signed_in(engine, "an"), signed_in(engine, "bo")
    sessions.sign_out(engine, laptop)
    assert sessions.session_user(engine, laptop) is None
    assert sessions.session_user(engine, phone) is None  # a copied cookie is a session like any other
    assert sessions.session_user(engine, other).username == "bo"
    assert audit_actions(engine, "an")[-1] == "logout"


def test_a_password_change_keeps_this_session_and_ends_the_others(engine):
    auth.create_user(engine, "test", "an", "An", "policy", PASSWORD)
    here, elsewhere = signed_in(engine, "an"), signed_in(engine, "an")
    auth.change_password(engine, "an", PASSWORD, "een-nieuw-wachtwoord", keep=here)
    assert sessions.session_user(engine, here).username == "an"
    assert sessions.session_user(engine, elsewhere) is None


def test_a_reset_ends_every_session(engine):
    auth.create_user(engine, "test", "an", "An", "policy", PASSWORD)
    auth.create_user(engine, "test", "coord", "Coord", "coordinator", PASSWORD)
    token = signed_in(engine, "an")
    auth.reset_password(engine, "coord", "an")
    assert sessions.session_user(engine, token) is None


def edit(engine, **changes):
    current = dict(name="An", email="", role="policy", active=True, provider_ids=())
    auth.update_user(engine, "coord", "an", **{**current, **changes})


def test_a_role_change_or_a_disable_ends_the_sessions_and_enabling_again_does_not_revive_them(engine):
    auth.create_user(engine, "test", "an", "An", "policy", PASSWORD)
    auth.create_user(engine, "test", "coord", "Coord", "coordinator", PASSWORD)
    token = signed_in(engine, "an")
    edit(engine, name="An Peeters", email="an@ninove.be")  # name and e-mail: the session goes on
    assert sessions.session_user(engine, token).name == "An Peeters"
    edit(engine, role="coordinator")
    assert sessions.session_user(engine, token) is None
    token = signed_in(engine, "an")
    edit(engine, role="coordinator", active=False)
    edit(engine, role="coordinator", active=True)
    assert sessions.session_user(engine, token) is None


def test_a_session_lasts_24_hours_to_the_second(engine):
    auth.create_user(engine, "test", "an", "An", "policy", PASSWORD)
    token = signed_in(engine, "an", now=T0)
    assert sessions.session_user(engine, token, now=T0 + timedelta(hours=24, seconds=-1)).username == "an"
    assert sessions.session_user(engine, token, now=T0 + timedelta(hours=24)) is None


@pytest.mark.parametrize("token", [None, "", "x", "a" * 201, 12345, "'; DROP TABLE users; --"])
def test_a_forged_or_malformed_token_signs_in_nobody(engine, token):
    auth.create_user(engine, "test", "an", "An", "policy", PASSWORD)
    signed_in(engine, "an")
    assert sessions.session_user(engine, token) is None


def test_the_database_keeps_only_a_digest_of_the_token(engine):
    """Whoever reads the database (a backup, the demo file) cannot sign in with what it holds."""
    auth.create_user(engine, "test", "an", "An", "policy", PASSWORD)
    token = signed_in(engine, "an")
    with engine.connect() as conn:
        stored = conn.execute(text("SELECT token_hash FROM login_sessions")).scalar()
    assert token not in stored and len(stored) == 64
    assert sessions.session_user(engine, stored) is None
