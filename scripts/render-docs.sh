#!/usr/bin/env bash
# Draws the shipped designs into docs/diagrams/ as SVG, and renders each SVG to PNG with
# headless Chromium at the drawing's own size, so that people can look at them (and the
# README can show one). Needs Debian's `chromium`.
set -euo pipefail
cd "$(dirname "$0")/.."
out=docs/diagrams
mkdir -p "$out"
# An SVG to a PNG beside it, at the drawing's own size, with headless Chromium.
shoot() {
  local svg=$1 png width height profile
  png="${svg%.svg}.png"
  width=$(sed -n 's/^<svg [^>]*width="\([0-9.]*\)".*/\1/p' "$svg" | head -1)
  height=$(sed -n 's/^<svg [^>]*height="\([0-9.]*\)".*/\1/p' "$svg" | head -1)
  profile=$(mktemp -d)
  chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --user-data-dir="$profile" --hide-scrollbars \
    --window-size="${width%.*},${height%.*}" --screenshot="$png" "file://$PWD/$svg" >/dev/null 2>&1
  rm -rf "$profile"
  echo "rendered $png (${width%.*}x${height%.*})"
}

cargo run --quiet --release -- diagram --today 2026-11-23 designs/ -o "$out"
for svg in "$out"/[0-9gp]*.svg; do
  shoot "$svg"
done

# The production design placed by layout-rs, the engine before dagre: no containers.
cargo run --quiet --release -- diagram --today 2026-11-23 --layout layout-rs \
  designs/production_shop.yaml -o "$out/layout-rs-production_shop.svg"
shoot "$out/layout-rs-production_shop.svg"

# A tier too wide for one row, wrapped (20 distinct servers).
cargo run --quiet --release -- diagram --today 2026-11-23 \
  tests/fixtures/diagram/wide_tier.yaml -o "$out/wide_tier.svg"
shoot "$out/wide_tier.svg"

# A what-if of the production design: db-01 and app-01 failed.
# (simulate exits 1 when the failure stops requests, as it does here.)
cargo run --quiet --release -- simulate designs/production_shop.yaml --fail db-01,app-01 \
  --svg "$out/what-if-production_shop.svg" >/dev/null || [ $? -eq 1 ]
shoot "$out/what-if-production_shop.svg"

# An answer report as a page, and what a browser shows of it: report DESIGN PNG HEIGHT.
report_page() {
  local report profile
  report=$(mktemp -d)
  cargo run --quiet --release -- report --html --today 2026-11-23 "$1" -o "$report/report.html"
  profile=$(mktemp -d)
  chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --user-data-dir="$profile" --hide-scrollbars --window-size="1100,$3" \
    --screenshot="$2" "file://$report/report.html" >/dev/null 2>&1
  rm -rf "$profile" "$report"
  echo "rendered $2"
}
report_page designs/2-secured_and_monitored_web_infrastructure.yaml \
  docs/report-2-secured_and_monitored_web_infrastructure.png 1800
report_page designs/production_shop.yaml docs/report-production_shop.png 2400
