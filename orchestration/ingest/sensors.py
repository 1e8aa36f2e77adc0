"""A sensor on the landing folder: new content launches the pipeline."""

import hashlib
from pathlib import Path

from dagster import (
    DefaultSensorStatus,
    RunRequest,
    SensorEvaluationContext,
    SkipReason,
    sensor,
)

from orchestration.settings import Settings


def landing_cursor(landing: Path) -> str:
    """A fingerprint of the folder from names, sizes and modification times (no file is read).

    The ingest step itself identifies files by content, so a false alarm costs one quick run.
    """
    digest = hashlib.sha256()
    for path in sorted(p for p in landing.rglob("*") if p.is_file()):
        stat = path.stat()
        digest.update(f"{path.relative_to(landing)}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()[:32]


@sensor(
    job_name="provreport_pipeline",
    minimum_interval_seconds=30,
    default_status=DefaultSensorStatus.STOPPED,
    description="Launches the pipeline when the content of the landing folder changes.",
)
def landing_folder_sensor(context: SensorEvaluationContext):
    landing = Settings.from_env().landing
    if not landing.is_dir():
        return SkipReason(f"landing folder {landing} does not exist")
    cursor = landing_cursor(landing)
    if cursor == context.cursor:
        return SkipReason("no new file in the landing folder")
    context.update_cursor(cursor)
    return RunRequest(run_key=cursor)
