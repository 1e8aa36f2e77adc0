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

``watch`` wakes on the landing folder's filesystem events (it also looks every ``--interval``, and only
then where there are none). When a ``watch`` runs on the same warehouse with the same settings, ``run``
(and ``validate``) hands the run over to it (a Unix socket beside the warehouse, ``<warehouse>.watch.sock``)
instead of starting Dagster, dbt and Great Expectations itself: the watch makes it after its run in progress, this
process prints what the run prints (stdout and stderr apart) and returns its exit code. Ctrl-C then stops
the waiting, not the watch's run. ``--no-handoff`` runs in its own process.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
from contextlib import suppress
from pathlib import Path

from orchestration.runner import (
    EXIT_BUSY,
    EXIT_OK,
    EXIT_RUN_FAILED,
    EXIT_USAGE,
    RunBusyError,
    WarehouseDamagedError,
    check_warehouse,
    end_children,
    install_stop_handlers,
    integrity_problem,
    keep_previous,
    marts_built,
    reachable_target,
    run_job,
    run_lock,
    stop_requested,
    stop_signal,
)
from orchestration.settings import Settings


def _settings(args: argparse.Namespace) -> Settings:
    """The environment's settings, with what the command line says instead where it says it."""
    from dataclasses import replace

    base = Settings.from_env()
    return replace(
        base,
        warehouse=Path(args.warehouse).resolve() if getattr(args, "warehouse", None) else base.warehouse,
        landing=Path(args.landing).resolve() if getattr(args, "landing", None) else base.landing,
        docs_dir=Path(args.docs_dir).resolve() if getattr(args, "docs_dir", None) else base.docs_dir,
        dbt_target=getattr(args, "target", None) or base.dbt_target,
    )


def _progress_wanted(args: argparse.Namespace) -> bool:
    """Progress (files read, models built, checks run) on a terminal; quiet in logs and CI."""
    return sys.stderr.isatty()


# the Dagster job of each command that runs one; a `provreport watch` makes those handed over to it
# (orchestration.handoff.COMMANDS) with the same jobs
JOBS = {"run": "provreport_pipeline", "validate": "full_validation"}


def _handed_over(settings, args: argparse.Namespace) -> int | None:
    """The exit code of the run the watch of this warehouse made for ``args.command``, or None: no watch took it
    (or --no-handoff), this process runs it. No imports, no dbt set-up here when a watch takes it."""
    if args.no_handoff:
        return None
    from orchestration.handoff import hand_over

    try:
        return hand_over(settings, command=args.command, force=getattr(args, "force", False), verbose=args.verbose,
                         progress=_progress_wanted(args))
    except KeyboardInterrupt:  # stopped waiting (said why); the watch's run goes on
        return 128 + stop_signal()


def cmd_run(args: argparse.Namespace) -> int:
    settings = _settings(args)
    if not settings.landing.is_dir():
        print(f"error: landing folder {settings.landing} does not exist", file=sys.stderr)
        return EXIT_USAGE
    code = _handed_over(settings, args)
    if code is not None:
        return code
    return run_job(settings, JOBS["run"], verbose=args.verbose, wait=args.wait,
                    progress=_progress_wanted(args), force=args.force)


def cmd_validate(args: argparse.Namespace) -> int:
    """The full validation (every row of the marts), as the daily schedule runs it in Dagster."""
    settings = _settings(args)
    code = _handed_over(settings, args)  # the watch checks the warehouse itself, under its run lock
    if code is not None:
        return code
    if not _warehouse_exists(settings):
        return EXIT_USAGE
    return run_job(settings, JOBS["validate"], verbose=args.verbose, wait=args.wait,
                    progress=_progress_wanted(args))


