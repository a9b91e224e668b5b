#!/bin/sh
# Builds the testing consumer with the flags pkg-config gives for an installed apicurio and
# apicurio-testing. Usage: build.sh OUTPUT (PKG_CONFIG_PATH must reach both .pc files).
set -eu
here=$(dirname "$0")
# shellcheck disable=SC2046
${CXX:-c++} -std=c++17 -Wall -Wextra -Werror -o "$1" "$here/consumer.cpp" \
  $(pkg-config --cflags --libs apicurio apicurio-testing)
