"""Data Docs that open from disk on a closed network.

Great Expectations' pages load Bootstrap, jQuery, Font Awesome, Vega and friends from public CDNs
and show a logo from GE's servers. ``make_offline`` rewrites every such reference: to a local copy
when ``expectations/vendor`` holds one (``scripts/vendor_data_docs_assets.sh`` installs them from
the npm registry), otherwise the reference is removed and a small stylesheet of ours is inlined,
so the pages still read well. Either way no request leaves the machine.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterable
from pathlib import Path

import jinja2

VENDOR = Path(__file__).resolve().parent / "vendor" / "node_modules"
# CDN address (prefix) -> file inside the npm packages
LOCAL_COPIES: dict[str, str] = {
    "https://maxcdn.bootstrapcdn.com/bootstrap/4.3.1/css/bootstrap.min.css": "bootstrap/dist/css/bootstrap.min.css",
    "https://stackpath.bootstrapcdn.com/bootstrap/4.3.1/js/bootstrap.min.js": "bootstrap/dist/js/bootstrap.min.js",
    "https://code.jquery.com/jquery-3.7.1.min.js": "jquery/dist/jquery.min.js",
    "https://cdnjs.cloudflare.com/ajax/libs/popper.js/1.12.9/umd/popper.min.js": "popper.js/dist/umd/popper.min.js",
    "https://unpkg.com/bootstrap-table@1.19.1/dist/bootstrap-table.min.css":
        "bootstrap-table/dist/bootstrap-table.min.css",
    "https://unpkg.com/bootstrap-table@1.19.1/dist/bootstrap-table.min.js":
        "bootstrap-table/dist/bootstrap-table.min.js",
    "https://unpkg.com/bootstrap-table@1.19.1/dist/extensions/filter-control/bootstrap-table-filter-control.min.js":
        "bootstrap-table/dist/extensions/filter-control/bootstrap-table-filter-control.min.js",
    "https://unpkg.com/bootstrap-table@1.19.0/dist/extensions/filter-control/bootstrap-table-filter-control.css":
        "bootstrap-table/dist/extensions/filter-control/bootstrap-table-filter-control.min.css",
    "https://unpkg.com/bootstrap-table@1.19.0/dist/extensions/filter-control/bootstrap-table-filter-control.min.css":
        "bootstrap-table/dist/extensions/filter-control/bootstrap-table-filter-control.min.css",
    "https://cdnjs.cloudflare.com/ajax/libs/bootstrap-datepicker/1.9.0/css/bootstrap-datepicker.min.css":
        "bootstrap-datepicker/dist/css/bootstrap-datepicker.min.css",
    "https://cdnjs.cloudflare.com/ajax/libs/bootstrap-datepicker/1.9.0/js/bootstrap-datepicker.min.js":
        "bootstrap-datepicker/dist/js/bootstrap-datepicker.min.js",
    "https://cdnjs.cloudflare.com/ajax/libs/font-awesome/6.6.0/css/all.min.css":
        "@fortawesome/fontawesome-free/css/all.min.css",
}
FALLBACK_CSS = """
body{font-family:"Noto Sans","DejaVu Sans",Arial,sans-serif;margin:0 1.5rem;color:#1d2733}
table{border-collapse:collapse;margin:.5rem 0}td,th{border:1px solid #d0d7de;padding:.25rem .5rem;vertical-align:top}
.text-danger,.fa-times{color:#b00020}.text-success,.fa-check-circle{color:#1a7f37}a{color:#0b5cad}
nav,.navbar{padding:.5rem 0;border-bottom:1px solid #d0d7de}.card{border:1px solid #d0d7de;margin:.5rem 0;padding:.5rem}
.collapse:not(.show){display:block}
"""
_EXTERNAL = re.compile(r"""(?P<tag><(?:script|link|img)\b[^>]*?\b(?:src|href)=["'](?P<url>https?://[^"']+)["'][^>]*>(?:\s*</script>)?)""",
                       re.IGNORECASE)


_EXTERNAL_LINK = re.compile(r"""(<a\b[^>]*?)\s+href=["']https?://[^"']*["']""", re.IGNORECASE)


def make_offline(site: Path, pages: Iterable[Path] | None = None) -> int:
    """Rewrite or remove every off-machine reference in the built site (or in ``pages`` of it, the
    others already rewritten); returns how many."""
    vendor_dir = site / "static" / "vendor"
    have_vendor = VENDOR.exists()
    count = 0
    for page in site.rglob("*.html") if pages is None else pages:
        html = page.read_text(encoding="utf-8")
        rel_static = os.path.relpath(site / "static", page.parent)

        def replace(m: re.Match, rel_static: str = rel_static) -> str:
            nonlocal count
            count += 1
            url, tag = m.group("url"), m.group("tag")
            local = LOCAL_COPIES.get(url)
            if have_vendor and local and (VENDOR / local).exists():
                target = vendor_dir / local
                target.parent.mkdir(parents=True, exist_ok=True)
                if not target.exists():
                    shutil.copy2(VENDOR / local, target)
                    fonts = VENDOR / local.split("/css/")[0] / "webfonts"
                    if "/css/" in local and fonts.is_dir():  # Font Awesome's CSS loads ../webfonts/
                        shutil.copytree(fonts, target.parent.parent / "webfonts", dirs_exist_ok=True)
                return tag.replace(url, f"{rel_static}/vendor/{local}")
            if tag.lower().startswith("<img"):
                return tag.replace(url, f"{rel_static}/images/logo-long-vector.svg")
            return ""

        html = _EXTERNAL.sub(replace, html)
        # links out (GE's newsletter, its docs) lead nowhere on a closed network: keep the text only
        html, links = _EXTERNAL_LINK.subn(r"\1", html)
        count += links
        html = re.sub(r"\s(?:integrity|crossorigin)=\"[^\"]*\"", "", html)
        if not have_vendor:
            html = html.replace("</head>", f"<style>{FALLBACK_CSS}</style></head>", 1)
        page.write_text(html, encoding="utf-8")
    return count


class _CompiledTemplates(jinja2.FileSystemBytecodeCache):
    """Jinja's compiled templates, kept on disk and, once read or compiled, in this process.

    Great Expectations renders Data Docs with a new jinja environment for every build, which parses and compiles
    each of its ~36 templates again: about a third of a build of one run's pages. Each template is stored under
    its name and the checksum of its source (jinja's bucket), so a changed template is compiled again."""

    def __init__(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        super().__init__(str(directory))
        self.kept: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        kept = self.kept.get(bucket.key)
        if kept is not None:
            bucket.bytecode_from_string(kept)
        if bucket.code is None:
            super().load_bytecode(bucket)
            if bucket.code is not None:
                self.kept[bucket.key] = bucket.bytecode_to_string()

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.kept[bucket.key] = bucket.bytecode_to_string()
        super().dump_bytecode(bucket)


# the cache the next Data Docs build uses (set by compiled_templates), by folder: one per context, kept for the process
_TEMPLATES: dict[Path, _CompiledTemplates] = {}
_current: _CompiledTemplates | None = None


def compiled_templates(folder: Path) -> _CompiledTemplates:
    """Make the Data Docs builds that follow (in this thread, until the next call) use the compiled templates kept in
    ``folder`` (beside a warehouse's context): Great Expectations' page views get it as their jinja environment's
    bytecode cache. Returns the cache."""
    from great_expectations.render.view.view import DefaultJinjaView

    global _current
    cache = _TEMPLATES.get(folder)
    if cache is None:
        cache = _TEMPLATES[folder] = _CompiledTemplates(folder)
    _current = cache
    init = DefaultJinjaView.__init__
    if not getattr(init, "uses_compiled_templates", False):
        def with_compiled_templates(self, *args, **kwargs) -> None:
            init(self, *args, **kwargs)
            if _current is not None:
                self.env.bytecode_cache = _current

        with_compiled_templates.uses_compiled_templates = True
        DefaultJinjaView.__init__ = with_compiled_templates
    return cache
