"""From a landing folder to schema ``raw``: find new files, read them, extract, resolve, write.

A file is identified by the SHA-256 of its content, so the same file under any name is
ingested once, and a file already refused is not refused again on every run. Each report
is written in its own transaction with its figures (see :mod:`sources.warehouse`).
The landing folder is only read: files are never modified, moved or deleted.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb
import polars as pl

from sources import warehouse
from sources.extract import extract_report
from sources.figures import Figure, PlaceResolution, ReportFacts
from sources.places import Gazetteer
from sources.readers import (
    NARRATIVE_FORMATS,
    SUBMISSION_FORMATS,
    UnreadableFile,
    max_file_bytes,
    read_narrative,
)
from sources.submissions import parse_submission
from sources.text import normalise_text

Progress = Callable[[str], None]


@dataclass(frozen=True, slots=True)
class LandedFile:
    path: Path
    size: int
    sha256: str
    modified_at: datetime

    @property
    def name(self) -> str:
        return self.path.name


@dataclass(slots=True)
class IngestSummary:
    run_id: str
    files_seen: int = 0
    files_skipped_known: int = 0
    reports_written: int = 0
    figures_written: int = 0
    rejected: list[dict] = field(default_factory=list)
    report_ids: list[str] = field(default_factory=list)

    def as_metadata(self) -> dict:
        return asdict(self)


def sha256_of(path: Path, chunk: int = 1 << 20) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while block := fh.read(chunk):
            digest.update(block)
    return digest.hexdigest()


def scan_landing(landing: Path) -> list[LandedFile]:
    """Every regular file below ``landing`` (hidden files and folders skipped), sorted by path."""
    if not landing.is_dir():
        raise FileNotFoundError(f"landing folder {landing} does not exist")
    files: list[LandedFile] = []
    for path in sorted(landing.rglob("*")):
        rel = path.relative_to(landing)
        if any(part.startswith(".") for part in rel.parts) or not path.is_file() or path.is_symlink():
            continue
        stat = path.stat()
        files.append(
            LandedFile(
                path=path,
                size=stat.st_size,
                sha256=sha256_of(path),
                modified_at=datetime.fromtimestamp(stat.st_mtime, tz=UTC).replace(tzinfo=None),
            )
        )
    return files


def new_files(files: Iterable[LandedFile], known: set[str],
              refused: set[tuple[str, str]] | None = None) -> list[LandedFile]:
    """Files whose content is not yet in the warehouse, less those already refused under the same
    path (each refused file is listed once; the same content under two names is read once)."""
    refused = refused or set()
    return [f for f in files if f.sha256 not in known and (f.sha256, str(f.path)) not in refused]


def _now() -> datetime:
    return datetime.now(tz=UTC).replace(tzinfo=None)


def rejection_row(f: LandedFile, reason: str, detail: str, run_id: str, *, sha: str | None = None,
                  row_number: int | None = None, column_name: str | None = None) -> dict:
    return {
        "source_file": f.name,
        "source_path": str(f.path),
        "content_sha256": sha if sha is not None else f.sha256,
        "reason": reason,
        "detail": detail,
        "row_number": row_number,
        "column_name": column_name,
        "detected_at": _now(),
        "run_id": run_id,
    }


def figure_rows(report_id: str, figures: list[Figure]) -> list[dict]:
    rows = []
    for fig in figures:
        row = {
            "figure_id": f"{report_id}-{fig.local_id:04d}",
            "report_id": report_id,
            "kind": fig.kind,
            "rule": fig.rule,
            "source_quote": fig.source_quote,
            "char_start": fig.char_start,
            "char_end": fig.char_end,
            "sentence": fig.sentence,
            "qualifier": fig.qualifier,
            "period_start": fig.period_start,
            "period_end": fig.period_end,
            "programme_code": fig.programme_code,
            "programme_text": fig.programme_text,
            "capital_source": fig.capital_source,
            "measure": fig.measure,
            "amount_vnd": fig.amount_vnd,
            "rate_pct": _float(fig.rate_pct),
            "per_unit": fig.per_unit,
            "parent_figure_id": (
                f"{report_id}-{fig.parent_local_id:04d}" if fig.parent_local_id is not None else None
            ),
            "indicator_code": fig.indicator_code,
            "indicator_name": fig.indicator_name,
            "unit": fig.unit,
            "target_value": _float(fig.target_value),
            "actual_value": _float(fig.actual_value),
            "attainment_pct": _float(fig.attainment_pct),
            "exceed_pct": _float(fig.exceed_pct),
            "change_value": _float(fig.change_value),
            "indicators_total": fig.indicators_total,
            "indicators_met_or_exceeded": fig.indicators_met_or_exceeded,
            "indicators_exceeded": fig.indicators_exceeded,
        }
        rows.append(row)
    return rows


def _float(value) -> float | None:
    return None if value is None else float(value)


FIGURE_SCHEMA: dict[str, pl.DataType] = {
    "figure_id": pl.String, "report_id": pl.String, "kind": pl.String, "rule": pl.String,
    "source_quote": pl.String, "char_start": pl.Int32, "char_end": pl.Int32, "sentence": pl.String,
    "qualifier": pl.String, "period_start": pl.Date, "period_end": pl.Date, "programme_code": pl.String,
    "programme_text": pl.String, "capital_source": pl.String, "measure": pl.String,
    "amount_vnd": pl.Int64, "rate_pct": pl.Float64, "per_unit": pl.String,
    "parent_figure_id": pl.String, "indicator_code": pl.String, "indicator_name": pl.String,
    "unit": pl.String, "target_value": pl.Float64, "actual_value": pl.Float64,
    "attainment_pct": pl.Float64, "exceed_pct": pl.Float64, "change_value": pl.Float64,
    "indicators_total": pl.Int32, "indicators_met_or_exceeded": pl.Int32, "indicators_exceeded": pl.Int32,
}

REPORT_SCHEMA: dict[str, pl.DataType] = {
    "report_id": pl.String, "source_file": pl.String, "source_path": pl.String,
    "content_sha256": pl.String, "source_kind": pl.String, "file_format": pl.String, "title": pl.String,
    "report_date": pl.Date, "period_start": pl.Date, "period_end": pl.Date, "province_name": pl.String,
    "province_code": pl.String, "district_name": pl.String, "admin_unit_code": pl.String,
    "admin_level": pl.String, "current_province_name": pl.String, "current_province_code": pl.String,
    "place_method": pl.String,
    "place_candidates": pl.String, "text": pl.String, "char_count": pl.Int32,
    "landed_at": pl.Datetime("us"), "ingested_at": pl.Datetime("us"), "run_id": pl.String,
}

REJECTION_SCHEMA: dict[str, pl.DataType] = {
    "source_file": pl.String, "source_path": pl.String, "content_sha256": pl.String,
    "reason": pl.String, "detail": pl.String, "row_number": pl.Int32, "column_name": pl.String,
    "detected_at": pl.Datetime("us"), "run_id": pl.String,
}


@dataclass(slots=True)
class ReadReport:
    """A file read, normalised, extracted and placed: ready to write.

    A narrative file gives one report; a submission gives one report per district and period,
    and may carry rejected rows.
    """

    report: pl.DataFrame
    figures: pl.DataFrame
    rejected_rows: list[dict] = field(default_factory=list)


def _check_size(f: LandedFile) -> None:
    if f.size > max_file_bytes():
        raise UnreadableFile(
            "too_large",
            f"{f.name} is {f.size / 1e6:.1f} MB, over the {max_file_bytes() / 1e6:.0f} MB limit "
            f"(PROVREPORT_MAX_FILE_MB)",
        )


def _report_row(f: LandedFile, report_id: str, run_id: str, *, source_kind: str, file_format: str,
                title: str | None, report_date: date | None, period_start: date | None,
                period_end: date | None, place: PlaceResolution, text: str) -> dict:
    return {
        "report_id": report_id,
        "source_file": f.name,
        "source_path": str(f.path),
        "content_sha256": f.sha256,
        "source_kind": source_kind,
        "file_format": file_format,
        "title": title,
        "report_date": report_date,
        "period_start": period_start,
        "period_end": period_end,
        "province_name": place.province_name,
        "province_code": place.province_code,
        "district_name": place.district_name,
        "admin_unit_code": place.district_code,
        "admin_level": place.admin_level,
        "current_province_name": place.current_province_name,
        "current_province_code": place.current_province_code,
        "place_method": place.method,
        "place_candidates": json.dumps(place.candidates, ensure_ascii=False) if place.candidates else None,
        "text": text,
        "char_count": len(text),
        "landed_at": f.modified_at,
        "ingested_at": _now(),
        "run_id": run_id,
    }


def read_submission(f: LandedFile, run_id: str, gazetteer: Gazetteer) -> ReadReport:
    """Read a spreadsheet submission: one report per district and period, bad rows rejected."""
    _check_size(f)
    data = f.path.read_bytes()
    if not data.strip():
        raise UnreadableFile("empty_file", f"{f.name} is empty: ask the district to send it again")
    parsed = parse_submission(f.path, data, gazetteer.lookup_place)
    if parsed.header_error:
        raise UnreadableFile("bad_submission", f"{f.name}: {parsed.header_error}")
    rejected = [
        rejection_row(f, e.reason, e.detail, run_id, row_number=e.row_number, column_name=e.column_name)
        for e in parsed.errors
    ]
    if not parsed.groups:
        raise UnreadableFile("no_valid_rows", f"{f.name}: no row passed validation ({len(parsed.errors)} rejected)")
    reports, figures = [], []
    multi = len(parsed.groups) > 1
    for k, group in enumerate(parsed.groups):
        report_id = f.sha256[:16] + (f"g{k:03d}" if multi else "")
        reports.append(_report_row(
            f, report_id, run_id, source_kind="submission", file_format=f.path.suffix.lower().lstrip("."),
            title=None, report_date=None, period_start=group.period_start, period_end=group.period_end,
            place=group.place, text=group.text,
        ))
        figures.extend(figure_rows(report_id, group.figures))
    return ReadReport(
        report=pl.DataFrame(reports, schema=REPORT_SCHEMA),
        figures=pl.DataFrame(figures, schema=FIGURE_SCHEMA),
        rejected_rows=rejected,
    )


def read_report(f: LandedFile, run_id: str, gazetteer: Gazetteer) -> ReadReport:
    """Read one narrative file into its ``raw.reports`` row and ``raw.figures`` rows.

    Raises :class:`UnreadableFile` when the file cannot be read.
    """
    _check_size(f)
    decoded = read_narrative(f.path, f.path.read_bytes())
    text = normalise_text(decoded.text)
    if not text.strip():
        raise UnreadableFile("empty_file", f"{f.name} holds no text once decoded")
    facts: ReportFacts = extract_report(text)
    place: PlaceResolution = gazetteer.resolve(text, on_date=facts.report_date or facts.period_end)
    report_id = f.sha256[:16]
    report = pl.DataFrame(
        [_report_row(f, report_id, run_id, source_kind="narrative", file_format=decoded.file_format,
                     title=facts.title, report_date=facts.report_date, period_start=facts.period_start,
                     period_end=facts.period_end, place=place, text=text)],
        schema=REPORT_SCHEMA,
    )
    figures = pl.DataFrame(figure_rows(report_id, facts.figures), schema=FIGURE_SCHEMA)
    return ReadReport(report=report, figures=figures)


def read_file(f: LandedFile, run_id: str, gazetteer: Gazetteer | None = None) -> ReadReport | dict:
    """Read one landed file: a ``ReadReport``, or the rejection row saying why it was refused.

    One bad file never stops a run: anything that goes wrong is a rejection with its reason.
    """
    gaz = gazetteer or Gazetteer.load()
    suffix = f.path.suffix.lower()
    try:
        if suffix in SUBMISSION_FORMATS:
            return read_submission(f, run_id, gaz)
        if suffix not in NARRATIVE_FORMATS:
            raise UnreadableFile(
                "unsupported_format",
                f"{f.name}: files ending in '{suffix or '(none)'}' are not read; send .txt, .md, "
                f".html, .docx or .pdf for reports, .csv or .xlsx for the submission template",
            )
        return read_report(f, run_id, gaz)
    except Exception as exc:
        if not isinstance(exc, UnreadableFile):
            exc = UnreadableFile(
                "internal_error",
                f"{f.name}: the pipeline failed on this file ({type(exc).__name__}: {exc}); "
                f"it is recorded here so that nothing is lost silently - please report it",
            )
        return rejection_row(f, exc.reason, exc.detail, run_id)


PARALLEL_FROM = 64  # below this many files, starting worker processes costs more than it saves
BATCH_FILES = 200  # files per transaction: each holds whole files only, so a crash never splits one


def _read_all(fresh: list[LandedFile], run_id: str, gazetteer: Gazetteer | None, workers: int):
    """Yield (file, result) in order; extraction runs in ``workers`` processes for large batches."""
    if workers <= 1 or len(fresh) < PARALLEL_FROM:
        gaz = gazetteer or Gazetteer.load()
        for f in fresh:
            yield f, read_file(f, run_id, gaz)
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn")) as pool:
        yield from zip(fresh, pool.map(read_file, fresh, [run_id] * len(fresh), chunksize=32), strict=True)


def ingest_landing(
    landing: Path,
    con: duckdb.DuckDBPyConnection,
    run_id: str,
    *,
    progress: Progress | None = None,
    gazetteer: Gazetteer | None = None,
    workers: int | None = None,
) -> IngestSummary:
    """Ingest every file of ``landing`` whose content the warehouse has not seen.

    Files are read in parallel (one process per core) when there are many, and written in
    batches of whole files, one transaction per batch.
    """
    import os

    warehouse.ensure_raw_schema(con)
    say = progress or (lambda _msg: None)
    files = scan_landing(landing)
    fresh = new_files(files, warehouse.known_hashes(con), warehouse.refused_files(con))
    summary = IngestSummary(run_id=run_id, files_seen=len(files), files_skipped_known=len(files) - len(fresh))
    say(f"{len(files)} files in {landing}, {len(fresh)} new")
    ingested: set[str] = set()
    batch: list[ReadReport] = []
    refused: list[dict] = []

    def flush() -> None:
        if batch:
            warehouse.write_report(
                con, pl.concat([r.report for r in batch]), pl.concat([r.figures for r in batch]),
                pl.DataFrame([row for r in batch for row in r.rejected_rows] + refused, schema=REJECTION_SCHEMA),
            )
        elif refused:
            warehouse.write_rejections(con, pl.DataFrame(refused, schema=REJECTION_SCHEMA))
        batch.clear()
        refused.clear()

    every = max(1, len(fresh) // 20)
    for i, (f, result) in enumerate(_read_all(fresh, run_id, gazetteer, workers or os.cpu_count() or 1), start=1):
        if isinstance(result, dict):
            refused.append(result)
            summary.rejected.append({"source_file": f.name, "reason": result["reason"], "detail": result["detail"]})
            say(f"[{i}/{len(fresh)}] refused {f.name}: {result['detail']}")
        elif f.sha256 in ingested:  # the same content under another name, read earlier in this run
            summary.files_skipped_known += 1
        else:
            ingested.add(f.sha256)
            batch.append(result)
            summary.reports_written += result.report.height
            summary.figures_written += result.figures.height
            summary.report_ids.extend(result.report["report_id"].to_list())
            summary.rejected.extend({"source_file": f.name, "reason": r["reason"], "detail": r["detail"]}
                                    for r in result.rejected_rows)
            if i % every == 0 or i == len(fresh) or len(fresh) <= 20:
                districts = ", ".join(sorted({d or "district unresolved" for d in result.report["district_name"]}))
                say(f"[{i}/{len(fresh)}] {f.name}: {result.figures.height} figures, {districts}")
        if len(batch) + len(refused) >= BATCH_FILES:
            flush()
    flush()
    return summary


def report_period_label(start: date | None, end: date | None) -> str:
    if start is None or end is None:
        return "unknown period"
    return f"{start.isoformat()}..{end.isoformat()}"
