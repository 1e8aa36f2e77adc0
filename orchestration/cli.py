"""``provreport``: the command line of the provincial reporting warehouse.

    provreport run   [--landing DIR] [--warehouse FILE]   ingest, build the marts, validate the new units
    provreport validate [--warehouse FILE]                validate every row (the daily full validation)
    provreport watch [--landing DIR] [--interval S]       stay running; run whenever new files land
    provreport audit [--warehouse FILE] [--format text|csv|html]
    provreport findings [--all] | findings accept ID --reason ... --by ... [--until DATE]
    provreport review [--unit U] [--period P] | correct FIGURE_ID field=value ... | confirm | reject
    provreport approve --unit U --period 2019 --level check|approve --by WHO [--note ...]
    provreport summary [--warehouse FILE]
    provreport template FILE.csv|FILE.xlsx [--lang vi|en]
    provreport export --format parquet DIR [--warehouse FILE]
    provreport report [--warehouse FILE] [--period 2023|2023-Q1|2023-01..2023-06] [--out FILE.html]
    provreport bench [--reports N [N ...]] [--out FILE.json]
    provreport restore --landing DIR --warehouse FILE    rebuild a warehouse: the landing folder + the journal

``--target duckdb|postgres`` (default ``$PROVREPORT_DBT_TARGET`` or duckdb) on run, validate, watch, restore,
summary, audit, findings, report and export: with postgres the marts and audit.* live on the server of
``$PROVREPORT_PG_DSN`` (ingest still writes the DuckDB file; raw is copied there by COPY before dbt builds).

``run`` exits 0 when the run completed, even if figures failed validation (they are flagged
in audit.validation_results, never dropped); non-zero only when the run could not complete; 2 when
the warehouse file is damaged (with where the last good copy is).

``run`` and ``watch`` stop on SIGTERM or SIGINT within seconds: their child processes (the ingest
worker, dbt) are ended, nothing half-built is published and the run lock is released.
"""

from __future__ import annotations

import argparse
import fcntl
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from orchestration.settings import DBT_PROJECT_DIR, Settings, dbt_executable, ensure_dagster_home

EXIT_OK = 0
EXIT_RUN_FAILED = 1
EXIT_USAGE = 2
EXIT_BUSY = 3


class RunBusyError(RuntimeError):
    pass


class WarehouseDamagedError(RuntimeError):
    pass


# ---- stopping on SIGTERM / SIGINT -------------------------------------------------------------------

_STOP: dict[str, int] = {}


class Stopped(KeyboardInterrupt):
    """Raised in the main thread by SIGTERM or SIGINT: unwinds the run (its working copy is discarded,
    its lock released) after the child processes were ended."""


def _children(pid: int) -> list[int]:
    """Every descendant of ``pid`` (read from /proc), children before their own children."""
    parents: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as fh:
                stat = fh.read().decode(errors="replace")
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[-1].split()
        if len(fields) > 1 and fields[0] not in ("Z", "X"):  # a zombie has ended; its parent reaps it
            parents.setdefault(int(fields[1]), []).append(int(entry))
    out, todo = [], [pid]
    while todo:
        for child in parents.get(todo.pop(), []):
            out.append(child)
            todo.append(child)
    return out


def _waited_for(pid: int) -> bool:
    """Not multiprocessing's resource tracker: it ignores SIGTERM and SIGINT by design and ends by itself
    when this process ends (its pipe closes), after releasing what the worker left."""
    try:
        return b"multiprocessing.resource_tracker" not in Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False


def end_children(grace: float = 3.0) -> list[int]:
    """SIGTERM every descendant of this process, then SIGKILL what is left after ``grace`` seconds."""
    ended = _children(os.getpid())
    for pid in ended:
        with suppress(ProcessLookupError, PermissionError):
            os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + grace
    while time.monotonic() < deadline and any(_waited_for(pid) for pid in _children(os.getpid())):
        time.sleep(0.05)
    for pid in _children(os.getpid()):
        if _waited_for(pid):
            with suppress(ProcessLookupError, PermissionError):
                os.kill(pid, signal.SIGKILL)
    return ended


def _on_stop_signal(signum, _frame) -> None:
    first = not _STOP
    _STOP.setdefault("signal", signum)
    end_children()
    if first:
        raise Stopped(signal.Signals(signum).name)


def install_stop_handlers() -> None:
    signal.signal(signal.SIGTERM, _on_stop_signal)
    signal.signal(signal.SIGINT, _on_stop_signal)


def stop_requested() -> bool:
    return bool(_STOP)


def _stopped_code() -> int:
    return 128 + _STOP.get("signal", signal.SIGINT)


# ---- the warehouse's integrity ---------------------------------------------------------------------


def previous_path(warehouse: Path) -> Path:
    """The snapshot published before the current one (kept by every publish), in a hidden folder beside
    the warehouse (``.previous/<name>``) so that the warehouse's own folder holds only the warehouse."""
    return warehouse.parent / ".previous" / warehouse.name


def integrity_problem(path: Path, *, thorough: bool = True) -> str | None:
    """What is wrong with the DuckDB file ``path`` (None when it reads): opened read-only, its size
    against the blocks it declares (a file cut short), the row count of every table and, when
    ``thorough``, every row of every table read (DuckDB checks each block's checksum as it reads)."""
    import duckdb

    try:
        con = duckdb.connect(str(path), read_only=True)
    except Exception as exc:  # duckdb raises IOException, InvalidInputException, ... on a damaged file
        return f"it cannot be opened ({type(exc).__name__}: {str(exc).splitlines()[0][:200]})"
    try:
        # a checkpoint truncates free blocks at the end of the file but still counts them in total_blocks:
        # a sound file holds at least its used blocks, each at its own place
        block_size, used_blocks = con.execute(
            "select block_size, used_blocks from pragma_database_size() "
            "where database_name = current_database()").fetchone()
        size = path.stat().st_size
        if size < used_blocks * block_size:
            return (f"it is cut short: {size} bytes where it holds {used_blocks} blocks in use of "
                    f"{block_size} bytes")
        tables = con.execute("select table_schema, table_name from information_schema.tables "
                             "where table_type = 'BASE TABLE' and table_catalog = current_database()").fetchall()
        for schema, table in tables:
            sql = (f'select count(hash(t)) from "{schema}"."{table}" as t' if thorough
                   else f'select count(*) from "{schema}"."{table}"')
            con.execute(sql).fetchone()
    except Exception as exc:
        return f"reading it fails ({type(exc).__name__}: {str(exc).splitlines()[0][:200]})"
    finally:
        con.close()
    return None


