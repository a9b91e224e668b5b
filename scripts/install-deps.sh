#!/bin/sh
# Installs, as root, the Debian 12 packages that apicurio-cpp needs to build and test, and
# only those that are missing. Extra package names given as arguments are added to the list.
set -eu

packages="g++ meson ninja-build pkg-config git ca-certificates libcurl4-openssl-dev \
libsimdjson-dev libfmt-dev libavro-dev librdkafka-dev catch2 libcpp-httplib-dev libcli11-dev libssl-dev openssl $*"

missing=""
for package in $packages; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing="$missing $package"
  fi
done

if [ -z "$missing" ]; then
  echo "install-deps: every package is already installed"
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "install-deps: missing packages:$missing; run this script as root to install them" >&2
  exit 1
fi

echo "install-deps: installing$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
# shellcheck disable=SC2086
apt-get install -y -q --no-install-recommends $missing
