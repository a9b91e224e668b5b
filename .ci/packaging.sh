#!/usr/bin/env bash
# CI for issue 9, packaging: install into a temporary prefix, then build and run the three
# ways a user's project takes apicurio (a Meson wrap, pkg-config, CMake find_package), and
# build the API reference with doxygen warnings as errors. Needs cmake and doxygen.
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
meson setup "$work/build" --werror -Davro=enabled -Dtests=false -Dsamples=false --prefix="$prefix" --libdir=lib
meson install -C "$work/build"
libdir="$prefix/$(meson introspect --buildoptions "$work/build" |
  python3 -c 'import json, sys; print(next(o["value"] for o in json.load(sys.stdin) if o["name"] == "libdir"))')"
test -f "$libdir/pkgconfig/apicurio.pc"
test -f "$libdir/cmake/apicurio/apicurioConfig.cmake"
test -f "$libdir/cmake/apicurio/apicurioConfigVersion.cmake"
test -f "$prefix/include/apicurio/version.hpp"
test -f "$libdir/pkgconfig/apicurio-avro.pc"
test -f "$libdir/cmake/apicurio-avro/apicurio-avroConfig.cmake"
test -f "$libdir/cmake/apicurio-avro/apicurio-avroConfigVersion.cmake"
test -f "$prefix/include/apicurio/avro.hpp"
if find "$prefix" -name '*emulator*' | grep -q .; then
  echo "the emulator must not be installed" >&2
  exit 1
fi

step "pkg-config consumer"
PKG_CONFIG_PATH="$libdir/pkgconfig" test/consumers/pkgconfig/build.sh "$work/pkgconfig-consumer" \
  "$work/pkgconfig-avro-consumer"
LD_LIBRARY_PATH="$libdir" "$work/pkgconfig-consumer"
LD_LIBRARY_PATH="$libdir" "$work/pkgconfig-avro-consumer"

step "CMake consumer (find_package(apicurio))"
cmake -S test/consumers/cmake -B "$work/cmake-build" -G Ninja -DCMAKE_PREFIX_PATH="$prefix"
cmake --build "$work/cmake-build"
# CMake puts the library's directory in the build tree's RPATH: no LD_LIBRARY_PATH needed.
"$work/cmake-build/cmake_consumer"
"$work/cmake-build/cmake_avro_consumer"

step "Meson consumer (subproject through subprojects/apicurio.wrap)"
# As a user's checkout with apicurio in subprojects/ (a clone or a git submodule): this
# working tree stands in for it, so what is tested is what is here, committed or not.
cp -r test/consumers "$work/consumers"
rm -rf "$work/consumers/meson/subprojects/apicurio"
ln -s "$repo" "$work/consumers/meson/subprojects/apicurio"
# --force-fallback-for: use the wrap even where an apicurio is installed system-wide.
meson setup "$work/meson-build" "$work/consumers/meson" --werror --wrap-mode=nodownload \
  --force-fallback-for=apicurio
meson test -C "$work/meson-build" --print-errorlogs

step "docs: doxygen with warnings as errors"
ninja -C "$work/build" docs
test -f "$work/build/docs/html/index.html"
