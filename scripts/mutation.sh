#!/usr/bin/env bash
# Mutation testing with mutmut (settings: pyproject.toml, [tool.mutmut]). NOT part of CI: too slow.
# Run it by hand before resolving a change to the rules, the accounts, the exports or the page guards.
# On a 2-core machine with one worker: the default scope (899 mutants) took 21 minutes, `all` (1675) about an hour.
# Installs nothing: needs `.venv/bin/pip install -r requirements-dev.txt` first.
#
#   bash scripts/mutation.sh                  # default scope (below)
#   bash scripts/mutation.sh all              # every mutated file in pyproject.toml, SQL rules and demo town too
#   bash scripts/mutation.sh 'llko.requests.rules.x_followups*'   # only these mutants (mutmut name globs)
#   MUTATION_JOBS=2 bash scripts/mutation.sh  # more workers (default 1, so the machine stays usable)
#
# Then `.venv/bin/mutmut show <name>` shows a mutant's diff. Results and the mutated copy live in mutants/
# (git-ignored; delete it to start from scratch). Accepted survivors and the last score: README, Testen.
set -euo pipefail
cd "$(dirname "$0")/.."

MUTMUT=.venv/bin/mutmut
if [[ ! -x "$MUTMUT" ]]; then
  echo "mutmut is missing: .venv/bin/pip install -r requirements-dev.txt" >&2
  exit 2
fi

# Default: the rules, accounts, exports, report and figures, the bootstrap without the demo-town generator, and
# in ui/session.py the page guards. Left for `all`: llko.requests.sql_rules (the SQL twin of the rules, checked
# against them by property tests; its mutants re-run most of the suite) and bootstrap.build_demo (demo data).
DEFAULT_SCOPE=(
  "llko.requests.rules.*" "llko.requests.statuses.*" "llko.requests.overview.*"
  "llko.accounts.auth.*" "llko.reporting.export.*" "llko.reporting.report.*"
  "llko.bootstrap.x_migrate*" "llko.bootstrap.x_is_demo*" "llko.bootstrap.x_is_empty*" "llko.bootstrap.x_prepare*"
  "llko.bootstrap.x_demo_accounts*" "llko.bootstrap.x_cookie_key*"
  "ui.session.x_allowed*" "ui.session.x_menu*" "ui.session.x_page_spec*" "ui.session.x_open_page*"
  "ui.session.x_current_user*"
)
if [[ $# -eq 0 ]]; then
  SCOPE=("${DEFAULT_SCOPE[@]}")
elif [[ $# -eq 1 && $1 == all ]]; then
  SCOPE=("llko.*" "ui.session.*")
else
  SCOPE=("$@")
fi

# SQLite only, and not in CI mode (which would turn the skipped PostgreSQL tests into failures).
unset LLKO_TEST_POSTGRES_URL CI

# mutmut copies over mutants/ without deleting: drop copies whose source is gone (a moved module would still
# be imported from there), and re-copy views/, tests/, the migrations and Streamlit's config from scratch.
if [[ -d mutants ]]; then
  while IFS= read -r copy; do
    [[ -e $copy ]] || rm -f "mutants/$copy" "mutants/$copy.meta" "mutants/$copy.spans"
  done < <(cd mutants && find llko ui -name '*.py' 2>/dev/null)
  rm -rf mutants/pages mutants/tests mutants/db/migrations mutants/.streamlit
fi

# A whole run maps the tests to the functions they call afresh: mutmut's saved map only ever adds new tests, so
# a function that an existing test started calling since would show as 'no tests'.
if [[ $# -eq 0 || ( $# -eq 1 && $1 == all ) ]]; then
  rm -f mutants/mutmut-stats.json
fi

start=$(date +%s)
"$MUTMUT" run --max-children "${MUTATION_JOBS:-1}" "${SCOPE[@]}"
elapsed=$(( $(date +%s) - start ))

echo
echo "== mutmut results (every mutant not killed; 'not checked' ones, outside this run, left out) =="
"$MUTMUT" results | grep -v ': not checked$' || true

echo
echo "== score of this run's scope =="
.venv/bin/python - "$elapsed" "${SCOPE[@]}" <<'PY'
"""killed / (killed + survived), a timeout counted as killed; 'no tests' and the rest listed apart."""
import fnmatch
import json
import sys
from collections import Counter
from pathlib import Path

from mutmut.stats import status_by_exit_code

elapsed, scope = int(sys.argv[1]), sys.argv[2:]
status = {}
for meta in Path("mutants").rglob("*.py.meta"):
    for name, code in json.loads(meta.read_text())["exit_code_by_key"].items():
        if any(fnmatch.fnmatch(name, pattern) for pattern in scope):
            status[name] = status_by_exit_code[code]

counts = Counter(status.values())
killed = counts["killed"] + counts["timeout"]
survived = counts["survived"]
print(f"run time          {elapsed // 60} min {elapsed % 60} s")
print(f"mutants in scope  {len(status)}")
print(f"killed            {killed} (of which {counts['timeout']} timeouts)")
print(f"survived          {survived}")
print(f"no tests          {counts['no tests']} (no selected test runs this code in the test process)")
for other in sorted(set(counts) - {"killed", "timeout", "survived", "no tests"}):
    print(f"{other:<17} {counts[other]}")
if killed + survived:
    print(f"SCORE             {killed}/{killed + survived} = {100 * killed / (killed + survived):.1f}%")
for kind in ("survived", "no tests"):
    names = sorted(n for n, s in status.items() if s == kind)
    if names:
        print(f"\n{kind}:")
        print("\n".join(f"  {n}" for n in names))
PY
