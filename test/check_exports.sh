#!/usr/bin/env bash
# The shared library exports the public API only: no apicurio::detail symbol, except those
# a template in a public header needs at the user's side (none today: future.hpp's detail
# templates are all inline). Add such a symbol's demangled name to `allowed`, one per line.
# Usage: check_exports.sh path/to/libapicurio.so
set -euo pipefail
allowed=''
exported=$(nm -DC --defined-only "$1" | grep 'apicurio::detail' | sed 's/^[0-9a-f]* [A-Za-z] //' || true)
if [ -n "$allowed" ]; then
  exported=$(grep -vxF -e "$allowed" <<<"$exported" || true)
fi
if [ -n "$exported" ]; then
  echo "libapicurio exports internal symbols (mark the API with APICURIO_API instead):" >&2
  echo "$exported" >&2
  exit 1
fi
public=$(nm -DC --defined-only "$1" | grep -c 'apicurio::RegistryClient::' || true)
if [ "$public" -eq 0 ]; then
  echo "libapicurio exports no apicurio::RegistryClient member: is APICURIO_API empty?" >&2
  exit 1
fi
echo "libapicurio exports no apicurio::detail symbol; $public RegistryClient members"
