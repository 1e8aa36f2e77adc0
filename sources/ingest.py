"""From a landing folder to schema ``raw``: find new files, read them, extract, resolve, write.

A file is identified by the SHA-256 of its content, so the same file under any name is
ingested once, and a file already refused is not refused again on every run. Each report
is written in its own transaction with its figures (see :mod:`sources.warehouse`).
The landing folder is only read: files are never modified, moved or deleted.

No file can stop a run (issue #19): any name (undecodable bytes are kept, escaped), a symlink, a
FIFO, a file that cannot be opened or vanishes mid-scan is read or refused with its reason. A
refusal caused by the moment (the file vanished, permission, memory, the time budget) has a detail
starting with ``transient:`` and is retried at the next run (listed once); only a refusal about the
content is remembered by its hash. A file still being written (a temporary name, or its size or
modification time changing within the settle time) is left for the next run. Each file is read in a
worker process with a time and a memory budget: one over either is stopped and refused (``too_slow``,
``too_large_unpacked``) and the run goes on. These limits are :class:`sources.readers.Limits`, handed
down by the caller (nothing here reads the environment).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import stat as statmod
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb
import polars as pl

from sources import schema, warehouse
from sources.extract import document_title, extract_figures, extract_report
from sources.figures import Figure, PlaceResolution, ReportFacts
from sources.numbers import out_of_range
from sources.periods import find_report_date, report_period
from sources.places import Gazetteer
from sources.readers import (
    DEFAULT_LIMITS,
    NARRATIVE_FORMATS,
    SUBMISSION_FORMATS,
    Limits,
    UnreadableFile,
    read_narrative,
    sha256_of,
    shown,
)
from sources.readers import open_landed as _open_landed  # by this name: the tests make it fail for one file
from sources.submissions import parse_submission
from sources.text import normalise_text

Progress = Callable[[str], None]


@dataclass(frozen=True, slots=True)
class LandedFile:
    path: Path
    size: int
    sha256: str
    modified_at: datetime  # as the sender's file system says: never used as the time received
    first_seen_at: datetime | None = None  # when the pipeline first saw the file

    @property
    def name(self) -> str:
        return shown(self.path.name)

    @property
    def shown_path(self) -> str:
        return shown(str(self.path))


@dataclass(slots=True)
class IngestSummary:
    run_id: str
    files_seen: int = 0
    files_skipped_known: int = 0
    reports_written: int = 0
    figures_written: int = 0
    rejected: list[dict] = field(default_factory=list)
    report_ids: list[str] = field(default_factory=list)
    files_waiting: list[str] = field(default_factory=list)  # still being written: read at a later run
    peak_file_memory_mb: float = 0.0  # the most memory one file took above the reading worker's own


@dataclass(frozen=True, slots=True)
class ScanRefusal:
    """A landed entry refused before it could be read: its reason, and whether it is transient."""

    file: LandedFile
    reason: str
    detail: str
    transient: bool


@dataclass(slots=True)
class Survey:
    files: list[LandedFile] = field(default_factory=list)
    refused: list[ScanRefusal] = field(default_factory=list)
    waiting: list[str] = field(default_factory=list)  # still being written: left for the next run
    # the content hash of each file of ``files`` (sources.warehouse.LANDING_HASHES_TABLE's keys), and how many
    # of them were hashed by this survey (the others were known by path, size and modification time)
    hashes: dict[warehouse.HashKey, str] = field(default_factory=dict)
    hashed: int = 0


TEMPORARY_SUFFIXES = (".part", ".partial", ".tmp", ".temp", ".crdownload", ".download", ".swp", "~")
TEMPORARY_PREFIXES = (".~lock", "~$")
TRANSIENT = "transient: "


def _is_temporary(name: str) -> bool:
    lower = name.lower()
    return lower.endswith(TEMPORARY_SUFFIXES) or lower.startswith(TEMPORARY_PREFIXES)


def _pseudo_sha(kind: str, path: Path, extra: str = "") -> str:
    """What identifies an entry that has no content to hash (a symlink, a FIFO): its kind and path."""
    raw = f"{kind}\0{path}\0{extra}".encode("utf-8", "surrogateescape")
    return hashlib.sha256(raw).hexdigest()


def _utc(ts: float) -> datetime:
    try:
        return datetime.fromtimestamp(ts, tz=UTC).replace(tzinfo=None)
    except (OverflowError, OSError, ValueError):
        return datetime(1970, 1, 1)


# ``folder / name`` without parsing ``name`` again (pathlib's own iterdir and glob make their paths so): 10 000
# entries of a landing folder in ~15 ms instead of ~55 ms. The same Path as ``Path(os.path.join(folder, name))``.
_child = getattr(Path, "_make_child_relpath", Path.joinpath)


def _walk(folder: Path, below: str = "") -> Iterator[tuple[Path, str, os.stat_result | None, OSError | None]]:
    """Every entry below ``folder`` (hidden ones skipped), sorted, with its path relative to the landing
    folder (``below``: ``folder``'s), and its lstat or the error."""
    try:
        with os.scandir(folder) as it:
            entries = sorted(it, key=lambda e: os.fsencode(e.name))
    except OSError as exc:
        yield folder, below.rstrip(os.sep), None, exc
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        path, relative = _child(folder, entry.name), below + entry.name
        try:
            st = os.lstat(entry.path)
        except OSError as exc:
            yield path, relative, None, exc
            continue
        if statmod.S_ISDIR(st.st_mode):
            yield from _walk(path, relative + os.sep)
        else:
            yield path, relative, st, None


def survey_landing(landing: Path, *, settle: float = DEFAULT_LIMITS.settle_s,
                   known: Mapping[warehouse.HashKey, str] | None = None) -> Survey:
    """Every entry below ``landing``: regular files hashed (their hash taken from ``known`` when their path,
    size and modification time are there), the others refused with their reason, files still being written
    (modified within ``settle`` seconds and not still for them) left aside. Hidden files and folders are
    skipped."""
    if not landing.is_dir():
        raise FileNotFoundError(f"landing folder {landing} does not exist")
    known = known or {}
    survey = Survey()
    seen_at = _now()
    young: list[tuple[LandedFile, os.stat_result, warehouse.HashKey]] = []

    def refuse(path: Path, reason: str, detail: str, *, transient: bool, sha: str | None = None) -> None:
        f = LandedFile(path, 0, sha or _pseudo_sha(reason, path), _utc(0), seen_at)
        survey.refused.append(ScanRefusal(f, reason, (TRANSIENT if transient else "") + detail, transient))

    for path, relative, st, error in _walk(landing):
        if error is not None:
            name = shown(path.name)
            if isinstance(error, FileNotFoundError):
                refuse(path, "file_vanished", f"{name} vanished while the landing folder was read; "
                       "it is read again if it lands again", transient=True, sha=_pseudo_sha("vanished", path))
            elif isinstance(error, PermissionError):
                refuse(path, "permission_denied", f"{name} cannot be opened by the pipeline's account "
                       f"({error.strerror}); give it read permission", transient=True,
                       sha=_pseudo_sha("permission", path))
            else:
                refuse(path, "unreadable", f"{name} could not be read ({error.strerror or error})",
                       transient=True, sha=_pseudo_sha("unreadable", path))
            continue
        if _is_temporary(path.name):
            survey.waiting.append(shown(str(path)))
            continue
        if statmod.S_ISLNK(st.st_mode):
            name = shown(path.name)
            try:
                target = os.readlink(path)
            except OSError:
                target = "?"
            refuse(path, "symlink", f"{name} is a symbolic link (to {shown(target)}); links are not followed: "
                   "copy the file itself into the landing folder", transient=False,
                   sha=_pseudo_sha("symlink", path, target))
            continue
        if not statmod.S_ISREG(st.st_mode):
            name = shown(path.name)
            kind = ("a FIFO (named pipe)" if statmod.S_ISFIFO(st.st_mode) else
                    "a socket" if statmod.S_ISSOCK(st.st_mode) else "a device" if statmod.S_ISCHR(st.st_mode)
                    or statmod.S_ISBLK(st.st_mode) else "not a regular file")
            refuse(path, "not_a_regular_file", f"{name} is {kind}, not a file; it is never opened",
                   transient=False, sha=_pseudo_sha("special", path, str(st.st_mode)))
            continue
        key = (relative, st.st_size, st.st_mtime_ns)
        sha = known.get(key)  # the same path, size and modification time as when it was hashed
        if sha is None:
            name = shown(path.name)
            try:
                with _open_landed(path) as fh:
                    before = os.fstat(fh.fileno())
                    sha = sha256_of(fh)
                    after = os.fstat(fh.fileno())
            except FileNotFoundError:
                refuse(path, "file_vanished", f"{name} vanished while it was being read; it is read again if "
                       "it lands again", transient=True, sha=_pseudo_sha("vanished", path))
                continue
            except PermissionError as exc:
                refuse(path, "permission_denied", f"{name} cannot be opened by the pipeline's account "
                       f"({exc.strerror or exc}); give it read permission", transient=True,
                       sha=_pseudo_sha("permission", path))
                continue
            except OSError as exc:
                refuse(path, "unreadable", f"{name} could not be read ({exc.strerror or exc})", transient=True,
                       sha=_pseudo_sha("unreadable", path))
                continue
            if (before.st_size, before.st_mtime_ns) != (after.st_size, after.st_mtime_ns) \
                    or (st.st_size, st.st_mtime_ns) != (after.st_size, after.st_mtime_ns):
                survey.waiting.append(shown(str(path)))  # changed while it was hashed: still being written
                continue
            survey.hashed += 1
        landed = LandedFile(path=path, size=st.st_size, sha256=sha, modified_at=_utc(st.st_mtime),
                            first_seen_at=seen_at)
        if settle > 0 and abs(time.time() - st.st_mtime) < settle:
            young.append((landed, st, key))
        else:
            survey.files.append(landed)
            survey.hashes[key] = sha
    if young:
        # files modified within the settle time: read only if they keep still for it
        newest = max(st.st_mtime for _, st, _ in young)
        time.sleep(max(0.0, min(settle, newest + settle - time.time())))
        for landed, st, key in young:
            try:
                now = os.stat(landed.path, follow_symlinks=False)
            except OSError:
                survey.waiting.append(landed.shown_path)
                continue
            if (now.st_size, now.st_mtime_ns) == (st.st_size, st.st_mtime_ns):
                survey.files.append(landed)
                survey.hashes[key] = landed.sha256
            else:
                survey.waiting.append(landed.shown_path)
    survey.files.sort(key=lambda f: os.fsencode(str(f.path)))
    return survey


def scan_landing(landing: Path) -> list[LandedFile]:
    """Every settled regular file below ``landing`` (hidden files and folders skipped), sorted by path."""
    return survey_landing(landing).files


def new_files(files: Iterable[LandedFile], known: set[str],
              refused: set[tuple[str, str]] | None = None) -> list[LandedFile]:
    """Files whose content is not yet in the warehouse, less those already refused under the same
    path (each refused file is listed once; the same content under two names is read once)."""
    refused = refused or set()
    return [f for f in files if f.sha256 not in known and (f.sha256, f.shown_path) not in refused]


def _refusal_memory(con: duckdb.DuckDBPyConnection) -> tuple[set[tuple[str, str]], set[tuple[str, str]],
                                                               dict[str, datetime]]:
    """(hash, path) of refusals about the content (remembered); (path, reason) of transient refusals
    already listed (retried, not listed again); the first time each path was seen, from those."""
    rows = con.execute(
        "select content_sha256, source_path, reason, coalesce(detail, ''), detected_at from raw.rejections "
        "where content_sha256 is not null and row_number is null"
    ).fetchall()
    permanent: set[tuple[str, str]] = set()
    listed: set[tuple[str, str]] = set()
    first_seen: dict[str, datetime] = {}
    for sha, path, reason, detail, detected in rows:
        if detail.startswith(TRANSIENT.strip()):
            listed.add((path, reason))
            if detected is not None and (path not in first_seen or detected < first_seen[path]):
                first_seen[path] = detected
        else:
            permanent.add((sha, path))
    return permanent, listed, first_seen


def _now() -> datetime:
    return datetime.now(tz=UTC).replace(tzinfo=None)


def rejection_row(f: LandedFile, reason: str, detail: str, run_id: str, *, sha: str | None = None,
                  row_number: int | None = None, column_name: str | None = None) -> dict:
    return {
        "source_file": f.name,
        "source_path": f.shown_path,
        "content_sha256": sha if sha is not None else f.sha256,
        "reason": shown(reason),
        "detail": shown(detail),
        "row_number": row_number,
        "column_name": shown(column_name) if column_name is not None else None,
        "detected_at": _now(),
        "run_id": run_id,
    }


# the columns of raw.figures that are no attribute of Figure by the same name
_FIGURE_ROW_SPECIAL = frozenset({"figure_id", "report_id", "parent_figure_id"})


def figure_rows(report_id: str, figures: list[Figure]) -> list[dict]:
    """raw.figures rows, in the declaration's columns: a Figure's attribute of the column's name (a
    Decimal as a float for a float64 column), the ids made from the report's."""
    floats = {c.name for c in schema.FIGURES.columns if c.type == "float64"}
    rows = []
    for fig in figures:
        ids = {
            "figure_id": f"{report_id}-{fig.local_id:04d}",
            "report_id": report_id,
            "parent_figure_id": (
                f"{report_id}-{fig.parent_local_id:04d}" if fig.parent_local_id is not None else None
            ),
        }
        row = {}
        for name in schema.FIGURES.column_names:
            if name in _FIGURE_ROW_SPECIAL:
                row[name] = ids[name]
            else:
                value = getattr(fig, name)
                row[name] = _float(value) if name in floats else value
        rows.append(row)
    return rows


def _float(value) -> float | None:
    return None if value is None else float(value)


_PERCENT_FIELDS = ("rate_pct", "attainment_pct", "exceed_pct")
_VALUE_FIELDS = ("target_value", "actual_value", "change_value")
_COUNT_FIELDS = ("indicators_total", "indicators_met_or_exceeded", "indicators_exceeded")
_INT32_MAX = 2**31 - 1


def _figure_problem(fig: Figure) -> tuple[str, str] | None:
    """(column, why) when one of the figure's numbers is not finite or of an absurd magnitude."""
    why = out_of_range(fig.amount_vnd, amount=True)
    if why:
        return "amount_vnd", why
    for name in _PERCENT_FIELDS:
        why = out_of_range(getattr(fig, name, None), percent=True)
        if why:
            return name, why
    for name in _VALUE_FIELDS:
        why = out_of_range(getattr(fig, name, None))
        if why:
            return name, why
    for name in _COUNT_FIELDS:
        value = getattr(fig, name, None)
        if value is not None and not 0 <= value <= _INT32_MAX:
            return name, f"is {value}, not a count of indicators"
    return None


def checked_figures(f: LandedFile, figures: list[Figure], run_id: str) -> tuple[list[Figure], list[dict]]:
    """The figures whose numbers are finite and in range, and a rejection row for each other one
    (reason ``number_out_of_range``, its column, its quote): the file's other figures land."""
    kept: list[Figure] = []
    refused: list[dict] = []
    dropped: set[int] = set()
    for fig in figures:
        problem = _figure_problem(fig)
        if problem is None:
            kept.append(fig)
            continue
        column, why = problem
        dropped.add(fig.local_id)
        row = None
        if fig.rule == "submission_row" and fig.source_quote.startswith("row "):
            head = fig.source_quote[4:].split(":", 1)[0]
            row = int(head) if head.isdigit() else None
        quote = fig.source_quote if len(fig.source_quote) <= 120 else fig.source_quote[:117] + "..."
        refused.append(rejection_row(
            f, "number_out_of_range",
            f"{f.name}: the figure '{quote}' (characters {fig.char_start}-{fig.char_end}) was not kept: "
            f"its {column} {why}; the file's other figures are kept",
            run_id, row_number=row, column_name=column))
    for fig in kept:
        if fig.parent_local_id in dropped:
            fig.parent_local_id = None
    return kept, refused


FIGURE_SCHEMA = schema.FIGURES.polars_schema()
REPORT_SCHEMA = schema.REPORTS.polars_schema()
REJECTION_SCHEMA = schema.REJECTIONS.polars_schema()


@dataclass(slots=True)
class ReadReport:
    """A file read, normalised, extracted and placed: ready to write.

    A narrative file gives one report; a submission gives one report per district and period,
    and may carry rejected rows.
    """

    report: pl.DataFrame
    figures: pl.DataFrame
    rejected_rows: list[dict] = field(default_factory=list)


def _check_size(f: LandedFile, limits: Limits) -> None:
    if f.size > limits.max_file_bytes:
        raise UnreadableFile(
            "too_large",
            f"{f.name} is {f.size / 1e6:.1f} MB, over the {limits.max_file_bytes / 1e6:.0f} MB limit "
            f"(PROVREPORT_MAX_FILE_MB)",
        )


def _report_row(f: LandedFile, report_id: str, run_id: str, *, source_kind: str, file_format: str,
                title: str | None, report_date: date | None, period_start: date | None,
                period_end: date | None, place: PlaceResolution, text: str) -> dict:
    return {
        "report_id": report_id,
        "source_file": f.name,
        "source_path": f.shown_path,
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
        "landed_at": f.first_seen_at or _now(),  # when the pipeline first saw it, never the file's mtime
        "ingested_at": _now(),
        "run_id": run_id,
    }


def read_submission(f: LandedFile, run_id: str, gazetteer: Gazetteer, data: bytes | None = None,
                    limits: Limits = DEFAULT_LIMITS) -> ReadReport:
    """Read a spreadsheet submission: one report per district and period, bad rows rejected."""
    _check_size(f, limits)
    data = _read_landed(f, limits) if data is None else data
    if not data.strip():
        raise UnreadableFile("empty_file", f"{f.name} is empty: ask the district to send it again")
    # a workbook's unpacked size is checked against ``limits`` before anything inflates it
    parsed = parse_submission(Path(f.name), data, gazetteer.lookup_place, limits)
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
            title=None, report_date=group.report_date, period_start=group.period_start,
            period_end=group.period_end, place=group.place, text=group.text,
        ))
        kept, out_of_range_rows = checked_figures(f, group.figures, run_id)
        rejected.extend(out_of_range_rows)
        figures.extend(figure_rows(report_id, kept))
    return ReadReport(
        report=pl.DataFrame(reports, schema=REPORT_SCHEMA),
        figures=pl.DataFrame(figures, schema=FIGURE_SCHEMA),
        rejected_rows=rejected,
    )


