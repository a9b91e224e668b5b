#!/usr/bin/env bash
# Builds the libFuzzer targets of test/fuzz with clang-14 (-Dfuzz=true) and runs each for a
# bounded time from its seed corpus. A crash, leak, sanitizer report or broken round-trip
# property fails CI and leaves the reproducer as build-fuzz/crash-*/<target>-*.
# Usage: .ci/fuzz.sh [SECONDS_PER_TARGET]   (default 30)
set -euo pipefail
cd "$(dirname "$0")/.."

seconds="${1:-30}"
build="${FUZZ_BUILD_DIR:-build-fuzz}"
rm -rf "$build"
CXX=clang++-14 meson setup "$build" --werror -Dfuzz=true -Dtests=false -Dsamples=false -Dcli=disabled
ninja -C "$build"

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
for source in test/fuzz/*_fuzz.cpp; do
  name="$(basename "$source" _fuzz.cpp)"
  # Fuzzing grows a scratch copy; the committed seeds stay as they are.
  work="$build/corpus/$name"
  mkdir -p "$work" "$build/crash"
  printf '\n--- %s (%ss)\n' "$name" "$seconds"
  "$build/test/fuzz/${name}_fuzz" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
    -print_final_stats=1 -artifact_prefix="$build/crash/$name-" \
    "$work" "test/fuzz/corpus/$name" 2>&1 | grep -v '^#[0-9]' || {
    echo "fuzz: $name failed; reproducer(s) in $build/crash/" >&2
    exit 1
  }
done
