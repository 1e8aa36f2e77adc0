"""A run handed over to the watch of the same warehouse (orchestration.handoff), its two sides in one
process: the watch's socket, what it answers, the output and exit code streamed back. No pipeline runs here
(tests/orchestration/test_watch_handoff.py hands real runs to a real watch)."""

from __future__ import annotations

import io
import json
import os
import socket
import stat
import sys
import threading
from dataclasses import replace
from pathlib import Path

import pytest

from orchestration.handoff import Handoffs, hand_over, settings_key, socket_path
from orchestration.settings import Settings
from orchestration.watching import Wake


@pytest.fixture()
def settings(tmp_path: Path) -> Settings:
    (tmp_path / "landing").mkdir()
    return Settings(warehouse=tmp_path / "w.duckdb", landing=tmp_path / "landing")


@pytest.fixture()
def watch(settings: Settings):
    wake = Wake()
    handoffs, where = Handoffs.open(settings, wake)
    assert handoffs is not None, where
    yield handoffs, wake
    handoffs.close()


def _serve_one(handoffs: Handoffs, wake: Wake, run) -> dict:
    """The watch's main loop for one request, in a thread: what it was asked and what ``serve`` returned."""
    seen: dict = {}

    def loop() -> None:
        while (request := handoffs.take()) is None:
            wake.wait(5)
        seen["asked"] = (request.force, request.verbose, request.progress, request.pid)
        seen["command"] = request.command
        seen["code"] = request.serve(run)
        seen["gone"] = request.gone

    thread = threading.Thread(target=loop, daemon=True)
    thread.start()
    seen["thread"] = thread
    return seen


def test_the_watch_listens_beside_the_warehouse_for_its_user_only_and_removes_the_socket(settings, watch) -> None:
    handoffs, _wake = watch
    path = socket_path(settings.warehouse)
    assert path == settings.warehouse.with_name("w.duckdb.watch.sock") == handoffs.path
    mode = os.stat(path).st_mode
    assert stat.S_ISSOCK(mode) and stat.S_IMODE(mode) == 0o600
    handoffs.close()
    assert not path.exists()


def test_a_handed_over_run_prints_its_stdout_and_stderr_apart_and_returns_its_exit_code(settings, watch) -> None:
    handoffs, wake = watch

    def run() -> int:
        print("the summary")
        print("a warning", file=sys.stderr)
        return 1

    seen = _serve_one(handoffs, wake, run)
    out, err = io.StringIO(), io.StringIO()
    code = hand_over(settings, force=True, verbose=False, progress=True, out=out, err=err)
    seen["thread"].join(10)
    assert code == 1 and seen["code"] == 1
    assert out.getvalue() == "the summary\n"
    assert err.getvalue().startswith(f"handed over to `provreport watch` (pid {os.getpid()}) on {settings.warehouse}")
    assert err.getvalue().endswith("--no-handoff runs here)\na warning\n")
    assert seen["asked"] == (True, False, True, os.getpid())
    assert seen["command"] == "run" and seen["gone"] is False


def test_a_client_is_told_its_run_waits_behind_the_one_the_watch_is_making(settings) -> None:
    """What the watch says it is doing (its ``busy``) is what the client hears: after the run it is making."""
    wake, making = Wake(), {"run": True}
    handoffs, where = Handoffs.open(settings, wake, busy=lambda: making["run"])
    assert handoffs is not None, where
    try:
        seen = _serve_one(handoffs, wake, lambda: 0)
        err = io.StringIO()
        assert hand_over(settings, force=False, verbose=False, progress=False, out=io.StringIO(), err=err) == 0
        seen["thread"].join(10)
        assert err.getvalue().startswith(f"handed over to `provreport watch` (pid {os.getpid()}) on "
                                         f"{settings.warehouse}, after the run it is making (")
        making["run"] = False
        seen = _serve_one(handoffs, wake, lambda: 0)
        err = io.StringIO()
        assert hand_over(settings, force=False, verbose=False, progress=False, out=io.StringIO(), err=err) == 0
        seen["thread"].join(10)
        assert ", after the run it is making" not in err.getvalue()
    finally:
        handoffs.close()


def test_a_run_with_other_settings_is_not_taken(settings, watch) -> None:
    handoffs, _wake = watch
    other = replace(settings, landing=settings.landing.parent / "elsewhere", dbt_target="postgres")
    err = io.StringIO()
    assert hand_over(other, force=False, verbose=False, progress=False, out=io.StringIO(), err=err) is None
    assert err.getvalue() == (f"note: `provreport watch` (pid {os.getpid()}) runs on {settings.warehouse} but does "
                              "not take this run (it runs with other settings: dbt_target, landing): running here\n")
    assert handoffs.take() is None


