#!/usr/bin/env bash
# scripts/bench.sh [--quick]: whole-process measurements for BENCHMARKS.md, in one run on
# this machine. Release build; each figure is the best wall time of 3 runs (1 with
# --quick) and the peak resident memory (`/usr/bin/time -v`).
#
#   1. `check` against the floor, the YAML event scan (saphyr-parser pulling every event
#      with its span: examples/scan.rs), on generated designs of 1k, 10k and 50k servers
#      (examples/generate.rs); JSON and text output; memory against the file's size.
#   2. Growth: time per server at 50k against 1k, for check, `cuts --max-size 2` and
#      `availability`.
#   3. Diagrams against Graphviz `dot -Tsvg` on the DOT that `--format dot` emits, for
#      every shipped design and generated designs of 20 to 200 distinct servers, and a
#      10k-server design.
#   4. A design of about 100 MB, with the size limit raised.
# Installs Debian's graphviz when `dot` is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

runs=3
big=1
if [ "${1:-}" = "--quick" ]; then
  runs=1
  big=0
fi

if ! command -v dot >/dev/null 2>&1; then
  sudo=""
  [ "$(id -u)" = 0 ] || sudo=sudo
  $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq graphviz >/dev/null
fi

cargo build --release --quiet --bin infralint --example generate --example scan
bin=target/release/infralint
work=target/bench
mkdir -p "$work"

# best SECONDS (wall clock, to the millisecond) and peak KB (resident, from
# /usr/bin/time) of a command over $runs runs: prints "seconds kb"
measure() {
  local best="" kb=0 start end s k
  for _ in $(seq "$runs"); do
    start=$EPOCHREALTIME
    /usr/bin/time -f "%M" -o "$work/time.txt" "$@" >/dev/null 2>&1 || true
    end=$EPOCHREALTIME
    s=$(awk -v a="$start" -v b="$end" 'BEGIN{printf "%.3f", b - a}')
    read -r k <"$work/time.txt"
    if [ -z "$best" ] || awk -v a="$s" -v b="$best" 'BEGIN{exit !(a<b)}'; then best=$s; fi
    [ "$k" -gt "$kb" ] && kb=$k
  done
  echo "$best $kb"
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN{ if (b == 0) print "-"; else printf "%.2f", a / b }'; }
mb() { awk -v k="$1" 'BEGIN{ printf "%.0f", k / 1024 }'; }

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -sr)"
echo "infralint $(git rev-parse --short HEAD 2>/dev/null || echo '?'), $(rustc --version)"
echo

echo "## 1. check against the YAML event scan"
echo
echo "| servers | file | scan | check json | ratio | check text | text/json | peak memory (json) | memory/file |"
echo "|---|---|---|---|---|---|---|---|---|"
declare -A per_server
for n in 1000 10000 50000; do
  f="$work/generated-$n.yaml"
  [ -f "$f" ] || target/release/examples/generate "$n" >"$f"
  bytes=$(stat -c %s "$f")
  read -r scan scan_kb < <(measure target/release/examples/scan "$f")
  read -r json json_kb < <(measure "$bin" check --format json --fail-on never "$f")
  read -r text _ < <(measure "$bin" check --format text --fail-on never "$f")
  per_server[$n]=$json
  echo "| $n | $(awk -v b="$bytes" 'BEGIN{printf "%.1f MB", b/1e6}') | ${scan} s | ${json} s | $(ratio "$json" "$scan") | ${text} s | $(ratio "$text" "$json") | $(mb "$json_kb") MB | $(ratio "$((json_kb * 1024))" "$bytes") |"
done
echo

echo "## 2. growth: time per server, 50k against 1k"
echo
echo "| work | 1k | 50k | per server, 50k / 1k |"
echo "|---|---|---|---|"
for job in "check" "cuts --max-size 2" "availability"; do
  declare -A t=()
  for n in 1000 50000; do
    f="$work/generated-$n.yaml"
    if [ "$job" = check ]; then
      t[$n]=${per_server[$n]}
    else
      # shellcheck disable=SC2086
      read -r t[$n] _ < <(measure "$bin" $job "$f")
    fi
  done
  echo "| $job | ${t[1000]} s | ${t[50000]} s | $(awk -v a="${t[50000]}" -v b="${t[1000]}" 'BEGIN{ if (b == 0) print "-"; else printf "%.2f", (a/50)/b }') |"
done
echo

echo "## 3. diagrams against Graphviz"
echo
echo "| design | infralint diagram (svg) | dot -Tsvg on our DOT | ratio |"
echo "|---|---|---|---|"
diagram_row() {
  local name=$1 file=$2
  "$bin" diagram --format dot -o "$work/$name.dot" "$file" >/dev/null 2>&1 || true
  read -r ours _ < <(measure "$bin" diagram --format svg -o "$work/$name.svg" "$file")
  read -r theirs _ < <(measure dot -Tsvg -o "$work/$name.dot.svg" "$work/$name.dot")
  echo "| $name | ${ours} s | ${theirs} s | $(ratio "$ours" "$theirs") |"
}
for design in designs/*.yaml; do
  diagram_row "$(basename "$design" .yaml)" "$design"
done
for n in 20 50 100 200; do
  f="$work/distinct-$n.yaml"
  [ -f "$f" ] || target/release/examples/generate "$((n + 5))" --distinct >"$f"
  diagram_row "$n distinct servers" "$f"
done
read -r ours _ < <(measure "$bin" diagram --format svg -o "$work/10k.svg" "$work/generated-10000.yaml")
echo "| 10k servers (folded) | ${ours} s | | |"
echo

if [ "$big" = 1 ]; then
  echo "## 4. a 100 MB design"
  echo
  f="$work/generated-100mb.yaml"
  [ -f "$f" ] || target/release/examples/generate 204000 >"$f"
  bytes=$(stat -c %s "$f")
  runs=1
  read -r s kb < <(measure "$bin" check --format json --fail-on never --max-file-size 200 "$f")
  echo "| file | check json | peak memory |"
  echo "|---|---|---|"
  echo "| $(awk -v b="$bytes" 'BEGIN{printf "%.0f MB", b/1e6}') | ${s} s | $(mb "$kb") MB |"
fi
