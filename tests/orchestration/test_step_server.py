"""The server a parallel run's step processes are forked from, started by the runner before it imports Dagster."""

from __future__ import annotations

import multiprocessing
import os
from multiprocessing import forkserver

import pytest

from orchestration import step_server
from orchestration.definitions import parallel_run_config


@pytest.fixture
def no_server():
    forkserver._forkserver._stop()
    step_server._started_with = None
    yield
    forkserver._forkserver._stop()
    step_server._started_with = None


def _in_a_step_process(expression: str):
    """``expression`` evaluated in a process forked from the running server, as Dagster's executor starts a step."""
    with multiprocessing.get_context("forkserver").Pool(1) as pool:
        return pool.apply(eval, (expression,))


def test_the_server_is_started_once_per_environment_with_what_every_step_needs(no_server, monkeypatch) -> None:
    monkeypatch.setenv("PROVREPORT_STEP_SERVER_PROBE", "first")
    step_server.start()
    first = forkserver._forkserver._forkserver_pid
    assert first is not None
    step_server.start()  # the same environment: the same server
    assert forkserver._forkserver._forkserver_pid == first
    loaded = _in_a_step_process("sorted(m for m in ('orchestration.definitions', 'great_expectations', "
                                "'orchestration.step_preload') if m in __import__('sys').modules)")
    assert loaded == ["great_expectations", "orchestration.definitions", "orchestration.step_preload"]
    assert _in_a_step_process("__import__('os').environ['PROVREPORT_STEP_SERVER_PROBE']") == "first"
    # the pipeline job is built once, in the server, for its environment's settings: a step finds it built
    built = "__import__('orchestration.definitions').definitions._defs_for.cache_info().currsize"
    assert _in_a_step_process(built) == 1

    monkeypatch.setenv("PROVREPORT_STEP_SERVER_PROBE", "second")  # another run's settings: a new server
    step_server.start()
    second = forkserver._forkserver._forkserver_pid
    assert second not in (None, first)
    assert _in_a_step_process("__import__('os').environ['PROVREPORT_STEP_SERVER_PROBE']") == "second"

    step_server.stop()  # the run is over: the server and its memory are gone
    assert forkserver._forkserver._forkserver_pid is None
    with pytest.raises(ProcessLookupError):
        os.kill(second, 0)
    step_server.stop()  # none runs: nothing to do


def test_dagster_forks_the_steps_from_the_modules_the_runner_preloads() -> None:
    config = parallel_run_config(2)["execution"]["config"]["multiprocess"]
    assert config["start_method"] == {"forkserver": {"preload_modules": list(step_server.PRELOAD)}}
    assert step_server.PRELOAD[0] == "dagster._core.executor.multiprocess"  # first, as Dagster puts it


def test_what_fails_in_the_preload_is_left_to_the_steps() -> None:
    """An exception in the server's preload would end the server, and every step's launch with it, with no word in
    the run: the preload leaves what fails to the steps (which do it again and fail visibly) and does the rest."""
    import subprocess
    import sys

    probe = ("import sys, orchestration.definitions as d\n"
             "def broken():\n    raise RuntimeError('no job')\n"
             "d.resolved_pipeline_job = broken\n"
             "import orchestration.step_preload\n"
             "print('great_expectations' in sys.modules, d._defs_for.cache_info().currsize)\n")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["True", "0"]