def check_warehouse(warehouse: Path, *, thorough: bool = True) -> None:
    """Raise WarehouseDamagedError with a one-paragraph message when the published warehouse is damaged."""
    if not warehouse.exists():
        return
    problem = integrity_problem(warehouse, thorough=thorough)
    if problem is None:
        return
    from orchestration.journal import entries, journal_dir

    previous = previous_path(warehouse)
    if previous.exists() and integrity_problem(previous) is None:
        good = (f"The last good copy is {previous} (the snapshot before the last publish): copy it over "
                f"{warehouse.name} and run again, or")
    else:
        good = "There is no good previous snapshot beside it;"
    journal = journal_dir(warehouse)
    decisions = len(entries(journal))
    raise WarehouseDamagedError(
        f"the warehouse {warehouse} is damaged: {problem}. Nothing was changed. {good} rebuild it from the "
        f"landing folder and the journal of decisions ({journal}, {decisions} decision(s): reviews, "
        f"corrections, accepted findings, sign-offs) with `provreport restore --landing DIR --warehouse "
        f"{warehouse}` (the damaged file is kept as {warehouse.name}.damaged).")


def keep_previous(published: Path) -> None:
    """Keep the published snapshot as ``.previous/<name>`` (a hard link: no copy) before it is replaced."""
    if not published.exists():
        return
    previous = previous_path(published)
    previous.parent.mkdir(exist_ok=True)
    temporary = previous.with_name(previous.name + ".tmp")
    temporary.unlink(missing_ok=True)
    try:
        os.link(published, temporary)
    except OSError:
        import shutil

        shutil.copyfile(published, temporary)
    os.replace(temporary, previous)


@contextmanager
def run_lock(warehouse: Path, *, wait: bool) -> Iterator[None]:
    """One pipeline run per warehouse at a time; the second waits or stops with a clear message.

    The lock file exists only while a run holds it: the holder removes it before letting go, so a
    process that waited on the removed file locks it again under the path it finds next."""
    warehouse.parent.mkdir(parents=True, exist_ok=True)
    lock_path = warehouse.with_name(warehouse.name + ".run.lock")
    while True:
        fh = lock_path.open("a+")
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError as exc:
            fh.seek(0)
            holder = fh.read().strip() or "another process"
            fh.close()
            raise RunBusyError(
                f"another provreport run is using {warehouse} ({holder}); wait for it to finish "
                f"or pass --wait to queue behind it"
            ) from exc
        try:
            current = os.stat(lock_path).st_ino
        except FileNotFoundError:
            current = None
        if current == os.fstat(fh.fileno()).st_ino:
            break
        fh.close()  # locked a file its holder had removed: lock the one at the path now
    try:
        fh.seek(0)
        fh.truncate()
        fh.write(f"pid {os.getpid()} since {time.strftime('%Y-%m-%d %H:%M:%S')}")
        fh.flush()
        yield
    finally:
        lock_path.unlink(missing_ok=True)
        fcntl.flock(fh, fcntl.LOCK_UN)
        fh.close()


def manifest_is_stale(project_dir: Path = DBT_PROJECT_DIR) -> bool:
    manifest = project_dir / "target" / "manifest.json"
    if not manifest.exists():
        return True
    built = manifest.stat().st_mtime
    watched = ("dbt_project.yml", "profiles.yml", "models", "macros", "seeds", "tests", "snapshots")
    for name in watched:
        root = project_dir / name
        paths = [root] if root.is_file() else (root.rglob("*") if root.exists() else [])
        if any(p.is_file() and p.stat().st_mtime > built for p in paths):
            return True
    return False


