"""One page template and one stylesheet for every HTML output (#16 must-hold 5)."""

from __future__ import annotations

from orchestration.outputs.audit import render_html
from orchestration.outputs.page import STYLESHEET, html_page
from orchestration.settings import PROJECT_ROOT


def test_the_audit_is_drawn_in_the_report_page_with_the_decisions_after_its_table() -> None:
    page = render_html([], extra="<h2>decisions</h2>")
    assert page.startswith("<!DOCTYPE html>") and page.endswith("<h2>decisions</h2></body></html>")
    assert f"<style>{STYLESHEET}</style>" in page
    assert "no open findings" in page


def test_the_title_is_escaped_and_only_the_page_module_writes_a_document() -> None:
    assert "<title>a &lt;b&gt;</title>" in html_page("a <b>", "h", "")
    writers = sorted(p.name for p in (PROJECT_ROOT / "orchestration").rglob("*.py")
                     if "<!DOCTYPE" in p.read_text(encoding="utf-8") or "<style" in p.read_text(encoding="utf-8"))
    assert writers == ["page.py"]
