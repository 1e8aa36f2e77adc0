"""Running the pipeline: one run per warehouse at a time (the run lock), the published file's
integrity, stopping on SIGTERM/SIGINT, and a Dagster job executed on a working copy that is published by
one rename when the run completes: in process, or with many new files in step processes that read the
ingest's partitions on every core. Used by the command line (``run``, ``validate``,
``watch``, ``restore``, the decisions it records), the benchmarks and the tests."""

from __future__ import annotations

import atexit
import fcntl
import os
import signal
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from orchestration.dbt.project import ensure_manifest
from orchestration.settings import VERBOSE_TAG, Settings, ensure_dagster_home

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


def stop_signal() -> signal.Signals:
    """The signal that stopped this process (SIGINT when Dagster turned an interrupt into its own)."""
    _STOP.setdefault("signal", signal.SIGINT)
    return signal.Signals(_STOP["signal"])


# ---- the warehouse's integrity ---------------------------------------------------------------------


def previous_path(warehouse: Path) -> Path:
    """The snapshot published before the current one (kept by every publish), in a hidden folder beside
    the warehouse (``.previous/<name>``) so that the warehouse's own folder holds only the warehouse."""
    return warehouse.parent / ".previous" / warehouse.name


def integrity_problem(path: Path, *, thorough: bool = True) -> str | None:
    """What is wrong with the DuckDB file ``path`` (None when it reads): opened read-only, its size
    against the blocks it declares (a file cut short), the row count of every table and, when
    ``thorough``, every row of every table read (DuckDB checks each block's checksum as it reads).
    A file another process holds open for writing is not damaged: ``WarehouseLockedError``."""
    from sources.warehouse import WarehouseLockedError, connect

    try:
        con = connect(path, read_only=True)
    except WarehouseLockedError:
        raise
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


def reachable_target(settings: Settings):
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


def marts_built(target) -> bool:
    """The PostgreSQL target holds the marts (a first run has built them)."""
    with target.connect(read_only=True) as con:
        return con.table_exists("marts", "fct_report_versions")


# the Dagster instance of the last run in this process, kept for the next: what it was made from (DAGSTER_HOME,
# its dagster.yaml, its SQLite files' identities) and the instance
_kept_instance: tuple[tuple, object] | None = None


def _sqlite_files(instance) -> list[Path] | None:
    """The SQLite files of ``instance``'s run history (the pooled event log's index, the runs, the
    schedules), or None when one of its storages is not SQLite in files (PostgreSQL, or a storage of the
    user's): such an instance is not kept."""
    from urllib.parse import urlparse

    from orchestration.instance import INDEX_SHARD_NAME, PooledSqliteEventLogStorage

    events = instance.event_log_storage
    if not isinstance(events, PooledSqliteEventLogStorage):
        return None
    files = [Path(events.path_for_shard(INDEX_SHARD_NAME))]
    for storage in (instance.run_storage, instance.schedule_storage):
        conn_string = getattr(storage, "_conn_string", None)
        if not isinstance(conn_string, str) or not conn_string.startswith("sqlite:///"):
            return None
        files.append(Path(urlparse(conn_string).path))
    return files


def _identities(files: list[Path]) -> tuple | None:
    """Each file's device and inode (a file removed and made again is another file), None if one is gone."""
    try:
        return tuple((str(f), f.stat().st_dev, f.stat().st_ino) for f in files)
    except FileNotFoundError:
        return None


def _dispose_kept_instance() -> None:
    global _kept_instance
    kept, _kept_instance = _kept_instance, None
    if kept is not None:
        kept[1].dispose()


atexit.register(_dispose_kept_instance)  # a process that exits through Python's teardown


@contextmanager
def dagster_instance():
    """The Dagster instance of ``DAGSTER_HOME`` for a run: the one the last run in this process used when
    the folder, its dagster.yaml and the history's SQLite files are the same (a ``watch``'s runs, one after
    the other), else a new one. Making one reads dagster.yaml and checks each database's schema revision
    (about 0.1 s a run). After each run its history's connections are closed, as disposing of it did. An
    instance whose history is not SQLite in files (PostgreSQL) is made for each run and disposed of after
    it, as before."""
    global _kept_instance
    from dagster import DagsterInstance

    home = os.environ["DAGSTER_HOME"]
    try:
        config = Path(home, "dagster.yaml").read_bytes()
    except FileNotFoundError:
        config = None
    if _kept_instance is not None:
        (kept_home, kept_config, kept_files), kept = _kept_instance
        if (kept_home, kept_config) == (home, config) and _identities(_sqlite_files(kept)) == kept_files:
            with _connections_closed_after(kept):
                yield kept
            return
        _dispose_kept_instance()
    instance = DagsterInstance.get()
    files = _sqlite_files(instance)
    identities = _identities(files) if files is not None else None
    if identities is None:
        with instance:
            yield instance
        return
    _kept_instance = ((home, config, identities), instance)
    with _connections_closed_after(instance):
        yield instance


