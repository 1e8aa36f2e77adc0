"""The tables Python writes, declared once: each column's name, logical type, nullability and meaning.

Everything else about them is derived from here (issue #16, point 1):

* the DuckDB DDL (``sources.warehouse``) and the PostgreSQL DDL (``sources.postgres``),
* the Polars frame schemas and the row builders' columns (``sources.ingest``),
* the insert column order (``sources.warehouse.write_report``),
* the dbt sources' docs (``dbt_project/models/staging/_staging__sources.yml``, written by
  ``scripts/gen_sources_yml.py`` and checked by ``tests/sources/test_schema.py``).

A change of an existing warehouse's shape is a numbered :data:`MIGRATIONS` step (applied once,
recorded in ``meta.schema_version``); the declaration itself always says the newest shape.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

# logical type -> (DuckDB, PostgreSQL, Polars)
TYPES: dict[str, tuple[str, str, pl.DataType]] = {
    "string": ("varchar", "varchar", pl.String),
    "date": ("date", "date", pl.Date),
    "timestamp": ("timestamp", "timestamp", pl.Datetime("us")),
    "int32": ("integer", "integer", pl.Int32),
    "int64": ("bigint", "bigint", pl.Int64),
    "float64": ("double", "double precision", pl.Float64),
    "boolean": ("boolean", "boolean", pl.Boolean),
}


@dataclass(frozen=True, slots=True)
class Column:
    name: str
    type: str  # a key of TYPES
    description: str
    nullable: bool = True
    primary_key: bool = False

    def ddl(self, engine: str) -> str:
        sql_type = TYPES[self.type][0 if engine == "duckdb" else 1]
        constraint = " primary key" if self.primary_key else ("" if self.nullable else " not null")
        return f"{self.name} {sql_type}{constraint}"


@dataclass(frozen=True, slots=True)
class Table:
    schema: str
    name: str
    description: str
    columns: tuple[Column, ...]

    @property
    def qualified(self) -> str:
        return f"{self.schema}.{self.name}"

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    def polars_schema(self) -> dict[str, pl.DataType]:
        return {c.name: TYPES[c.type][2] for c in self.columns}

    def ddl(self, engine: str = "duckdb") -> str:
        body = ",\n    ".join(c.ddl(engine) for c in self.columns)
        return f"create table if not exists {self.qualified} (\n    {body}\n)"


def _c(name: str, type_: str, description: str, *, nullable: bool = True, pk: bool = False) -> Column:
    return Column(name, type_, description, nullable=nullable, primary_key=pk)


REPORTS = Table("raw", "reports", "One row per report read (a submission spreadsheet gives one per district and "
                "period).", (
    _c("report_id", "string", "First 16 hex digits of the file's SHA-256 (plus a group suffix for multi-district "
       "submissions).", pk=True),
    _c("source_file", "string", "The file's name as landed.", nullable=False),
    _c("source_path", "string", "The file's path as landed, as shown to users.", nullable=False),
    _c("content_sha256", "string", "SHA-256 of the file's content; a submission holding several districts gives "
       "several reports.", nullable=False),
    _c("source_kind", "string", "narrative | submission", nullable=False),
    _c("file_format", "string", "txt | md | html | docx | pdf | csv | xlsx", nullable=False),
    _c("title", "string", "The report's title as written."),
    _c("report_date", "date", "The date the report is signed."),
    _c("period_start", "date", "First day of the period the report covers."),
    _c("period_end", "date", "Last day of the period the report covers."),
    _c("province_name", "string", "The province the report resolved to, as of the report."),
    _c("province_code", "string", "That province's code."),
    _c("district_name", "string", "The reporting unit (district or commune) the report resolved to."),
    _c("admin_unit_code", "string", "That unit's code."),
    _c("admin_level", "string", "district (before 1 July 2025) | commune (after) | null: no unit."),
    _c("current_province_name", "string", "The unit's province today (after the 2025 merger of provinces)."),
    _c("current_province_code", "string", "That province's code."),
    _c("place_method", "string", "How the place was found: named | commune_inference | province_only | ambiguous "
       "| unresolved", nullable=False),
    _c("place_candidates", "string", "JSON list of the other units considered."),
    _c("text", "string", "The normalised (NFC) text; every figure's char offsets point into it.", nullable=False),
    _c("char_count", "int32", "Characters in text.", nullable=False),
    _c("landed_at", "timestamp", "When the pipeline first saw the file."),
    _c("ingested_at", "timestamp", "When the report was written to the warehouse.", nullable=False),
    _c("run_id", "string", "The run that read it.", nullable=False),
))

FIGURES = Table("raw", "figures", "Every figure found, funding, indicator or scorecard, with its quote, offsets, "
                "sentence and rule.", (
    _c("figure_id", "string", "report_id and the figure's number within its report.", pk=True),
    _c("report_id", "string", "The report the figure was read from.", nullable=False),
    _c("kind", "string", "funding | indicator | scorecard", nullable=False),
    _c("rule", "string", "The grammar rule that produced the figure.", nullable=False),
    _c("source_quote", "string", "The figure's exact words in the report's text.", nullable=False),
    _c("char_start", "int32", "Where the quote starts in the report's text.", nullable=False),
    _c("char_end", "int32", "Where the quote ends in the report's text.", nullable=False),
    _c("sentence", "string", "The sentence the quote sits in."),
    _c("qualifier", "string", "A hedge as written: hơn, trên, khoảng, gần, ước, dưới ..."),
    _c("period_start", "date", "First day of the period the figure covers, when the sentence says it."),
    _c("period_end", "date", "Last day of the period the figure covers, when the sentence says it."),
    _c("programme_code", "string", "The programme the funding belongs to (seed programmes)."),
    _c("programme_text", "string", "The programme as written."),
    _c("capital_source", "string", "The capital source (central, local, ...)."),
    _c("measure", "string", "What the amount is: allocated, disbursed, ..."),
    _c("amount_vnd", "int64", "The amount in VND; null when only a rate is stated."),
    _c("rate_pct", "float64", "A rate stated with the amount, in percent."),
    _c("per_unit", "string", "Null for a total; 'commune', 'village', 'person' ... for a norm."),
    _c("parent_figure_id", "string", "The total this figure is a part of."),
    _c("indicator_code", "string", "The indicator from the catalogue (seed indicators), or 'UNMAPPED'."),
    _c("indicator_name", "string", "The indicator as written."),
    _c("unit", "string", "The indicator's unit as written."),
    _c("target_value", "float64", "The indicator's target."),
    _c("actual_value", "float64", "The indicator's achieved value."),
    _c("attainment_pct", "float64", "Attainment as stated, in percent of the target."),
    _c("exceed_pct", "float64", "How far the target was exceeded, as stated, in percent."),
    _c("change_value", "float64", "The change against the previous period, as stated."),
    _c("indicators_total", "int32", "A scorecard's number of indicators."),
    _c("indicators_met_or_exceeded", "int32", "A scorecard's number of indicators met or exceeded."),
    _c("indicators_exceeded", "int32", "A scorecard's number of indicators exceeded."),
))

REJECTIONS = Table("raw", "rejections", "Files, and rows of submissions, that the pipeline refused, with the reason.", (
    _c("source_file", "string", "The file's name as landed.", nullable=False),
    _c("source_path", "string", "The file's path as landed, as shown to users.", nullable=False),
    _c("content_sha256", "string", "SHA-256 of the file's content, when it could be read."),
    _c("reason", "string", "Short code: empty_file, unreadable, too_large, ...", nullable=False),
    _c("detail", "string", "Human sentence: what was wrong and what to do."),
    _c("row_number", "int32", "For a rejected row of a submission: its row."),
    _c("column_name", "string", "For a rejected row of a submission: the column at fault."),
    _c("detected_at", "timestamp", "When the file or row was refused.", nullable=False),
    _c("run_id", "string", "The run that refused it.", nullable=False),
))

RAW_TABLES: tuple[Table, ...] = (REPORTS, FIGURES, REJECTIONS)

# The audit tables Python writes, each by one owner. Every table whose rows record a decision (a
# finding's status, a review, a sign-off) is append-only: a change is a new row with who, when and why.
VALIDATION_RESULTS = Table("audit", "validation_results", "One row per check per validation run "
                           "(owner: expectations.validate).", (
    _c("run_id", "string", "The validation run.", nullable=False),
    _c("validated_at", "timestamp", "When it ran.", nullable=False),
    _c("suite", "string", "The expectation suite.", nullable=False),
    _c("mart", "string", "The mart checked.", nullable=False),
    _c("expectation", "string", "The check.", nullable=False),
    _c("severity", "string", "error | warn", nullable=False),
    _c("success", "boolean", "Whether the check passed.", nullable=False),
    _c("failing_count", "int32", "Rows failing.", nullable=False),
    _c("failing_figure_ids", "string", "JSON list."),
    _c("observed_value", "string", "JSON."),
    _c("details", "string", "JSON: description, expectation type, failing rows."),
    _c("scope_units", "string", "JSON list of the unit_keys validated; null: every row."),
    _c("reports_through", "timestamp", "The newest report ingested when the run validated."),
))

FINDING_OBSERVATIONS = Table("audit", "finding_observations", "One row per failing group (a total and its parts, "
                             "a rate and its amounts ...) per validation run (owner: expectations.validate).", (
    _c("run_id", "string", "The validation run.", nullable=False),
    _c("observed_at", "timestamp", "When it was observed.", nullable=False),
    _c("finding_id", "string", "Same check, same figures: same id in every run.", nullable=False),
    _c("mart", "string", "The mart checked.", nullable=False),
    _c("expectation", "string", "The check.", nullable=False),
    _c("severity", "string", "error | warn", nullable=False),
    _c("unit_key", "string", "The reporting unit of the group's first figure."),
    _c("unit_name", "string", "That unit's name."),
    _c("province_name", "string", "That unit's province."),
    _c("period_start", "date", "First day of the group's period."),
    _c("period_end", "date", "Last day of the group's period."),
    _c("figure_ids", "string", "JSON list, the stated figure first.", nullable=False),
    _c("stated", "float64", "The value stated."),
    _c("stated_text", "string", "A stated value that is no number (a code, a status)."),
    _c("computed", "float64", "The value computed from the other figures."),
    _c("difference", "float64", "computed - stated, in value_unit."),
    _c("difference_pct", "float64", "difference / stated * 100."),
    _c("value_unit", "string", "VND | percent | count | days | ..."),
    _c("tolerance", "string", "What the check allows, as an auditor reads it."),
))

FINDING_EVENTS = Table("audit", "finding_events", "Every change of a finding's status "
                       "(owner: expectations.register).", (
    _c("finding_id", "string", "The finding.", nullable=False),
    _c("status", "string", "open | resolved | accepted", nullable=False),
    _c("changed_at", "timestamp", "When.", nullable=False),
    _c("changed_by", "string", "A person, or 'validation' for what the data decided.", nullable=False),
    _c("reason", "string", "Why.", nullable=False),
    _c("valid_until", "date", "accepted: the exception lapses after this day."),
    _c("run_id", "string", "The validation run that decided it, if any."),
))

# A corrected place (provreport correct ID place=...): the reporting unit the figure belongs to, as the
# gazetteer resolved the reviewer's name on the figure's period; all null: the report's place stands.
CORRECTED_PLACE_COLUMNS: tuple[Column, ...] = (
    _c("corrected_admin_unit_code", "string", "Corrected reporting unit's code (the figure's unit_key); null: the "
       "report's unit."),
    _c("corrected_admin_level", "string", "district | commune: the corrected unit's level."),
    _c("corrected_district_name", "string", "The corrected unit's name (a district, or a commune after 1 July "
       "2025)."),
    _c("corrected_province_name", "string", "The corrected unit's province, as of the figure's period."),
    _c("corrected_province_code", "string", "That province's code."),
    _c("corrected_current_province_name", "string", "The corrected unit's province today (after the 2025 merger)."),
    _c("corrected_current_province_code", "string", "That province's code."),
)

FIGURE_REVIEWS = Table("audit", "figure_reviews", "What a reviewer decided about one figure; dbt applies them "
                       "(owner: orchestration.review).", (
    _c("review_id", "string", "The review.", nullable=False),
    _c("figure_id", "string", "The figure reviewed.", nullable=False),
    _c("report_id", "string", "Its report.", nullable=False),
    _c("kind", "string", "The figure's kind.", nullable=False),
    _c("char_start", "int32", "With report_id: the figure's place in the report's text, which a re-extraction "
       "of the same file keeps.", nullable=False),
    _c("char_end", "int32", "Where the figure's quote ends.", nullable=False),
    _c("action", "string", "confirm | correct | reject", nullable=False),
    _c("amount_vnd", "int64", "Corrected amount; null: unchanged."),
    _c("value_number", "float64", "Corrected value; null: unchanged."),
    _c("measure", "string", "Corrected measure; null: unchanged."),
    _c("programme_code", "string", "Corrected programme; null: unchanged."),
    _c("capital_source", "string", "Corrected capital source; null: unchanged."),
    _c("role", "string", "actual | target (an indicator's value)."),
    _c("period_start", "date", "Corrected period start; null: unchanged."),
    _c("period_end", "date", "Corrected period end; null: unchanged."),
    _c("reason", "string", "Why.", nullable=False),
    _c("reviewed_by", "string", "Who.", nullable=False),
    _c("reviewed_at", "timestamp", "When.", nullable=False),
    *CORRECTED_PLACE_COLUMNS,
))

APPROVALS = Table("audit", "approvals", "A unit-period checked or approved, with its figures then "
                  "(owner: orchestration.signoff).", (
    _c("approval_id", "string", "The sign-off.", nullable=False),
    _c("unit_key", "string", "The reporting unit.", nullable=False),
    _c("unit_name", "string", "Its name."),
    _c("province_name", "string", "Its province."),
    _c("period", "string", "2019 or 2019-09: the reports whose period ends in it.", nullable=False),
    _c("level", "string", "check | approve", nullable=False),
    _c("figures_hash", "string", "Hash of the figures signed off.", nullable=False),
    _c("figures", "string", "JSON: the figures signed off, to list what changed.", nullable=False),
    _c("note", "string", "A note."),
    _c("approved_by", "string", "Who.", nullable=False),
    _c("approved_at", "timestamp", "When.", nullable=False),
))

AUDIT_TABLES: tuple[Table, ...] = (VALIDATION_RESULTS, FINDING_OBSERVATIONS, FINDING_EVENTS, FIGURE_REVIEWS, APPROVALS)
# the audit tables dbt reads as sources (reviewers' and sign-off decisions): copied to PostgreSQL with raw
DBT_AUDIT_SOURCES: tuple[Table, ...] = (FIGURE_REVIEWS, APPROVALS)

TABLES: dict[str, Table] = {t.qualified: t for t in (*RAW_TABLES, *AUDIT_TABLES)}


# Bookkeeping: what the pipeline remembers of its own work (the warehouse's schema version, the landing files'
# content hashes, the last completed run's inputs, what dbt last built from), in a schema of its own: never in
# the seeds' schema (reference) nor among the data.
BOOKKEEPING_SCHEMA = "meta"
SCHEMA_VERSION_TABLE = f"{BOOKKEEPING_SCHEMA}.schema_version"
LANDING_HASHES_TABLE = f"{BOOKKEEPING_SCHEMA}.landing_files"  # sources.warehouse.landing_hashes
PIPELINE_STATE_TABLE = f"{BOOKKEEPING_SCHEMA}.pipeline_state"  # orchestration.ingest.noop
DBT_BUILD_STATE_TABLE = f"{BOOKKEEPING_SCHEMA}.dbt_build_state"  # orchestration.dbt.assets
# where warehouses made before version 4 kept them (the seeds' schema): table -> its former name
FORMER_BOOKKEEPING_TABLES = {LANDING_HASHES_TABLE: "reference._landing_files",
                             PIPELINE_STATE_TABLE: "reference._pipeline_state",
                             DBT_BUILD_STATE_TABLE: "reference._dbt_build_state"}


@dataclass(frozen=True, slots=True)
class Migration:
    """One change of an existing warehouse's shape. ``table`` is the table it changes: a table created
    from the declaration already has the change, so there the step is only recorded."""

    version: int
    table: str
    description: str
    statements: tuple[str, ...]


MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "raw.reports", "the reporting unit's level (warehouses made before it hold districts)",
              ("alter table raw.reports add column if not exists admin_level varchar",)),
    Migration(2, "audit.validation_results", "validation scoped to units and reports",
              ("alter table audit.validation_results add column if not exists scope_units varchar",
               "alter table audit.validation_results add column if not exists reports_through timestamp")),
    Migration(3, "audit.figure_reviews", "a reviewer corrects a figure's place (its reporting unit)",
              tuple(f"alter table audit.figure_reviews add column if not exists {c.name} {TYPES[c.type][0]}"
                    for c in CORRECTED_PLACE_COLUMNS)),
    # caches and state, not data: dropped, not moved (the next run hashes the landing folder once, builds once)
    Migration(4, "raw.reports", "bookkeeping moved from the seeds' schema to schema meta",
              tuple(f"drop table if exists {former}" for former in FORMER_BOOKKEEPING_TABLES.values())),
)

SCHEMA_VERSION_DDL: tuple[str, ...] = (
    f"create schema if not exists {BOOKKEEPING_SCHEMA}",
    f"create table if not exists {SCHEMA_VERSION_TABLE} (\n    version integer primary key,\n"
    "    description varchar not null,\n    applied_at timestamp not null\n)",
)
