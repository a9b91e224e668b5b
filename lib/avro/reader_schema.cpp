// The reader schema's aliases and defaults, which avro-c drops: its JSON is walked beside
// the avro-c schema it became, so each named type's metadata is keyed by avro-c's node.
#include "json_names.hpp"
#include "resolution.hpp"

#include <fmt/format.h>

#include <cstring>
#include <set>
#include <vector>

namespace apicurio::avro::detail {
namespace {

using simdjson::dom::element;

[[noreturn]] void bad(const std::string& path, const std::string& problem) {
  throw AvroSchemaError("reader schema", fmt::format("{}: {}", path, problem));
}

// The aliases of `json` as full names: the specification qualifies an unqualified alias
// of a named type with the type's namespace; field aliases stay as they are.
std::vector<std::string> aliases_of(const element& json, std::string_view space) {
  std::vector<std::string> out;
  simdjson::dom::array list;
  if (json["aliases"].get(list) != simdjson::SUCCESS) return out;
  for (element alias : list) {
    std::string_view name;
    if (alias.get(name) != simdjson::SUCCESS) continue;
    if (space.empty() || name.find('.') != std::string_view::npos) {
      out.emplace_back(name);
    } else {
      out.push_back(fmt::format("{}.{}", space, name));
    }
  }
  return out;
}

// Adds the named types `type` defines to `defined`, and those it refers to by a link to
// `used`.
void gather(avro_schema_t type, std::set<avro_schema_t>& defined,
            std::vector<avro_schema_t>& used) {
  if (is_avro_link(type)) {
    used.push_back(avro_schema_link_target(type));
    return;
  }
  if (is_avro_named_type(type) && !defined.insert(type).second) return;
  if (is_avro_record(type)) {
    for (std::size_t i = 0; i < avro_schema_record_size(type); ++i)
      gather(avro_schema_record_field_get_by_index(type, static_cast<int>(i)), defined, used);
  } else if (is_avro_union(type)) {
    for (std::size_t i = 0; i < avro_schema_union_size(type); ++i)
      gather(avro_schema_union_branch(type, static_cast<int>(i)), defined, used);
  } else if (is_avro_array(type)) {
    gather(avro_schema_array_items(type), defined, used);
  } else if (is_avro_map(type)) {
    gather(avro_schema_map_values(type), defined, used);
  }
}

// Whether avro-c can make values of `type` alone: it cannot when `type` refers to a named
// type that encloses it (and leaks what it built when it fails, so it is not tried).
bool self_contained(avro_schema_t type) {
  std::set<avro_schema_t> defined;
  std::vector<avro_schema_t> used;
  gather(type, defined, used);
  for (avro_schema_t target : used) {
    if (defined.count(target) == 0) return false;
  }
  return true;
}

}  // namespace

// A value of `type` holding `json`, the default given at `path` (trail_ leads there).
Default ReaderSchema::build_default(const element& json, avro_schema_t type,
                                    const std::string& path) const {
  Default out;
  // A named type used again is a link, which avro-c makes values of only inside its target.
  type = unlink(type);
  if (self_contained(type)) {
    avro_value_iface_t* value_class = avro_generic_class_from_schema(type);
    if (value_class == nullptr) bad(path, fmt::format("avro-c: {}", avro_strerror()));
    out.holder = Value(value_class);
    avro_value_iface_decref(value_class);
    out.value = out.holder.get();
  } else {
    // The type refers to a named type enclosing it: a value of the whole schema has it.
    out.holder = Value(schema_);
    avro_value_t at = out.holder.get();
    for (const Step& step : trail_) {
      avro_value_t next;
      int rc = 0;
      switch (step.kind) {
        case Step::Kind::field:
          rc = avro_value_get_by_index(&at, static_cast<std::size_t>(step.index), &next, nullptr);
          break;
        case Step::Kind::item:
          rc = avro_value_append(&at, &next, nullptr);
          break;
        case Step::Kind::value:
          rc = avro_value_add(&at, "", &next, nullptr, nullptr);
          break;
        case Step::Kind::branch:
          rc = avro_value_set_branch(&at, step.index, &next);
          break;
      }
      if (rc != 0) bad(path, fmt::format("avro-c: {}", avro_strerror()));
      at = next;
    }
    out.value = at;
  }
  try {
    fill_default(json, out.value, *this);
  } catch (const RecordMismatchError& e) {
    bad(path, fmt::format("the default does not match the field's type: {}", e.what()));
  }
  return out;
}

ReaderSchema::ReaderSchema(Schema schema, std::string_view text) : schema_(std::move(schema)) {
  simdjson::dom::parser parser;
  element root;
  if (auto error = parser.parse(text.data(), text.size()).get(root)) {
    bad("$", fmt::format("not JSON: {}", simdjson::error_message(error)));
  }
  collect(root, schema_.get(), "$");
}

const NamedMeta* ReaderSchema::named(avro_schema_t type) const noexcept {
  auto found = named_.find(unlink(type));
  return found == named_.end() ? nullptr : &found->second;
}

// `json` is the JSON that avro-c parsed into `type`; `path` names where it is, by fields.
void ReaderSchema::collect(const element& json, avro_schema_t type, const std::string& path) {
  type = unlink(type);
  simdjson::dom::array branches;
  if (json.get(branches) == simdjson::SUCCESS) {
    if (!is_avro_union(type)) return;
    int i = 0;
    for (element branch : branches) {
      if (static_cast<std::size_t>(i) >= avro_schema_union_size(type)) break;
      trail_.push_back({Step::Kind::branch, i});
      collect(branch, avro_schema_union_branch(type, i++), path);
      trail_.pop_back();
    }
    return;
  }
  simdjson::dom::object object;
  // A name: a primitive, or a type defined elsewhere in the schema.
  if (json.get(object) != simdjson::SUCCESS) return;
  element inner;
  if (object["type"].get(inner) != simdjson::SUCCESS) return;
  if (!inner.is_string()) {
    collect(inner, type, path);  // {"type": {...}} or {"type": [...]}
    return;
  }
  if (is_avro_array(type)) {
    element items;
    if (object["items"].get(items) == simdjson::SUCCESS) {
      trail_.push_back({Step::Kind::item, 0});
      collect(items, avro_schema_array_items(type), path + "[]");
      trail_.pop_back();
    }
    return;
  }
  if (is_avro_map(type)) {
    element values;
    if (object["values"].get(values) == simdjson::SUCCESS) {
      trail_.push_back({Step::Kind::value, 0});
      collect(values, avro_schema_map_values(type), path + "{}");
      trail_.pop_back();
    }
    return;
  }
  if (!is_avro_named_type(type) || named_.count(type) != 0) return;
  NamedMeta& meta = named_[type];
  meta.aliases = aliases_of(json, schema_namespace(type));
  if (is_avro_enum(type)) {
    std::string_view symbol;
    if (object["default"].get(symbol) == simdjson::SUCCESS) {
      meta.enum_default = symbol.size() == std::strlen(symbol.data())
                              ? avro_schema_enum_get_by_name(type, symbol.data())
                              : -1;
      if (meta.enum_default < 0) {
        bad(path, fmt::format("the default \"{}\" is not a symbol of enum {}", symbol,
                              avro_schema_name(type)));
      }
    }
    return;
  }
  if (!is_avro_record(type)) return;
  simdjson::dom::array fields;
  if (object["fields"].get(fields) != simdjson::SUCCESS) return;
  meta.fields.resize(avro_schema_record_size(type));
  std::size_t i = 0;
  for (element field : fields) {
    if (i >= meta.fields.size()) break;
    const std::string here = path + "." + avro_schema_record_field_name(type, static_cast<int>(i));
    avro_schema_t field_type = avro_schema_record_field_get_by_index(type, static_cast<int>(i));
    trail_.push_back({Step::Kind::field, static_cast<int>(i)});
    element field_json;
    if (field["type"].get(field_json) == simdjson::SUCCESS) collect(field_json, field_type, here);
    NamedMeta::Field& f = meta.fields[i];
    f.aliases = aliases_of(field, std::string_view());
    element fallback;
    if (field["default"].get(fallback) == simdjson::SUCCESS) {
      f.fallback = build_default(fallback, field_type, here);
    }
    trail_.pop_back();
    ++i;
  }
}

}  // namespace apicurio::avro::detail