@contextmanager
def _connections_closed_after(instance):
    """The run history's connections closed after the run, as disposing of the instance closed them: the
    last one to close checkpoints SQLite's log into the database, and the process may end without Python's
    teardown (the command line's ``os._exit``)."""
    try:
        yield
    finally:
        instance.event_log_storage.close_connections()


def run_pipeline(settings: Settings, *, log_level: str = "WARNING", job_name: str = "provreport_pipeline",
                 verbose: bool | None = None, parallel: bool | None = None):
    """Materialise every asset and check through Dagster; returns the result. ``verbose`` (dbt's own lines
    shown, or only the progress line) goes to the run as its VERBOSE_TAG.

    In this process unless ``parallel``; ``None`` decides from the landing folder: a pipeline run with at
    least ``settings.ingest_parallel_from`` new files runs its steps in processes (``ingest_workers`` at a
    time), so that the partitions of the ingest are read on every core (``parallel_run_config``)."""
    settings.export()
    ensure_dagster_home(settings.dagster_home, postgres=settings.dagster_on_postgres)
    ensure_manifest(target=settings.dbt_target)
    new_files = None
    if parallel is None and job_name == "provreport_pipeline":
        from orchestration.ingest.partitions import new_files_estimate

        new_files = new_files_estimate(settings.landing, settings.warehouse)
        parallel = settings.ingest_partitions(new_files) > 1
    if parallel and job_name != "provreport_pipeline":
        raise ValueError(f"only provreport_pipeline runs in step processes, not {job_name}")
    if parallel:  # the steps' server imports the definitions on another core while this process parses for dbt
        from orchestration import step_server
        from orchestration.dbt.project import parse_ahead

        step_server.start()
        parse_ahead(settings.warehouse, settings.dbt_target)
    else:  # every step in this process: they share the working copy's open database
        from sources.warehouse import keep_open

        keep_open(settings.warehouse)
    from orchestration.definitions import load_defs

    defs = load_defs(settings)

    if signal.getsignal(signal.SIGTERM) is _on_stop_signal:
        # Dagster swaps its own SIGINT/SIGTERM handlers in while it executes (it would wait for the step,
        # and dbt, to finish): keep ours, which end the child processes and unwind the run at once
        from dagster._utils import interrupts

        interrupts._replace_interrupt_signal = lambda _handler: None

    run_config = {"loggers": {"console": {"config": {"log_level": log_level}}}}
    tags = {} if verbose is None else {VERBOSE_TAG: "1" if verbose else "0"}
    with dagster_instance() as instance:
        from orchestration.instance import batch_events_of

        batch_events_of(instance)
        if parallel:
            from dagster import execute_job, reconstructable

            from orchestration.definitions import parallel_run_config, resolved_pipeline_job
            from orchestration.outputs.progress import progress

            # the steps' own progress lines are in their processes: one line for the whole run here
            about = f"about {new_files} new files, " if new_files is not None else ""
            progress.start("run", f"{about}every step in its own process, {settings.ingest_workers} at a time ...")
            run_config = {**run_config, **parallel_run_config(settings.ingest_workers)}
            try:
                result = execute_job(reconstructable(resolved_pipeline_job), instance, raise_on_error=False, tags=tags,
                                     run_config=run_config)
            finally:
                step_server.stop()  # its memory is not kept by a process that goes on (watch, a benchmark)
            progress.finish(f"{about}every step in its own process, {settings.ingest_workers} at a time")
            return result
        selection = None
        if job_name == "provreport_pipeline":  # the dbt nodes left as they are are not part of the run
            from dagster import AssetSelection

            from orchestration.dbt.assets import pipeline_selection

            selection, planned = pipeline_selection(AssetSelection.all().resolve(defs.resolve_asset_graph()),
                                                    settings.target)
            tags = {**tags, **planned}
        from orchestration.definitions import in_process_job

        return in_process_job(settings, job_name).execute_in_process(
            instance=instance, raise_on_error=False, run_config=run_config, tags=tags, asset_selection=selection)