def _settled_cursor(landing: Path, interval: float, stopping, settle_s: float, *, done: str | None = None,
                    idle=None) -> str:
    """The folder's fingerprint once it has changed from ``done`` and stopped changing: two looks ``interval``
    apart agree (a file still being copied changes size or time between them), or the look that saw the change
    finds every file older than ``settle_s`` (PROVREPORT_SETTLE_S: a file moved in whole, as the run's survey
    reads it too, which waits for a younger file to keep still that long). A half-written file is never read.

    While the folder is as ``done`` left it, ``idle(interval)`` waits for the next look: a watch with filesystem
    events wakes as soon as one comes (``orchestration.watching``), otherwise it sleeps ``interval``. Between
    the two looks that must agree it always sleeps ``interval``. Returns at once, whatever the folder, when
    ``stopping()`` (the watch stops, or a run was handed over to it)."""
    from orchestration.ingest.sensors import landing_look

    idle = idle or time.sleep
    previous, newest = landing_look(landing)
    if previous != done and time.time() - newest >= settle_s:  # moved in whole while the last run ran
        return previous
    while not stopping():
        if previous == done:
            idle(interval)
        else:
            time.sleep(interval)
        if stopping():  # not worth a look (0.07-0.1 s at 10 000 files): the caller looks if it needs to
            break
        current, newest = landing_look(landing)
        if current == previous:
            if current != done:
                return current
        elif time.time() - newest >= settle_s:
            return current
        previous = current
    return previous


# how long the landing folder keeps still after a run before the watch collects its garbage (a file landing
# meanwhile is run at once, and the collection waits for the end of that run)
_QUIET_BEFORE_COLLECTING_S = 0.5


def _collect_between_runs() -> None:
    """Python's full garbage collection in the watch's idle time rather than inside the next run: one full
    collection, then what is still alive (Dagster, dbt's manifest, the kept Great Expectations context, ...)
    frozen (``gc.freeze``), so that the collections a run triggers pass over its own objects only. Unfrozen
    first: what the last runs left to die in cycles is collected here, not kept for good. At 10 000 reports a
    full collection of a watch's heap takes 0.33-0.39 s, and one fell inside each run."""
    import gc

    gc.unfreeze()
    gc.collect()
    gc.freeze()


def cmd_watch(args: argparse.Namespace) -> int:
    """Run the pipeline whenever new files have landed and stopped changing, in this long-lived process.

    A new process pays Dagster's start-up and Great Expectations' import (about 7 s of a cold run);
    this one pays them once. It wakes on the landing folder's filesystem events (and looks every
    ``--interval`` too, or only then where there are none), and takes the runs ``provreport run`` hands
    over on the same warehouse (``orchestration.handoff``), one after the other in this main thread.
    SIGTERM or Ctrl-C stops the watch within seconds: a run in progress is abandoned (its child processes
    ended, nothing published, the lock released), the next watch or run does it again.
    """
    from orchestration.handoff import Handoffs
    from orchestration.ingest.sensors import landing_cursor
    from orchestration.watching import LandingEvents, Wake

    settings = _settings(args)
    if not settings.landing.is_dir():
        print(f"error: landing folder {settings.landing} does not exist", file=sys.stderr)
        return EXIT_USAGE
    wake = Wake()
    events, how = LandingEvents.start(settings.landing, wake)
    woken = " and on its filesystem events" if events else f" ({how})"
    print(f"watching {settings.landing} every {args.interval:g} s{woken} (Ctrl-C to stop)", flush=True)
    running = False
    handoffs, where = Handoffs.open(settings, wake, busy=lambda: running)
    print(f"taking the runs `provreport run` hands over on {settings.warehouse} at {where}" if handoffs
          else f"not taking runs handed over: {where}", flush=True)
    from sources.ingest import keep_readers

    keep_readers()  # run after run in this process: the reading worker stays for the next one
    done: str | None = None
    collect = False  # a run ended: collect Python's garbage once the folder has kept still a moment

    def idle(seconds: float) -> None:
        nonlocal collect
        if collect:
            collect = False
            if not wake.wait(min(seconds, _QUIET_BEFORE_COLLECTING_S)):  # nothing landed right after the run
                _collect_between_runs()
            return
        wake.wait(seconds)

    def stopping() -> bool:
        return stop_requested() or (handoffs is not None and handoffs.pending())

    def run(force: bool, verbose: bool, progress: bool, command: str = "run") -> int:
        nonlocal running
        running = True  # also what the handoffs tell a client: its request waits behind this run
        code = run_job(settings, JOBS[command], verbose=verbose, wait=True, progress=progress, force=force)
        running = False  # left True when the run is stopped: the stop says it was abandoned
        return code

    try:
        cursor = landing_cursor(settings.landing)
        while not stop_requested():
            request = handoffs.take() if handoffs is not None else None
            if request is not None:
                if request.command == "run":
                    done = landing_cursor(settings.landing)  # what the handed-over run surveys
                print(f"running `provreport {request.command}` handed over by pid {request.pid}", flush=True)
                code = request.serve(lambda r=request: run(r.force, r.verbose, r.progress, r.command))
                print(f"the handed-over `provreport {request.command}` ended with exit code {code}"
                      + (" (its client had stopped waiting)" if request.gone else ""), flush=True)
            elif cursor != done:
                done = cursor
                code = run(args.force, args.verbose, _progress_wanted(args))
            else:
                code = None
            if code == EXIT_USAGE:  # a damaged warehouse: said why; watching it would repeat that
                return code
            if code is not None:
                print(f"watching {settings.landing}", flush=True)
                collect = True
            cursor = _settled_cursor(settings.landing, args.interval, stopping, settings.limits.settle_s,
                                     done=done, idle=idle)
    except KeyboardInterrupt:  # SIGTERM or SIGINT (Stopped): a stop asked for is a normal end of a watch
        end_children()
        if running:
            print("the run in progress was abandoned: its child processes ended, nothing of it published, the "
                  "lock released; the next run does it again", file=sys.stderr, flush=True)
    finally:
        if handoffs is not None:
            handoffs.close()
        if events is not None:
            events.stop()
    print("watch stopped", flush=True)
    return EXIT_OK


