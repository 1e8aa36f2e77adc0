"""Dagster's UI against a warehouse built from the seeds: GraphQL says what the UI shows, and
the asset graph page is screenshot in headless Chromium with the network blocked."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.browser import offline_page

pytestmark = pytest.mark.slow

ASSETS_QUERY = """
{ assetNodes { assetKey { path } groupName description kinds owners { ... on TeamAssetOwner { team } }
    assetChecksOrError { ... on AssetChecks { checks { name
        executionForLatestMaterialization { status evaluation { success severity } } } } } } }
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _graphql(port: int, query: str) -> dict:
    req = urllib.request.Request(f"http://127.0.0.1:{port}/graphql", data=json.dumps({"query": query}).encode(),
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=60) as resp:
        return json.loads(resp.read())


@pytest.fixture(scope="module")
def webserver(seeds_warehouse: dict):
    port = _free_port()
    env = {**seeds_warehouse["env"], "PYTHONUNBUFFERED": "1"}
    log = (seeds_warehouse["tmp"] / "webserver.log").open("w")
    proc = subprocess.Popen(
        [str(Path(sys.executable).with_name("dagster-webserver")), "-m", "orchestration.definitions",
         "-h", "127.0.0.1", "-p", str(port)],
        cwd=Path(__file__).resolve().parents[2], env=env, stdout=log, stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/server_info", timeout=2):
                break
        except OSError:
            if proc.poll() is not None:
                raise RuntimeError((seeds_warehouse["tmp"] / "webserver.log").read_text()) from None
            time.sleep(1)
    else:
        os.killpg(proc.pid, signal.SIGKILL)
        raise RuntimeError("dagster-webserver did not answer within 120 s")
    yield port
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    log.close()


def test_graphql_lists_assets_with_groups_owners_kinds_and_check_results(webserver: int) -> None:
    nodes = _graphql(webserver, ASSETS_QUERY)["data"]["assetNodes"]
    by_key = {"/".join(n["assetKey"]["path"]): n for n in nodes}
    figures = by_key["raw/figures"]
    assert figures["groupName"] == "ingest" and "duckdb" in figures["kinds"] and figures["description"]
    assert figures["owners"] == [{"team": "data-engineering"}]
    funding = by_key["marts/fct_programme_funding"]
    checks = funding["assetChecksOrError"]["checks"]
    executed = [c for c in checks if c["executionForLatestMaterialization"]]
    assert executed, "no check has run on marts/fct_programme_funding"
    states = {c["name"]: c["executionForLatestMaterialization"]["status"] for c in executed}
    assert not {n: s for n, s in states.items() if s not in ("SUCCEEDED", "FAILED")}


def test_asset_graph_page_renders_offline(webserver: int, artifacts_dir: Path) -> None:
    with offline_page() as (page, traffic):
        page.goto(f"http://127.0.0.1:{webserver}/asset-groups", wait_until="networkidle", timeout=60_000)
        page.wait_for_timeout(3000)
        page.screenshot(path=str(artifacts_dir / "dagster_asset_graph.png"), full_page=True)
        body = page.inner_text("body")
        assert "fct_programme_funding" in body or "marts" in body
        assert traffic.blocked == [], traffic.blocked
