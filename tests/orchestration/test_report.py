"""The provincial HTML report: self-contained, every chart drawn, nothing fetched."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from orchestration.report import vn_amount, vn_number
from tests.browser import offline_page
from tests.conftest import run_provreport


@pytest.mark.parametrize(("value", "decimals", "text"), [
    (106182, 0, "106.182"), (70.98, 2, "70,98"), (1234567.5, 2, "1.234.567,5"), (46.0, 2, "46"),
])
def test_vietnamese_number_format(value, decimals, text) -> None:
    assert vn_number(value, decimals) == text


def test_amounts_are_written_in_ty_dong() -> None:
    assert vn_amount(106_182_000_000) == "106,182 tỷ đồng"
    assert vn_amount(200_000_000) == "200 triệu đồng"


@pytest.mark.slow
def test_the_report_renders_offline_with_every_chart(seeds_warehouse: dict, artifacts_dir: Path) -> None:
    out = artifacts_dir / "provincial_report.html"
    proc = run_provreport(["report", "--warehouse", str(seeds_warehouse["warehouse"]), "--out", str(out)],
                          seeds_warehouse["env"])
    assert proc.returncode == 0, proc.stderr
    html = out.read_text(encoding="utf-8")
    # Plotly's inlined library mentions CDN addresses in strings; no tag may load one
    assert not re.search(r"""<(?:script|link|img)\b[^>]*(?:src|href)=["']https?://""", html)
    with offline_page() as (page, traffic):
        page.goto(out.as_uri())
        page.wait_for_selector("#chart-disbursement .main-svg", timeout=20_000)
        sizes = {}
        for chart in ("chart-disbursement", "chart-attainment", "chart-completeness"):
            box = page.locator(f"#{chart} .main-svg").first.bounding_box()
            sizes[chart] = box
        page.screenshot(path=str(artifacts_dir / "provincial_report.png"), full_page=True)
        assert traffic.blocked == [] and traffic.failed == []
    for chart, box in sizes.items():
        assert box and box["width"] > 300 and box["height"] > 200, (chart, box)
    assert "Tỷ lệ giải ngân" in html and "Disbursement rate" in html