def read_report(f: LandedFile, run_id: str, gazetteer: Gazetteer, data: bytes | None = None,
                limits: Limits = DEFAULT_LIMITS) -> ReadReport:
    """Read one narrative file into its ``raw.reports`` row and ``raw.figures`` rows.

    Raises :class:`UnreadableFile` when the file cannot be read.
    """
    _check_size(f, limits)
    decoded = read_narrative(Path(f.name), _read_landed(f, limits) if data is None else data, limits)
    text = normalise_text(decoded.text)
    if not text.strip():
        raise UnreadableFile("empty_file", f"{f.name} holds no text once decoded")
    facts: ReportFacts = extract_text(text)
    kept, refused = checked_figures(f, facts.figures, run_id)
    place: PlaceResolution = gazetteer.resolve(text, on_date=facts.report_date or facts.period_end)
    report_id = f.sha256[:16]
    report = pl.DataFrame(
        [_report_row(f, report_id, run_id, source_kind="narrative", file_format=decoded.file_format,
                     title=facts.title, report_date=facts.report_date, period_start=facts.period_start,
                     period_end=facts.period_end, place=place, text=text)],
        schema=REPORT_SCHEMA,
    )
    figures = pl.DataFrame(figure_rows(report_id, kept), schema=FIGURE_SCHEMA)
    return ReadReport(report=report, figures=figures, rejected_rows=refused)


