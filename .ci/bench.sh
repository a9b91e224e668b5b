#!/usr/bin/env bash
# CI: run every apicurio-bench mode once with tiny sizes, proving that each runs and prints
# one valid JSON object with the expected keys. Builds nothing: $1 is a build directory
# configured with -Dbench=true. The figures are not checked (CI machines are shared and noisy;
# see README.md, Performance, for measured figures).
set -euo pipefail
build=${1:?usage: .ci/bench.sh BUILD_DIR}
bench="$build/bench/apicurio-bench"
[ -x "$bench" ] || { echo "no $bench: configure the build with -Dbench=true" >&2; exit 1; }

check() {
  local keys=$1
  shift
  echo "+ apicurio-bench $* --json"
  "$bench" "$@" --json | python3 -c '
import json, sys
lines = [l for l in sys.stdin.read().splitlines() if l.strip()]
assert len(lines) == 1, f"expected one JSON line, got {len(lines)}"
obj = json.loads(lines[0])
want = sys.argv[1].split(",")
assert list(obj) == want, f"keys {list(obj)} != {want}"
for k, v in obj.items():
    assert k == "mode" or isinstance(v, (int, float)), f"{k} is not a number: {v!r}"
print(lines[0])
' "$keys"
}

check mode,threads,ns_per_call_median,calls_per_second cache-hit --threads 2 --seconds 1
check mode,artifacts,inflight,schemas_per_second,http_requests,p50_us,p99_us \
  cold --artifacts 200 --inflight 16
check mode,client_schemas_per_second,baseline_schemas_per_second,ratio \
  baseline-cold --artifacts 200 --inflight 16
check mode,requests_per_second limit-cold --artifacts 200 --inflight 16
check mode,callers,http_requests collapse --callers 50
check mode,cpu_ms_per_second idle --seconds 1
check mode,schemas,rss_bytes,held_bytes,ratio memory --schemas 200 --size 1024
modes=7
# The Avro modes, when the build has apicurio-avro (avro-c found).
if compgen -G "$build/lib/avro/libapicurio-avro*" >/dev/null; then
  serialize_keys=mode,threads,avro_c_records_per_second,library_records_per_second,ratio
  serialize_keys+=,foreign_schema_ratio,json_records_per_second,json_to_binary_ratio
  serialize_keys+=,avro_c_allocations_per_record,library_allocations_per_record
  serialize_keys+=,foreign_schema_allocations_per_record,json_allocations_per_record
  check "$serialize_keys" serialize --threads 2 --seconds 0.1
  deserialize_keys=mode,threads,avro_c_records_per_second,library_records_per_second,ratio
  deserialize_keys+=,avro_c_json_records_per_second,library_json_records_per_second,json_ratio
  deserialize_keys+=,avro_c_allocations_per_record,library_allocations_per_record
  deserialize_keys+=,avro_c_json_allocations_per_record,library_json_allocations_per_record
  check "$deserialize_keys" deserialize --threads 2 --seconds 0.1
  modes=9
fi

# The stand-in registry: cold against it must read every schema.
stand_in="$build/bench/apicurio-bench-stand-in"
port=$((20000 + RANDOM % 20000))
"$stand_in" --port "$port" >/dev/null &
stand_in_pid=$!
trap 'kill "$stand_in_pid" 2>/dev/null || true' EXIT
for _ in $(seq 50); do
  (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
  sleep 0.1
done
check mode,artifacts,inflight,schemas_per_second,http_requests,p50_us,p99_us \
  cold --url "http://127.0.0.1:$port/apis/registry/v3" --artifacts 200 --inflight 16
echo "bench: $modes modes ran, and cold against the stand-in"
