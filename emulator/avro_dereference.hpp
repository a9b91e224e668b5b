// references=DEREFERENCE for Avro, as the server's AvroDereferencer (schema-util/avro, 3.3.1)
// does it: parse every referenced schema, then the schema itself, with one Avro parser, and
// answer Avro's Schema.toString(): compact JSON in Avro's key order, each named type defined
// where it is first used and named (relative to the enclosing namespace) after that.
#pragma once

#include <string>
#include <vector>

namespace apicurio::emulator {

// `referenced`: the texts of every version the schema references, directly or not, those
// referenced by others first (RegistryContentUtils.recursivelyResolveReferences' order).
// Throws std::runtime_error for text that is not JSON.
std::string dereference_avro(const std::string& schema, const std::vector<std::string>& referenced);

}  // namespace apicurio::emulator