# Bounded work per file (issue #19): the grammar does per figure some work in proportion to the
# figures before it in the document (sources/extract/_classify.py: `any(f is found for f in
# ctx.found)`; sources/extract/_assemble.py: the linear search for each figure's sentence;
# sources/periods.py `_paragraph_frame`: the walk back through the paragraph), so a text of tens of
# thousands of figures costs their square. A text over EXTRACT_PARTS_FROM characters (about 100
# pages) or EXTRACT_PARTS_NUMBERS numbers (the largest real report holds 105) is read in parts of at
# most EXTRACT_PART_CHARS characters and EXTRACT_PART_NUMBERS numbers, cut at paragraph breaks where
# it can: its date, period and title are read from the whole text as usual.
EXTRACT_PARTS_FROM = 256_000
EXTRACT_PARTS_NUMBERS = 2_000
EXTRACT_PART_CHARS = 32_000
EXTRACT_PART_NUMBERS = 500
_DIGITS = re.compile(r"\d+")


def _cut_before(text: str, start: int, limit: int) -> int:
    """Where to end a part that must end by ``limit``: a line break, else a sentence end, else a space."""
    low = start + (limit - start) // 2
    cut = text.rfind("\n", low, limit)
    if cut == -1:
        cut = text.rfind(". ", low, limit)
        cut = cut + 1 if cut != -1 else text.rfind(" ", low, limit)
    return cut if cut > start else limit


