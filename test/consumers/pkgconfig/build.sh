#!/bin/sh
# Builds the consumer the way a Makefile user would, with the flags pkg-config gives for an
# installed apicurio. Usage: build.sh OUTPUT (PKG_CONFIG_PATH must reach apicurio.pc).
set -eu
here=$(dirname "$0")
# shellcheck disable=SC2046
${CXX:-c++} -std=c++17 -Wall -Wextra -Werror -o "$1" "$here/../consumer.cpp" \
  $(pkg-config --cflags --libs apicurio)
