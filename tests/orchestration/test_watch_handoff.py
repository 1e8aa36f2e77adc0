"""`provreport run` hands its run over to the `provreport watch` of the same warehouse (orchestration.handoff):
real processes, one story. A killed watch's socket is ignored; a handed-over run prints its summary in the
client and returns its exit code, the watch making it (recorded once in Dagster); a run of other settings,
or with --no-handoff, is made by itself; a client stopped while waiting leaves the watch's run going."""

from __future__ import annotations

import os
import re
import signal
import socket
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from benchmarks.pipeline import ProcessLines
from expectations.suites import CHECKS
from orchestration.handoff import socket_path
from tests.conftest import PROJECT_ROOT, query_warehouse

pytestmark = pytest.mark.slow

# the client's modules, printed on stderr when it ends: a handed-over run imports none of the heavy ones
CLIENT = ("import sys\nfrom orchestration.cli import main\ncode = main(sys.argv[1:])\n"
          "heavy = sorted({m.split('.')[0] for m in sys.modules} & {'dagster', 'dbt', 'great_expectations', 'duckdb',"
          " 'polars', 'pandas'})\nprint(f'heavy imports: {heavy}', file=sys.stderr)\nsys.exit(code)\n")


def _dagster_runs(home: Path) -> int:
    """The runs in the Dagster instance at ``home``, opened as the watch opens it (its event log storage keeps its
    history under $DAGSTER_HOME: the test process's own, make's .dagster_home or none, is not the watch's)."""
    from dagster import DagsterInstance
    from dagster._core.instance.ref import InstanceRef

    with pytest.MonkeyPatch.context() as env:
        env.setenv("DAGSTER_HOME", str(home))
        with DagsterInstance.from_ref(InstanceRef.from_dir(str(home))) as instance:
            return len(instance.get_run_records())


