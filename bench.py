"""Benchmark (outside the product package: it drives the pages through Streamlit's AppTest): import throughput against a raw pandas load, report time and page render times, at two scales.

Run with `python bench.py` (town scale on a temporary SQLite file; add --postgres URL for the same on
PostgreSQL and --flanders for 8,000 providers and 1,000,000 requests there). Prints a Markdown table.
"""

import functools
import io
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
from sqlalchemy import text

from llko.files import caps
from llko.requests import importer, statuses
from llko.requests.sql_rules import refresh_summary
from llko.bootstrap import migrate
from llko.db import ROOT, make_engine

TODAY = date(2026, 11, 1)
PAGES = [("views/overzicht.py", "coordinator"), ("views/aanvragen.py", "coordinator"),
         ("views/vrije_plaatsen.py", "coordinator"), ("views/importeren.py", "coordinator"),
         ("views/infopagina.py", "coordinator"), ("views/opvang.py", "coordinator"),
         ("views/overeenkomsten.py", "coordinator"), ("views/beleid.py", "coordinator"),
         ("views/cijfers.py", "coordinator"), ("views/naleving.py", "coordinator"), ("views/dossier.py", "coordinator"),
         ("views/gebruikers.py", "coordinator"), ("views/audit.py", "coordinator"),
         ("views/instellingen.py", "coordinator"), ("views/mijn_account.py", "coordinator"),
         ("views/meldingen.py", "coordinator"),
         ("views/mijn_aanvragen.py", "bench_provider"), ("views/mijn_vrije_plaatsen.py", "bench_provider"),
         ("views/mijn_infopagina.py", "bench_provider"), ("views/mijn_naleving.py", "bench_provider"),
         ("views/beleid.py", "bench_policy"), ("views/cijfers.py", "bench_policy"), ("views/naleving.py", "bench_policy")]


