#!/bin/sh
# Builds the consumer the way a Makefile user would, with the flags pkg-config gives for an
# installed apicurio. Usage: build.sh OUTPUT [AVRO_OUTPUT [KAFKA_OUTPUT]] (PKG_CONFIG_PATH
# must reach apicurio.pc; with AVRO_OUTPUT, apicurio-avro.pc too; with KAFKA_OUTPUT,
# apicurio-kafka.pc too).
set -eu
here=$(dirname "$0")
# shellcheck disable=SC2046
${CXX:-c++} -std=c++17 -Wall -Wextra -Werror -o "$1" "$here/../consumer.cpp" \
  $(pkg-config --cflags --libs apicurio)
if [ $# -ge 2 ]; then
  # shellcheck disable=SC2046
  ${CXX:-c++} -std=c++17 -Wall -Wextra -Werror -o "$2" "$here/../avro_consumer.cpp" \
    $(pkg-config --cflags --libs apicurio-avro)
fi
if [ $# -ge 3 ]; then
  # shellcheck disable=SC2046
  ${CXX:-c++} -std=c++17 -Wall -Wextra -Werror -o "$3" "$here/../kafka_consumer.cpp" \
    $(pkg-config --cflags --libs apicurio-kafka)
fi