def _parts(text: str, size: int = EXTRACT_PART_CHARS, numbers: int = EXTRACT_PART_NUMBERS
           ) -> Iterator[tuple[int, int]]:
    """Spans covering ``text``, each within ``size`` characters and about ``numbers`` numbers."""
    start, count = 0, 0
    for m in _DIGITS.finditer(text):
        count += 1
        if count > numbers or m.end() - start > size:
            cut = _cut_before(text, start, min(m.start(), start + size)) if m.start() > start else m.end()
            yield start, cut
            start, count = cut, 1
        while m.end() - start > size:
            cut = _cut_before(text, start, start + size)
            yield start, cut
            start = cut
    while len(text) - start > size:
        cut = _cut_before(text, start, start + size)
        yield start, cut
        start = cut
    if start < len(text):
        yield start, len(text)


def extract_text(text: str) -> ReportFacts:
    """:func:`sources.extract.extract_report`, in parts for a very long text (work linear in its size)."""
    if len(text) <= EXTRACT_PARTS_FROM and sum(1 for _ in zip(_DIGITS.finditer(text),
                                                               range(EXTRACT_PARTS_NUMBERS + 1),
                                                               strict=False)) <= EXTRACT_PARTS_NUMBERS:
        return extract_report(text)
    report_date = find_report_date(text)
    period = report_period(text, report_date)
    figures: list[Figure] = []
    for a, b in _parts(text):
        offset = len(figures)
        for fig in extract_figures(text[a:b], report_date=report_date, report_period=period):
            fig.local_id += offset
            if fig.parent_local_id is not None:
                fig.parent_local_id += offset
            fig.char_start += a
            fig.char_end += a
            figures.append(fig)
    return ReportFacts(title=document_title(text), report_date=report_date, period_start=period[0],
                       period_end=period[1], figures=figures)


def _read_landed(f: LandedFile, limits: Limits) -> bytes:
    """The file's bytes, provided they are still the content hashed at the scan."""
    with _open_landed(f.path) as fh:
        data = fh.read(limits.max_file_bytes + 1)
    if hashlib.sha256(data).hexdigest() != f.sha256:
        raise UnreadableFile("changed_while_reading",
                             TRANSIENT + f"{f.name} changed between the scan and its reading (still being "
                             f"written?); it is read at the next run")
    return data


def read_file(f: LandedFile, run_id: str, gazetteer: Gazetteer | None = None,
              limits: Limits = DEFAULT_LIMITS) -> ReadReport | dict:
    """Read one landed file within ``limits``: a ``ReadReport``, or the rejection row saying why it was refused.

    One bad file never stops a run: anything that goes wrong is a rejection with its reason; what the
    moment caused (the file vanished, permission, memory) is marked transient and retried next run.
    """
    suffix = f.path.suffix.lower()
    try:
        gaz = gazetteer or Gazetteer.load()
        if suffix not in SUBMISSION_FORMATS and suffix not in NARRATIVE_FORMATS:
            raise UnreadableFile(
                "unsupported_format",
                f"{f.name}: files ending in '{shown(suffix) or '(none)'}' are not read; send .txt, .md, "
                f".html, .docx or .pdf for reports, .csv or .xlsx for the submission template",
            )
        _check_size(f, limits)
        data = _read_landed(f, limits)
        if suffix in SUBMISSION_FORMATS:
            return read_submission(f, run_id, gaz, data, limits)
        return read_report(f, run_id, gaz, data, limits)
    except UnreadableFile as exc:
        return rejection_row(f, exc.reason, exc.detail, run_id)
    except FileNotFoundError:
        return rejection_row(f, "file_vanished", TRANSIENT + f"{f.name} vanished before it could be read; "
                             "it is read again if it lands again", run_id)
    except PermissionError as exc:
        return rejection_row(f, "permission_denied", TRANSIENT + f"{f.name} cannot be opened by the "
                             f"pipeline's account ({exc.strerror or exc}); give it read permission", run_id)
    except MemoryError:
        return rejection_row(f, "too_large_unpacked", TRANSIENT + f"{f.name} needed more memory than there "
                             "was; it is tried again at the next run", run_id)
    except OSError as exc:
        return rejection_row(f, "unreadable", TRANSIENT + f"{f.name} could not be read "
                             f"({exc.strerror or exc})", run_id)
    except Exception as exc:
        return rejection_row(
            f, "internal_error",
            f"{f.name}: the pipeline failed on this file ({type(exc).__name__}: {exc}); "
            f"it is recorded here so that nothing is lost silently - please report it", run_id)


