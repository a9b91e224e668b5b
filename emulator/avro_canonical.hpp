// The canonical form the registry compares Avro content in (canonical=true), after the
// server's EnhancedAvroContentCanonicalizer (apicurio-registry schema-util/avro), the one the
// AVRO artifact type uses in 3.3: the schema parsed and written back the way Avro's
// Schema.toString() writes it, with every doc replaced by "", names split into name and
// namespace as Avro resolves them, aliases and enum defaults dropped, and fields kept in
// their order.
#pragma once

#include <optional>
#include <string>

namespace apicurio::emulator {

/// The canonical text of an Avro schema, or nullopt when `content` is not a schema Avro
/// would parse (as far as this emulator checks). Never throws except std::bad_alloc.
std::optional<std::string> avro_canonical(const std::string& content);

}  // namespace apicurio::emulator