def test_run_hands_over_to_the_watch_of_its_warehouse(tmp_path: Path, seeds_dir: Path) -> None:
    landing, warehouse = tmp_path / "landing", tmp_path / "wh" / "w.duckdb"
    landing.mkdir()
    warehouse.parent.mkdir()
    seed = next(p for p in sorted(seeds_dir.glob("*.txt")) if p.name.startswith("003"))
    (landing / seed.name).write_bytes(seed.read_bytes())
    then = time.time() - 120
    os.utime(landing / seed.name, (then, then))
    env = {**os.environ, "DAGSTER_HOME": str(tmp_path / "dh"), "PROVREPORT_DOCS_DIR": str(tmp_path / "docs"),
           "DUCKDB_PATH": str(warehouse), "PROVREPORT_LANDING": str(landing)}
    env.pop("PROVREPORT_SETTLE_S", None)

    def client(*args: str, extra_env: dict | None = None, command: str = "run", **popen) -> subprocess.Popen:
        return subprocess.Popen([sys.executable, "-c", CLIENT, command, *args], cwd=PROJECT_ROOT,
                                env={**env, **(extra_env or {})}, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True, **popen)

    # a socket left by a killed watch: nobody listens, the run is made here
    path = socket_path(warehouse)
    stale = socket.socket(socket.AF_UNIX)
    stale.bind(str(path))
    stale.close()
    out, err = client().communicate(timeout=600)
    assert "reports read      1 (1 new this run)" in out, out + err
    assert "handed over" not in err and "note:" not in err, err

    watch = subprocess.Popen([sys.executable, "-m", "orchestration.cli", "watch", "--interval", "0.5"],
                             cwd=PROJECT_ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    lines = ProcessLines(watch)
    try:
        assert "and on its filesystem events" in lines.until("every 0.5 s", timeout=60)[-1]
        assert lines.until("taking the runs", timeout=60)[-1].endswith(f"at {path}\n")
        lines.until(f"watching {landing}", timeout=300)  # its first run: nothing new
        assert stat.S_IMODE(os.stat(path).st_mode) == 0o600  # the stale socket replaced by the watch's
        assert _dagster_runs(tmp_path / "dh") == 1

        # handed over: the watch makes the run, the client prints its summary and returns its exit code
        started = time.monotonic()
        proc = client("--force")
        out, err = proc.communicate(timeout=600)
        took = time.monotonic() - started
        assert proc.returncode == 0, out + err
        assert err.startswith(f"handed over to `provreport watch` (pid {watch.pid}) on {warehouse}"), err
        assert "heavy imports: []" in err, err
        assert out.startswith(f"provreport: warehouse {warehouse} in "), out
        assert "reports read      1 (0 new this run)" in out and re.search(r"\n  checks +\d+ passed", out), out
        said = lines.until(f"watching {landing}", timeout=60)
        assert f"running `provreport run` handed over by pid {proc.pid}\n" in said, said
        assert "the handed-over `provreport run` ended with exit code 0\n" in said, said
        assert _dagster_runs(tmp_path / "dh") == 2  # once, in the watch
        print(f"a handed-over --force run: {took:.1f} s from the client's start to its exit")

        # other settings: the watch says it is not its run, the client makes it here (nothing new: at once)
        proc = client(extra_env={"PROVREPORT_SETTLE_S": "2"})
        out, err = proc.communicate(timeout=600)
        assert proc.returncode == 0, out + err
        assert err.startswith(f"note: `provreport watch` (pid {watch.pid}) runs on {warehouse} but does not take "
                              "this run (it runs with other settings: limits): running here\n"), err
        assert out.startswith("nothing new since the last run"), out
        proc = client("--no-handoff")
        out, err = proc.communicate(timeout=600)
        assert proc.returncode == 0 and out.startswith("nothing new since the last run"), out + err
        assert "handed over" not in err and "note:" not in err, err

        # `provreport validate` too (it takes no --landing: the landing folder it would name is not compared)
        proc = client(command="validate", extra_env={"PROVREPORT_LANDING": str(tmp_path / "elsewhere")})
        out, err = proc.communicate(timeout=600)
        assert proc.returncode == 0, out + err
        assert err.startswith(f"handed over to `provreport watch` (pid {watch.pid}) on {warehouse}"), err
        assert "heavy imports: []" in err, err
        assert re.search(r"\n  checks +\d+ passed", out), out
        said = lines.until(f"watching {landing}", timeout=600)
        assert f"running `provreport validate` handed over by pid {proc.pid}\n" in said, said
        assert "the handed-over `provreport validate` ended with exit code 0\n" in said, said
        assert _dagster_runs(tmp_path / "dh") == 3
        newest = query_warehouse(warehouse, "select count(*), count(scope_units) from audit.validation_results "
                                            "where run_id = (select max_by(run_id, validated_at) from "
                                            "audit.validation_results)")
        assert newest == [(len(CHECKS), 0)]  # the newest validation checked every row of every check

        # the client stopped while the watch makes its run: the run goes on and completes there
        proc = client("--force")
        assert proc.stderr.readline().startswith("handed over to")
        time.sleep(1)
        sent = time.monotonic()
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=60)
        assert time.monotonic() - sent < 10
        assert proc.returncode == 128 + signal.SIGINT, out + err
        assert err.startswith(f"stopped waiting: the run goes on in `provreport watch` (pid {watch.pid})"), err
        said = lines.until(f"watching {landing}", timeout=600)
        ended = "the handed-over `provreport run` ended with exit code 0 (its client had stopped waiting)\n"
        assert ended in said, said

        watch.send_signal(signal.SIGTERM)
        lines.until("watch stopped", timeout=60)
        watch.wait(timeout=60)
    finally:
        if watch.poll() is None:
            watch.kill()
    assert watch.returncode == 0, watch.stderr.read()
    assert not path.exists()  # removed when the watch stopped
    assert _dagster_runs(tmp_path / "dh") == 4
    validated = query_warehouse(warehouse, "select count(distinct run_id) from audit.validation_results")
    # the run made here, the handed-over one, the validation, the one its client stopped waiting for
    assert validated == [(4,)]