BATCH_FILES = 200  # files per transaction: each holds whole files only, so a crash never splits one
_WARM_UP_TEXT = ("Báo cáo của UBND huyện Trà Cú ngày 05/10/2023. Huyện giải ngân 12,5 tỷ đồng vốn đầu tư "
                 "được giao (đạt 46%).")


def _worker_main(conn, limits: Limits) -> None:  # pragma: no cover - runs in the worker process
    """A reading worker: load the gazetteer, warm the extractor up, then read the files it is sent
    within ``limits``. Every file of a run is placed with the gazetteer of the administrative seeds as they
    were when the worker got the run's first file (a kept worker outlives a change to them:
    :meth:`Gazetteer.load` loads them again)."""
    gaz, gaz_run = Gazetteer.load(), None
    extract_report(_WARM_UP_TEXT)
    conn.send(("ready", _rss_bytes(os.getpid())))
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return
        if message is None:
            return
        f, run_id = message
        if run_id != gaz_run:
            gaz, gaz_run = Gazetteer.load(), run_id
        conn.send(read_file(f, run_id, gaz, limits))


def _rss_bytes(pid: int) -> int:
    """Resident memory of a process (Linux /proc; 0 where it cannot be read)."""
    try:
        with open(f"/proc/{pid}/statm", "rb") as fh:
            return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


