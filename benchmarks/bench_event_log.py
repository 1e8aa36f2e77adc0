"""How long Dagster takes to store one event in its SQLite run history: its own storage (a new engine,
connection and full sync per event) against :class:`orchestration.instance.PooledSqliteEventLogStorage`,
alternated in one process run so the machine's load hits both. A run of the pipeline stores about 330.

Then the events Dagster batches, the ones a run plans at its start (an asset check planned: its row in the
run's shard, the same row in the index and the check's execution row), stored one at a time and as one
batch (``DAGSTER_EVENT_BATCH_SIZE``: :func:`orchestration.instance.batch_events_of`), both on the pooled
storage. A run of the pipeline plans about 130.

    .venv/bin/python -m benchmarks.bench_event_log [--events 300] [--planned 130] [--repeats 3]
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
    args = parser.parse_args(argv)
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
