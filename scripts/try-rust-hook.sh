#!/usr/bin/env bash
# scripts/try-rust-hook.sh [REV]: pre-commit's `infralint` hook (`language: rust`) as a
# user meets it the first time: a throw-away repository whose .pre-commit-config.yaml
# names this repository at REV (default: HEAD), a fresh pre-commit cache, then
# `pre-commit run --all-files`, timed. The first run builds infralint with cargo in the
# cache (minutes); the second reuses it. Not run by CI (the build alone would double
# it); its result is written in docs/ci.md. Needs pre-commit, git and cargo.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
rev=${1:-$(git -C "$root" rev-parse HEAD)}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export PRE_COMMIT_HOME="$work/cache"
mkdir "$work/repo" && cd "$work/repo"
git init -q .
cat >.pre-commit-config.yaml <<CONFIG
repos:
  - repo: $root
    rev: $rev
    hooks:
      - id: infralint
CONFIG
mkdir designs
cp "$root/tests/fixtures/clean/well_built.yaml" designs/site.yaml
git add -A
for run in first second; do
  start=$(date +%s)
  status=0
  pre-commit run --all-files --color never >"$work/$run.log" 2>&1 || status=$?
  echo "$run run: exit $status in $(($(date +%s) - start)) s"
  tail -3 "$work/$run.log"
done
echo "machine: $(nproc) cores, $(cargo --version)"
