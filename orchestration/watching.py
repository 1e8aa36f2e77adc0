"""What wakes ``provreport watch`` between runs: a change in the landing folder, seen as it happens
(filesystem events through watchdog: inotify on Linux), or a run handed over by another process
(orchestration.handoff). Where events are not available (no inotify, its watches used up) the watch
looks at the folder every ``--interval`` as before; it also looks every ``--interval`` with events, which
a network file system may not deliver for another machine's writes."""

from __future__ import annotations

import threading
from pathlib import Path


class Wake:
    """A flag the watch sleeps on: set by a landing event or a handed-over run, from their threads."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def set(self) -> None:
        self._event.set()

    def wait(self, timeout: float) -> bool:
        """Until set or ``timeout`` seconds; True when set. Cleared before returning: a change after this
        sets it again (the caller looks at the folder after the wait, so it sees any change before)."""
        woken = self._event.wait(timeout)
        self._event.clear()
        return woken


class LandingEvents:
    """A watchdog observer on the landing folder (recursive) that sets ``wake`` on every change to its
    files: created, written, closed after writing, moved, deleted, their times or modes changed. Reads
    (opened, closed without writing) are not changes: the run reading the files does not wake the watch."""

    def __init__(self, observer) -> None:
        self._observer = observer

    @classmethod
    def start(cls, landing: Path, wake: Wake) -> tuple[LandingEvents | None, str]:
        """The running observer and how it watches, or None and why not (the watch then polls)."""
        try:
            from watchdog.events import (
                DirCreatedEvent,
                DirDeletedEvent,
                DirModifiedEvent,
                DirMovedEvent,
                FileClosedEvent,
                FileCreatedEvent,
                FileDeletedEvent,
                FileModifiedEvent,
                FileMovedEvent,
                FileSystemEventHandler,
            )
            from watchdog.observers import Observer
        except ImportError as exc:  # pragma: no cover - a declared dependency
            return None, f"watchdog cannot be imported ({exc})"

        class Changed(FileSystemEventHandler):
            def on_any_event(self, event) -> None:
                wake.set()

        changes = [FileCreatedEvent, FileModifiedEvent, FileClosedEvent, FileMovedEvent, FileDeletedEvent,
                   DirCreatedEvent, DirModifiedEvent, DirMovedEvent, DirDeletedEvent]
        observer = Observer()
        if "Polling" in type(observer).__name__:  # watchdog's own fallback: the watch's looks already poll
            return None, "no filesystem events on this platform"
        try:
            observer.schedule(Changed(), str(landing), recursive=True, event_filter=changes)
            observer.start()  # inotify's set-up happens here, in this thread: its errors are raised here
        except OSError as exc:  # no inotify, or its instances or watches used up (fs.inotify.max_user_*)
            observer.stop()
            return None, f"no filesystem events ({exc.strerror or exc})"
        return cls(observer), f"events ({type(observer).__name__})"

    def stop(self) -> None:
        self._observer.stop()  # its threads are daemons: not waited for
