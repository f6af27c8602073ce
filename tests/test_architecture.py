"""The shape of the code (DESIGN.md "Shape of the code"), checked: llko never imports streamlit or ui; a feature
imports only the core and the features below it (import-linter, .importlinter); pages never touch the database
themselves. Each check is also shown to fail on a planted violation."""

import ast
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import ROOT

LINT = [sys.executable, "-c", "import sys; from importlinter.cli import lint_imports_command; sys.exit(lint_imports_command())"]


def lint(root: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(root)}
    return subprocess.run([*LINT, "--config", str(root / ".importlinter"), "--no-cache"], cwd=root, env=env,
                          capture_output=True, text=True, timeout=300)


def test_the_import_contracts_hold():
    result = lint(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "4 kept, 0 broken" in result.stdout


def test_the_import_contracts_bite(tmp_path):
    """A copy of the code with four planted violations: a rule importing streamlit, the core importing a feature, a
    feature reaching into the export import of another, and a feature calling another feature's writes."""
    shutil.copytree(ROOT / "llko", tmp_path / "llko", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "ui", tmp_path / "ui", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / ".importlinter", tmp_path / ".importlinter")
    rules = tmp_path / "llko" / "requests" / "rules.py"
    rules.write_text("import streamlit  # planted\n" + rules.read_text())
    settings = tmp_path / "llko" / "settings.py"
    settings.write_text("from llko.requests import overview  # planted\n" + settings.read_text())
    compliance_rules = tmp_path / "llko" / "compliance" / "rules.py"
    compliance_rules.write_text("from llko.requests import importer  # planted\n" + compliance_rules.read_text())
    vacancy_queries = tmp_path / "llko" / "vacancies" / "queries.py"
    vacancy_queries.write_text("from llko.providers import service  # planted\n" + vacancy_queries.read_text())
    result = lint(tmp_path)
    assert result.returncode != 0
    out = " ".join(result.stdout.split())  # the report wraps long contract names
    assert "llko never imports streamlit or ui (the product works without its screens) BROKEN" in out
    assert "A feature depends only on the core and the features below it BROKEN" in out
    assert "- llko.compliance.rules -> llko.requests.importer" in result.stdout
    assert "- llko.vacancies.queries -> llko.providers.service" in result.stdout
    assert "0 kept, 4 broken" in out


DATABASE_MODULES = re.compile(r"^(sqlalchemy|sqlmodel|psycopg|sqlite3|llko\.db)(\.|$)|\.(queries|sql_rules)$")
SQL = re.compile(r"\b(SELECT\s.+\sFROM|INSERT\s+INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM|CREATE\s+TABLE)\b", re.I | re.S)


def database_use(source: str) -> list[str]:
    """What in a page's source reads the database without going through ui.reads: imports of database modules or
    of a feature's queries, and SQL in strings."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [a.name for a in node.names if DATABASE_MODULES.search(a.name)]
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if DATABASE_MODULES.search(module):
                found.append(module)
            else:
                found += [f"{module}.{a.name}" for a in node.names if DATABASE_MODULES.search(f"{module}.{a.name}")]
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and SQL.search(node.value):
            found.append(f"SQL: {node.value[:40]}")
    return found


def test_pages_never_touch_the_database_themselves():
    scripts = sorted((ROOT / "views").glob("*.py")) + [ROOT / "app.py"]
    assert len(scripts) >= 9
    assert {p.name: database_use(p.read_text()) for p in scripts} == {p.name: [] for p in scripts}


def test_the_page_check_bites():
    assert database_use("from sqlalchemy import text\n") == ["sqlalchemy"]
    assert database_use("from llko.requests import queries\n") == ["llko.requests.queries"]
    assert database_use("import llko.requests.sql_rules as s\n") == ["llko.requests.sql_rules"]
    assert database_use("x = 'SELECT id FROM requests WHERE 1 = 1'\n") == ["SQL: SELECT id FROM requests WHERE 1 = 1"]
    assert database_use("import ui\nst.write('Selecteer een opvang uit de lijst')\n") == []


# What a page may hand the engine to: llko's writing services, and the documents built on a click (a letter, the
# yearly report). Anything else that takes the engine is a read outside ui.reads (uncached, untested as a read).
ENGINE_TAKERS = {"service", "services", "rounds", "importer", "register_workbook", "population", "auth", "letters",
                 "annual"}


def engine_reads(source: str) -> list[str]:
    """Calls in a page that pass ui.engine() (or a name bound to it) to anything but ENGINE_TAKERS."""
    tree = ast.parse(source)
    bound = {target.id for node in ast.walk(tree) if isinstance(node, ast.Assign) for target in node.targets
             if isinstance(target, ast.Name) and isinstance(node.value, ast.Call)
             and ast.unparse(node.value.func) == "ui.engine"}

    def is_engine(arg) -> bool:
        return (isinstance(arg, ast.Call) and ast.unparse(arg.func) == "ui.engine") or (
            isinstance(arg, ast.Name) and arg.id in bound)

    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and any(is_engine(a) for a in [*node.args, *(k.value for k in node.keywords)]):
            root = node.func
            while isinstance(root, ast.Attribute):
                root = root.value
            if not (isinstance(root, ast.Name) and root.id in ENGINE_TAKERS):
                found.append(f"{ast.unparse(node.func)} (line {node.lineno})")
    return found


def test_pages_hand_the_engine_only_to_writes_and_documents():
    scripts = sorted((ROOT / "views").glob("*.py")) + [ROOT / "app.py"]
    found = {p.name: engine_reads(p.read_text()) for p in scripts}
    assert {name: calls for name, calls in found.items() if calls} == {}


def test_the_engine_check_bites():
    assert engine_reads("import ui\nx = queries.requests(ui.engine(), day)\n") == ["queries.requests (line 2)"]
    assert engine_reads("engine = ui.engine()\ndemo = bootstrap.is_demo(engine)\n") == ["bootstrap.is_demo (line 2)"]
    assert engine_reads("service.record(ui.engine(), user, row)\nauth.create_user(engine=ui.engine())\n") == []


# Widgets a browser can answer with any value, and download buttons served after the page ran: only ui.choices and
# ui.downloads call them, so every choice is checked against what was offered and every file against the session.
GUARDED = {"selectbox", "multiselect", "radio", "download_button"}


def unguarded_widgets(source: str) -> list[str]:
    """Calls of selectbox, multiselect, radio or download_button in a page or in ui outside its guards."""
    return sorted(f"{node.func.attr} (line {node.lineno})" for node in ast.walk(ast.parse(source))
                  if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in GUARDED)


def test_choices_and_downloads_go_through_their_guards():
    guards = {ROOT / "ui" / "choices.py", ROOT / "ui" / "downloads.py"}
    files = [ROOT / "app.py", *sorted((ROOT / "views").glob("*.py")), *sorted((ROOT / "ui").glob("*.py"))]
    found = {f.name: unguarded_widgets(f.read_text()) for f in files if f not in guards}
    assert {name: calls for name, calls in found.items() if calls} == {}


def test_the_widget_check_bites():
    assert unguarded_widgets("x = st.selectbox('Opvang', ids)\ncolumn.download_button('CSV', data)\n") == [
        "download_button (line 2)", "selectbox (line 1)"]
    assert unguarded_widgets("x = ui.choose('Opvang', ids)\nui.download('CSV', build, 'a.csv', key='k')\n") == []