def synthetic_export(providers: int, requests: int, years: int, seed: int = 1) -> pd.DataFrame:
    """A realistic-looking Opvang.Vlaanderen export (canonical columns), built with numpy in one go."""
    rng = np.random.default_rng(seed)
    received = pd.Timestamp(TODAY) - pd.to_timedelta(rng.integers(0, 365 * years, requests), unit="D")
    status = rng.choice(list(statuses.ALL), requests, p=[0.04, 0.04, 0.08, 0.36, 0.2, 0.08, 0.2])
    answered = np.isin(status, statuses.ANSWER)
    answer = received + pd.to_timedelta(rng.integers(0, 25, requests), unit="D")
    status_date = answer + pd.to_timedelta(rng.integers(0, 20, requests), unit="D")
    status_date = status_date.where(status_date <= pd.Timestamp(TODAY), pd.Timestamp(TODAY))
    answer = answer.where(answer <= status_date, status_date)
    status_date = status_date.where(status != statuses.NEW, received)
    provider = rng.integers(0, providers, requests)
    return pd.DataFrame({
        "aanvraag_id": [f"B{i:08d}" for i in range(requests)],
        "kind_id": [f"K{c:07d}" for c in rng.integers(0, max(requests // 2, 1), requests)],
        "opvang_id": [f"KO-{p:05d}" for p in provider],
        "opvang_naam": [f"Opvang {p:05d}" for p in provider],
        "datum_aanvraag": received.strftime("%d/%m/%Y"),
        "status": status,
        "datum_status": pd.DatetimeIndex(status_date).strftime("%d/%m/%Y"),
        "datum_antwoord": np.where(answered, pd.DatetimeIndex(answer).strftime("%d/%m/%Y"), ""),
        "kwetsbaar_gezin": rng.choice(["ja", "nee", ""], requests, p=[0.25, 0.7, 0.05]),
        "dagen_per_week": rng.choice(["2", "3", "4", "5"], requests),
    })


def _timed(fn, repeat: int = 1) -> float:
    """Median wall time of fn() in seconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _fresh_url(base: str | None, workdir: Path) -> str:
    """A new empty database: a SQLite file, or a schema of its own on the given PostgreSQL server."""
    if base is None:
        return f"sqlite:///{workdir / f'bench-{uuid.uuid4().hex[:6]}.sqlite3'}"
    schema = f"bench_{uuid.uuid4().hex[:8]}"
    with make_engine(base).begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    _SCHEMAS.append((base, schema))
    return f"{base}{'&' if '?' in base else '?'}options=-csearch_path%3D{schema}"


_SCHEMAS: list[tuple[str, str]] = []  # (server URL, schema) made by _fresh_url, dropped by run() at the end


def _drop_schemas() -> None:
    while _SCHEMAS:
        base, schema = _SCHEMAS.pop()
        with make_engine(base).begin() as conn:
            conn.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))


def measure_import(base_url: str | None, csv_bytes: bytes, workdir: Path) -> dict:
    """Import through llko.requests.importer vs read_csv + to_sql of the same bytes, each into an empty database."""
    url = _fresh_url(base_url, workdir)
    engine = make_engine(url)
    migrate(engine)
    t_import = _timed(lambda: importer.import_file(engine, csv_bytes, "bench.csv", TODAY, "bench"))
    raw_engine = make_engine(_fresh_url(base_url, workdir))

    def raw():
        frame = pd.read_csv(io.BytesIO(csv_bytes), sep=";", dtype=str, keep_default_na=False)
        frame.to_sql("raw_requests", raw_engine, index=False, if_exists="replace", chunksize=10_000)

    t_raw = _timed(raw)
    raw_engine.dispose()
    return {"url": url, "engine": engine, "import_s": t_import, "raw_s": t_raw}


def bulk_load(engine, export: pd.DataFrame) -> None:
    """Fill providers and requests straight from a synthetic export (for the Flanders scale, where the
    importer's own speed was measured on the town file already)."""
    def dates(col):
        return pd.to_datetime(export[col], format="%d/%m/%Y", errors="coerce").dt.date

    providers = export[["opvang_id", "opvang_naam"]].drop_duplicates("opvang_id").rename(
        columns={"opvang_id": "id", "opvang_naam": "name"})
    providers["created_at"] = pd.Timestamp.now(tz="UTC")
    requests = pd.DataFrame({
        "id": export["aanvraag_id"], "child_id": export["kind_id"], "provider_id": export["opvang_id"],
        "received": dates("datum_aanvraag"), "status": export["status"], "status_date": dates("datum_status"),
        "answer_date": dates("datum_antwoord"), "vulnerable": export["kwetsbaar_gezin"].map({"ja": True, "nee": False}),
        "days_per_week": export["dagen_per_week"].astype(float), "snapshot_date": TODAY,
    })
    providers.to_sql("providers", engine, index=False, if_exists="append", chunksize=10_000)
    requests.to_sql("requests", engine, index=False, if_exists="append", chunksize=20_000)
    with engine.begin() as conn:
        refresh_summary(conn)
    if engine.dialect.name == "postgresql":  # the steady state autovacuum keeps a live database in, now
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM ANALYZE requests, providers, provider_summary"))
            try:  # write the load's dirty pages out now, not during the timings (needs superuser rights)
                conn.execute(text("CHECKPOINT"))
            except Exception:  # noqa: BLE001 - a measurement nicety only
                pass


def add_bench_users(engine, provider_id: str) -> None:
    from llko.accounts.auth import create_user

    create_user(engine, "bench", "coordinator", "Bench", "coordinator", "bench-wachtwoord-1")
    create_user(engine, "bench", "bench_provider", "Bench opvang", "provider", "bench-wachtwoord-1", (provider_id,))
    create_user(engine, "bench", "bench_policy", "Bench beleid", "policy", "bench-wachtwoord-1")


def measure_report(url: str) -> float:
    """Wall time of `python -m llko report --as-of ... --json` (a fresh process, as a scheduled job runs it)."""
    env = {**os.environ, "LLKO_DATABASE_URL": url}
    cmd = [sys.executable, "-m", "llko", "report", "--as-of", TODAY.isoformat(), "--json"]
    return _timed(lambda: subprocess.run(cmd, cwd=ROOT, env=env, check=True, capture_output=True), repeat=3)


def measure_compliance(url: str) -> float:
    """Wall time of `python -m llko compliance --json` over the default year (a fresh process)."""
    env = {**os.environ, "LLKO_DATABASE_URL": url, "LLKO_TODAY": TODAY.isoformat()}
    cmd = [sys.executable, "-m", "llko", "compliance", "--json"]
    return _timed(lambda: subprocess.run(cmd, cwd=ROOT, env=env, check=True, capture_output=True), repeat=3)


def measure_figures(url: str) -> float:
    """Wall time of `python -m llko figures --json` over the last full year (a fresh process)."""
    env = {**os.environ, "LLKO_DATABASE_URL": url, "LLKO_TODAY": TODAY.isoformat()}
    cmd = [sys.executable, "-m", "llko", "figures", "--json"]
    return _timed(lambda: subprocess.run(cmd, cwd=ROOT, env=env, check=True, capture_output=True), repeat=3)


def measure_first_start(workdir: Path) -> float:
    """Wall time of a newcomer's first start: a fresh process on an empty SQLite file builds the demo town
    (`python -m llko demo`, as the app does on its embedded default) — the wait before the first page."""
    def build():
        target = workdir / "first-start.sqlite"
        target.unlink(missing_ok=True)
        env = {**os.environ, "LLKO_DATABASE_URL": f"sqlite:///{target}", "LLKO_TODAY": TODAY.isoformat()}
        subprocess.run([sys.executable, "-m", "llko", "demo"], cwd=ROOT, env=env, check=True, capture_output=True)
    return _timed(build, repeat=3)


def measure_pages(url: str, repeat: int = 5) -> dict[str, float]:
    """Median server-side render time (AppTest, caches cleared before each run) of every page."""
    import streamlit as st
    import streamlit.components.v2.manifest_scanner as manifests
    from streamlit.testing.v1 import AppTest

    from llko.accounts import sessions

    # A server scans the installed packages for components once, at its start; AppTest does it on every run
    # (0.4 s with this venv's 360 packages), which is no part of a page's time.
    manifests.scan_component_manifests = functools.cache(manifests.scan_component_manifests)

    os.environ["LLKO_DATABASE_URL"] = url
    os.environ["LLKO_TODAY"] = TODAY.isoformat()
    engine = make_engine(url)
    result = {}
    for path, user in PAGES:
        token = sessions.start(engine, user)

        def render():
            st.cache_data.clear()
            at = AppTest.from_file(str(ROOT / path), default_timeout=600)
            at.session_state["_llko_token"] = token
            at.run()
            if at.exception:
                raise RuntimeError(f"{path}: {at.exception[0].value}")
        render()  # warm the engine and imports once
        result[f"{path.removeprefix('views/').removesuffix('.py')} ({user})"] = _timed(render, repeat)
    return result


def run(postgres: str | None, flanders: bool) -> str:
    """Measure everything and return the Markdown table; the temporary databases are removed afterwards,
    also after an error (a Flanders-scale schema is ~0.5 GB)."""
    workdir = Path(tempfile.mkdtemp(prefix="llko-bench-"))
    try:
        return _measure_all(postgres, flanders, workdir)
    finally:
        _drop_engines()
        _drop_schemas()
        shutil.rmtree(workdir, ignore_errors=True)


def _drop_engines() -> None:
    """Close the pages' cached engines (held by Streamlit's resource cache), so their schemas can go."""
    if "streamlit" in sys.modules:
        sys.modules["streamlit"].cache_resource.clear()


def _report_and_compliance(scale: str, url: str) -> list[tuple]:
    """The report and a year's compliance through the CLI, and their ratio (issue 26: compliance <= 3x the report)."""
    report_s, compliance_s = measure_report(url), measure_compliance(url)
    return [(scale, "CLI report (s, incl. process start)", f"{report_s:.2f}", ""),
            (scale, "CLI compliance, one year (s, incl. process start)", f"{compliance_s:.2f}", ""),
            (scale, "compliance / report", f"{compliance_s / report_s:.1f}×", "≤ 3×")]


def _measure_all(postgres: str | None, flanders: bool, workdir: Path) -> str:
    rows = [("demo SQLite", "first start: the demo town built in a fresh process (s)",
             f"{measure_first_start(workdir):.2f}", "≤ 4")]
    town = synthetic_export(60, 25_000, 5)
    town_csv = town.to_csv(index=False, sep=";").encode()
    for label, base in [("SQLite", None)] + ([("PostgreSQL", postgres)] if postgres else []):
        m = measure_import(base, town_csv, workdir)
        add_bench_users(m["engine"], town["opvang_id"].iloc[0])
        rows.append((f"town {label}", "import 25k rows (s) / raw read_csv+to_sql (s) / ratio",
                     f"{m['import_s']:.2f} / {m['raw_s']:.2f} / {m['import_s'] / m['raw_s']:.1f}×", "≤ 2×"))
        rows += _report_and_compliance(f"town {label}", m["url"])
        rows.append((f"town {label}", "CLI figures, one year (s, incl. process start)",
                     f"{measure_figures(m['url']):.2f}", ""))
        for name, seconds in measure_pages(m["url"]).items():
            rows.append((f"town {label}", f"page {name} (ms)", f"{seconds * 1000:.0f}", "< 300"))
        m["engine"].dispose()
    if flanders and postgres:
        url = _fresh_url(postgres, workdir)
        engine = make_engine(url)
        migrate(engine)
        big = synthetic_export(8_000, 1_000_000, 5, seed=2)
        caps.MAX_ROWS, caps.MAX_CELLS = 1_500_000, 20_000_000  # as a region's IT sets LLKO_IMPORT_MAX_ROWS/_CELLS
        m = measure_import(postgres, big.to_csv(index=False, sep=";").encode(), workdir)
        rows.append(("Flanders PostgreSQL", "import 1M rows (s) / raw read_csv+to_sql (s) / ratio",
                     f"{m['import_s']:.0f} / {m['raw_s']:.0f} / {m['import_s'] / m['raw_s']:.1f}×", "≤ 2×"))
        m["engine"].dispose()
        load_s = _timed(lambda: bulk_load(engine, big))
        add_bench_users(engine, big["opvang_id"].iloc[0])
        rows.append(("Flanders PostgreSQL", "bulk load 1M requests (s)", f"{load_s:.0f}", ""))
        rows += _report_and_compliance("Flanders PostgreSQL", url)
        rows.append(("Flanders PostgreSQL", "CLI figures, one year (s, incl. process start)",
                     f"{measure_figures(url):.2f}", ""))
        for name, seconds in measure_pages(url, repeat=5).items():
            rows.append(("Flanders PostgreSQL", f"page {name} (ms)", f"{seconds * 1000:.0f}", "< 1000"))
        engine.dispose()
    lines = ["| scale | measure | result | target |", "|---|---|---|---|"]
    lines += [f"| {a} | {b} | {c} | {d} |" for a, b, c, d in rows]
    return "\n".join(lines)


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description="Snelheid meten op stads- en Vlaamse schaal (tijdelijke databanken).")
    parser.add_argument("--postgres", default=None, help="PostgreSQL-URL om ook daarop te meten (eigen schema's)")
    parser.add_argument("--flanders", action="store_true", help="ook 8.000 opvang en 1.000.000 aanvragen (met --postgres)")
    options = parser.parse_args()
    print(run(options.postgres, options.flanders))
