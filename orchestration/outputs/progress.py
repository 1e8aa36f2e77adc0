"""The progress lines a run prints on a terminal, one per long step (ingest, dbt, validation)."""

from __future__ import annotations

import time
from typing import TextIO


class Progress:
    """One line per long step on a terminal (ingest, dbt, validation), rewritten in place while the
    step runs and closed with its counts and time; silent unless :meth:`enable` was called (logs, CI)."""

    def __init__(self) -> None:
        self.out: TextIO | None = None
        self.live = False
        self._step: str | None = None
        self._started = 0.0
        self._width = 0

    def enable(self, out: TextIO, *, live: bool) -> None:
        self.out, self.live = out, live

    def disable(self) -> None:
        self.out = None

    def _write(self, text: str, *, final: bool) -> None:
        if self.out is None:
            return
        line = f"  {self._step:<11} {text}"
        if self.live:
            pad = max(0, self._width - len(line))
            self.out.write("\r" + line + " " * pad + ("\n" if final else ""))
            self._width = 0 if final else len(line)
        elif final:
            self.out.write(line + "\n")
        self.out.flush()

    def start(self, step: str, text: str = "...") -> None:
        self._step, self._started = step, time.perf_counter()
        self._write(text, final=False)

    def update(self, text: str) -> None:
        if self._step is not None:
            self._write(text, final=False)

    def finish(self, text: str) -> None:
        if self._step is None:
            return
        self._write(f"{text}  ({time.perf_counter() - self._started:.1f} s)", final=True)
        self._step = None


progress = Progress()
