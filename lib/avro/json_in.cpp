// JSON text in the Avro JSON encoding to an avro-c value, on simdjson: avro-c can print a
// value as JSON but has no reader for it. The walk follows the value (its avro-c type and
// schema), so named type references need no schema bookkeeping of ours.
#include "internal.hpp"
#include "json_names.hpp"
#include "resolution.hpp"

#include <fmt/format.h>
#include <simdjson.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <string>

namespace apicurio::avro {
namespace {

using simdjson::dom::element;
using simdjson::dom::element_type;

// Where the walk is, as a chain of stack frames: the path's text is built only to report
// an error, so a record that matches costs no allocation for it.
struct Path {
  const Path* parent = nullptr;
  std::string_view field;  // a field or map key, or empty for an array index
  std::size_t index = 0;
  // Set for a default value of this reader schema: a union's value is its first branch's,
  // unwrapped, and a record's field left out takes the field's own default (as Java's).
  const detail::ReaderSchema* defaults = nullptr;

  std::string text() const {
    std::string out = parent ? parent->text() : std::string("$");
    if (parent == nullptr) return out;
    if (field.data() != nullptr) return out + "." + std::string(field);
    return out + fmt::format("[{}]", index);
  }
};

std::string_view json_type(const element& e) {
  switch (e.type()) {
    case element_type::ARRAY:
      return "array";
    case element_type::OBJECT:
      return "object";
    case element_type::STRING:
      return "string";
    case element_type::BOOL:
      return "boolean";
    case element_type::NULL_VALUE:
      return "null";
    default:
      return "number";
  }
}

[[noreturn]] void mismatch(const Path& path, std::string_view expected, const element& got) {
  throw RecordMismatchError(path.text(),
                            fmt::format("expected {}, got {}", expected, json_type(got)));
}

[[noreturn]] void fail(const Path& path, const std::string& problem) {
  throw RecordMismatchError(path.text(), problem);
}

void check(int rc, const Path& path) {
  if (rc != 0) fail(path, fmt::format("avro-c refused the value: {}", avro_strerror()));
}

// The bytes a string of code points U+0000..U+00FF stands for (bytes and fixed).
const std::string& string_bytes(const element& e, const Path& path, std::string_view expected) {
  std::string_view text;
  if (e.get(text) != simdjson::SUCCESS) mismatch(path, expected, e);
  thread_local std::string bytes;
  bytes.clear();
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      bytes += static_cast<char>(c);
    } else if ((c == 0xC2 || c == 0xC3) && i + 1 < text.size()) {
      // U+0080..U+00FF: two UTF-8 bytes; simdjson has checked that the text is UTF-8.
      bytes +=
          static_cast<char>(((c & 0x03) << 6) | (static_cast<unsigned char>(text[++i]) & 0x3F));
    } else {
      fail(path, fmt::format("expected {} (characters U+0000..U+00FF), got a character above "
                             "U+00FF at offset {}",
                             expected, i));
    }
  }
  return bytes;
}

std::int64_t integer(const element& e, const Path& path, std::string_view expected,
                     std::int64_t low, std::int64_t high) {
  std::int64_t n = 0;
  if (e.get(n) != simdjson::SUCCESS) {
    if (e.is_number())
      fail(path,
           fmt::format("expected {}, got a number out of its range or with a fraction", expected));
    mismatch(path, expected, e);
  }
  if (n < low || n > high)
    fail(path, fmt::format("expected {}, got {} (out of range)", expected, n));
  return n;
}

double real(const element& e, const Path& path, std::string_view expected) {
  double d = 0;
  if (e.get(d) == simdjson::SUCCESS) return d;
  std::string_view text;
  if (e.get(text) == simdjson::SUCCESS) {
    // The JSON encoding of Java's encoder for values JSON numbers cannot carry.
    if (text == "NaN") return std::numeric_limits<double>::quiet_NaN();
    if (text == "Infinity") return std::numeric_limits<double>::infinity();
    if (text == "-Infinity") return -std::numeric_limits<double>::infinity();
  }
  mismatch(path, expected, e);
}

void fill(const element& e, avro_value_t& v, const Path& path);

