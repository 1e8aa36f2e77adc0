"""A run handed to the ``provreport watch`` of the same warehouse, instead of run in a new process.

A new ``provreport run`` process pays Dagster's, dbt's and Great Expectations' imports and dbt's set-up
(about 7.5 s of a one-report run at 10 000 reports) that a watch has paid once. When a watch runs on the
same warehouse, ``provreport run`` (and ``provreport validate``: :data:`COMMANDS`) connects to it and the
watch runs it:

- the watch listens on a Unix socket beside the warehouse, ``<warehouse>.watch.sock`` (mode 0600, removed
  when the watch stops; one left by a killed watch refuses connections: the client runs by itself and the
  next watch replaces it);
- the client connects before importing anything heavy (this module needs the standard library only) and
  sends what it asks for: its command, its settings (:func:`settings_key`: the same warehouse, landing, target, limits,
  Dagster home, ... as the watch's, else the watch answers "not mine" and the client runs by itself as
  before), ``--force``, ``--verbose``, whether its terminals are terminals;
- the watch's main loop runs it (Dagster and the stop handlers need the main thread), after the run in
  progress if there is one, and streams back what the run prints, stdout and stderr kept apart, then its
  exit code, which the client prints and returns;
- the client's Ctrl-C stops its waiting, not the run; a watch stopped during the run abandons it (as it
  abandons its own) and the client runs by itself.

One JSON object per line each way (UTF-8).
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import io
import json
import os
import queue
import socket
import struct
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

PROTOCOL = 1
# the commands a watch makes for a client (orchestration.cli maps each to its Dagster job); a watch that does not
# know one answers that it does not take it, and the client runs by itself
COMMANDS = ("run", "validate")
# the settings a command does not read, left out of the comparison: a validation ingests nothing (and `provreport
# validate` takes no --landing, so a watch started with one would otherwise never take it)
UNREAD = {"validate": frozenset({"landing", "ingest_workers", "ingest_parallel_from", "limits"})}
# a Unix socket's address holds 107 bytes and a NUL: a longer path is reached through its folder's descriptor
_SUN_PATH_MAX = 107
_REQUEST_MAX = 64 * 1024
# the watch gives up on a client that does not take what the run prints for this long (suspended, gone)
_SEND_TIMEOUT_S = 10.0


def socket_path(warehouse: Path) -> Path:
    """Where the watch of ``warehouse`` listens: beside it, as its run lock is."""
    return warehouse.with_name(warehouse.name + ".watch.sock")


def settings_key(settings) -> dict:
    """Every field of the run's ``orchestration.settings.Settings`` as JSON values, the PostgreSQL DSN as its
    SHA-256 (it may hold a password): a watch runs a handed-over run only when this is its own."""
    key = {}
    for f in dataclasses.fields(settings):
        value = getattr(settings, f.name)
        if f.name == "pg_dsn" and value:
            value = "sha256:" + hashlib.sha256(value.encode()).hexdigest()
        elif dataclasses.is_dataclass(value):
            value = dataclasses.asdict(value)
        key[f.name] = json.loads(json.dumps(value, default=str))
    return key


@contextlib.contextmanager
def _address(path: Path):
    """The address to bind or connect to for ``path``: itself, or when too long for a Unix socket, the same
    file through ``/proc/self/fd/<its folder>``."""
    if len(os.fsencode(path)) <= _SUN_PATH_MAX:
        yield str(path)
        return
    folder = os.open(path.parent, os.O_PATH | os.O_DIRECTORY)
    try:
        yield f"/proc/self/fd/{folder}/{path.name}"
    finally:
        os.close(folder)


def _line(message: dict) -> bytes:
    return (json.dumps(message) + "\n").encode()


# ---- the watch's side --------------------------------------------------------------------------------


class _Stream(io.TextIOBase):
    """``sys.stdout`` or ``sys.stderr`` of a handed-over run: each write sent to the client as it is made."""

    encoding = "utf-8"
    errors = "strict"

    def __init__(self, request: Request, name: str, tty: bool) -> None:
        super().__init__()
        self._request, self._name, self._tty = request, name, tty

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        if text:
            self._request.send({self._name: text})
        return len(text)

    def isatty(self) -> bool:
        return self._tty


class Request:
    """A run a ``provreport run`` (or ``validate``) process handed over: what it asked for, and its connection."""

    def __init__(self, conn: socket.socket, message: dict, pid: int) -> None:
        self._conn, self._lock = conn, threading.Lock()
        self.gone = False  # the client stopped waiting (or stopped reading): what the run prints goes nowhere
        self._closed = False
        self.pid = pid
        self.command = message["command"]  # one of COMMANDS
        self.force = bool(message.get("force"))
        self.verbose = bool(message.get("verbose"))
        self.progress = bool(message.get("progress"))
        self._tty = (bool(message.get("stdout_tty")), bool(message.get("stderr_tty")))

    def send(self, message: dict) -> None:
        """To the client; once it is gone (stopped waiting, or not reading), nothing more is sent."""
        with self._lock:
            if self.gone or self._closed:
                return
            try:
                self._conn.sendall(_line(message))
            except OSError:  # BrokenPipe, reset, or the send timeout
                self.gone = True

    def close(self) -> None:
        with self._lock:
            self._closed = True
            with contextlib.suppress(OSError):
                self._conn.close()

    def serve(self, run: Callable[[], int]) -> int:
        """``run()`` with its stdout and stderr sent to the client, then its exit code. A run that does not
        end (the watch stopped, or an error raised) is said to be abandoned: the client runs by itself."""
        out, err = _Stream(self, "stdout", self._tty[0]), _Stream(self, "stderr", self._tty[1])
        try:
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                code = run()
        except BaseException:
            self.send({"abandoned": "the watch stopped before the run completed"})
            self.close()
            raise
        self.send({"exit": code})
        self.close()
        return code


class Handoffs:
    """The watch's socket: a thread accepts ``provreport run`` processes, answers "not mine" to those of
    other settings and queues the others for the watch's main loop (:meth:`take`), setting ``wake``."""

    def __init__(self, sock: socket.socket, path: Path, key: dict, wake, busy: Callable[[], bool]) -> None:
        self._sock, self.path, self._key, self._wake = sock, path, key, wake
        self._busy = busy  # the main loop is running a run (a new request waits behind it)
        self._inode = os.stat(path).st_ino
        self._queue: queue.Queue[Request] = queue.Queue()
        self._closed = False
        threading.Thread(target=self._accept, name="provreport-handoff", daemon=True).start()

    @classmethod
    def open(cls, settings, wake, busy: Callable[[], bool] = lambda: False) -> tuple[Handoffs | None, str]:
        """Listening beside ``settings.warehouse``, or None and why not (another watch listens there, or the
        folder takes no socket): the watch then runs only what lands. ``busy()``: the watch is running a run
        (a client is told its request waits behind it)."""
        path = socket_path(settings.warehouse)
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)  # as the run lock makes it: a first run builds there
            with _address(path) as address:
                try:
                    sock.bind(address)
                except OSError:
                    if not path.exists() or _listening(path):
                        raise
                    path.unlink()  # left by a watch that was killed: nobody listens on it
                    sock.bind(address)
            os.chmod(path, 0o600)  # before listen(): until then every connection is refused
            sock.listen(8)
            sock.settimeout(0.5)  # accept() wakes to see close()
        except OSError as exc:
            sock.close()
            if _listening(path):
                return None, f"another watch takes the runs handed over on {settings.warehouse} ({path})"
            return None, f"no socket beside the warehouse ({path}: {exc.strerror or exc})"
        return cls(sock, path, settings_key(settings), wake, busy), str(path)

    def pending(self) -> bool:
        return not self._queue.empty()

    def take(self) -> Request | None:
        try:
            return self._queue.get_nowait()
        except queue.Empty:
            return None

    def close(self) -> None:
        """Stop listening, remove the socket (when it is still this watch's) and tell the clients queued that
        their run was not made: they run by themselves."""
        self._closed = True
        with contextlib.suppress(OSError):
            self._sock.close()
        with contextlib.suppress(OSError):
            if os.stat(self.path).st_ino == self._inode:
                self.path.unlink()
        while (request := self.take()) is not None:
            request.send({"abandoned": "the watch stopped before it took the run"})
            request.close()

    def _accept(self) -> None:
        while not self._closed:
            try:
                conn, _ = self._sock.accept()
            except TimeoutError:
                continue
            except OSError:
                if self._closed:
                    return
                continue
            try:
                self._answer(conn)
            except (OSError, ValueError):
                with contextlib.suppress(OSError):
                    conn.close()

    def _answer(self, conn: socket.socket) -> None:
        pid, uid, _gid = struct.unpack("3i", conn.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED,
                                                              struct.calcsize("3i")))
        if uid not in (os.getuid(), 0):  # the socket's mode already keeps others out
            conn.close()
            return
        conn.settimeout(_SEND_TIMEOUT_S)
        with conn.makefile("rb") as reader:
            message = json.loads(reader.readline(_REQUEST_MAX) or b"{}")
        why = None
        if message.get("protocol") != PROTOCOL or message.get("command") not in COMMANDS:
            why = f"it speaks protocol {PROTOCOL} for {' and '.join(f'`{c}`' for c in COMMANDS)} only"
        else:
            theirs = message.get("settings") or {}
            unread = UNREAD.get(message["command"], frozenset())
            differ = sorted(k for k in self._key.keys() | theirs.keys()
                            if k not in unread and self._key.get(k) != theirs.get(k))
            if differ:
                why = "it runs with other settings: " + ", ".join(differ)
        if why:
            conn.sendall(_line({"handoff": False, "watch_pid": os.getpid(), "why": why}))
            conn.close()
            return
        conn.sendall(_line({"handoff": True, "watch_pid": os.getpid(),
                            "queued": self._busy() or not self._queue.empty()}))
        self._queue.put(Request(conn, message, pid))
        self._wake.set()


