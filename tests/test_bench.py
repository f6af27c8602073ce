"""The benchmark leaves nothing behind: its PostgreSQL schemas and SQLite files go, also after an error."""

import pytest
from sqlalchemy import text

from conftest import POSTGRES_URL
import bench
from llko.db import make_engine


def schemas(url: str) -> set[str]:
    with make_engine(url).connect() as conn:
        return set(conn.execute(text("SELECT nspname FROM pg_namespace WHERE nspname LIKE 'bench\\_%'")).scalars())


def test_a_failed_run_still_removes_its_databases(monkeypatch, tmp_path):
    made = {}

    def fail_halfway(postgres, flanders, workdir):
        made["workdir"] = workdir
        made["sqlite"] = bench._fresh_url(None, workdir)
        make_engine(made["sqlite"]).connect().close()  # the file exists now
        if postgres:
            bench._fresh_url(postgres, workdir)
            made["schema"] = bench._SCHEMAS[-1][1]
            assert made["schema"] in schemas(postgres)
        raise RuntimeError("halverwege mis")

    monkeypatch.setattr(bench, "_measure_all", fail_halfway)
    with pytest.raises(RuntimeError):
        bench.run(POSTGRES_URL, flanders=False)
    assert not made["workdir"].exists()
    if POSTGRES_URL:
        assert made["schema"] not in schemas(POSTGRES_URL)
