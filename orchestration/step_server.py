"""The server a parallel run's step processes are forked from (multiprocessing's forkserver), started as soon as
the run knows it will be parallel.

Dagster's multiprocess executor (``parallel_run_config``: start method forkserver) starts the server when it
launches the run's first step, and that server imports the definitions (~3-4 s) while every core but one is idle:
the run's process has imported them already, one after the other. Started here, before the run's process imports
Dagster, the two imports run side by side on two cores; the executor finds the server running and forks its steps
from it (``multiprocessing.forkserver.ensure_running`` starts one only when none runs).

A step process takes its settings from the environment (``Settings.from_env``), and the server's environment is
the one it started with: :func:`start` is called once the run's settings are exported, and a server started with
another environment (an earlier run of this process on another warehouse) is stopped and started anew."""

from __future__ import annotations

import multiprocessing
import os
from multiprocessing import forkserver

# what the server imports once, before it forks any step: Dagster's executor first (as Dagster puts it, so that
# nothing imported after it can break its pickling), the definitions every step loads, then the job built from them
# and what the dbt and validation steps would import at their start (orchestration.step_preload)
PRELOAD = ("dagster._core.executor.multiprocess", "orchestration.definitions", "orchestration.step_preload")

# the environment the running server was started with (None: none started by this module)
_started_with: dict[str, str] | None = None


def start() -> None:
    """Start the step processes' server now, with this process's environment, unless one with the same environment
    runs. Returns at once: the server imports ``PRELOAD`` in its own process; the first step waits for it."""
    global _started_with
    env = dict(os.environ)
    running = forkserver._forkserver._forkserver_pid is not None
    if running and _started_with == env:
        return
    if running:  # started with other settings (or by Dagster, before this module knew): its steps would use them
        forkserver._forkserver._stop()
    multiprocessing.get_context("forkserver").set_forkserver_preload(list(PRELOAD))
    forkserver.ensure_running()
    _started_with = env


def stop() -> None:
    """Stop the step processes' server, if one runs (the run that needed it is over): it holds ~360 MB of resident
    memory, which a process that goes on (``watch``, a benchmark calling the runner) would keep for nothing until it
    ends; the next parallel run starts a server again, while it imports the definitions itself."""
    global _started_with
    if forkserver._forkserver._forkserver_pid is not None:
        forkserver._forkserver._stop()
    _started_with = None