def _peak_rss_bytes(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status", "rb") as fh:
            for line in fh:
                if line.startswith(b"VmHWM:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return 0


class _Sandbox:
    """One worker process reading one file at a time, stopped when a file runs over its budget.

    The time budget runs from when the file is handed over; the memory budget is the resident memory
    the worker may gain above what it held when it was ready. Regular expressions cannot be
    interrupted inside a thread, so only a process can bound them."""

    POLL_S = 0.05

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.time_budget, self.memory_budget = limits.file_time_budget_s, limits.file_memory_budget_bytes
        self.proc = None
        self.conn = None
        self.baseline = 0
        self.ready_rss = 0  # what the worker held when it was ready: what a kept worker is compared with
        self.current: tuple[int, LandedFile, str] | None = None
        self.started = 0.0
        self.peak_over_baseline = 0

    def start(self) -> None:
        self.launch()
        self.wait_ready()

    def launch(self) -> None:
        """Start the worker process, without waiting for it to be ready (:meth:`wait_ready`)."""
        import multiprocessing

        ctx = multiprocessing.get_context("spawn")
        parent, child = ctx.Pipe()
        proc = ctx.Process(target=_worker_main, args=(child, self.limits), daemon=True, name="provreport-reader")
        proc.start()
        child.close()
        self.proc, self.conn = proc, parent

    def wait_ready(self) -> None:
        """Wait for the launched worker to say it is ready; its memory budget runs from what it holds then."""
        proc, parent = self.proc, self.conn
        try:
            if not parent.poll(180):
                raise RuntimeError("the reading worker did not start within 180 s")
            _tag, rss = parent.recv()
        except EOFError:
            self.stop()
            raise RuntimeError(f"the reading worker ended as it started (exit code {proc.exitcode})") from None
        except RuntimeError:
            self.stop()
            raise
        self.baseline = rss or _rss_bytes(proc.pid)
        self.ready_rss = self.baseline

    def rebaseline(self) -> None:
        """A kept worker handed to a new run: its budget and peak from what it holds now (its peak resident
        memory reset through /proc where the system allows it)."""
        with contextlib.suppress(OSError), open(f"/proc/{self.proc.pid}/clear_refs", "wb") as fh:
            fh.write(b"5")
        self.baseline = _rss_bytes(self.proc.pid) or self.baseline
        self.peak_over_baseline = 0

    def submit(self, index: int, f: LandedFile, run_id: str) -> None:
        if self.proc is None or not self.proc.is_alive():
            self.start()
        self.conn.send((f, run_id))
        self.current = (index, f, run_id)
        self.started = time.monotonic()

    def poll(self) -> tuple[int, ReadReport | dict] | None:
        """The finished file's (index, result), or None while it is still being read."""
        index, f, run_id = self.current
        try:
            if self.conn.poll():
                result = self.conn.recv()
                self._note_peak()
                self.current = None
                return index, result
        except (EOFError, OSError):
            pass
        else:
            if self.proc.is_alive():
                used = _rss_bytes(self.proc.pid) - self.baseline
                self.peak_over_baseline = max(self.peak_over_baseline, used)
                elapsed = time.monotonic() - self.started
                if used > self.memory_budget:
                    self.stop()
                    return index, rejection_row(
                        f, "too_large_unpacked",
                        TRANSIENT + f"{f.name} needed more than the {self.memory_budget / 2**20:.0f} MB of memory "
                        f"a file may take (PROVREPORT_FILE_MEMORY_BUDGET_MB); it was stopped after "
                        f"{elapsed:.1f} s and is tried again at the next run", run_id)
                if elapsed > self.time_budget:
                    self.stop()
                    return index, rejection_row(
                        f, "too_slow",
                        TRANSIENT + f"{f.name} was still being read after {self.time_budget:g} s, the time a file "
                        f"may take (PROVREPORT_FILE_TIME_BUDGET_S); it was stopped and is tried again at the "
                        f"next run", run_id)
                return None
        # the worker died under the file (killed by the system for its memory, or crashed)
        code = self.proc.exitcode if self.proc is not None else None
        self.stop()
        return index, rejection_row(
            f, "too_large_unpacked" if code in (-9, 137) else "internal_error",
            TRANSIENT + f"{f.name}: the process reading it ended (exit code {code}); it is tried again at "
            "the next run", run_id)

    def _note_peak(self) -> None:
        if self.proc is not None:
            self.peak_over_baseline = max(self.peak_over_baseline, _peak_rss_bytes(self.proc.pid) - self.baseline)

    def stop(self) -> None:
        self.current = None
        proc, conn = self.proc, self.conn
        self.proc = self.conn = None
        if proc is not None and proc.is_alive():
            proc.kill()
        if proc is not None:
            proc.join(10)
        if conn is not None:
            conn.close()

    def close(self) -> None:
        if self.proc is not None and self.proc.is_alive() and self.current is None:
            try:
                self.conn.send(None)
                self.proc.join(5)
            except OSError:
                pass
        self.stop()


class _Readers:
    """Where read_files_bounded gets its worker. A new one for every run unless the process asked to keep
    them (:func:`keep_readers`, ``provreport watch``): then the worker of a run that ended with it idle
    waits for the next run under the same limits, which then measures its memory budget from what the
    worker holds when the run starts, as a new worker's is from what it holds when ready. A worker that
    kept more than an unpacked document may take (``Limits.max_unpacked_bytes``) above what it held when
    ready is replaced: what it retained is not granted on top of the next run's budget."""

    def __init__(self) -> None:
        self.keep = False
        self.idle: dict[Limits, _Sandbox] = {}
        self.early: dict[Limits, _Sandbox] = {}  # started ahead of the run's read (prestart_reader), maybe not ready

    def take(self, limits: Limits) -> _Sandbox:
        early = self.early.pop(limits, None)
        if early is not None:
            try:
                early.wait_ready()
                return early
            except RuntimeError as exc:  # a new worker is started for the read, as without one started early
                import logging

                logging.getLogger(__name__).warning("the reading worker started early failed: %s", exc)
        box = self.idle.pop(limits, None)
        if box is None or box.proc is None or not box.proc.is_alive():
            return _Sandbox(limits)
        if _rss_bytes(box.proc.pid) - box.ready_rss > limits.max_unpacked_bytes:
            box.close()
            return _Sandbox(limits)
        box.rebaseline()
        return box

    def give_back(self, box: _Sandbox) -> None:
        if self.keep and box.current is None and box.proc is not None and box.proc.is_alive():
            other = self.idle.pop(box.limits, None)
            if other is not None:  # one kept worker per limits
                other.close()
            self.idle[box.limits] = box
        else:
            box.close()


_READERS = _Readers()


def keep_readers() -> None:
    """Keep the reading worker between the runs of this process (a long-lived ``provreport watch``: a new
    worker is a Python start, the gazetteer and the extractor's warm-up, 0.4-0.6 s a run). It ends with the
    process (a daemon; ``orchestration.runner.end_children`` on a stop)."""
    _READERS.keep = True


def readers_kept() -> bool:
    """This process keeps its reading worker between runs (:func:`keep_readers`): it is long-lived, and warm."""
    return _READERS.keep


def prestart_reader(limits: Limits = DEFAULT_LIMITS) -> None:
    """Start the reading worker of a run under ``limits`` now, not at its first file: its Python start, the
    gazetteer and the extractor's warm-up (0.4-0.7 s) then happen while the run does something else (a new
    ``provreport run`` process imports Dagster). The run's read takes it as it is (its memory budget from what it
    holds when ready, as a worker started then); :func:`end_prestarted_readers` ends one no read took. Nothing in a
    process that keeps its readers (its kept worker is warm) or with one started already."""
    if _READERS.keep or limits in _READERS.early:
        return
    box = _Sandbox(limits)
    box.launch()
    _READERS.early[limits] = box


def end_prestarted_readers() -> None:
    """End the workers :func:`prestart_reader` started that no read took (the run read nothing, or failed first)."""
    while _READERS.early:
        _READERS.early.popitem()[1].stop()


@dataclass(slots=True)
class _Budgets:
    peak_over_baseline: int = 0


def read_files_bounded(fresh: list[LandedFile], run_id: str, stats: _Budgets | None = None,
                       limits: Limits = DEFAULT_LIMITS) -> Iterator[tuple[LandedFile, ReadReport | dict]]:
    """Yield (file, result) in order, each file read in one worker process within ``limits`` (its time and
    memory budgets among them). One worker at a
    time: reading in parallel is the orchestrator's (the Dagster job splits the files into partitions
    read by parallel steps, each with its own worker)."""
    from multiprocessing.connection import wait

    if not fresh:
        return
    box = _READERS.take(limits)
    try:
        for index, f in enumerate(fresh):
            box.submit(index, f, run_id)
            while (finished := box.poll()) is None:
                wait([box.conn], timeout=_Sandbox.POLL_S)
            yield f, finished[1]
    finally:
        if stats is not None:
            stats.peak_over_baseline = max(stats.peak_over_baseline, box.peak_over_baseline)
        _READERS.give_back(box)


def _read_all(fresh: list[LandedFile], run_id: str, gazetteer: Gazetteer | None, stats: _Budgets | None = None,
              limits: Limits = DEFAULT_LIMITS) -> Iterator[tuple[LandedFile, ReadReport | dict]]:
    """Yield (file, result) in order: in a worker process under the per-file budgets; in this process
    where no worker can start (from the first file not yet read)."""
    done = 0
    try:
        for item in read_files_bounded(fresh, run_id, stats, limits):
            yield item
            done += 1
    except (RuntimeError, OSError) as exc:  # no process could be started: read here, unbounded
        import logging

        logging.getLogger(__name__).warning("reading in process, without per-file budgets: %s", exc)
        gaz = gazetteer or Gazetteer.load()
        for f in fresh[done:]:
            yield f, read_file(f, run_id, gaz, limits)


# ---- plan -> read partitions -> load: the three steps of an ingest ------------------------------------
#
# The plan (the survey, what is new, the refusals before reading) and the load (the batches of whole files
# written to raw, one transaction each) hold the DuckDB connection; reading a partition never opens the
# warehouse, so partitions can be read in parallel processes (the Dagster job's steps) and their frames
# handed to the load as Parquet files.

FILE_INDEX = "file_index"  # the frames of a partition read: the file's index in the plan's fresh files
REFUSES_FILE = "refuses_file"  # a rejection row that refuses its whole file (not one row or figure of it)


@dataclass(slots=True)
class IngestPlan:
    """What a run ingests, decided before any file is read: the files whose content is new (``fresh``, in
    path order), the survey's refusals (their rejection rows), what the warehouse remembers of earlier
    refusals, into how many partitions ``fresh`` is split for reading, and the limits its files are read
    within."""

    run_id: str
    files_seen: int
    files_skipped_known: int
    waiting: list[str]
    refusals: list[tuple[LandedFile, dict]]
    permanent: set[tuple[str, str]]
    listed: set[tuple[str, str]]
    fresh: list[LandedFile]
    partitions: int = 1
    limits: Limits = DEFAULT_LIMITS
    files_hashed: int = 0  # the files the survey read to hash them (the others' hashes were remembered)

    def partition(self, number: int) -> list[int]:
        """The indices in ``fresh`` of partition ``number``: every ``partitions``-th file from ``number``,
        so that each partition holds its share of every folder and format."""
        if not 0 <= number < self.partitions:
            raise ValueError(f"partition {number} of {self.partitions}")
        return list(range(number, len(self.fresh), self.partitions))


def plan_ingest(landing: Path, con: duckdb.DuckDBPyConnection, run_id: str, *,
                progress: Progress | None = None, limits: Limits = DEFAULT_LIMITS) -> IngestPlan:
    """Survey ``landing`` and decide what this run reads, within ``limits``: the files whose content the
    warehouse has not seen (less those already refused under the same path), and the survey's refusals to
    record."""
    warehouse.ensure_raw_schema(con)
    say = progress or (lambda _msg: None)
    known = warehouse.landing_hashes(con)
    survey = survey_landing(landing, settle=limits.settle_s, known=known)
    if survey.hashes != known:
        warehouse.remember_landing_hashes(con, survey.hashes, known)
    permanent, listed, first_seen = _refusal_memory(con)
    files = [
        LandedFile(f.path, f.size, f.sha256, f.modified_at, min(first_seen.get(f.shown_path, f.first_seen_at),
                                                               f.first_seen_at))
        for f in survey.files
    ] if first_seen else survey.files  # (none first seen earlier: each file as the survey saw it)
    fresh = new_files(files, warehouse.known_hashes(con), permanent)
    say(f"{len(files)} files in {landing} ({survey.hashed} hashed), {len(fresh)} new"
        + (f", {len(survey.waiting)} still being written (left for the next run)" if survey.waiting else ""))
    refusals = []
    for refusal in survey.refused:
        if refusal.transient or (refusal.file.sha256, refusal.file.shown_path) not in permanent:
            refusals.append((refusal.file, rejection_row(refusal.file, refusal.reason, refusal.detail, run_id)))
            say(f"refused {refusal.file.name}: {refusal.detail}")
    return IngestPlan(run_id=run_id, files_seen=len(files) + len(survey.refused),
                      files_skipped_known=len(files) - len(fresh), waiting=list(survey.waiting),
                      refusals=refusals, permanent=permanent, listed=listed, fresh=fresh, limits=limits,
                      files_hashed=survey.hashed)


@dataclass(slots=True)
class PartitionRead:
    """A partition's files read: their reports, figures and rejection rows, each row with its file's
    index in the plan (``FILE_INDEX``); a file refused whole has one rejection row marked ``REFUSES_FILE``."""

    reports: pl.DataFrame
    figures: pl.DataFrame
    rejections: pl.DataFrame
    peak_over_baseline: int = 0  # bytes: the most one file took above the reading worker's own memory


class _Stack:
    """Per-file frames stacked as they arrive, each row with the index of the file it came from.

    One small frame per file costs about 100 KB of column buffers whatever its rows (a partition of 50 000
    files held 5 GB that way); every :data:`STACK_EVERY` frames are concatenated into one, so a partition
    holds what its rows take."""

    def __init__(self, schema: dict) -> None:
        self.schema = schema
        self.stacked: list[pl.DataFrame] = []
        self.pending: list[pl.DataFrame] = []
        self.index: list[int] = []

    def add(self, frame: pl.DataFrame, file_index: int) -> None:
        self.pending.append(frame)
        self.index.extend([file_index] * frame.height)
        if len(self.pending) >= STACK_EVERY:
            self.stacked.append(pl.concat(self.pending, how="vertical", rechunk=True))
            self.pending.clear()

    def frame(self) -> pl.DataFrame:
        frames = [*self.stacked, *self.pending]
        stacked = pl.concat(frames, how="vertical", rechunk=True) if frames else pl.DataFrame(schema=self.schema)
        return stacked.with_columns(pl.Series(FILE_INDEX, self.index, dtype=pl.Int64))


STACK_EVERY = 256  # per-file frames concatenated into one (_Stack)


def read_partition(plan: IngestPlan, number: int, *, progress: Progress | None = None,
                   gazetteer: Gazetteer | None = None) -> PartitionRead:
    """Read the files of partition ``number`` of ``plan``, one after another in one worker process within
    the plan's limits; says ``[i/n] ...`` (i: the file's place among the run's new files) as it goes."""
    say = progress or (lambda _msg: None)
    indices = plan.partition(number)
    total = len(plan.fresh)
    every = max(1, total // 20)
    reports, figures = _Stack(REPORT_SCHEMA), _Stack(FIGURE_SCHEMA)
    rejected, rejected_of = [], []
    stats = _Budgets()
    results = _read_all([plan.fresh[i] for i in indices], plan.run_id, gazetteer, stats, plan.limits)
    for i, (f, result) in zip(indices, results, strict=True):
        n = i + 1
        if isinstance(result, dict):
            rejected.append({**result, REFUSES_FILE: True})
            rejected_of.append(i)
            say(f"[{n}/{total}] refused {f.name}: {result['detail']}")
            continue
        reports.add(result.report, i)
        figures.add(result.figures, i)
        for row in result.rejected_rows:
            rejected.append({**row, REFUSES_FILE: False})
            rejected_of.append(i)
        if n % every == 0 or n == total or total <= 20:
            districts = ", ".join(sorted({d or "district unresolved" for d in result.report["district_name"]}))
            say(f"[{n}/{total}] {f.name}: {result.figures.height} figures, {districts}")
    rejections = pl.DataFrame(rejected, schema={**REJECTION_SCHEMA, REFUSES_FILE: pl.Boolean})
    return PartitionRead(
        reports=reports.frame(),
        figures=figures.frame(),
        rejections=rejections.with_columns(pl.Series(FILE_INDEX, rejected_of, dtype=pl.Int64)),
        peak_over_baseline=stats.peak_over_baseline,
    )


_PARTITION_FRAMES = ("reports", "figures", "rejections")


def save_partition(read: PartitionRead, folder: Path) -> None:
    """Write a partition read to ``folder``: one Parquet file per frame, the peak memory beside them."""
    folder.mkdir(parents=True, exist_ok=True)
    for name in _PARTITION_FRAMES:
        getattr(read, name).write_parquet(folder / f"{name}.parquet")
    (folder / "read.json").write_text(json.dumps({"peak_over_baseline": read.peak_over_baseline}))


def load_partition(folder: Path) -> PartitionRead:
    """What :func:`save_partition` wrote."""
    frames = {name: pl.read_parquet(folder / f"{name}.parquet") for name in _PARTITION_FRAMES}
    peak = json.loads((folder / "read.json").read_text())["peak_over_baseline"]
    return PartitionRead(**frames, peak_over_baseline=peak)


@dataclass(frozen=True, slots=True)
class _RowsByFile:
    """The rows of a frame of partitions' rows by their file (``FILE_INDEX``), in the files' order: one copy
    sorted by file, and where each file's rows start in it."""

    sorted: pl.DataFrame  # one chunk
    bounds: list[int]  # the rows of file i: sorted[bounds[i]:bounds[i + 1]]

    @classmethod
    def of(cls, frame: pl.DataFrame, count: int) -> _RowsByFile:
        frame = frame.sort(FILE_INDEX, maintain_order=True).rechunk()
        bounds = frame[FILE_INDEX].search_sorted(pl.Series(range(count + 1), dtype=pl.Int64), side="left")
        return cls(frame, bounds.to_list())

    def count(self, i: int) -> int:
        return self.bounds[i + 1] - self.bounds[i]

    def rows(self, files: list[int]) -> pl.DataFrame:
        """The rows of ``files`` (ascending indices), in their order, without the index column: one slice of the
        sorted copy (less the rows of the files between them that are not asked for), never one piece per file,
        so that what is written is one contiguous chunk (DuckDB inserts an Arrow table of hundreds of small
        chunks about 15 times slower, issue #18)."""
        if not files:
            return self.sorted.clear().drop(FILE_INDEX)
        first, last = files[0], files[-1]
        rows = self.sorted.slice(self.bounds[first], self.bounds[last + 1] - self.bounds[first])
        if len(files) != last - first + 1:
            rows = rows.filter(pl.col(FILE_INDEX).is_in(pl.Series(files, dtype=pl.Int64).implode()))
        return rows.drop(FILE_INDEX)


def load_ingest(con: duckdb.DuckDBPyConnection, plan: IngestPlan, reads: list[PartitionRead]) -> IngestSummary:
    """Write what the partitions read to schema raw, the files in the plan's order, in batches of whole
    files (one transaction each): the same content under two names is written once, a refusal listed once
    (a transient one at each run only the first time, one about the content never again)."""
    summary = IngestSummary(run_id=plan.run_id, files_seen=plan.files_seen,
                            files_skipped_known=plan.files_skipped_known, files_waiting=list(plan.waiting))
    count = len(plan.fresh)
    reports = _RowsByFile.of(pl.concat([r.reports for r in reads]) if reads else
                             pl.DataFrame(schema={**REPORT_SCHEMA, FILE_INDEX: pl.Int64}), count)
    figures = _RowsByFile.of(pl.concat([r.figures for r in reads]) if reads else
                             pl.DataFrame(schema={**FIGURE_SCHEMA, FILE_INDEX: pl.Int64}), count)
    all_rejected = pl.concat([r.rejections for r in reads]) if reads else \
        pl.DataFrame(schema={**REJECTION_SCHEMA, REFUSES_FILE: pl.Boolean, FILE_INDEX: pl.Int64})
    refused_whole = {row.pop(FILE_INDEX): row for row in
                     all_rejected.filter(pl.col(REFUSES_FILE)).drop(REFUSES_FILE).to_dicts()}
    rejected_rows = _RowsByFile.of(all_rejected.filter(~pl.col(REFUSES_FILE)).drop(REFUSES_FILE), count)
    read_files = set(refused_whole) | {i for r in reads for i in r.reports[FILE_INDEX].unique().to_list()}
    missing = [plan.fresh[i].name for i in range(count) if i not in read_files]
    if missing:
        raise RuntimeError(f"{len(missing)} new files were not read by any partition: {', '.join(missing[:5])}")
    listed = set(plan.listed)
    ingested: set[str] = set()
    batch: list[int] = []  # the files to write (their indices in plan.fresh)
    batch_rejected: list[dict] = []  # their refused rows, in their order
    refused: list[dict] = []

    def note_refusal(f: LandedFile, row: dict) -> None:
        transient = (row["detail"] or "").startswith(TRANSIENT.strip())
        key = (row["source_path"], row["reason"])
        summary.rejected.append({"source_file": f.name, "reason": row["reason"], "detail": row["detail"]})
        if transient and key in listed:
            return  # retried, and listed once
        if not transient and (row["content_sha256"], row["source_path"]) in plan.permanent:
            return
        listed.add(key)
        refused.append(row)

    def flush() -> None:
        if batch:
            written = reports.rows(batch)
            warehouse.write_report(con, written, figures.rows(batch),
                                   pl.DataFrame(batch_rejected + refused, schema=REJECTION_SCHEMA))
            summary.report_ids.extend(written["report_id"].to_list())
        elif refused:
            warehouse.write_rejections(con, pl.DataFrame(refused, schema=REJECTION_SCHEMA))
        batch.clear()
        batch_rejected.clear()
        refused.clear()

    for f, row in plan.refusals:
        note_refusal(f, row)
    with warehouse.fewer_checkpoints(con):
        for i, f in enumerate(plan.fresh):
            if i in refused_whole:
                note_refusal(f, refused_whole[i])
            elif f.sha256 in ingested:  # the same content under another name, earlier in this run
                summary.files_skipped_known += 1
            else:
                ingested.add(f.sha256)
                batch.append(i)
                summary.reports_written += reports.count(i)
                summary.figures_written += figures.count(i)
                if rejected_rows.count(i):
                    rows = rejected_rows.rows([i]).to_dicts()
                    batch_rejected.extend(rows)
                    summary.rejected.extend({"source_file": f.name, "reason": r["reason"], "detail": r["detail"]}
                                            for r in rows)
            if len(batch) + len(refused) >= BATCH_FILES:
                flush()
        flush()
    summary.peak_file_memory_mb = round(max((r.peak_over_baseline for r in reads), default=0) / 2**20, 1)
    return summary


def ingest_landing(
    landing: Path,
    con: duckdb.DuckDBPyConnection,
    run_id: str,
    *,
    progress: Progress | None = None,
    gazetteer: Gazetteer | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> IngestSummary:
    """Ingest every file of ``landing`` whose content the warehouse has not seen, in this process: the plan,
    one partition read by one worker process (each file within ``limits``), the load.

    Reading in parallel is the Dagster job's (``orchestration/ingest``: the partitions read by parallel
    steps).
    """
    plan = plan_ingest(landing, con, run_id, progress=progress, limits=limits)
    return load_ingest(con, plan, [read_partition(plan, 0, progress=progress, gazetteer=gazetteer)])


# ---- the hand-over between the steps of a parallel ingest: a staging folder beside the warehouse -------


def save_plan(plan: IngestPlan, staging: Path) -> None:
    """Write ``plan`` into the run's staging folder (``sources.warehouse.staging_path``), emptied first."""
    import pickle
    import shutil

    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    with (staging / "plan.pickle").open("wb") as fh:
        pickle.dump(plan, fh, protocol=pickle.HIGHEST_PROTOCOL)


def load_plan(staging: Path) -> IngestPlan:
    """The plan :func:`save_plan` wrote (written by this run's own planning step: trusted)."""
    import pickle

    with (staging / "plan.pickle").open("rb") as fh:
        return pickle.load(fh)


def partition_folder(staging: Path, number: int) -> Path:
    return staging / f"part-{number:04d}"
