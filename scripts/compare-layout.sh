#!/usr/bin/env bash
# scripts/compare-layout.sh [DESIGN...]: our diagram layout (ENGINE=dagre|layout-rs for another
# engine of ours) beside Graphviz's `dot` on the
# same scene (the DOT that `--format dot` emits), for the shipped designs by default: a
# markdown table of crossings, bends, area and label collisions for both (how each is
# measured: src/diagram/measure.rs). Installs Debian's graphviz when `dot` is missing.
# With ENGINES=1, our two engines side by side (layout-rs and dugong, a Rust port of dagre),
# with containers and the time of each layout: issue 14's engine spike.
# MONITORING=lines|badges draws monitoring that way (default: auto).
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v dot >/dev/null 2>&1; then
  sudo=""
  [ "$(id -u)" = 0 ] || sudo=sudo
  $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq graphviz >/dev/null
fi
if [ $# -eq 0 ]; then
  set -- designs/*.yaml tests/fixtures/diagram/*.yaml tests/fixtures/diagram/generated/*.yaml
fi
cargo run --quiet --release --example compare_layout -- "$@"
