// The union branch names of the Avro JSON encoding, shared by the JSON reader and writer:
// the full name of a named type ("com.example.Address"), else the type's name ("string",
// "array", "map"). avro-c's avro_schema_type_name gives a named type's short name.
#pragma once

#include <avro.h>

#include <cstring>
#include <string>
#include <string_view>

namespace apicurio::avro::detail {

inline avro_schema_t unlink(avro_schema_t schema) {
  return is_avro_link(schema) ? avro_schema_link_target(schema) : schema;
}

inline std::string_view schema_namespace(avro_schema_t named) {
  const char* space = avro_schema_namespace(named);
  return space != nullptr ? std::string_view(space) : std::string_view();
}

inline void append_branch_name(avro_schema_t branch, std::string& out) {
  branch = unlink(branch);
  if (!is_avro_named_type(branch)) {
    out += avro_schema_type_name(branch);
    return;
  }
  const std::string_view space = schema_namespace(branch);
  if (!space.empty()) {
    out += space;
    out += '.';
  }
  out += avro_schema_name(branch);
}

inline bool branch_matches(avro_schema_t branch, std::string_view key) {
  branch = unlink(branch);
  if (!is_avro_named_type(branch)) return key == avro_schema_type_name(branch);
  const std::string_view space = schema_namespace(branch);
  const std::string_view name = avro_schema_name(branch);
  if (space.empty()) return key == name;
  return key.size() == space.size() + 1 + name.size() && key.substr(0, space.size()) == space &&
         key[space.size()] == '.' && key.substr(space.size() + 1) == name;
}

}  // namespace apicurio::avro::detail
