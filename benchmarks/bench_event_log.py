"""How long Dagster takes to store one event in its SQLite run history: its own storage (a new engine,
connection and full sync per event) against :class:`orchestration.instance.PooledSqliteEventLogStorage`,
alternated in one process run so the machine's load hits both. A run of the pipeline stores about 330.

Then the events Dagster batches, the ones a run plans at its start (an asset check planned: its row in the
run's shard, the same row in the index and the check's execution row), stored one at a time and as one
batch (``DAGSTER_EVENT_BATCH_SIZE``: :func:`orchestration.instance.batch_events_of`), both on the pooled
storage. A run of the pipeline plans about 130.

Then ``--runs N``: a job shaped like one new report's run of the pipeline (an asset, a multi-asset of 30
assets with 90 checks as dbt's, two assets downstream; about 330 events a run) run N times in one process,
each run on the instance of one DAGSTER_HOME that ``orchestration.runner.run_pipeline`` gives it (the
pooled storage; events batched, the in-process job and the instance reused when this checkout does so). It prints the
median wall and CPU seconds of a run; run it with ``PYTHONPATH`` set to each checkout to compare them.

    .venv/bin/python -m benchmarks.bench_event_log [--events 300] [--planned 130] [--repeats 3]
    PYTHONPATH=<checkout> .venv/bin/python benchmarks/bench_event_log.py --runs 8
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

DEFAULT = "telemetry:\n  enabled: false\n"
QUIET = {"loggers": {"console": {"config": {"log_level": "ERROR"}}}}
POOLED = DEFAULT + "event_log_storage:\n  module: orchestration.instance\n  class: PooledSqliteEventLogStorage\n"


def _probe_job():
    from dagster import job, op

    @op
    def step():
        return 1

    @job
    def one_step():
        step()

    return one_step


@contextmanager
def _instance(dagster_yaml: str, batch_size: int) -> Iterator:
    """A new instance in a temporary DAGSTER_HOME, after one run of a one-step job (the index and the run's
    shard created); yields the instance and that run."""
    from dagster import DagsterInstance
    from dagster._core.instance.ref import InstanceRef

    from orchestration.instance import EVENT_BATCH_SIZE_VAR

    saved = {name: os.environ.get(name) for name in ("DAGSTER_HOME", EVENT_BATCH_SIZE_VAR)}
    with tempfile.TemporaryDirectory(prefix="provreport-events-") as home:
        Path(home, "dagster.yaml").write_text(dagster_yaml, encoding="utf-8")
        os.environ["DAGSTER_HOME"] = home
        os.environ[EVENT_BATCH_SIZE_VAR] = str(batch_size)
        try:
            with DagsterInstance.from_ref(InstanceRef.from_dir(home)) as instance:
                result = _probe_job().execute_in_process(instance=instance, run_config=QUIET)
                yield instance, instance.get_run_by_id(result.run_id)
        finally:
            for name, value in saved.items():
                if value is None:
                    os.environ.pop(name, None)
                else:
                    os.environ[name] = value


def ms_per_event(dagster_yaml: str, events: int) -> float:
    with _instance(dagster_yaml, 0) as (instance, run):
        started = time.perf_counter()
        for i in range(events):
            instance.report_engine_event(f"event {i}", run)
        return (time.perf_counter() - started) / events * 1000


def ms_per_planned_check(batch_size: int, planned: int) -> float:
    """Milliseconds per asset check planned, ``planned`` of them reported as Dagster reports them when a run
    is created (one batch), on the pooled storage; ``batch_size`` 0 stores them one at a time."""
    from dagster import AssetKey
    from dagster._core.events import (
        AssetCheckEvaluationPlanned,
        DagsterEvent,
        DagsterEventBatchMetadata,
        DagsterEventType,
        generate_event_batch_id,
    )

    with _instance(POOLED, batch_size) as (instance, run):
        events = [DagsterEvent(
            event_type_value=DagsterEventType.ASSET_CHECK_EVALUATION_PLANNED.value, job_name=run.job_name,
            message=f"check_{i} planned",
            event_specific_data=AssetCheckEvaluationPlanned(asset_key=AssetKey(["marts", f"table_{i % 12}"]),
                                                            check_name=f"check_{i}"),
            step_key="step") for i in range(planned)]
        batch_id = generate_event_batch_id()
        started = time.perf_counter()
        for i, event in enumerate(events):
            instance.report_dagster_event(event, run.run_id,
                                          batch_metadata=DagsterEventBatchMetadata(batch_id, i == planned - 1))
        elapsed = time.perf_counter() - started
        stored = instance.get_records_for_run(run.run_id, of_type=DagsterEventType.ASSET_CHECK_EVALUATION_PLANNED)
        if len(stored.records) != planned:
            raise RuntimeError(f"{len(stored.records)} planned checks stored of {planned}")
        return elapsed / planned * 1000


def _pipeline_shaped_job(assets: int = 30, checks_per_asset: int = 3):
    from dagster import (
        AssetCheckResult,
        AssetCheckSpec,
        AssetKey,
        AssetSpec,
        Definitions,
        MaterializeResult,
        asset,
        define_asset_job,
        multi_asset,
    )

    @asset(key=AssetKey(["raw", "reports"]))
    def ingest():
        return None

    specs = [AssetSpec(AssetKey(["marts", f"model_{i}"]), deps=[AssetKey(["raw", "reports"])]) for i in range(assets)]
    check_specs = [AssetCheckSpec(f"test_{j}", asset=spec.key) for spec in specs for j in range(checks_per_asset)]

    @multi_asset(specs=specs, check_specs=check_specs)
    def models():
        for spec in specs:
            yield MaterializeResult(asset_key=spec.key, metadata={"rows": 1})
        for check in check_specs:
            yield AssetCheckResult(asset_key=check.asset_key, check_name=check.name, passed=True)

    @asset(key=AssetKey(["audit", "approval_state"]), deps=[specs[0].key])
    def approval_state():
        return None

    @asset(key=AssetKey(["audit", "validation"]), deps=[spec.key for spec in specs])
    def validation():
        return None

    defs = Definitions(assets=[ingest, models, approval_state, validation],
                       jobs=[define_asset_job("pipeline_shaped")])
    return defs.resolve_job_def("pipeline_shaped")


def seconds_per_run(runs: int) -> tuple[list[float], list[float]]:
    """Wall and CPU seconds of each of ``runs`` runs of the pipeline-shaped job, after one run not counted
    (the index created), each on the instance of one DAGSTER_HOME run_pipeline would give it."""
    from dagster import DagsterInstance

    import orchestration.instance as pooled

    job = _pipeline_shaped_job()
    try:  # run_pipeline's runs reuse the in-process job of a selection (absent from checkouts before it)
        from orchestration.definitions import _reusing_ephemeral_jobs
    except ImportError:
        pass
    else:
        job = _reusing_ephemeral_jobs(job)
    try:  # and the instance of the run before (absent from checkouts before it)
        from orchestration.runner import _dispose_kept_instance
        from orchestration.runner import dagster_instance as instance_for_run
    except ImportError:
        instance_for_run, _dispose_kept_instance = DagsterInstance.get, lambda: None
    wall, cpu = [], []
    saved = os.environ.get("DAGSTER_HOME")
    with tempfile.TemporaryDirectory(prefix="provreport-runs-") as home:
        Path(home, "dagster.yaml").write_text(POOLED, encoding="utf-8")
        os.environ["DAGSTER_HOME"] = home
        try:
            for i in range(runs + 1):
                started, started_cpu = time.perf_counter(), time.process_time()
                with instance_for_run() as instance:
                    batch = getattr(pooled, "batch_events_of", None)  # absent from checkouts before it
                    if batch is not None:
                        batch(instance)
                    if not job.execute_in_process(instance=instance, run_config=QUIET).success:
                        raise RuntimeError("the pipeline-shaped run failed")
                if i:
                    wall.append(time.perf_counter() - started)
                    cpu.append(time.process_time() - started_cpu)
        finally:
            _dispose_kept_instance()
            if saved is None:
                os.environ.pop("DAGSTER_HOME", None)
            else:
                os.environ["DAGSTER_HOME"] = saved
    return wall, cpu


def _report(samples: dict[str, list[float]], unit: str) -> None:
    medians = {name: statistics.median(values) for name, values in samples.items()}
    for name, values in samples.items():
        print(f"{name:22} median {medians[name]:6.2f} {unit}  samples {', '.join(f'{v:.2f}' for v in values)}")
    first, second = medians
    print(f"ratio {first} / {second}: {medians[first] / medians[second]:.2f}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=300)
    parser.add_argument("--planned", type=int, default=130)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--runs", type=int, default=0,
                        help="only time this many runs of the pipeline-shaped job (see above)")
    args = parser.parse_args(argv)
    if args.runs:
        wall, cpu = seconds_per_run(args.runs)
        print(f"pipeline-shaped run: median wall {statistics.median(wall):.3f} s, CPU {statistics.median(cpu):.3f} s "
              f"({args.runs} runs; wall {', '.join(f'{v:.3f}' for v in wall)})")
        return
    samples: dict[str, list[float]] = {"dagster default": [], "pooled": []}
    planned: dict[str, list[float]] = {"planned, one at a time": [], "planned, one batch": []}
    for _ in range(args.repeats):
        samples["dagster default"].append(ms_per_event(DEFAULT, args.events))
        samples["pooled"].append(ms_per_event(POOLED, args.events))
        planned["planned, one at a time"].append(ms_per_planned_check(0, args.planned))
        planned["planned, one batch"].append(ms_per_planned_check(1000, args.planned))
    _report(samples, "ms/event")
    _report(planned, "ms/event")


if __name__ == "__main__":
    main()