def test_a_validation_is_handed_over_whatever_landing_folder_it_names(settings, watch) -> None:
    """`provreport validate` takes no --landing: the settings of the ingest are not compared for it (they are for a
    run), and the watch is told which command to make."""
    handoffs, wake = watch
    elsewhere = replace(settings, landing=settings.landing.parent / "elsewhere", ingest_workers=1)
    err = io.StringIO()
    assert hand_over(elsewhere, command="run", force=False, verbose=False, progress=False, out=io.StringIO(),
                     err=err) is None
    assert "(it runs with other settings: ingest_workers, landing)" in err.getvalue()
    seen = _serve_one(handoffs, wake, lambda: 3)
    assert hand_over(elsewhere, command="validate", force=False, verbose=True, progress=False, out=io.StringIO(),
                     err=io.StringIO()) == 3
    seen["thread"].join(10)
    assert seen["command"] == "validate" and seen["asked"][:3] == (False, True, False)
    # but not another warehouse's target
    err = io.StringIO()
    assert hand_over(replace(elsewhere, dbt_target="postgres"), command="validate", force=False, verbose=False,
                     progress=False, out=io.StringIO(), err=err) is None
    assert "(it runs with other settings: dbt_target)" in err.getvalue()


def test_a_command_the_watch_does_not_make_is_not_taken(settings, watch) -> None:
    err = io.StringIO()
    assert hand_over(settings, command="restore", force=False, verbose=False, progress=False, out=io.StringIO(),
                     err=err) is None
    assert "(it speaks protocol 1 for `run` and `validate` only): running here" in err.getvalue()
    assert watch[0].take() is None


def test_without_a_watch_or_with_a_killed_watchs_socket_the_run_is_made_here(settings) -> None:
    err = io.StringIO()
    assert hand_over(settings, force=False, verbose=False, progress=False, out=io.StringIO(), err=err) is None
    path = socket_path(settings.warehouse)
    stale = socket.socket(socket.AF_UNIX)
    stale.bind(str(path))  # a socket file nobody listens on: what a killed watch leaves
    stale.close()
    assert path.exists()
    assert hand_over(settings, force=False, verbose=False, progress=False, out=io.StringIO(), err=err) is None
    assert err.getvalue() == ""
    wake = Wake()
    handoffs, where = Handoffs.open(settings, wake)  # the next watch replaces it
    try:
        assert handoffs is not None and where == str(path)
        seen = _serve_one(handoffs, wake, lambda: 0)
        assert hand_over(settings, force=False, verbose=False, progress=False, out=io.StringIO(), err=err) == 0
        seen["thread"].join(10)
    finally:
        handoffs.close()


def test_a_second_watch_on_the_same_warehouse_takes_no_handoff(settings, watch) -> None:
    handoffs, where = Handoffs.open(settings, Wake())
    assert handoffs is None
    path = socket_path(settings.warehouse)
    assert where == f"another watch takes the runs handed over on {settings.warehouse} ({path})"


def test_the_run_goes_on_when_its_client_stops_waiting(settings, watch) -> None:
    handoffs, wake = watch
    gone = threading.Event()

    def run() -> int:
        print("first line")
        gone.wait(10)
        for i in range(2000):  # far more than the socket holds: sent to nobody, the run does not block
            print(f"line {i} " + "x" * 100)
        return 0

    seen = _serve_one(handoffs, wake, run)
    client = socket.socket(socket.AF_UNIX)
    client.connect(str(socket_path(settings.warehouse)))
    client.sendall((json.dumps({"protocol": 1, "command": "run", "settings": settings_key(settings)}) + "\n").encode())
    frames = client.makefile("rb")
    assert json.loads(frames.readline())["handoff"] is True
    assert json.loads(frames.readline()) == {"stdout": "first line"}
    frames.close()
    client.close()
    gone.set()
    seen["thread"].join(30)
    assert seen["code"] == 0 and seen["gone"] is True


def test_a_warehouse_path_too_long_for_a_socket_address_still_hands_over(tmp_path: Path) -> None:
    folder = tmp_path / ("deep" * 30)
    (folder / "landing").mkdir(parents=True)
    settings = Settings(warehouse=folder / "w.duckdb", landing=folder / "landing")
    assert len(str(socket_path(settings.warehouse))) > 108
    wake = Wake()
    handoffs, where = Handoffs.open(settings, wake)
    try:
        assert handoffs is not None, where
        seen = _serve_one(handoffs, wake, lambda: 7)
        assert hand_over(settings, force=False, verbose=False, progress=False, out=io.StringIO(),
                         err=io.StringIO()) == 7
        seen["thread"].join(10)
    finally:
        handoffs.close()
    assert not socket_path(settings.warehouse).exists()


def test_the_settings_key_hides_the_servers_password_and_follows_every_field(settings) -> None:
    key = settings_key(replace(settings, pg_dsn="postgresql://u:secret@db/x"))
    assert "secret" not in json.dumps(key)
    assert key["pg_dsn"].startswith("sha256:")
    assert key["warehouse"] == str(settings.warehouse)
    assert key["limits"]["settle_s"] == settings.limits.settle_s
    assert settings_key(replace(settings, provinces="44")) != settings_key(settings)
