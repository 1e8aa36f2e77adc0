"""How long Dagster takes to store one event in its SQLite run history: its own storage (a new engine,
connection and full sync per event) against :class:`orchestration.instance.PooledSqliteEventLogStorage`,
alternated in one process run so the machine's load hits both. A run of the pipeline stores about 360.

    .venv/bin/python -m benchmarks.bench_event_log [--events 300] [--repeats 3]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

DEFAULT = "telemetry:\n  enabled: false\n"
QUIET = {"loggers": {"console": {"config": {"log_level": "ERROR"}}}}
POOLED = DEFAULT + "event_log_storage:\n  module: orchestration.instance\n  class: PooledSqliteEventLogStorage\n"


def ms_per_event(dagster_yaml: str, events: int) -> float:
    import os

    from dagster import DagsterInstance, job, op
    from dagster._core.instance.ref import InstanceRef

    @op
    def step():
        return 1

    @job
    def one_step():
        step()

    with tempfile.TemporaryDirectory(prefix="provreport-events-") as home:
        Path(home, "dagster.yaml").write_text(dagster_yaml, encoding="utf-8")
        saved = os.environ.get("DAGSTER_HOME")
        os.environ["DAGSTER_HOME"] = home
        try:
            with DagsterInstance.from_ref(InstanceRef.from_dir(home)) as instance:
                # creates the index and the run's shard (its log lines not printed)
                one_step.execute_in_process(instance=instance, run_config=QUIET)
                run = instance.get_runs(limit=1)[0]
                started = time.perf_counter()
                for i in range(events):
                    instance.report_engine_event(f"event {i}", run)
                return (time.perf_counter() - started) / events * 1000
        finally:
            if saved is None:
                os.environ.pop("DAGSTER_HOME", None)
            else:
                os.environ["DAGSTER_HOME"] = saved


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=300)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args(argv)
    samples: dict[str, list[float]] = {"dagster default": [], "pooled": []}
    for _ in range(args.repeats):
        samples["dagster default"].append(ms_per_event(DEFAULT, args.events))
        samples["pooled"].append(ms_per_event(POOLED, args.events))
    medians = {name: statistics.median(values) for name, values in samples.items()}
    for name, values in samples.items():
        print(f"{name:16} median {medians[name]:6.2f} ms/event  samples {', '.join(f'{v:.2f}' for v in values)}")
    print(f"ratio default / pooled: {medians['dagster default'] / medians['pooled']:.1f}")


if __name__ == "__main__":
    main()
