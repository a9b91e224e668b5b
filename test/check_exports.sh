#!/usr/bin/env bash
# A shared library exports the public API only: no symbol of its internal namespace, except
# those a template in a public header needs at the user's side (none today: future.hpp's
# detail templates are all inline). Add such a symbol's demangled name to `allowed`, one per
# line.
# Usage: check_exports.sh LIBRARY [INTERNAL PUBLIC...]
#   INTERNAL: the namespace that must not be exported (default apicurio::detail);
#   PUBLIC: text that at least one exported symbol must contain, each (default
#   apicurio::RegistryClient::), so that an empty export macro does not pass.
set -euo pipefail
lib=$1
internal=${2:-apicurio::detail}
if [ $# -ge 3 ]; then
  public=("${@:3}")
else
  public=('apicurio::RegistryClient::')
fi
allowed=''
symbols=$(nm -DC --defined-only "$lib" | sed 's/^[0-9a-f]* [A-Za-z] //')
exported=$(grep -F "$internal" <<<"$symbols" || true)
if [ -n "$allowed" ]; then
  exported=$(grep -vxF -e "$allowed" <<<"$exported" || true)
fi
if [ -n "$exported" ]; then
  echo "$lib exports internal symbols (mark the API with its export macro instead):" >&2
  echo "$exported" >&2
  exit 1
fi
for name in "${public[@]}"; do
  count=$(grep -cF "$name" <<<"$symbols" || true)
  if [ "$count" -eq 0 ]; then
    echo "$lib exports no $name: is the export macro empty?" >&2
    exit 1
  fi
  echo "$lib exports no $internal symbol; $count of $name"
done