void fill_record(const element& e, avro_value_t& v, const Path& path) {
  avro_schema_t schema = avro_value_get_schema(&v);
  simdjson::dom::object object;
  if (e.get(object) != simdjson::SUCCESS) {
    mismatch(path, fmt::format("record {}", avro_schema_name(schema)), e);
  }
  std::size_t fields = 0;
  check(avro_value_get_size(&v, &fields), path);
  std::size_t used = 0;
  for (std::size_t i = 0; i < fields; ++i) {
    avro_value_t child;
    const char* name = nullptr;
    check(avro_value_get_by_index(&v, i, &child, &name), path);
    element value;
    const Path here{&path, name, 0, path.defaults};
    if (object.at_key(name).get(value) != simdjson::SUCCESS) {
      const detail::NamedMeta* meta = path.defaults ? path.defaults->named(schema) : nullptr;
      if (meta == nullptr || i >= meta->fields.size() || !meta->fields[i].fallback.valid())
        fail(here, "missing field");
      check(avro_value_copy(&child, &meta->fields[i].fallback.get()), here);
      continue;
    }
    ++used;
    fill(value, child, here);
  }
  if (used != object.size()) {
    for (auto field : object) {
      if (avro_schema_record_field_get_index(schema, std::string(field.key).c_str()) < 0) {
        fail(path,
             fmt::format("field \"{}\" is not in record {}", field.key, avro_schema_name(schema)));
      }
    }
    fail(path, "a field appears twice");
  }
}

void fill_union(const element& e, avro_value_t& v, const Path& path) {
  avro_schema_t schema = avro_value_get_schema(&v);
  const std::size_t branches = avro_schema_union_size(schema);
  avro_value_t branch;
  if (path.defaults) {
    check(avro_value_set_branch(&v, 0, &branch), path);
    fill(e, branch, path);
    return;
  }
  if (e.is_null()) {
    for (std::size_t i = 0; i < branches; ++i) {
      if (is_avro_null(avro_schema_union_branch(schema, static_cast<int>(i)))) {
        check(avro_value_set_branch(&v, static_cast<int>(i), &branch), path);
        check(avro_value_set_null(&branch), path);
        return;
      }
    }
    fail(path, "got null, but the union has no null branch");
  }
  simdjson::dom::object object;
  if (e.get(object) != simdjson::SUCCESS || object.size() != 1) {
    fail(path, fmt::format("expected a union as null or {{\"branch type\": value}}, got {}",
                           e.is_object() ? "an object without exactly one key" : json_type(e)));
  }
  const auto member = *object.begin();
  for (std::size_t i = 0; i < branches; ++i) {
    if (detail::branch_matches(avro_schema_union_branch(schema, static_cast<int>(i)), member.key)) {
      check(avro_value_set_branch(&v, static_cast<int>(i), &branch), path);
      const Path here{&path, member.key, 0, path.defaults};
      fill(member.value, branch, here);
      return;
    }
  }
  std::string names;
  for (std::size_t i = 0; i < branches; ++i) {
    names += i ? ", " : "";
    detail::append_branch_name(avro_schema_union_branch(schema, static_cast<int>(i)), names);
  }
  fail(path, fmt::format("union branch \"{}\" is not one of: {}", member.key, names));
}

