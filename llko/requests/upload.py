"""An uploaded export parsed in a process of its own, bounded in time, so that one file cannot stall the pages
of the other users.

The app's sessions share one Python interpreter: openpyxl reading a large workbook holds it for tens of
seconds. `parse_bounded` runs importer.parse in a fresh Python process (not multiprocessing: under Streamlit,
whose __main__ is the page script, its spawn and forkserver would run that script again), ends it after
PARSE_SECONDS, and runs at most PARALLEL at once. A workbook whose zip directory already refuses it is refused
at once, without a process. The command line parses in its own process anyway and uses importer.parse.
"""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
import threading
from pathlib import Path

from llko.requests import importer
from llko.requests.importer import FileFault, ParsedFile

# A whole region's export (200,000 rows) took 45 s here; a town's takes a few seconds.
PARSE_SECONDS = importer.env_limit("LLKO_IMPORT_PARSE_SECONDS", 120)
PARALLEL = 2  # parse processes at once; another upload waits for one of them to end
WORKER = "from llko.requests.upload import _child; _child()"  # the code the process runs
CAPS = ("MAX_ROWS", "MAX_COLUMNS", "MAX_CELLS", "MAX_XML_MB", "MAX_RATIO")  # handed to the process as set here
_ROOT = str(Path(__file__).resolve().parents[2])  # the folder that holds the llko package
_slots = threading.BoundedSemaphore(PARALLEL)

MSG_FAILED = ("Het bestand kon niet gelezen worden: het lezen werd afgebroken (een beschadigd bestand, of te "
              "weinig geheugen). Exporteer de aanvragen opnieuw uit Opvang.Vlaanderen, als CSV of als Excel-bestand.")


def _too_slow() -> FileFault:
    seconds = f"{PARSE_SECONDS} seconde" + ("" if PARSE_SECONDS == 1 else "n")
    return FileFault(f"Het bestand kon niet binnen {seconds} gelezen worden; een export van Opvang.Vlaanderen "
                     "gaat veel sneller. Exporteer een kortere periode of splits de export in delen.")


def parse_bounded(data: bytes, file_name: str) -> ParsedFile:
    """importer.parse(data, file_name) in a process of its own, killed after PARSE_SECONDS (then refused)."""
    try:
        importer.check_workbook_size(data)
    except FileFault as fault:
        return importer.refused(fault)
    payload = pickle.dumps((data, file_name, {name: getattr(importer, name) for name in CAPS}))
    path = os.pathsep.join(p for p in (_ROOT, os.environ.get("PYTHONPATH")) if p)
    with _slots:
        worker = subprocess.Popen([sys.executable, "-c", WORKER], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                  env={**os.environ, "PYTHONPATH": path})
        try:
            out, _ = worker.communicate(payload, timeout=PARSE_SECONDS)
        except subprocess.TimeoutExpired:
            out = None
        finally:
            if worker.poll() is None:
                worker.kill()
                worker.communicate()
    if out is None:
        return importer.refused(_too_slow())
    if worker.returncode != 0:  # a crash, or killed for want of memory; its traceback went to stderr
        return importer.refused(FileFault(MSG_FAILED))
    return pickle.loads(out)


def _child() -> None:
    """The process: (data, file_name, caps) pickled on stdin, the ParsedFile pickled on stdout."""
    data, file_name, caps = pickle.load(sys.stdin.buffer)
    for name, value in caps.items():
        setattr(importer, name, value)
    sys.stdout.buffer.write(pickle.dumps(importer.parse(data, file_name)))
