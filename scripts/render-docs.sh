#!/usr/bin/env bash
# Draws the shipped designs into docs/diagrams/ as SVG, and renders each SVG to PNG with
# headless Chromium at the drawing's own size, so that people can look at them (and the
# README can show one). Needs Debian's `chromium`.
set -euo pipefail
cd "$(dirname "$0")/.."
out=docs/diagrams
mkdir -p "$out"
cargo run --quiet --release -- diagram --today 2026-11-23 designs/ -o "$out"
for svg in "$out"/*.svg; do
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
done

# The answer report of design 2, as a page, and what a browser shows of it.
report=$(mktemp -d)
cargo run --quiet --release -- report --html --today 2026-11-23 \
  designs/2-secured_and_monitored_web_infrastructure.yaml -o "$report/report.html"
profile=$(mktemp -d)
chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
  --disable-background-networking --disable-component-update --disable-sync \
  --user-data-dir="$profile" --hide-scrollbars --window-size=1100,1800 \
  --screenshot="docs/report-2-secured_and_monitored_web_infrastructure.png" "file://$report/report.html" >/dev/null 2>&1
rm -rf "$profile" "$report"
echo "rendered docs/report-2-secured_and_monitored_web_infrastructure.png"

# The production design's report, as a page.
report=$(mktemp -d)
cargo run --quiet --release -- report --html --today 2026-11-23 \
  designs/production_shop.yaml -o "$report/report.html"
profile=$(mktemp -d)
chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
  --disable-background-networking --disable-component-update --disable-sync \
  --user-data-dir="$profile" --hide-scrollbars --window-size=1100,2400 \
  --screenshot="docs/report-production_shop.png" "file://$report/report.html" >/dev/null 2>&1
rm -rf "$profile" "$report"
echo "rendered docs/report-production_shop.png"
