// The Avro modes in a build without apicurio-avro (avro-c was not found).
#include "bench.hpp"

#include <cstdio>

namespace apicurio::bench {

namespace {
int absent(const Args& args) {
  std::fprintf(stderr,
               "apicurio-bench %s: this build has no apicurio-avro (configure with avro-c "
               "installed, -Davro=enabled)\n",
               args.mode.c_str());
  return 2;
}
}  // namespace

int run_serialize(const Args& args, Target&) {
  return absent(args);
}

int run_deserialize(const Args& args, Target&) {
  return absent(args);
}

}  // namespace apicurio::bench
