#!/usr/bin/env bash
# CI for issue 9, packaging: install into a temporary prefix, then build and run the three
# ways a user's project takes apicurio (a Meson wrap, pkg-config, CMake find_package), and
# build the API reference with doxygen warnings as errors. Needs cmake and doxygen.
# Arguments are passed to `meson setup`; with -Dtesting=true the testing library
# (apicurio-testing, the emulator) is installed too and a user's test against it is built
# with pkg-config and with CMake. Without it, nothing of the emulator may be installed.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)

step() { printf '\n=== packaging: %s\n' "$*"; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
prefix="$work/prefix"

step "meson install into $prefix"
# An explicit libdir: without dpkg-dev, Meson picks lib64 on Debian, which Debian's CMake
# does not search for packages.
meson setup "$work/build" --werror -Davro=enabled -Dtests=false -Dsamples=false --prefix="$prefix" --libdir=lib \
  "$@"
meson install -C "$work/build"
option() {
  meson introspect --buildoptions "$work/build" |
    python3 -c 'import json, sys; print(next(o["value"] for o in json.load(sys.stdin) if o["name"] == sys.argv[1]))' "$1"
}
libdir="$prefix/$(option libdir)"
testing=$(option testing)
test -f "$libdir/pkgconfig/apicurio.pc"
test -f "$libdir/cmake/apicurio/apicurioConfig.cmake"
test -f "$libdir/cmake/apicurio/apicurioConfigVersion.cmake"
test -f "$prefix/include/apicurio/version.hpp"
test -f "$libdir/pkgconfig/apicurio-avro.pc"
test -f "$libdir/cmake/apicurio-avro/apicurio-avroConfig.cmake"
test -f "$libdir/cmake/apicurio-avro/apicurio-avroConfigVersion.cmake"
test -f "$prefix/include/apicurio/avro.hpp"
# apicurio-kafka (header-only) is built when librdkafka was found (-Dkafka): then its header,
# pkg-config file and CMake package are all installed, else none of them.
kafka=$(meson introspect --installed "$work/build" |
  python3 -c 'import json, sys; print(any(p.endswith("/apicurio/kafka.hpp") for p in json.load(sys.stdin).values()))')
if [ "$kafka" = True ]; then
  test -f "$libdir/pkgconfig/apicurio-kafka.pc"
  test -f "$libdir/cmake/apicurio-kafka/apicurio-kafkaConfig.cmake"
  test -f "$libdir/cmake/apicurio-kafka/apicurio-kafkaConfigVersion.cmake"
  test -f "$prefix/include/apicurio/kafka.hpp"
elif find "$prefix" -name '*kafka*' | grep -q .; then
  echo "nothing of apicurio-kafka may be installed without librdkafka" >&2
  exit 1
fi
if [ "$(option cli)" != disabled ]; then
  test -x "$prefix/bin/apicurio-cli"
  LD_LIBRARY_PATH="$libdir" "$prefix/bin/apicurio-cli" --help >/dev/null
fi
if [ "$testing" = True ]; then
  test -f "$libdir/pkgconfig/apicurio-testing.pc"
  test -f "$libdir/cmake/apicurio-testing/apicurio-testingConfig.cmake"
  test -f "$prefix/include/apicurio/testing/emulator.hpp"
  test -x "$prefix/bin/apicurio-emulator"
  # The public header stands alone: no cpp-httplib (a pimpl hides the server).
  if grep -Eq '#include.*httplib|httplib::' "$prefix/include/apicurio/testing/emulator.hpp"; then
    echo "the testing header must not expose cpp-httplib" >&2
    exit 1
  fi
elif find "$prefix" -name '*emulator*' -o -name '*testing*' | grep -q .; then
  echo "the emulator must not be installed without -Dtesting=true" >&2
  exit 1
fi

step "pkg-config consumer"
kafka_consumer=()
[ "$kafka" = True ] && kafka_consumer=("$work/pkgconfig-kafka-consumer")
PKG_CONFIG_PATH="$libdir/pkgconfig" test/consumers/pkgconfig/build.sh "$work/pkgconfig-consumer" \
  "$work/pkgconfig-avro-consumer" "${kafka_consumer[@]}"
LD_LIBRARY_PATH="$libdir" "$work/pkgconfig-consumer"
LD_LIBRARY_PATH="$libdir" "$work/pkgconfig-avro-consumer"
if [ "$kafka" = True ]; then
  LD_LIBRARY_PATH="$libdir" "$work/pkgconfig-kafka-consumer"
fi

step "CMake consumer (find_package(apicurio))"
cmake -S test/consumers/cmake -B "$work/cmake-build" -G Ninja -DCMAKE_PREFIX_PATH="$prefix" \
  -DAPICURIO_KAFKA="$([ "$kafka" = True ] && echo ON || echo OFF)"
cmake --build "$work/cmake-build"
# CMake puts the library's directory in the build tree's RPATH: no LD_LIBRARY_PATH needed.
"$work/cmake-build/cmake_consumer"
"$work/cmake-build/cmake_avro_consumer"
if [ "$kafka" = True ]; then
  "$work/cmake-build/cmake_kafka_consumer"
fi

if [ "$testing" = True ]; then
  step "apicurio-testing consumers: a user's test against the installed emulator"
  PKG_CONFIG_PATH="$libdir/pkgconfig" test/consumers/testing/build.sh "$work/testing-consumer"
  LD_LIBRARY_PATH="$libdir" "$work/testing-consumer"
  cmake -S test/consumers/testing -B "$work/testing-cmake-build" -G Ninja \
    -DCMAKE_PREFIX_PATH="$prefix"
  cmake --build "$work/testing-cmake-build"
  "$work/testing-cmake-build/testing_consumer"
fi

step "Meson consumer (subproject through subprojects/apicurio.wrap)"
# As a user's checkout with apicurio in subprojects/ (a clone or a git submodule): this
# working tree stands in for it, so what is tested is what is here, committed or not.
cp -r test/consumers "$work/consumers"
rm -rf "$work/consumers/meson/subprojects/apicurio"
ln -s "$repo" "$work/consumers/meson/subprojects/apicurio"
# --force-fallback-for: use the wrap even where an apicurio is installed system-wide.
meson setup "$work/meson-build" "$work/consumers/meson" --werror --wrap-mode=nodownload \
  --force-fallback-for=apicurio -Dkafka="$([ "$kafka" = True ] && echo enabled || echo disabled)"
meson test -C "$work/meson-build" --print-errorlogs

step "docs: doxygen with warnings as errors"
ninja -C "$work/build" docs
test -f "$work/build/docs/html/index.html"
