"""The scheduled jobs as a town's IT installs them (deploy/systemd): every timer survives a reboot (Persistent=true,
a daily OnCalendar) and starts a service of the same name that runs a command the CLI knows; the morning import
runs before the notify run that reads its statuses. No systemd here: the files are parsed."""

import configparser
import re
import shlex
from pathlib import Path

import pytest

from llko.cli import _parser

SYSTEMD = Path(__file__).resolve().parent.parent / "deploy" / "systemd"
TIMERS = sorted(SYSTEMD.glob("*.timer"))


def unit(path: Path) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str  # systemd keys are case-sensitive
    parser.read_string(path.read_text(encoding="utf-8"))
    return parser


def llko_commands(exec_start: str) -> list[list[str]]:
    """The `python -m llko ...` invocations in an ExecStart line (also inside /bin/sh -c '...'), with the shell's
    $(date ...) as a day and $f as a file, as the shell would fill them in."""
    words = shlex.split(exec_start.replace("%%", "%"))
    if words[:2] == ["/bin/sh", "-c"]:
        script = re.sub(r"\$\(date [^)]*\)", "2026-12-05", words[2]).replace("$f", "export.csv")
        words = shlex.split(script.replace(";", " ; "))
    found, i = [], 0
    while i < len(words) - 2:
        if words[i].endswith("/python") and words[i + 1:i + 3] == ["-m", "llko"]:
            args = []
            for word in words[i + 3:]:
                if word in (";", "&&", "||"):
                    break
                args.append(word)
            found.append(args)
        i += 1
    return found


def test_there_are_timers_for_the_import_notify_and_backup():
    assert [p.stem for p in TIMERS] == ["llko-backup", "llko-import", "llko-notify"]


@pytest.mark.parametrize("timer", TIMERS, ids=lambda p: p.stem)
def test_every_timer_runs_daily_and_catches_up_after_a_reboot(timer):
    section = unit(timer)["Timer"]
    assert section["Persistent"] == "true"
    assert section["OnCalendar"].startswith("*-*-* ")
    assert unit(timer)["Install"]["WantedBy"] == "timers.target"


@pytest.mark.parametrize("timer", TIMERS, ids=lambda p: p.stem)
def test_every_timer_starts_a_oneshot_service_that_runs_a_known_command(timer):
    service = unit(timer.with_suffix(".service"))["Service"]
    assert service["Type"] == "oneshot" and service["User"] == "llko"
    assert service["EnvironmentFile"] == "/etc/llko/llko.env"  # secrets live there, never in the repository
    commands = llko_commands(service["ExecStart"])
    assert [c[0] for c in commands] == [timer.stem.removeprefix("llko-")]
    for args in commands:
        _parser().parse_args(args)  # the CLI accepts them


def test_the_import_runs_before_the_notify_run_that_reads_it():
    time = {p.stem: unit(p)["Timer"]["OnCalendar"].split()[1] for p in TIMERS}
    assert time["llko-import"] < time["llko-notify"]