def _listening(path: Path) -> bool:
    """Something accepts connections on the socket ``path`` (a live watch; a stale file refuses them)."""
    probe = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    probe.settimeout(2)
    try:
        with _address(path) as address:
            probe.connect(address)
    except OSError:
        return False
    finally:
        probe.close()
    return True


# ---- the client's side: provreport run, provreport validate -------------------------------------------------------


class Declined(Exception):
    """The watch did not take the run, or did not finish it; ``str()`` says why (for the client's note)."""


def hand_over(settings, *, force: bool, verbose: bool, progress: bool, out: TextIO | None = None,
              err: TextIO | None = None, command: str = "run") -> int | None:
    """Have the watch of ``settings.warehouse`` make this run (``command``, one of :data:`COMMANDS`): its output
    printed on ``out`` and ``err`` (this process's stdout and stderr by default) as the run prints it, and its
    exit code returned. None when no
    watch takes it (none listening, a stale socket, other settings, the watch stopped before the run ended):
    the caller runs by itself, and a note on ``err`` says why when a watch was there. A KeyboardInterrupt
    (the stop handlers' SIGINT or SIGTERM) while waiting is raised after saying that the run goes on."""
    out = out or sys.stdout
    err = err or sys.stderr
    path = socket_path(settings.warehouse)
    if not os.path.lexists(path):
        return None
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.settimeout(5)
    watch = "`provreport watch`"
    frames = None
    try:
        try:
            with _address(path) as address:
                sock.connect(address)
            sock.sendall(_line({"protocol": PROTOCOL, "command": command, "settings": settings_key(settings),
                                "force": force, "verbose": verbose, "progress": progress,
                                "stdout_tty": out.isatty(), "stderr_tty": err.isatty()}))
            frames = sock.makefile("rb")
            answer = json.loads(frames.readline() or b"{}")
        except (OSError, ValueError):  # nobody listening (a killed watch's socket), or it hung up
            return None
        watch = f"`provreport watch` (pid {answer.get('watch_pid', '?')})"
        if not answer.get("handoff"):
            print(f"note: {watch} runs on {settings.warehouse} but does not take this run "
                  f"({answer.get('why', 'no answer')}): running here", file=err, flush=True)
            return None
        queued = ", after the run it is making" if answer.get("queued") else ""
        print(f"handed over to {watch} on {settings.warehouse}{queued} (Ctrl-C stops waiting, not the run; "
              "--no-handoff runs here)", file=err, flush=True)
        sock.settimeout(None)  # a run takes what it takes
        try:
            for raw in frames:
                frame = json.loads(raw)
                if "stdout" in frame:
                    out.write(frame["stdout"])
                    out.flush()
                elif "stderr" in frame:
                    err.write(frame["stderr"])
                    err.flush()
                elif "exit" in frame:
                    return int(frame["exit"])
                elif "abandoned" in frame:
                    raise Declined(frame["abandoned"])
            raise Declined("the watch hung up before the run completed")
        except (OSError, ValueError, Declined) as exc:
            print(f"note: {watch}: {exc}: running here", file=err, flush=True)
            return None
    except KeyboardInterrupt:
        print(f"stopped waiting: the run goes on in {watch} (`provreport summary` shows the warehouse once it "
              "is published)", file=err, flush=True)
        raise
    finally:
        if frames is not None:
            frames.close()
        sock.close()
