#!/usr/bin/env bash
# Local copies of the CSS/JS that Great Expectations' Data Docs load from public CDNs, from the
# npm registry, so that the pages render fully on a closed network (expectations/docs.py rewrites
# the CDN addresses to these files). Without npm the pages fall back to an inlined stylesheet.
set -uo pipefail
dest="$(dirname "$0")/../expectations/vendor"
[ -d "$dest/node_modules/bootstrap-datepicker" ] && exit 0
if ! command -v npm >/dev/null 2>&1; then
  echo "vendor: npm not found; Data Docs will use the built-in fallback stylesheet" >&2
  exit 0
fi
mkdir -p "$dest"
npm install --prefix "$dest" --no-save --no-audit --no-fund --legacy-peer-deps --loglevel=error \
  bootstrap@4.3.1 jquery@3.7.1 popper.js@1.12.9 bootstrap-table@1.19.1 @fortawesome/fontawesome-free@6.6.0 \
  bootstrap-datepicker@1.9.0 \
  >/dev/null 2>&1 || echo "vendor: npm install failed; Data Docs will use the built-in fallback stylesheet" >&2
exit 0
