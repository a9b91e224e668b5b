#!/usr/bin/env bash
# Builds and runs the whole test suite under AddressSanitizer + UndefinedBehaviorSanitizer,
# then under ThreadSanitizer, both with clang-14. Any report fails the test that caused it.
# Usage: .ci/sanitizers.sh [asan|tsan]...   (default: both)
set -euo pipefail
cd "$(dirname "$0")/.."

# clang links the sanitizer runtimes into executables only, so libapicurio.so keeps
# undefined runtime symbols: b_lundef=false. The tests stay debuggable but optimised.
common=(--werror -Dbuildtype=debugoptimized -Db_lundef=false)

# Suppressions match function names, so reports must be symbolized: llvm-14 provides the
# symbolizer, and only under a versioned name unless the "llvm" package is there too.
symbolizer=/usr/lib/llvm-14/bin/llvm-symbolizer
if [ ! -x "$symbolizer" ]; then
  echo "sanitizers: $symbolizer is missing (Debian package llvm-14)" >&2
  exit 1
fi
export ASAN_SYMBOLIZER_PATH="$symbolizer"

run_asan() {
  rm -rf build-asan
  CXX=clang++-14 meson setup build-asan "${common[@]}" -Db_sanitize=address,undefined \
    -Dcpp_args="-fno-omit-frame-pointer -fno-sanitize-recover=all"
  ninja -C build-asan
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:strict_string_checks=1:detect_stack_use_after_return=1 \
    UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    APICURIO_STRESS_DIVISOR="${APICURIO_STRESS_DIVISOR_ASAN:-1}" \
    meson test -C build-asan --print-errorlogs --timeout-multiplier 3
}

tsan_works() {
  local probe
  probe="$(mktemp -d)"
  printf '#include <thread>\nint main() { std::thread([] {}).join(); }\n' >"$probe/probe.cpp"
  clang++-14 -fsanitize=thread "$probe/probe.cpp" -o "$probe/probe" && "$probe/probe" >/dev/null 2>&1
  local works=$?
  rm -rf "$probe"
  return "$works"
}

run_tsan() {
  rm -rf build-tsan
  CXX=clang++-14 meson setup build-tsan "${common[@]}" -Db_sanitize=thread \
    -Dcpp_args=-fno-omit-frame-pointer
  ninja -C build-tsan
  # clang-14's TSan cannot map its shadow memory when the kernel randomises mmap with more
  # than 28 bits ("unexpected memory mapping"); then run without address randomisation.
  local wrapper=()
  if ! tsan_works; then
    echo "sanitizers.sh: TSan needs ASLR off on this kernel; running under setarch -R"
    wrapper=(setarch "$(uname -m)" -R)
  fi
  # halt_on_error: a race fails its test at once, with the report in the test's log.
  TSAN_OPTIONS="halt_on_error=1:second_deadlock_stack=1:suppressions=$PWD/.ci/tsan.supp:external_symbolizer_path=$symbolizer" \
    APICURIO_STRESS_DIVISOR="${APICURIO_STRESS_DIVISOR_TSAN:-1}" \
    "${wrapper[@]}" meson test -C build-tsan --print-errorlogs --timeout-multiplier 3
}

for kind in "${@:-asan tsan}"; do
  for one in $kind; do
    case "$one" in
      asan) run_asan ;;
      tsan) run_tsan ;;
      *) echo "sanitizers.sh: unknown sanitizer '$one' (asan or tsan)" >&2; exit 2 ;;
    esac
  done
done
