// Schema resolution of the Avro 1.11 specification, for what avro-c's resolved writer does
// not do: it neither fills fields the reader adds from their defaults nor follows aliases,
// matches enums by index rather than symbol, and has no string<->bytes promotion. avro-c
// also drops defaults and aliases when it parses a schema, so they are read from the
// reader schema's JSON here.
//
// Design: a Resolution is computed once per (writer, reader) pair. When it finds nothing
// avro-c's resolved writer would get wrong (plain()), the deserializer keeps avro-c's
// resolved writer, which decodes straight into the reader value. Otherwise the payload is
// decoded into a writer value and copy() moves it into the reader value along a plan that
// mirrors the reader schema, every name looked up and every default built beforehand.
#pragma once

#include "internal.hpp"
#include "json_names.hpp"

#include <simdjson.h>

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace apicurio::avro::detail {

// A default value of a reader field. avro-c makes no values of a type alone that refers to
// a named type enclosing it (a linked list's ["null","Node"]): such a default is a part of
// a value of the whole reader schema, which `holder` keeps.
struct Default {
  Value holder;
  avro_value_t value{nullptr, nullptr};
  bool valid() const noexcept { return value.iface != nullptr; }
  const avro_value_t& get() const noexcept { return value; }
};

// What avro-c drops from the JSON of one named type of the reader schema.
struct NamedMeta {
  // Full names (an unqualified alias takes the type's namespace).
  std::vector<std::string> aliases;
  // The enum's default symbol, or -1.
  int enum_default = -1;
  // A record's fields, in order: their aliases and defaults (invalid: none).
  struct Field {
    std::vector<std::string> aliases;
    Default fallback;
  };
  std::vector<Field> fields;
};

class ReaderSchema;

// Fills `dest` (reset first) from `json`, a default value in `reader`: as from_json, but a
// union's value is its first branch's value, unwrapped, as the specification says, and a
// record's field left out takes the field's own default, as Java's encoder does (built
// before, since a type is defined before it is used). Throws RecordMismatchError naming
// the path inside the default.
void fill_default(const simdjson::dom::element& json, avro_value_t& dest,
                  const ReaderSchema& reader);

// The reader schema with its aliases and defaults. Immutable once built: any number of
// threads may read it, and its default values, at once.
class ReaderSchema {
 public:
  // `schema` is `text` parsed by avro-c. Builds every default; throws AvroSchemaError
  // naming the field ("$.address.zip") whose default does not match its type, or whose
  // enum default is not a symbol.
  ReaderSchema(Schema schema, std::string_view text);
  const Schema& schema() const noexcept { return schema_; }
  // The metadata of a named type of this schema (null for other types).
  const NamedMeta* named(avro_schema_t type) const noexcept;

 private:
  // How a value of the whole schema reaches the part collect() is at.
  struct Step {
    enum class Kind { field, item, value, branch } kind;
    int index;
  };
  void collect(const simdjson::dom::element& json, avro_schema_t type, const std::string& path);
  Default build_default(const simdjson::dom::element& json, avro_schema_t type,
                        const std::string& path) const;
  Schema schema_;
  std::map<avro_schema_t, NamedMeta> named_;
  std::vector<Step> trail_;  // from the root to where collect() is, while it runs
};

// One step of a resolution plan: how a writer's value becomes the reader's.
struct PlanNode {
  enum class Kind { scalar, fixed, enumeration, array, map, record, to_branch, from_union };
  Kind kind = Kind::scalar;
  avro_schema_t writer = nullptr;  // for messages
  avro_type_t from = AVRO_NULL, to = AVRO_NULL;
  int branch = -1;                  // to_branch: the reader's branch
  const PlanNode* child = nullptr;  // array items, map values, to_branch's value
  struct Field {
    int writer = -1;                 // the writer's field, or -1 for the default
    const PlanNode* node = nullptr;  // resolves the writer's field, or copies the default
    const avro_value_t* fallback = nullptr;
  };
  std::vector<Field> fields;              // record: one per reader field
  std::vector<int> symbols;               // enum: the reader's index per writer symbol, or -1
  std::vector<const PlanNode*> branches;  // from_union: per writer branch, null: no match
  std::vector<std::string> unmatched;     // from_union: why a branch has no match
};

// "com.example.Address", for messages.
inline std::string full_name(avro_schema_t named) {
  std::string out;
  append_branch_name(named, out);
  return out;
}

// How records of one writer schema become records of the reader schema.
class Resolution {
 public:
  // Resolves `writer` to the reader schema. Throws AvroSchemaError naming `artifact` and,
  // in its message, the reader field ("$.address.zip") that cannot be resolved.
  Resolution(std::shared_ptr<const ReaderSchema> reader, avro_schema_t writer,
             const std::string& artifact);
  ~Resolution();
  Resolution(const Resolution&) = delete;
  Resolution& operator=(const Resolution&) = delete;

  // True when avro-c's resolved writer gives the same records and errors as copy().
  bool plain() const noexcept { return plain_; }
  // Sets `to` (a reset value of the reader schema) from `from` (a value of the writer
  // schema). Throws RecordMismatchError naming the path for a record that cannot be
  // resolved (an enum symbol the reader lacks without a default, a union branch the reader
  // has no match for), AvroError when avro-c refuses a value. Any thread; no lock.
  void copy(const avro_value_t& from, avro_value_t& to) const;

 private:
  std::shared_ptr<const ReaderSchema> reader_;
  std::vector<std::unique_ptr<PlanNode>> nodes_;
  const PlanNode* root_ = nullptr;
  bool plain_ = true;
  friend class PlanBuilder;
};

}  // namespace apicurio::avro::detail