def ensure_manifest(project_dir: Path = DBT_PROJECT_DIR, *, quiet: bool = False) -> None:
    """Build dbt's manifest with ``dbt parse`` when missing or older than the project files.

    dagster-dbt refuses to load without it outside ``dagster dev``; it is never fetched.
    """
    if not manifest_is_stale(project_dir):
        return
    from orchestration.summary import progress

    if not quiet:
        progress.start("dbt parse", "the project changed: preparing dbt's manifest ...")
    env = {**os.environ, "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
    proc = subprocess.run(
        # --target as dagster-dbt passes it: dbt reuses a parse only when the target arguments match
        [dbt_executable(), "parse", "--project-dir", str(project_dir), "--profiles-dir", str(project_dir),
         "--target", os.environ.get("PROVREPORT_DBT_TARGET", "duckdb"), "--quiet",
         # its log goes to the temporary folder, not dbt_project/logs: no run writes into the source tree
         "--log-path", str(Path(tempfile.gettempdir()) / "provreport-dbt-parse-logs")],
        env=env, capture_output=True, text=True, check=False,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"dbt parse failed:\n{proc.stdout}\n{proc.stderr}")
    progress.finish("manifest ready")


def _settings(args: argparse.Namespace) -> Settings:
    base = Settings.from_env()
    return Settings(
        warehouse=Path(args.warehouse).resolve() if getattr(args, "warehouse", None) else base.warehouse,
        landing=Path(args.landing).resolve() if getattr(args, "landing", None) else base.landing,
        dagster_home=base.dagster_home,
        docs_dir=Path(args.docs_dir).resolve() if getattr(args, "docs_dir", None) else base.docs_dir,
        dbt_target=getattr(args, "target", None) or base.dbt_target,
        pg_dsn=base.pg_dsn,
    )


def _target(settings: Settings):
    """Where the marts and audit tables are (sources.connection.Warehouse), or None after saying on stderr,
    in one paragraph, why the PostgreSQL target cannot be used (no DSN, server unreachable, login refused)."""
    from orchestration.settings import MissingDsnError
    from sources.connection import UnreachableError

    try:
        target = settings.target
        if target.engine == "postgres":
            with target.connect(read_only=True):
                pass
    except (MissingDsnError, UnreachableError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return None
    return target


def _marts_built(target) -> bool:
    """The PostgreSQL target holds the marts (a first run has built them)."""
    with target.connect(read_only=True) as con:
        return con.table_exists("marts", "fct_report_versions")


def run_pipeline(settings: Settings, *, log_level: str = "WARNING", job_name: str = "provreport_pipeline"):
    """Materialise every asset and check through Dagster, in process; returns the result."""
    settings.export()
    ensure_dagster_home(settings.dagster_home, postgres=settings.dagster_on_postgres)
    ensure_manifest()
    from dagster import DagsterInstance

    from orchestration.definitions import defs

    if signal.getsignal(signal.SIGTERM) is _on_stop_signal:
        # Dagster swaps its own SIGINT/SIGTERM handlers in while it executes (it would wait for the step,
        # and dbt, to finish): keep ours, which end the child processes and unwind the run at once
        from dagster._utils import interrupts

        interrupts._replace_interrupt_signal = lambda _handler: None

    job = defs.resolve_job_def(job_name)
    with DagsterInstance.get() as instance:
        return job.execute_in_process(
            instance=instance,
            raise_on_error=False,
            run_config={"loggers": {"console": {"config": {"log_level": log_level}}}},
        )


def _run_job(settings: Settings, job_name: str, *, verbose: bool, wait: bool, progress: bool = False,
             force: bool = False) -> int:
    """Run a Dagster job on the warehouse under its lock, print the summary, and say what failed.

    The job builds in a working copy of the warehouse, published by one rename when the run
    completes: readers of the published file never wait for a run nor see it half built, and a run
    that does not complete publishes nothing. ``provreport_pipeline`` with the same inputs as the
    last completed run (landing content, dbt project, suites, settings, reviews) is skipped before
    Dagster is even imported, unless ``force``.

    ``verbose``: Dagster's INFO logs and dbt's own lines; ``progress``: one line per long step
    (a terminal); neither: warnings and the summary only."""
    from dataclasses import replace

    from orchestration.summary import progress as steps
    from sources.warehouse import discard_working_copy, prepare_working_copy, publish

    target = _target(settings)
    if target is None:
        return EXIT_USAGE
    if target.engine == "postgres" and not _marts_built(target):
        force = True  # a new database (or another DSN): the DuckDB file's no-op state says nothing of it
    started = time.perf_counter()
    if progress and not verbose:
        steps.enable(sys.stderr, live=sys.stderr.isatty())
    published = settings.warehouse
    result = None
    try:
        with run_lock(published, wait=wait):
            # opened read-only, its size against its declared blocks, every table counted (~0.1 s): a file
            # cut short, zeroed or truncated is refused before anything is written
            check_warehouse(published, thorough=False)
            from orchestration.journal import backfill

            backfill(published)  # decisions recorded before the journal existed
            inputs = None
            # the target is one of the inputs the no-op check compares (a DuckDB run after a PostgreSQL one
            # on the same file builds the DuckDB marts), whether it came from --target or the environment
            os.environ["PROVREPORT_DBT_TARGET"] = settings.dbt_target
            if job_name == "provreport_pipeline" and not force:
                from orchestration.ingest import noop

                inputs, last = noop.read_inputs(settings.landing, published)
                if noop.nothing_to_do(inputs, last):
                    return _nothing_new(target, len(inputs.files), time.perf_counter() - started)
            os.environ["PROVREPORT_QUIET"] = "0" if verbose else "1"
            working = prepare_working_copy(published)
            try:
                result = run_pipeline(replace(settings, warehouse=working),
                                      log_level="INFO" if verbose else "WARNING", job_name=job_name)
                if result.success and not stop_requested():
                    if inputs is not None:
                        _remember_inputs(working, inputs, result.run_id)
                    keep_previous(published)
                    publish(working, published)
            finally:
                discard_working_copy(published)
    except RunBusyError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_BUSY
    except WarehouseDamagedError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    finally:
        steps.disable()
    if stop_requested():
        raise Stopped(signal.Signals(_STOP["signal"]).name)
    from orchestration.summary import print_run_summary

    print_run_summary(target, result.run_id, time.perf_counter() - started, sys.stdout)
    if not result.success:
        failed = [e.step_key for e in result.all_events if e.is_step_failure]
        print(f"error: the run did not complete; failed steps: {', '.join(failed) or 'unknown'} "
              f"(run {result.run_id}; `dagster dev` shows its logs); the warehouse was left as it was",
              file=sys.stderr)
        return EXIT_RUN_FAILED
    return EXIT_OK


def _remember_inputs(working: Path, inputs, run_id: str) -> None:
    from orchestration.ingest import noop
    from sources.warehouse import open_warehouse

    with open_warehouse(working) as con:
        noop.record(con, inputs, run_id)


def _nothing_new(target, files: int, elapsed: float) -> int:
    from orchestration.summary import print_run_summary

    print(f"nothing new since the last run ({files} files, dbt project, suites and reviews unchanged): "
          "the warehouse was left as it was (--force runs every step anyway)")
    print_run_summary(target, None, elapsed, sys.stdout, nothing_new=True)
    return EXIT_OK


def _progress_wanted(args: argparse.Namespace) -> bool:
    """Progress (files read, models built, checks run) on a terminal; quiet in logs and CI."""
    return sys.stderr.isatty()


def cmd_run(args: argparse.Namespace) -> int:
    settings = _settings(args)
    if not settings.landing.is_dir():
        print(f"error: landing folder {settings.landing} does not exist", file=sys.stderr)
        return EXIT_USAGE
    return _run_job(settings, "provreport_pipeline", verbose=args.verbose, wait=args.wait,
                    progress=_progress_wanted(args), force=args.force)


def cmd_validate(args: argparse.Namespace) -> int:
    """The full validation (every row of the marts), as the daily schedule runs it in Dagster."""
    settings = _settings(args)
    if not _warehouse_exists(settings):
        return EXIT_USAGE
    return _run_job(settings, "full_validation", verbose=args.verbose, wait=args.wait,
                    progress=_progress_wanted(args))


def _settled_cursor(landing: Path, interval: float, stopping) -> str:
    """The folder's fingerprint once two looks ``interval`` apart agree: a file still being copied
    changes size or time between them, so a half-written file is never read."""
    from orchestration.ingest.sensors import landing_cursor

    previous = landing_cursor(landing)
    while True:
        time.sleep(interval)
        current = landing_cursor(landing)
        if current == previous or stopping():
            return current
        previous = current


def cmd_watch(args: argparse.Namespace) -> int:
    """Run the pipeline whenever new files have landed and stopped changing, in this long-lived process.

    A new process pays Dagster's start-up and Great Expectations' import (about 7 s of a cold run);
    this one pays them once. SIGTERM or Ctrl-C stops the watch within seconds: a run in progress is
    abandoned (its child processes ended, nothing published, the lock released), the next watch or
    run does it again.
    """
    from orchestration.ingest.sensors import landing_cursor

    settings = _settings(args)
    if not settings.landing.is_dir():
        print(f"error: landing folder {settings.landing} does not exist", file=sys.stderr)
        return EXIT_USAGE
    print(f"watching {settings.landing} every {args.interval:g} s (Ctrl-C to stop)", flush=True)
    done: str | None = None
    running = False
    try:
        cursor = landing_cursor(settings.landing)
        while not stop_requested():
            if cursor != done:
                done = cursor
                running = True
                code = _run_job(settings, "provreport_pipeline", verbose=args.verbose, wait=True,
                                progress=_progress_wanted(args), force=args.force)
                running = False
                if code == EXIT_USAGE:  # a damaged warehouse: said why; watching it would repeat that
                    return code
                print(f"watching {settings.landing}", flush=True)
            cursor = _settled_cursor(settings.landing, args.interval, stop_requested)
    except KeyboardInterrupt:  # SIGTERM or SIGINT (Stopped): a stop asked for is a normal end of a watch
        end_children()
        if running:
            print("the run in progress was abandoned: its child processes ended, nothing of it published, the "
                  "lock released; the next run does it again", file=sys.stderr, flush=True)
    print("watch stopped", flush=True)
    return EXIT_OK


def cmd_summary(args: argparse.Namespace) -> int:
    from orchestration.summary import print_run_summary

    target = _target(_settings(args))
    if target is None:
        return EXIT_USAGE
    print_run_summary(target, None, None, sys.stdout)
    return EXIT_OK


def _warehouse_exists(settings: Settings) -> bool:
    """The warehouse to read exists and reads well (said on stderr when not): the DuckDB file, or on the
    postgres target a reachable server holding the marts."""
    if settings.dbt_target == "postgres":
        target = _target(settings)
        if target is None:
            return False
        if not _marts_built(target):
            print(f"error: no marts on {target.describe()}; run `provreport run --target postgres` first",
                  file=sys.stderr)
            return False
        return True
    if not settings.warehouse.exists():
        print(f"error: no warehouse at {settings.warehouse}; run `provreport run` first", file=sys.stderr)
        return False
    try:
        check_warehouse(settings.warehouse, thorough=False)
    except WarehouseDamagedError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return False
    return True


def cmd_audit(args: argparse.Namespace) -> int:
    settings = _settings(args)
    if not _warehouse_exists(settings):
        return EXIT_USAGE
    from expectations.audit import render_audit

    try:
        output = render_audit(settings.target, args.format)
        if args.format != "csv":  # the CSV is the findings, one row each; text and HTML add the decisions
            from orchestration.decisions import decisions_html, decisions_text, load_decisions

            decisions = load_decisions(settings.warehouse)
            output = (output + "\n" + decisions_text(decisions) if args.format == "text"
                      else output.replace("</body></html>", decisions_html(decisions) + "</body></html>"))
    except Exception as exc:  # the audit itself could not run: say so and exit non-zero
        print(f"error: the audit could not run: {exc}", file=sys.stderr)
        return EXIT_RUN_FAILED
    if args.out:
        Path(args.out).write_text(output, encoding="utf-8")
        print(f"wrote {args.out}")
    else:
        sys.stdout.write(output)
    return EXIT_OK


def _today(args: argparse.Namespace):
    """The day statuses are judged on: today, or --today (to see when acceptances lapse)."""
    from datetime import date

    return date.fromisoformat(args.today) if getattr(args, "today", None) else date.today()


class _Refused(Exception):
    pass


def _record(settings: Settings, action):
    """Run ``action(con, now)`` on the warehouse opened for writing (a decision: an appended audit row);
    a refusal (bad input, a rule, the file in use) is said on stderr and raised as _Refused."""
    from datetime import UTC, datetime

    from sources.warehouse import WarehouseLockedError, building, open_warehouse

    # written in a working copy published in one rename, like a run: readers holding the warehouse
    # open neither block the decision nor see it half written; a run in progress is waited for
    try:
        with run_lock(settings.warehouse, wait=True):
            check_warehouse(settings.warehouse, thorough=False)
            keep_previous(settings.warehouse)
            with building(settings.warehouse) as working, open_warehouse(working) as con:
                return action(con, datetime.now(tz=UTC).replace(tzinfo=None))
    except (ValueError, LookupError, WarehouseLockedError, WarehouseDamagedError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        raise _Refused from exc


def _record_on_server(settings: Settings, action):
    """``_record`` on the PostgreSQL target: the appended audit row written on the server in one
    transaction (under the warehouse's run lock: no run validates meanwhile)."""
    from datetime import UTC, datetime

    try:
        with run_lock(settings.warehouse, wait=True), settings.target.connect() as con, con.transaction():
            return action(con, datetime.now(tz=UTC).replace(tzinfo=None))
    except (ValueError, LookupError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        raise _Refused from exc


def cmd_findings(args: argparse.Namespace) -> int:
    """List the findings register, or record an accepted exception (an appended row)."""
    from datetime import date

    from expectations.register import accept, load_register

    settings = _settings(args)
    if not _warehouse_exists(settings):
        return EXIT_USAGE
    if args.action == "accept":
        try:
            until = date.fromisoformat(args.until) if args.until else None
            decide = lambda con, now: accept(con, args.finding_id, reason=args.reason, by=args.by,  # noqa: E731
                                             until=until, now=now)
            finding = _record_on_server(settings, decide) if settings.dbt_target == "postgres" \
                else _record(settings, decide)
        except (_Refused, ValueError) as exc:
            if not isinstance(exc, _Refused):
                print(f"error: --until {args.until}: {exc}", file=sys.stderr)
            return EXIT_USAGE
        print(f"accepted {finding.finding_id} ({finding.check}, {finding.unit_name or 'all units'}) "
              f"by {args.by}{' until ' + str(until) if until else ''}: it no longer counts as a failure")
        return EXIT_OK
    from expectations.audit import finding_texts, value_text

    with settings.target.connect(read_only=True) as con:
        register = load_register(con, today=_today(args))
    shown = [f for f in register if args.all or f.status != "resolved"]
    for f in shown:
        where = f"{f.unit_name or 'all units'} {f.period_start or ''}..{f.period_end or ''}".strip()
        texts = finding_texts(f)
        values = (f"stated {texts['stated']} · computed {texts['computed']} · difference {texts['difference']} "
                  f"({texts['difference_pct']}) · tolerance {f.tolerance}" if f.figure_ids
                  else f"failing {value_text(f.stated, None)} of {value_text(f.computed, None)} {f.value_unit}")
        print(f"{f.finding_id}  {f.status:<8} {f.severity:<5} {f.mart}.{f.check}  {where}")
        print(f"    {values}")
        print(f"    first seen {f.first_seen:%Y-%m-%d %H:%M} · last seen {f.last_seen:%Y-%m-%d %H:%M}")
        for event in f.history:
            until = f" until {event['valid_until']}" if event["valid_until"] else ""
            print(f"    {event['changed_at']:%Y-%m-%d %H:%M}  {event['status']:<8} by {event['changed_by']}{until}: "
                  f"{event['reason']}")
    counts = {s: sum(1 for f in register if f.status == s) for s in ("open", "accepted", "resolved")}
    print(f"{counts['open']} open, {counts['accepted']} accepted, {counts['resolved']} resolved"
          f"{'' if args.all else ' (--all lists the resolved ones too)'}")
    return EXIT_OK


def cmd_review(args: argparse.Namespace) -> int:
    """The figures that need a person, with their sentence and why."""
    from expectations.audit import value_text
    from orchestration.review import review_queue
    from sources.warehouse import open_warehouse

    settings = _settings(args)
    if not _warehouse_exists(settings):
        return EXIT_USAGE
    with open_warehouse(settings.warehouse, read_only=True) as con:
        queue = review_queue(con, unit=args.unit, period=args.period, include_reviewed=args.all)
    for f in queue:
        value = value_text(f["value"], f["unit"] if f["unit"] in ("VND", "percent") else None)
        unit = "" if f["unit"] in ("VND", "percent", "count", None) else f" {f['unit']}"
        print(f"{f['figure_id']}  {f['district_name'] or '(unplaced)'}  {f['period_start']}..{f['period_end']}  "
              f"{f['kind']} {f['subject'] or ''} {f['detail'] or ''}: {value}{unit}"
              + (f"  [{f['review_status']}]" if f["review_status"] else ""))
        print(f"    why: {'; '.join(f['reasons'])}")
        print(f"    “{f['sentence'] or f['source_quote']}”")
    print(f"{len(queue)} figure(s) to review; decide with: provreport correct FIGURE_ID value=... --reason ... "
          f"--by ... | confirm FIGURE_ID --by ... | reject FIGURE_ID --reason ... --by ...")
    return EXIT_OK


def cmd_decide(args: argparse.Namespace) -> int:
    """correct / confirm / reject one figure: an appended row of audit.figure_reviews."""
    from orchestration.review import Review, record_review

    settings = _settings(args)
    if not _warehouse_exists(settings):
        return EXIT_USAGE
    review = Review(args.figure_id, args.command, getattr(args, "changes", []), args.reason or "", args.by)
    try:
        _record(settings, lambda con, now: record_review(con, review, now=now))
    except _Refused:
        return EXIT_USAGE
    print(f"recorded: {args.command} {args.figure_id} by {args.by}; the next `provreport run` applies it to the "
          "marts (the figure's unit is rebuilt and validated again)")
    return EXIT_OK


def cmd_approve(args: argparse.Namespace) -> int:
    """Sign off a unit-period (check or approve), or list the sign-off status."""
    from orchestration.signoff.approvals import sign_off, statuses
    from sources.warehouse import open_warehouse

    settings = _settings(args)
    if not _warehouse_exists(settings):
        return EXIT_USAGE
    if not args.level:
        with open_warehouse(settings.warehouse, read_only=True) as con:
            for s in statuses(con, unit=args.unit, period=args.period):
                who = (f"  checked by {s['checked_by']}" if s["checked_by"] else "") + (
                    f"  approved by {s['approved_by']}" if s["approved_by"] else "")
                print(f"{s['province_name'] or '':<12} {s['unit_name'] or s['unit_key']:<16} {s['period']:<8} "
                      f"{s['approval_status']:<9} {s['figures_count']:>4} figures{who}")
        return EXIT_OK
    if not (args.unit and args.period and args.by):
        print("error: a sign-off needs --unit, --period, --level and --by", file=sys.stderr)
        return EXIT_USAGE
    try:
        done = _record(settings, lambda con, now: sign_off(con, unit=args.unit, period=args.period, level=args.level,
                                                           by=args.by, note=args.note, now=now))
    except _Refused:
        return EXIT_USAGE
    word = "checked" if args.level == "check" else "approved"
    print(f"{done['unit_name']} {args.period}: {done['figures']} figures {word} by {args.by} "
          f"(hash {done['figures_hash'][:12]}); a change to them reopens the sign-off")
    return EXIT_OK


def cmd_template(args: argparse.Namespace) -> int:
    from orchestration.template import write_template

    out = Path(args.out)
    if out.suffix.lower() not in (".csv", ".xlsx"):
        print("error: the template is written as .csv or .xlsx", file=sys.stderr)
        return EXIT_USAGE
    write_template(out, lang=args.lang)
    language = "Vietnamese" if args.lang == "vi" else "English"
    extras = ("instructions (sheet huong_dan), drop-down lists, " if out.suffix.lower() == ".xlsx" else "")
    print(f"wrote a submission template to {out} (headers in {language}; {extras}example row 2, not read)")
    return EXIT_OK


def cmd_export(args: argparse.Namespace) -> int:
    from orchestration.export import export_parquet

    settings = _settings(args)
    if not _warehouse_exists(settings):
        return EXIT_USAGE
    for mart, rows, path in export_parquet(settings.target, Path(args.dir)):
        print(f"{mart:<32} {rows:>8} rows  {path}")
    return EXIT_OK


def cmd_report(args: argparse.Namespace) -> int:
    from orchestration.report import parse_period, write_report

    try:
        period = parse_period(args.period) if args.period else None
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    settings = _settings(args)
    if not _warehouse_exists(settings):
        return EXIT_USAGE
    out = write_report(settings.target, Path(args.out), period=period)
    print(f"wrote {out} ({out.stat().st_size / 1e6:.1f} MB, self-contained: opens offline)")
    return EXIT_OK


def cmd_restore(args: argparse.Namespace) -> int:
    """Rebuild a warehouse from the landing folder plus the journal of decisions beside it.

    The journaled reviews, corrections, accepted findings and sign-offs are written into a new, empty
    warehouse first, then the pipeline runs over the landing folder (every step): dbt applies the
    corrections as it builds, validation finds the accepted findings accepted, and the sign-offs
    compare with the same figures. A damaged file in the way is kept as ``<name>.damaged``."""
    from orchestration.journal import journal_dir, replay
    from sources.warehouse import ensure_raw_schema, open_warehouse, publish

    settings = _settings(args)
    if not settings.landing.is_dir():
        print(f"error: landing folder {settings.landing} does not exist", file=sys.stderr)
        return EXIT_USAGE
    published = settings.warehouse
    journal = journal_dir(published)
    try:
        with run_lock(published, wait=args.wait):
            if published.exists():
                if integrity_problem(published) is None and not args.force:
                    print(f"error: {published} reads well; restore would replace it (pass --force to rebuild it "
                          "anyway; the current file is kept in .previous/)", file=sys.stderr)
                    return EXIT_USAGE
                damaged = published.with_name(published.name + ".damaged")
                if integrity_problem(published) is None:
                    keep_previous(published)
                else:
                    os.replace(published, damaged)
                    print(f"kept the damaged file as {damaged}")
            fresh = published.with_name(f".{published.name}.restoring")
            fresh.unlink(missing_ok=True)
            with open_warehouse(fresh) as con:
                ensure_raw_schema(con)
                counts = replay(con, journal)
            publish(fresh, published)
    except RunBusyError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_BUSY
    replayed = ", ".join(f"{n} {kind}(s)" for kind, n in sorted(counts.items())) or "no decision"
    print(f"journal {journal}: {replayed} restored; rebuilding from {settings.landing} ...", flush=True)
    return _run_job(settings, "provreport_pipeline", verbose=args.verbose, wait=True,
                    progress=_progress_wanted(args), force=True)


def _reset_stop_signals() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def cmd_dev(args: argparse.Namespace) -> int:
    """``make dev``: ``dagster dev`` in its own process group, stopped whole on SIGTERM, SIGINT or SIGHUP,
    or when the process that started this one (make) ends. Started from a script or in the background,
    ``dagster dev`` ignores SIGINT and SIGTERM (they stay ignored from the shell that started it): its
    signals are reset to their defaults here, and its whole group is ended (SIGTERM, then SIGKILL after
    10 s) whatever it does with them."""
    from orchestration.settings import dbt_pg_env, pg_dsn_from_env

    dsn = pg_dsn_from_env(os.environ)
    if dsn:  # a dagster.yaml keeping the instance in the PostgreSQL server reads its parts (ensure_dagster_home)
        os.environ.update(dbt_pg_env(dsn))
    dagster = Path(sys.executable).with_name("dagster")
    proc = subprocess.Popen([str(dagster), "dev", *args.dagster_args], start_new_session=True,
                            preexec_fn=_reset_stop_signals)
    received: dict[str, int] = {}

    def stop(signum, _frame) -> None:
        received.setdefault("signal", signum)

    for signum in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(signum, stop)
    parent = os.getppid()
    while proc.poll() is None and not received and os.getppid() == parent:
        time.sleep(0.2)
    if proc.poll() is None:
        with suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and _group_alive(proc.pid):
            proc.poll()
            time.sleep(0.1)
        with suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    return 128 + received["signal"] if received else (proc.returncode or 0)


def _group_alive(pgid: int) -> bool:
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                fields = Path(f"/proc/{entry}/stat").read_text(errors="replace").rsplit(")", 1)[-1].split()
            except OSError:
                continue
            if int(fields[2]) == pgid and fields[0] not in ("Z", "X"):
                return True
    return False


def cmd_bench(args: argparse.Namespace) -> int:
    from orchestration.bench import run_bench

    run_bench(args.reports, Path(args.out) if args.out else None, keep=args.keep,
              html=Path(args.html) if args.html else None)
    return EXIT_OK


WAREHOUSE_HELP = "DuckDB file (default $DUCKDB_PATH or warehouse/provincial.duckdb)"
TARGET_HELP = ("duckdb: the marts and audit tables in the DuckDB file; postgres: on the PostgreSQL server of "
               "$PROVREPORT_PG_DSN (default $PROVREPORT_DBT_TARGET or duckdb)")


def _target_option(command: argparse.ArgumentParser) -> None:
    # SUPPRESS: `findings --target postgres accept ...` keeps the value (a subcommand's default would reset it)
    command.add_argument("--target", choices=("duckdb", "postgres"), default=argparse.SUPPRESS, help=TARGET_HELP)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="provreport", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def job_options(command: argparse.ArgumentParser, *, landing: bool = True, wait: bool = True,
                    target: bool = True) -> None:
        if landing:
            command.add_argument("--landing",
                                 help="folder of district files (default $PROVREPORT_LANDING or samples/landing)")
        command.add_argument("--warehouse", help=WAREHOUSE_HELP)
        if target:
            _target_option(command)
        command.add_argument("--docs-dir",
                             help="where Data Docs are built (default <warehouse dir>/<name>.gx/data_docs)")
        if wait:
            command.add_argument("--wait", action="store_true",
                                 help="wait for a run in progress instead of stopping")
        command.add_argument("--verbose", action="store_true",
                             help="show Dagster's INFO logs and every dbt line (default: a progress line per "
                             "step on a terminal, only warnings and the summary otherwise)")

    run = sub.add_parser("run", help="ingest everything new in the landing folder, build marts, validate")
    job_options(run)
    run.add_argument("--force", action="store_true",
                     help="run every step even when nothing changed since the last run")
    run.set_defaults(func=cmd_run)

    validate = sub.add_parser("validate", help="validate every row of the marts (a run validates only the "
                              "units with new reports); cron it daily where Dagster's daemon does not run")
    job_options(validate, landing=False)
    validate.set_defaults(func=cmd_validate)

    watch = sub.add_parser("watch", help="stay running: run the pipeline whenever new files land (seconds per report)")
    job_options(watch, wait=False)
    watch.add_argument("--force", action="store_true",
                       help="run every step at start even when nothing changed since the last run")
    watch.add_argument("--interval", type=float, default=2.0, help="seconds between looks at the folder (default 2)")
    watch.set_defaults(func=cmd_watch)

    summary = sub.add_parser("summary", help="print what the warehouse holds")
    summary.add_argument("--warehouse", help=WAREHOUSE_HELP)
    _target_option(summary)
    summary.set_defaults(func=cmd_summary)

    audit = sub.add_parser("audit", help="list every failed check with its figures and quotes")
    audit.add_argument("--warehouse", help=WAREHOUSE_HELP)
    _target_option(audit)
    audit.add_argument("--format", choices=("text", "csv", "html"), default="text",
                       help="text (default), csv (UTF-8 with BOM, for Excel) or html")
    audit.add_argument("--out", help="write to this file instead of standard output")
    audit.set_defaults(func=cmd_audit)

    findings = sub.add_parser("findings", help="the findings register: every finding with its id, status, "
                              "first and last seen; `findings accept ID` records an accepted exception")
    findings.add_argument("--warehouse", help=WAREHOUSE_HELP)
    _target_option(findings)
    findings.add_argument("--all", action="store_true", help="list resolved findings too")
    findings.add_argument("--today", help=argparse.SUPPRESS)  # judge acceptances as of this day (tests)
    findings.set_defaults(func=cmd_findings, action=None)
    findings_sub = findings.add_subparsers(dest="action")
    accept = findings_sub.add_parser("accept", help="accept a finding as an exception (stops counting as a "
                                     "failure until --until, or until its figures change)")
    accept.add_argument("finding_id", help="the finding's id (F-..., as `provreport findings` lists it)")
    accept.add_argument("--reason", required=True, help="why it is accepted")
    accept.add_argument("--by", required=True, help="who accepts it")
    accept.add_argument("--until", help="last day the acceptance holds (YYYY-MM-DD)")
    accept.add_argument("--warehouse", help=WAREHOUSE_HELP)
    _target_option(accept)

    review = sub.add_parser("review", help="the figures that need a person (weak rule, unresolved place, "
                            "unmapped indicator, suspicious amount, open finding) with their sentence")
    review.add_argument("--warehouse", help=WAREHOUSE_HELP)
    review.add_argument("--unit", help="a district or commune (name or code)")
    review.add_argument("--period", help="figures whose period ends in this year or month (2019, 2019-09)")
    review.add_argument("--all", action="store_true", help="include figures already reviewed")
    review.set_defaults(func=cmd_review)
    for action, text in (("correct", "correct a figure: field=value pairs (value, measure, programme, "
                          "capital_source, role, period, place)"), ("confirm", "confirm a figure as extracted"),
                         ("reject", "reject a figure the extractor misread (it leaves the facts)")):
        decide = sub.add_parser(action, help=text)
        decide.add_argument("figure_id", help="the figure's id (as `provreport review` lists it)")
        if action == "correct":
            decide.add_argument("changes", nargs="+", metavar="field=value",
                                help="value=106.164 triệu đồng, measure=allocated, programme=NTM, role=target, "
                                "period=2019 or 2016-01-01..2019-12-31, place=Đa Krông, Quảng Trị (the unit the figure "
                                "belongs to, looked up on its period; never guessed)")
        decide.add_argument("--reason", required=action != "confirm", help="why")
        decide.add_argument("--by", required=True, help="who decides")
        decide.add_argument("--warehouse", help=WAREHOUSE_HELP)
        decide.set_defaults(func=cmd_decide)

    approve = sub.add_parser("approve", help="sign off a reporting unit and period: --level check (the unit's "
                             "officer) then approve (the province); without --level, list the sign-off status")
    approve.add_argument("--warehouse", help=WAREHOUSE_HELP)
    approve.add_argument("--unit", help="district or commune name or code")
    approve.add_argument("--period", help="the year the unit's reports end in (2019)")
    approve.add_argument("--level", choices=("check", "approve"),
                         help="check (the unit's officer) or approve (the province, after a check)")
    approve.add_argument("--by", help="who signs off")
    approve.add_argument("--note", help="why, required while WARN findings on the figures are open")
    approve.set_defaults(func=cmd_approve)

    template = sub.add_parser("template", help="write an empty submission template (CSV or XLSX)")
    template.add_argument("out", help="file to write: template.csv or template.xlsx")
    template.add_argument("--lang", choices=("vi", "en"), default="vi", help="language of the headers")
    template.set_defaults(func=cmd_template)

    report = sub.add_parser("report", help="write a self-contained HTML report with charts")
    report.add_argument("--warehouse", help=WAREHOUSE_HELP)
    _target_option(report)
    report.add_argument("--period", help="a year (2023), a quarter (2023-Q1 or Q1-2023) or a month range "
                                         "(2023-01..2023-06): only figures whose period ends in it")
    report.add_argument("--out", default="warehouse/report.html", help="HTML file to write")
    report.set_defaults(func=cmd_report)

    bench = sub.add_parser("bench", help="benchmark the pipeline against a bare baseline on generated reports")
    bench.add_argument("--reports", "--sizes", dest="reports", type=int, nargs="+", default=[1000],
                       help="numbers of reports to generate, one bench each (e.g. --reports 1000 10000)")
    bench.add_argument("--html", help="write the chart here (default: --out with the suffix .html)")
    bench.add_argument("--out", help="write the JSON result to this file too")
    bench.add_argument("--keep", action="store_true", help="keep the temporary folder")
    bench.set_defaults(func=cmd_bench)

    restore = sub.add_parser("restore", help="rebuild the warehouse from the landing folder and the journal of "
                             "decisions beside it (<warehouse>.journal: reviews, corrections, accepted findings, "
                             "sign-offs)")
    job_options(restore)
    restore.add_argument("--force", action="store_true", help="rebuild even when the warehouse reads well")
    restore.set_defaults(func=cmd_restore)

    dev = sub.add_parser("dev", help="Dagster's UI (`make dev`): `dagster dev ARGS`, stopped with all its processes "
                         "on SIGTERM, SIGINT or SIGHUP")
    dev.add_argument("dagster_args", nargs=argparse.REMAINDER, help="arguments of `dagster dev`")
    dev.set_defaults(func=cmd_dev)

    export = sub.add_parser("export", help="write every mart as Parquet, column descriptions included")
    export.add_argument("dir", help="folder to write the .parquet files to")
    export.add_argument("--format", choices=("parquet",), default="parquet", help="file format (parquet)")
    export.add_argument("--warehouse", help=WAREHOUSE_HELP)
    _target_option(export)
    export.set_defaults(func=cmd_export)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["dev"]:  # everything after `dev` is dagster dev's (its -h is its host, not help)
        return cmd_dev(argparse.Namespace(dagster_args=argv[1:]))
    args = build_parser().parse_args(argv)
    if args.command in ("run", "watch", "validate", "restore"):
        install_stop_handlers()
        try:
            return args.func(args)
        except KeyboardInterrupt:  # Stopped, or an interrupt Dagster turned into its own
            if not stop_requested():
                _STOP["signal"] = signal.SIGINT
            end_children()
            print(f"stopped by {signal.Signals(_STOP['signal']).name}: child processes ended, nothing "
                  "half-built published, lock released", file=sys.stderr, flush=True)
            return _stopped_code()
    return args.func(args)


def console_main() -> None:
    """The ``provreport`` command: ``main``, then a prompt exit.

    Once Dagster, dbt and Great Expectations are loaded, Python's own teardown frees their object
    graphs for 1.6 s (measured at the end of a run: no Python frame, all native finalisation), a
    tenth of what one new report costs. Everything is closed and written by then, so the process
    flushes its streams and logs and ends there. The multiprocessing resource tracker would then call
    the lock dbt's adapter registry holds "leaked" (it frees it anyway): that one warning is silenced.
    """
    import logging

    os.environ.setdefault("PYTHONWARNINGS", "ignore:resource_tracker:UserWarning")
    try:
        code = main()
    except SystemExit as exc:  # argparse errors and --help
        if isinstance(exc.code, str):
            print(exc.code, file=sys.stderr)
        code = 0 if exc.code is None else exc.code if isinstance(exc.code, int) else 2
    sys.stdout.flush()
    sys.stderr.flush()
    logging.shutdown()
    os._exit(code)


if __name__ == "__main__":
    console_main()
