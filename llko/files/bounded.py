"""A function called in a process of its own, bounded in time and in memory, so that one file can neither stall
the pages of the other users nor take the server's memory.

The app's sessions share one Python interpreter: openpyxl reading a large workbook holds it for tens of seconds,
and a workbook that claims more than it holds could make any reader take gigabytes. `run_bounded` calls a function
in a fresh Python process (not multiprocessing: under Streamlit, whose __main__ is the page script, its spawn and
forkserver would run that script again) whose address space is capped at MAX_MEMORY_MB, ends it after
PARSE_SECONDS, and runs at most PARALLEL at once. The process answers through a file of its own (an unnamed
temporary file, passed as a file descriptor), so whatever a library prints on its standard output or error cannot
garble the answer. The export import (llko.requests.upload) and the register workbook read their workbooks this way.
"""

from __future__ import annotations

import importlib
import logging
import os
import pickle
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from llko import config
from llko.files import spreadsheets

# A whole region's export (200,000 rows) took 45 s here; a town's takes a few seconds.
PARSE_SECONDS = config.import_limit("LLKO_IMPORT_PARSE_SECONDS")
# The address space of the process (RLIMIT_AS). Measured: a whole region's export (200,000 rows of 12 columns)
# took 0.8 GB of it, a file at the cell cap (300,000 rows of 16 columns) 1.1 GB.
MAX_MEMORY_MB = config.import_limit("LLKO_IMPORT_MAX_MEMORY_MB")
PARALLEL = 2  # processes at once; another upload waits for one of them to end
WORKER = "from llko.files.bounded import _child; _child()"  # the code the process runs
SLOW, MEMORY, FAILED = "slow", "memory", "failed"  # why a process gave no answer
_ROOT = str(Path(__file__).resolve().parents[2])  # the folder that holds the llko package
_slots = threading.BoundedSemaphore(PARALLEL)
# pyarrow (pandas' strings) allocates with mimalloc by default, which reserves a gigabyte of address space it never
# uses; with the system's allocator the address space is what the parse really takes.
_CHILD_ENVIRONMENT = {"ARROW_DEFAULT_MEMORY_POOL": "system"}
_log = logging.getLogger(__name__)


class Unfinished(Exception):
    """The process gave no answer: `reason` is SLOW (ended after PARSE_SECONDS), MEMORY (it needed more than
    MAX_MEMORY_MB) or FAILED (it crashed)."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def seconds_text() -> str:
    """PARSE_SECONDS in Dutch words: '1 seconde', '120 seconden'."""
    return f"{PARSE_SECONDS} seconde" + ("" if PARSE_SECONDS == 1 else "n")


def run_bounded(target: str, *args):
    """The function `target` ('module:function') called with args in a process of its own: ended after
    PARSE_SECONDS, its address space capped at MAX_MEMORY_MB. Returns what the function returned; raises the
    spreadsheets.OverLimit or Unreadable that it raised, or Unfinished when the process gave no answer."""
    path = os.pathsep.join(p for p in (_ROOT, os.environ.get("PYTHONPATH")) if p)
    environment = {**os.environ, **_CHILD_ENVIRONMENT, "PYTHONPATH": path}
    started = time.perf_counter()
    with _slots, tempfile.TemporaryFile() as answer:
        payload = pickle.dumps((answer.fileno(), target, args, MAX_MEMORY_MB))
        worker = subprocess.Popen([sys.executable, "-c", WORKER], stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                                  pass_fds=(answer.fileno(),), env=environment)
        try:
            worker.communicate(payload, timeout=PARSE_SECONDS)
        except subprocess.TimeoutExpired:
            raise Unfinished(SLOW) from None
        finally:
            if worker.poll() is None:  # killed and reaped, not left running
                worker.kill()
                worker.communicate()
        answer.seek(0)
        reply = answer.read()
    if worker.returncode != 0 or not reply:  # a crash; its traceback went to standard error
        raise Unfinished(FAILED)
    status, value, peak_mb = pickle.loads(reply)
    seconds = time.perf_counter() - started
    _log.info("%s: %.2f s, at most %d MB", target, seconds, peak_mb, extra={"seconds": seconds, "peak_mb": peak_mb})
    if status == MEMORY:
        raise Unfinished(MEMORY)
    if status == "raised":
        raise value
    return value


def _child() -> None:
    """The process: (answer file descriptor, target, args, memory cap) pickled on standard input; ('ok', value),
    ('raised', error) or (MEMORY, None), and its peak memory in MB, pickled into the answer file."""
    descriptor, target, args, megabytes = pickle.load(sys.stdin.buffer)
    limit = megabytes * 1024 * 1024
    hard = resource.getrlimit(resource.RLIMIT_AS)[1]
    resource.setrlimit(resource.RLIMIT_AS, (limit if hard == resource.RLIM_INFINITY else min(limit, hard), hard))
    module, name = target.split(":")
    try:
        reply = ("ok", getattr(importlib.import_module(module), name)(*args))
    except (spreadsheets.OverLimit, spreadsheets.Unreadable) as error:
        reply = ("raised", error)
    except MemoryError:
        reply = (MEMORY, None)
    with os.fdopen(descriptor, "wb") as answer:
        pickle.dump((*reply, _peak_mb()), answer)


def _peak_mb() -> int:
    """This process's peak resident memory in MB: VmHWM, which counts this program alone (getrusage's maximum also
    holds the app's size at the moment it started the process)."""
    try:
        with open("/proc/self/status") as status:
            return next(int(line.split()[1]) // 1024 for line in status if line.startswith("VmHWM:"))
    except (OSError, StopIteration):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
