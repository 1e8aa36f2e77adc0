"""Runs after runs in one process (``watch``) reuse the in-process job of a selection and its snapshot
(orchestration.definitions._reusing_ephemeral_jobs): the same runs, snapshots and events as before."""

import pytest

from tests.orchestration.probe_job import probe_definitions

pytestmark = pytest.mark.slow  # imports Dagster and runs jobs

QUIET = {"loggers": {"console": {"config": {"log_level": "ERROR"}}}}


def _defs():
    return probe_definitions({"positive": True})


def _run(job, instance, selection):
    result = job.execute_in_process(instance=instance, run_config=QUIET, raise_on_error=False,
                                    asset_selection=selection)
    assert result.success
    run = instance.get_run_by_id(result.run_id)
    events = [e.dagster_event.event_type_value for e in instance.all_logs(result.run_id) if e.dagster_event]
    return run.job_snapshot_id, run.execution_plan_snapshot_id, run.asset_selection, events


def test_a_selection_run_again_reuses_its_job_and_runs_as_before():
    from dagster import AssetKey, DagsterInstance
    from dagster._core.definitions.job_definition import JobDefinition

    from orchestration.definitions import _reusing_ephemeral_jobs

    built = []
    original = JobDefinition.as_ephemeral_job

    def counted(self, *args, **kwargs):
        built.append(kwargs.get("asset_selection"))
        return original(self, *args, **kwargs)

    JobDefinition.as_ephemeral_job = counted
    try:
        with DagsterInstance.ephemeral() as instance:
            plain = _defs().resolve_job_def("probe")  # as Dagster runs it: a job built for every run
            reused = _reusing_ephemeral_jobs(_defs().resolve_job_def("probe"))
            assert _reusing_ephemeral_jobs(reused) is reused
            downstream_only = [AssetKey("downstream")]
            runs = {name: [_run(job, instance, selection) for selection in (None, None, downstream_only,
                                                                            downstream_only, None)]
                    for name, job in (("plain", plain), ("reused", reused))}
            # one more run with a resource given: built again, as Dagster builds it
            reused.execute_in_process(instance=instance, run_config=QUIET, resources={"unused": 1})
    finally:
        JobDefinition.as_ephemeral_job = original

    # Dagster built a job for each of the 5 plain runs; the reusing job one per selection, then the run
    # with a resource
    assert len(built) == 5 + 2 + 1
    assert runs["reused"] == runs["plain"]
    snapshots = {snapshot for snapshot, _plan, _selection, _events in runs["reused"]}
    assert len(snapshots) == 2  # the whole job's and the subset's
    assert runs["reused"][2][2] == frozenset({AssetKey("downstream")})
    assert "ASSET_CHECK_EVALUATION" in runs["reused"][0][3]


def test_the_jobs_are_kept_per_selection_up_to_a_bound(monkeypatch):
    from dagster import AssetKey

    import orchestration.definitions
    from orchestration.definitions import _reusing_ephemeral_jobs

    monkeypatch.setattr(orchestration.definitions, "EPHEMERAL_JOBS_KEPT", 2)

    job = _reusing_ephemeral_jobs(_defs().resolve_job_def("probe"))
    whole = job.as_ephemeral_job({}, {}, op_selection=[], asset_selection=[])
    assert job.as_ephemeral_job({}, {}, op_selection=[], asset_selection=[]) is whole
    one = job.as_ephemeral_job({}, {}, asset_selection=[AssetKey("downstream")])
    assert one is not whole and job.as_ephemeral_job({}, {}, asset_selection=[AssetKey("downstream")]) is one
    assert set(one.asset_layer.selected_asset_keys) == {AssetKey("downstream")}
    # a third selection pushes the oldest out (two kept here)
    upstream = job.as_ephemeral_job({}, {}, asset_selection=[AssetKey("upstream")])
    assert job.as_ephemeral_job({}, {}, asset_selection=[AssetKey("upstream")]) is upstream
    assert job.as_ephemeral_job({}, {}, asset_selection=[AssetKey("downstream")]) is one
    assert job.as_ephemeral_job({}, {}, op_selection=[], asset_selection=[]) is not whole


def test_run_pipeline_runs_the_definitions_job_reusing_its_in_process_jobs(tmp_path):
    from orchestration.definitions import PIPELINE_JOB, in_process_job, load_defs
    from orchestration.settings import Settings

    settings = Settings(warehouse=tmp_path / "warehouse.duckdb", landing=tmp_path / "landing")
    job = in_process_job(settings, PIPELINE_JOB)
    assert job is load_defs(settings).resolve_job_def(PIPELINE_JOB)
    assert in_process_job(settings, PIPELINE_JOB) is job
    assert job.as_ephemeral_job({}, {}, op_selection=[], asset_selection=[]) is \
        job.as_ephemeral_job({}, {}, op_selection=[], asset_selection=[])