def run_job(settings: Settings, job_name: str, *, verbose: bool, wait: bool, progress: bool = False,
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

    from orchestration.outputs.progress import progress as steps
    from sources.warehouse import (
        WarehouseLockedError,
        discard_staging,
        discard_working_copy,
        held_open,
        prepare_working_copy,
        publish,
    )

    target = reachable_target(settings)
    if target is None:
        return EXIT_USAGE
    if target.engine == "postgres" and not marts_built(target):
        force = True  # a new database (or another DSN): the DuckDB file's no-op state says nothing of it
    started = time.perf_counter()
    if progress and not verbose:
        steps.enable(sys.stderr, live=sys.stderr.isatty())
    published = settings.warehouse
    result = None
    try:
        with run_lock(published, wait=wait):
            # the checks below read the published file through one open database (each would open it)
            with held_open(published):
                # opened read-only, its size against its declared blocks, every table counted (~0.1 s): a file
                # cut short, zeroed or truncated is refused before anything is written
                check_warehouse(published, thorough=False)
                from orchestration.journal import backfill

                backfill(published)  # decisions recorded before the journal existed
                inputs = None
                if job_name == "provreport_pipeline" and not force:
                    from orchestration.ingest import noop

                    # the settings' dbt target and provinces are inputs the no-op check compares (a DuckDB run
                    # after a PostgreSQL one on the same file builds the DuckDB marts)
                    inputs, last = noop.read_inputs(settings.landing, published, settings)
                    if noop.nothing_to_do(inputs, last):
                        return _nothing_new(target, len(inputs.files), time.perf_counter() - started)
            from expectations.validation_run import docs_finished_later

            # Data Docs are finished after the publish, built meanwhile (the worker's or a thread here)
            with _workers_started_early(settings, job_name) as parallel, docs_finished_later():
                working = prepare_working_copy(published)
                try:
                    result = run_pipeline(replace(settings, warehouse=working),
                                          log_level="INFO" if verbose else "WARNING", job_name=job_name,
                                          verbose=verbose, parallel=parallel)
                    if result.success and not stop_requested():
                        if inputs is not None:
                            _remember_inputs(working, inputs, result.run_id)
                        keep_previous(published)
                        publish(working, published)
                finally:
                    discard_working_copy(published)
                    discard_staging(published)
    except (RunBusyError, WarehouseLockedError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_BUSY
    except WarehouseDamagedError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    finally:
        steps.disable()
    if stop_requested():
        raise Stopped(signal.Signals(_STOP["signal"]).name)
    from expectations.register import left_by_run
    from orchestration.outputs.summary import print_run_summary

    # a published run: the sign-off counts its step took and the register its validation left are what the
    # warehouse holds (the summary would compute the sign-off view and read the register again)
    known = {"sign_off": _sign_off_counts(result), "register": left_by_run(result.run_id)} if result.success else {}
    print_run_summary(target, result.run_id, time.perf_counter() - started, sys.stdout, **known)
    if not result.success:
        failed = [e.step_key for e in result.all_events if e.is_step_failure]
        print(f"error: the run did not complete; failed steps: {', '.join(failed) or 'unknown'} "
              f"(run {result.run_id}; `dagster dev` shows its logs); the warehouse was left as it was",
              file=sys.stderr)
        return EXIT_RUN_FAILED
    return EXIT_OK


@contextmanager
def _workers_started_early(settings: Settings, job_name: str) -> Iterator[bool | None]:
    """For a pipeline run that will execute in this process (too few new files for step processes), in a process
    that does not keep its workers between runs (not ``provreport watch``, warm after its first run): the run's
    reading worker and a validation worker (expectations.worker: Great Expectations imported, the warehouse's
    context and checkpoints prepared) are started now, on the other core while this process imports Dagster and
    ingests and builds, and ended with the run if no step took them. Yields ``parallel`` for run_pipeline: False
    when it decided so here, else None (run_pipeline decides, as without this)."""
    if job_name != "provreport_pipeline" or _keeps_workers():
        yield None
        return
    from orchestration.ingest.partitions import new_files_estimate
    from sources.warehouse import WarehouseLockedError

    try:  # the published file, before its working copy is made (a byte copy: seconds for a large warehouse)
        new_files = new_files_estimate(settings.landing, settings.warehouse)
    except WarehouseLockedError:  # taken since the run checked it: run_pipeline estimates on the working copy
        new_files = None
    if new_files is None or settings.ingest_partitions(new_files) > 1:
        yield None
        return
    from expectations import worker

    try:
        # a process that cannot be started now (no memory, too many processes) is not started early: the read starts
        # its own worker (or reads in process) and the validation runs in process, as without this. The validation
        # worker first: it has the most to prepare
        with suppress(OSError):
            worker.start(settings.warehouse)
        from sources.ingest import prestart_reader

        with suppress(OSError):
            prestart_reader(settings.limits)
        yield False
    finally:
        from sources.ingest import end_prestarted_readers

        end_prestarted_readers()
        worker.stop()


def _keeps_workers() -> bool:
    """This process keeps its workers between runs (``provreport watch`` asked for it, sources.ingest.keep_readers,
    before its first run; a process that has not imported sources.ingest keeps none)."""
    ingest = sys.modules.get("sources.ingest")
    return ingest is not None and ingest.readers_kept()


def _sign_off_counts(result) -> dict[str, int] | None:
    """The sign-off counts this run's approval_state step took from marts.fct_unit_approvals (a view over every
    fact: the summary would compute it again), or None when the step did not run."""
    from orchestration.signoff.assets import APPROVAL_STATE_KEY, counted_states

    for event in result.get_asset_materialization_events():
        if event.asset_key == APPROVAL_STATE_KEY:
            return counted_states(event.materialization.metadata)
    return None


def _remember_inputs(working: Path, inputs, run_id: str) -> None:
    from orchestration.ingest import noop
    from sources.warehouse import open_warehouse

    with open_warehouse(working) as con:
        noop.record(con, inputs, run_id)


def _nothing_new(target, files: int, elapsed: float) -> int:
    from orchestration.outputs.summary import print_run_summary

    print(f"nothing new since the last run ({files} files, dbt project, suites and reviews unchanged): "
          "the warehouse was left as it was (--force runs every step anyway)")
    print_run_summary(target, None, elapsed, sys.stdout, nothing_new=True)
    return EXIT_OK

