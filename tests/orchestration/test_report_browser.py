"""The seeds' report in Chromium with the network blocked, looked at as a person would, and printed to A4.

Chromium is Debian's package (``make test`` installs it when run as root); where it is absent these tests
skip saying so. Screenshots land in the artifacts folder under pytest's temporary folder (``artifacts_dir``,
printed at the end of the run) for people to look at.
"""

from __future__ import annotations

import base64
import io
import re
from pathlib import Path

import pytest

from tests.browser import offline_page
from tests.conftest import run_provreport

pytestmark = pytest.mark.slow

# the bar labels and tick labels of every chart, with their boxes on screen
TEXTS_JS = """() => [...document.querySelectorAll('.figure svg text')].map(t => {
  const b = t.getBoundingClientRect();
  const fig = t.closest('.figure').id;
  const kind = t.closest('.ytick') ? 'ytick' : t.closest('.xtick') ? 'xtick'
             : (t.closest('.bartext') || t.closest('.textpoint')) ? 'bartext' : 'other';
  return {fig, kind, text: t.textContent, x: b.x + window.scrollX, y: b.y + window.scrollY,
          w: b.width, h: b.height, cx: b.x + b.width / 2 + window.scrollX, cy: b.y + b.height / 2 + window.scrollY};
})"""

PIXEL_JS = """async ([png, x, y]) => {
  const img = new Image(); img.src = 'data:image/png;base64,' + png; await img.decode();
  const c = document.createElement('canvas'); c.width = img.width; c.height = img.height;
  const g = c.getContext('2d'); g.drawImage(img, 0, 0);
  return Array.from(g.getImageData(x, y, 1, 1).data).slice(0, 3);
}"""


@pytest.fixture(scope="module")
def seeds_report(seeds_warehouse: dict, artifacts_dir: Path) -> Path:
    out = artifacts_dir / "provincial_report.html"
    proc = run_provreport(["report", "--warehouse", str(seeds_warehouse["warehouse"]), "--out", str(out)],
                          seeds_warehouse["env"])
    assert proc.returncode == 0, proc.stderr
    return out


def texts(page) -> list[dict]:
    return page.evaluate(TEXTS_JS)


def across(items: list[dict], label: dict, kind: str) -> list[dict]:
    """The texts of ``kind`` on the same line as ``label`` (what the eye reads across a bar chart)."""
    return [t for t in items if t["kind"] == kind and t["fig"] == label["fig"] and abs(t["cy"] - label["cy"]) < 6]


def pixel(page, x: float, y: float) -> tuple[int, int, int]:
    """The colour a person sees at page point (x, y), read off a screenshot."""
    shot = page.screenshot(clip={"x": x - 2, "y": y - 2, "width": 5, "height": 5}, full_page=True)
    return tuple(page.evaluate(PIXEL_JS, [base64.b64encode(shot).decode(), 2, 2]))


def test_the_report_renders_offline_and_shows_what_leaders_check(seeds_report: Path, artifacts_dir: Path) -> None:
    html = seeds_report.read_text(encoding="utf-8")
    # Plotly's inlined library mentions CDN addresses in strings; no tag may load one
    assert not re.search(r"""<(?:script|link|img)\b[^>]*(?:src|href)=["']https?://""", html)
    with offline_page() as (page, traffic):
        page.goto(seeds_report.as_uri())
        page.wait_for_selector("#fig-1 .main-svg", timeout=20_000)
        page.screenshot(path=str(artifacts_dir / "provincial_report.png"), full_page=True)
        for figure in page.locator(".figure").all():
            figure.screenshot(path=str(artifacts_dir / f"provincial_report_{figure.get_attribute('id')}.png"))
        items = texts(page)

        # Hà Quảng's DTTS_MN investment rate of 2023 reads 24,28%; the 49,52% is the 2022 recurrent rate
        labels = {t["text"]: t for t in items if t["kind"] == "ytick"}
        hq_2023 = labels["Hà Quảng · DTTS_MN · vốn đầu tư · 1/1–29/5/2023"]
        assert [t["text"] for t in across(items, hq_2023, "bartext")] == ["24,28%"]
        hq_2022 = labels["Hà Quảng · DTTS_MN · vốn sự nghiệp · năm 2022"]
        assert [t["text"] for t in across(items, hq_2022, "bartext")] == ["49,52%"]

        # Mường Lát: the poverty-reduction cell of 2023 reads 'vượt' and is green
        poverty = next(t for t in items if t["kind"] == "ytick" and t["text"].startswith("Mức giảm tỷ lệ hộ nghèo"))
        assert "Reduction of the poverty rate" in poverty["text"]  # English beside the Vietnamese
        column = next(t for t in items if t["kind"] == "xtick" and t["fig"] == poverty["fig"]
                      and t["text"].replace(" ", "") == "MườngLát2023")
        cell = next(t for t in items if t["fig"] == poverty["fig"] and t["text"] == "vượt"
                    and abs(t["cy"] - poverty["cy"]) < 10 and abs(t["cx"] - column["cx"]) < 30)
        r, g, b = pixel(page, cell["x"] - 5, cell["cy"])
        assert g > 100 and g > r + 40 and g > b + 40, (r, g, b)  # green: exceeded
        exceeded_ml = [t for t in items if t["text"] == "vượt" and any(
            x["kind"] == "xtick" and x["fig"] == t["fig"] and x["text"].replace(" ", "") == "MườngLát2023"
            and abs(x["cx"] - t["cx"]) < 30 for x in items)]
        assert len(exceeded_ml) >= 2  # the poverty rate and the hardened roads

        # Vietnamese names as the rows, never the catalogue's codes
        heat_rows = [t["text"] for t in items if t["kind"] == "ytick"]
        assert any("Tỷ lệ che phủ rừng" in r for r in heat_rows)
        assert not any(re.fullmatch(r"[A-Z_]{6,}", t["text"]) for t in items if t["kind"] == "ytick")

        # the per-commune norm of Hướng Hóa is marked as one, beside its amount
        norm = page.locator("table.funding tr.per-unit", has_text="per commune").first
        assert norm.is_visible()
        assert "Hướng Hóa" in norm.inner_text() and "định mức mỗi xã" in norm.inner_text()
        assert "1 tỷ đồng / xã" in norm.inner_text()
        norm.screenshot(path=str(artifacts_dir / "provincial_report_norm.png"))

        # findings without a quote say in words what failed
        findings = page.locator("table.findings").inner_text()
        assert "{" not in findings and "failed for" in findings
        assert traffic.blocked == [] and traffic.failed == []