void fill(const element& e, avro_value_t& v, const Path& path) {
  switch (avro_value_get_type(&v)) {
    case AVRO_NULL:
      if (!e.is_null()) mismatch(path, "null", e);
      check(avro_value_set_null(&v), path);
      return;
    case AVRO_BOOLEAN: {
      bool b = false;
      if (e.get(b) != simdjson::SUCCESS) mismatch(path, "boolean", e);
      check(avro_value_set_boolean(&v, b), path);
      return;
    }
    case AVRO_INT32:
      check(avro_value_set_int(&v, static_cast<std::int32_t>(integer(
                                       e, path, "int", std::numeric_limits<std::int32_t>::min(),
                                       std::numeric_limits<std::int32_t>::max()))),
            path);
      return;
    case AVRO_INT64:
      check(
          avro_value_set_long(&v, integer(e, path, "long", std::numeric_limits<std::int64_t>::min(),
                                          std::numeric_limits<std::int64_t>::max())),
          path);
      return;
    case AVRO_FLOAT:
      check(avro_value_set_float(&v, static_cast<float>(real(e, path, "float"))), path);
      return;
    case AVRO_DOUBLE:
      check(avro_value_set_double(&v, real(e, path, "double")), path);
      return;
    case AVRO_STRING: {
      std::string_view text;
      if (e.get(text) != simdjson::SUCCESS) mismatch(path, "string", e);
      // The DOM's strings end with a NUL, which avro-c's length counts.
      check(avro_value_set_string_len(&v, text.data(), text.size() + 1), path);
      return;
    }
    case AVRO_BYTES: {
      const std::string& bytes = string_bytes(e, path, "bytes");
      check(avro_value_set_bytes(&v, const_cast<char*>(bytes.data()), bytes.size()), path);
      return;
    }
    case AVRO_FIXED: {
      avro_schema_t schema = avro_value_get_schema(&v);
      const std::string name = fmt::format("fixed {}", avro_schema_name(schema));
      const std::string& bytes = string_bytes(e, path, name);
      const auto size = static_cast<std::size_t>(avro_schema_fixed_size(schema));
      if (bytes.size() != size) {
        fail(path, fmt::format("expected {} of {} bytes, got {} bytes", name, size, bytes.size()));
      }
      check(avro_value_set_fixed(&v, const_cast<char*>(bytes.data()), bytes.size()), path);
      return;
    }
    case AVRO_ENUM: {
      avro_schema_t schema = avro_value_get_schema(&v);
      std::string_view symbol;
      if (e.get(symbol) != simdjson::SUCCESS) {
        mismatch(path, fmt::format("enum {} symbol", avro_schema_name(schema)), e);
      }
      // NUL-terminated in the DOM; a symbol with a NUL inside matches none.
      const int index = symbol.size() == std::strlen(symbol.data())
                            ? avro_schema_enum_get_by_name(schema, symbol.data())
                            : -1;
      if (index < 0) {
        fail(path,
             fmt::format("\"{}\" is not a symbol of enum {}", symbol, avro_schema_name(schema)));
      }
      check(avro_value_set_enum(&v, index), path);
      return;
    }
    case AVRO_ARRAY: {
      simdjson::dom::array array;
      if (e.get(array) != simdjson::SUCCESS) mismatch(path, "array", e);
      std::size_t i = 0;
      for (element item : array) {
        avro_value_t child;
        check(avro_value_append(&v, &child, nullptr), path);
        const Path here{&path, std::string_view(), i++, path.defaults};
        fill(item, child, here);
      }
      return;
    }
    case AVRO_MAP: {
      simdjson::dom::object object;
      if (e.get(object) != simdjson::SUCCESS) mismatch(path, "map", e);
      for (auto member : object) {
        avro_value_t child;
        int is_new = 0;
        const Path here{&path, member.key, 0, path.defaults};
        // Keys from the DOM end with a NUL too.
        check(avro_value_add(&v, member.key.data(), &child, nullptr, &is_new), here);
        if (!is_new) fail(here, "the key appears twice");
        fill(member.value, child, here);
      }
      return;
    }
    case AVRO_RECORD:
      fill_record(e, v, path);
      return;
    case AVRO_UNION:
      fill_union(e, v, path);
      return;
    default:
      fail(path, "a type avro-c's generic values do not have");
  }
}

}  // namespace

void from_json(std::string_view json, avro_value_t& dest) {
  thread_local simdjson::dom::parser parser;
  element root;
  if (auto error = parser.parse(json.data(), json.size()).get(root)) {
    throw RecordMismatchError("$", fmt::format("not JSON: {}", simdjson::error_message(error)));
  }
  avro_value_reset(&dest);
  fill(root, dest, Path{});
}

namespace detail {

void fill_default(const simdjson::dom::element& json, avro_value_t& dest,
                  const ReaderSchema& reader) {
  avro_value_reset(&dest);
  Path root;
  root.defaults = &reader;
  fill(json, dest, root);
}

}  // namespace detail
}  // namespace apicurio::avro
