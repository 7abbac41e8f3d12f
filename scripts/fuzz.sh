#!/usr/bin/env bash
# scripts/fuzz.sh [SECONDS] [TARGET...]: runs each fuzz target for SECONDS (default 60)
# on its corpus under fuzz/corpus/, seeded from the shipped designs and every fixture.
# Targets: check_bytes (raw bytes as a design), structured (generated designs that reach
# the rules), lsp_session (the language server's message loop, `lsp::replay`), config
# (any text as infralint.toml). Needs cargo-fuzz (`cargo install cargo-fuzz`); the stable toolchain works with
# RUSTC_BOOTSTRAP=1. Built without a sanitizer (the code is safe Rust; libFuzzer still
# finds panics, overflows with debug assertions on, timeouts and memory blow-ups).
# A crash is saved under fuzz/artifacts/TARGET/: copy it to tests/fixtures/fuzz/ so that
# `cargo test` replays it for ever (tests/it/fuzz_regressions.rs).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=(check_bytes structured lsp_session config)
fi
export RUSTC_BOOTSTRAP=1
mkdir -p fuzz/corpus/check_bytes fuzz/corpus/structured fuzz/corpus/lsp_session fuzz/corpus/config
cp -n fuzz/seeds/config/*.toml fuzz/corpus/config/
for f in designs/*.yaml tests/fixtures/*/*.yaml; do
  cp -n "$f" "fuzz/corpus/check_bytes/$(basename "$(dirname "$f")")__$(basename "$f")"
done
for target in "${targets[@]}"; do
  echo "== fuzzing $target for $seconds s"
  cargo fuzz run --sanitizer none --debug-assertions "$target" -- \
    -max_total_time="$seconds" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
    -print_final_stats=1 2>&1 | grep -E "^(stat::|==|INFO: .*(corpus|Done)|.*(panicked|ERROR|SUMMARY|crash|Test unit written))" || true
  if compgen -G "fuzz/artifacts/$target/*" >/dev/null; then
    echo "fuzz/artifacts/$target/ holds a crash:"
    ls "fuzz/artifacts/$target/"
    exit 1
  fi
done