def cmd_summary(args: argparse.Namespace) -> int:
    from orchestration.outputs.summary import print_run_summary

    target = reachable_target(_settings(args))
    if target is None:
        return EXIT_USAGE
    print_run_summary(target, None, None, sys.stdout)
    return EXIT_OK


def _warehouse_exists(settings: Settings) -> bool:
    """The warehouse to read exists and reads well (said on stderr when not): the DuckDB file, or on the
    postgres target a reachable server holding the marts."""
    if settings.dbt_target == "postgres":
        target = reachable_target(settings)
        if target is None:
            return False
        if not marts_built(target):
            print(f"error: no marts on {target.describe()}; run `provreport run --target postgres` first",
                  file=sys.stderr)
            return False
        return True
    if not settings.warehouse.exists():
        print(f"error: no warehouse at {settings.warehouse}; run `provreport run` first", file=sys.stderr)
        return False
    from sources.warehouse import WarehouseLockedError

    try:
        check_warehouse(settings.warehouse, thorough=False)
    except (WarehouseDamagedError, WarehouseLockedError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return False
    return True


def cmd_audit(args: argparse.Namespace) -> int:
    settings = _settings(args)
    if not _warehouse_exists(settings):
        return EXIT_USAGE
    from orchestration.outputs.audit import finding_rows, render_csv, render_html, render_text

    try:
        rows = finding_rows(settings.target)
        if args.format == "csv":  # the CSV is the findings, one row each; text and HTML add the decisions
            output = render_csv(rows)
        else:
            from orchestration.outputs.decisions import decisions_html, decisions_text, load_decisions

            decisions = load_decisions(settings.warehouse)
            output = (render_text(rows) + "\n" + decisions_text(decisions) if args.format == "text"
                      else render_html(rows, extra=decisions_html(decisions)))
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

            def decide_and_journal(con, now):
                # an accepted exception cannot be rebuilt from the landing folder: kept in the journal beside
                # the DuckDB warehouse (on PostgreSQL the server keeps it: restore rebuilds the local file only)
                from orchestration import journal

                accepted = decide(con, now)
                journal.append(con, "acceptance", "finding_id = ? and status = 'accepted' and changed_at = ?",
                               [accepted.finding_id, now])
                return accepted

            finding = _record_on_server(settings, decide) if settings.dbt_target == "postgres" \
                else _record(settings, decide_and_journal)
        except (_Refused, ValueError) as exc:
            if not isinstance(exc, _Refused):
                print(f"error: --until {args.until}: {exc}", file=sys.stderr)
            return EXIT_USAGE
        print(f"accepted {finding.finding_id} ({finding.check}, {finding.unit_name or 'all units'}) "
              f"by {args.by}{' until ' + str(until) if until else ''}: it no longer counts as a failure")
        return EXIT_OK
    from orchestration.outputs.audit import values_text

    with settings.target.connect(read_only=True) as con:
        register = load_register(con, today=_today(args))
    shown = [f for f in register if args.all or f.status != "resolved"]
    for f in shown:
        where = f"{f.unit_name or 'all units'} {f.period_start or ''}..{f.period_end or ''}".strip()
        print(f"{f.finding_id}  {f.status:<8} {f.severity:<5} {f.mart}.{f.check}  {where}")
        print(f"    {values_text(f)}")
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
    from orchestration.review import review_queue
    from sources.numbers import value_text
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
    from orchestration.outputs.template import write_template

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
    from orchestration.outputs.export import export_parquet

    settings = _settings(args)
    if not _warehouse_exists(settings):
        return EXIT_USAGE
    for mart, rows, path in export_parquet(settings.target, Path(args.dir)):
        print(f"{mart:<32} {rows:>8} rows  {path}")
    return EXIT_OK


def cmd_report(args: argparse.Namespace) -> int:
    from orchestration.outputs.report import parse_period, write_report

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
    return run_job(settings, "provreport_pipeline", verbose=args.verbose, wait=True,
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
    from orchestration.settings import dbt_pg_env, ensure_dagster_home, pg_dsn_from_env

    dsn = pg_dsn_from_env(os.environ)
    if dsn:  # a dagster.yaml keeping the instance in the PostgreSQL server reads its parts (ensure_dagster_home)
        os.environ.update(dbt_pg_env(dsn))
    if os.environ.get("DAGSTER_HOME"):  # the instance's dagster.yaml, as a run writes it (make dev sets the home)
        ensure_dagster_home(None, postgres=bool(dsn))
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
    """The pipeline benchmark, ``python -m benchmarks.pipeline`` of the source checkout in its own process:
    the benchmarks and the synthetic reports they generate are development code, not part of the product."""
    from orchestration.settings import PROJECT_ROOT

    if not (PROJECT_ROOT / "benchmarks" / "pipeline.py").is_file():
        print(f"error: `provreport bench` runs benchmarks/pipeline.py of a source checkout (with the development "
              f"extra: pip install -e '.[dev]'); there is none at {PROJECT_ROOT}", file=sys.stderr)
        return EXIT_USAGE
    command = [sys.executable, "-m", "benchmarks.pipeline", "--sizes", *map(str, args.reports)]
    if args.out:
        command += ["--out", str(Path(args.out).resolve())]
    if args.html:
        command += ["--html", str(Path(args.html).resolve())]
    if args.keep:
        command.append("--keep")
    return subprocess.run(command, cwd=PROJECT_ROOT, check=False).returncode


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
    no_handoff = ("run in this process even when a `provreport watch` runs on the warehouse (by default the run is "
                  "handed over to it and this process prints its output and exit code; Ctrl-C here stops waiting, "
                  "not the run)")
    run.add_argument("--no-handoff", action="store_true", help=no_handoff)
    run.set_defaults(func=cmd_run)

    validate = sub.add_parser("validate", help="validate every row of the marts (a run validates only the "
                              "units with new reports); cron it daily where Dagster's daemon does not run")
    job_options(validate, landing=False)
    validate.add_argument("--no-handoff", action="store_true", help=no_handoff)
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
            stopped_by = stop_signal()
            end_children()
            print(f"stopped by {stopped_by.name}: child processes ended, nothing "
                  "half-built published, lock released", file=sys.stderr, flush=True)
            return 128 + stopped_by
    return args.func(args)


def console_main() -> None:
    """The ``provreport`` command: ``main``, then a prompt exit.

    Once Dagster, dbt and Great Expectations are loaded, Python's own teardown frees their object
    graphs for 1.6 s (measured at the end of a run: no Python frame, all native finalisation), a
    tenth of what one new report costs. Everything is closed and written by then, so the process
    flushes its streams and logs and ends there. The multiprocessing resource tracker would then call
    the lock dbt's adapter registry holds "leaked" (it frees it anyway): that one warning is silenced.

    A crash in native code (a segmentation fault in a driver or a library's extension) prints the
    Python stack of every thread on stderr before the process dies, here and in the step processes
    Dagster starts (PYTHONFAULTHANDLER, inherited): otherwise such a run ends with no word at all.
    """
    import faulthandler
    import logging

    faulthandler.enable()
    os.environ.setdefault("PYTHONFAULTHANDLER", "1")
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
