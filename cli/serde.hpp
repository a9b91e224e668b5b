// serialize and deserialize: apicurio-avro's Serializer and Deserializer, one line at a time
// from stdin to stdout. Without apicurio-avro (avro-c not found at build time) they refuse.
#pragma once

#include "command_line.hpp"

#include <apicurio/registry.hpp>

#include <iosfwd>
#include <string>

namespace cli {

/// Throws UsageError when this build has no apicurio-avro and `inv` is serialize or
/// deserialize. Any thread; never blocks.
void check_serde_available(const Invocation& inv);

/// Runs serialize or deserialize: reads `in` a line at a time, writes and flushes one line
/// of `out` for each record. `schema` is the text of --schema FILE (serialize) or
/// --reader-schema FILE (deserialize), empty when the option was absent. Returns kOk at the
/// end of `in`; throws UsageError for a schema avro-c cannot parse, before reading `in`, and
/// StatusError "line N: ..." for the first line that fails (kBadRecord for a record that does
/// not match or is malformed, else the status of the registry's error). Blocks for the
/// registry: not on the client's event thread.
int run_serde(apicurio::RegistryClient& client, const Invocation& inv, const std::string& schema,
              std::istream& in, std::ostream& out);

}  // namespace cli
