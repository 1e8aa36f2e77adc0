"""The sign-off state as a Dagster asset: per province and period, how many reporting units are
none / checked / approved / reopened (read from marts.fct_unit_approvals; thin: the logic is
:mod:`orchestration.signoff.approvals` and the dbt view)."""

from dagster import AssetExecutionContext, AssetKey, MaterializeResult, MetadataValue, asset

from orchestration.resources import WarehouseResource
from orchestration.settings import DUCKDB_TAG
from orchestration.signoff.approvals import statuses
from sources.warehouse import open_warehouse

STATES = ("none", "checked", "approved", "reopened")
APPROVAL_STATE_KEY = AssetKey(["audit", "approval_state"])


def counted_states(metadata: dict) -> dict[str, int]:
    """The unit-periods per status an approval_state materialization recorded, the statuses none has left out
    (as ``select approval_status, count(*) ... group by approval_status`` gives them; pure)."""
    counts = {state: getattr(metadata.get(state), "value", metadata.get(state)) for state in STATES}
    return {state: n for state, n in counts.items() if n}


def state_table(rows: list[dict]) -> tuple[dict[tuple[str, str], dict[str, int]], str]:
    """Counts of unit-periods per province, period and status, and the same as a markdown table (pure)."""
    counts: dict[tuple[str, str], dict[str, int]] = {}
    for row in rows:
        key = (row["province_name"] or "(unplaced)", row["period"])
        counts.setdefault(key, dict.fromkeys(STATES, 0))[row["approval_status"]] += 1
    lines = ["| province | period | " + " | ".join(STATES) + " |", "|---|---|" + "---|" * len(STATES)]
    lines += [f"| {p} | {period} | " + " | ".join(str(c[s]) for s in STATES) + " |"
              for (p, period), c in sorted(counts.items())]
    return counts, "\n".join(lines)


@asset(
    key=APPROVAL_STATE_KEY,
    # the facts the view marts.fct_unit_approvals reads: incremental builds leave views alone (their SQL is
    # unchanged), and a dependency on the view itself would skip this asset in every such build
    deps=[AssetKey(["marts", m]) for m in ("fct_programme_funding", "fct_indicator_attainment",
                                            "fct_district_scorecard")],
    group_name="audit",
    kinds={"duckdb"},
    op_tags={DUCKDB_TAG: "signoff"},  # opens the DuckDB file: one such step at a time
    description="Sign-off per province and period (the view marts.fct_unit_approvals over the facts): how many "
    "reporting units are not signed off, checked by their officer, approved by the province, or reopened by a "
    "resubmission or correction since.",
)
def approval_state(context: AssetExecutionContext, warehouse: WarehouseResource) -> MaterializeResult:
    with open_warehouse(warehouse.file, read_only=True) as con:
        rows = statuses(con)
    counts, table = state_table(rows)
    reopened = [f"{r['unit_name']} {r['period']}" for r in rows if r["approval_status"] == "reopened"]
    context.log.info(f"{len(rows)} unit-periods; reopened: {', '.join(reopened) or 'none'}")
    return MaterializeResult(metadata={
        "dagster/row_count": len(rows),
        "by_province_and_period": MetadataValue.md(table),
        "reopened": MetadataValue.json(reopened),
        **{state: sum(c[state] for c in counts.values()) for state in STATES},
    })