def test_printed_to_a4_each_chart_stays_on_one_page(seeds_report: Path, artifacts_dir: Path) -> None:
    from pypdf import PdfReader

    pdf_path = artifacts_dir / "provincial_report.pdf"
    with offline_page() as (page, traffic):
        page.goto(seeds_report.as_uri())
        page.wait_for_selector("#fig-1 .main-svg", timeout=20_000)
        page.emulate_media(media="print")
        heights = page.evaluate("() => [...document.querySelectorAll('.figure')].map(f => "
                                "[f.id, f.getBoundingClientRect().height, f.getBoundingClientRect().width])")
        page.pdf(path=str(pdf_path), prefer_css_page_size=True, print_background=True)
        assert traffic.blocked == []
    # A4 landscape less 12 mm margins: 273 x 186 mm = 1031 x 703 CSS px
    for fig_id, height, width in heights:
        assert height <= 703 and width <= 1031, (fig_id, height, width)
    reader = PdfReader(io.BytesIO(pdf_path.read_bytes()))
    pages = [p.extract_text() or "" for p in reader.pages]
    assert len(pages) >= 2
    box = reader.pages[0].mediabox
    assert float(box.width) > float(box.height)  # landscape A4
    numbers = sorted({int(n) for p in pages for n in re.findall(r"Fig\. (\d+):", p)})
    assert numbers == list(range(1, len(heights) + 1)), numbers
    for n in numbers:
        starts = [i for i, p in enumerate(pages) if f"Fig. {n}:" in p]
        ends = [i for i, p in enumerate(pages) if re.search(rf"Fig\. {n} —", p)]
        assert starts and starts == ends, (n, starts, ends)  # title, chart and note on one page


def test_a_period_filters_every_section(seeds_warehouse: dict, artifacts_dir: Path) -> None:
    out = artifacts_dir / "provincial_report_2023.html"
    proc = run_provreport(["report", "--warehouse", str(seeds_warehouse["warehouse"]), "--period", "2023",
                           "--out", str(out)], seeds_warehouse["env"])
    assert proc.returncode == 0, proc.stderr
    with offline_page() as (page, _traffic):
        page.goto(out.as_uri())
        page.wait_for_selector("#fig-1 .main-svg", timeout=20_000)
        items = texts(page)
        months = {t["text"] for t in items if t["kind"] == "xtick" and re.fullmatch(r"\d{4}-\d{2}", t["text"])}
        funding = page.locator("table.funding").inner_text()
    assert months and all(m.startswith("2023-") for m in months)  # completeness too
    ylabels = [t["text"] for t in items if t["kind"] == "ytick"]
    assert any("vốn đầu tư · 1/1–29/5/2023" in y for y in ylabels)
    assert not any("2022" in y for y in ylabels) and "Hướng Hóa" not in funding
    assert "kỳ / period 2023" in out.read_text(encoding="utf-8")


@pytest.mark.parametrize("bad", ["abc", "2031", "2023-13"])
def test_a_bad_period_is_refused_with_exit_2(seeds_warehouse: dict, tmp_path: Path, bad: str) -> None:
    proc = run_provreport(["report", "--warehouse", str(seeds_warehouse["warehouse"]), "--period", bad,
                           "--out", str(tmp_path / "r.html")], seeds_warehouse["env"])
    assert proc.returncode == 2
    assert "--period" in proc.stderr and "Traceback" not in proc.stderr
    assert not (tmp_path / "r.html").exists()
