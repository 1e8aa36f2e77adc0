"""A two-asset Dagster job for the tests of what Dagster stores of a run (tests/orchestration/test_dag_*.py)."""

from __future__ import annotations


def probe_definitions(checks: dict[str, bool]):
    """Definitions of ``upstream`` -> ``downstream``, one asset check on ``downstream`` per name in ``checks``
    (passing or failing as it says), and the job ``probe`` of all of them."""
    from dagster import AssetCheckResult, AssetSelection, Definitions, asset, asset_check, define_asset_job

    @asset
    def upstream():
        return 1

    @asset
    def downstream(upstream):
        return upstream + 1

    def check(name: str, passed: bool):
        @asset_check(asset=downstream, name=name)
        def _check():
            return AssetCheckResult(passed=passed)

        return _check

    return Definitions(assets=[upstream, downstream],
                       asset_checks=[check(name, passed) for name, passed in checks.items()],
                       jobs=[define_asset_job("probe", AssetSelection.all())])
