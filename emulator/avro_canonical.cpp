#include "avro_canonical.hpp"

#include <simdjson.h>

#include <set>
#include <stdexcept>
#include <string_view>

#include "json_out.hpp"

namespace apicurio::emulator {
namespace {

using simdjson::dom::array;
using simdjson::dom::element;
using simdjson::dom::object;

struct NotAvro : std::runtime_error {
  NotAvro() : std::runtime_error("not an Avro schema") {}
};

const std::set<std::string_view> kPrimitives = {"null",  "boolean", "int",   "long",
                                                "float", "double",  "bytes", "string"};

// Attributes Avro reads itself; every other one is a property, written after them.
const std::set<std::string_view> kSchemaReserved = {"doc",       "fields",  "items",   "name",
                                                    "namespace", "size",    "symbols", "values",
                                                    "type",      "aliases", "default"};
const std::set<std::string_view> kFieldReserved = {"default", "doc",  "name",
                                                   "order",   "type", "aliases"};

struct Name {
  std::string space;  // "" for none
  std::string name;
  std::string full() const { return space.empty() ? name : space + "." + name; }
};

class Writer {
 public:
  std::string out;

  void schema(element e, const std::string& space) {
    std::string_view text;
    if (e.get(text) == simdjson::SUCCESS) return reference(text, space);
    array items;
    if (e.get(items) == simdjson::SUCCESS) {
      out += '[';
      bool first = true;
      for (element item : items) {
        if (!first) out += ',';
        first = false;
        schema(item, space);
      }
      out += ']';
      return;
    }
    object obj;
    if (e.get(obj) != simdjson::SUCCESS) throw NotAvro();
    std::string_view type;
    if (obj["type"].get(type) != simdjson::SUCCESS) {
      // {"type": {...}} or {"type": [...]}: Avro reads the inner schema.
      element inner;
      if (obj["type"].get(inner) != simdjson::SUCCESS) throw NotAvro();
      return schema(inner, space);
    }
    if (type == "record" || type == "error") return record(obj, type, space);
    if (type == "enum") return named_simple(obj, "enum", space);
    if (type == "fixed") return named_simple(obj, "fixed", space);
    if (type == "array" || type == "map") {
      element inner;
      if (obj[type == "array" ? "items" : "values"].get(inner) != simdjson::SUCCESS) {
        throw NotAvro();
      }
      out += "{\"type\":";
      out += json_quote(type);
      out += type == "array" ? ",\"items\":" : ",\"values\":";
      schema(inner, space);
      props(obj, kSchemaReserved);
      out += '}';
      return;
    }
    if (!kPrimitives.count(type)) {
      // {"type": "SomeName"} refers to a named type.
      if (has_props(obj, kSchemaReserved)) throw NotAvro();
      return reference(type, space);
    }
    if (!has_props(obj, kSchemaReserved)) {
      out += json_quote(type);
      return;
    }
    out += "{\"type\":";
    out += json_quote(type);
    props(obj, kSchemaReserved);
    out += '}';
  }

 private:
  std::set<std::string> defined_;

  static bool has_props(object obj, const std::set<std::string_view>& reserved) {
    for (auto field : obj) {
      if (!reserved.count(field.key)) return true;
    }
    return false;
  }

  void props(object obj, const std::set<std::string_view>& reserved) {
    for (auto field : obj) {
      if (reserved.count(field.key)) continue;
      out += ',';
      out += json_quote(field.key);
      out += ':';
      out += simdjson::minify(field.value);
    }
  }

  static Name name_of(object obj, const std::string& space) {
    std::string_view name;
    if (obj["name"].get(name) != simdjson::SUCCESS || name.empty()) throw NotAvro();
    Name result;
    const auto dot = name.rfind('.');
    if (dot != std::string_view::npos) {
      result.space = std::string(name.substr(0, dot));
      result.name = std::string(name.substr(dot + 1));
      return result;
    }
    result.name = std::string(name);
    std::string_view declared;
    if (obj["namespace"].get(declared) == simdjson::SUCCESS) {
      result.space = std::string(declared);
    } else {
      result.space = space;
    }
    return result;
  }

  // Avro writes "namespace" only where it differs from the enclosing one ("" to leave one).
  void write_name(const Name& name, const std::string& space) {
    out += ",\"name\":";
    out += json_quote(name.name);
    if (name.space != space) {
      out += ",\"namespace\":";
      out += json_quote(name.space);
    }
  }

  void define(const Name& name) {
    if (!defined_.insert(name.full()).second) throw NotAvro();  // redefined
  }

  void reference(std::string_view text, const std::string& space) {
    if (kPrimitives.count(text)) {
      out += json_quote(text);
      return;
    }
    std::string full(text);
    if (full.find('.') == std::string::npos && !space.empty() && !defined_.count(full)) {
      full = space + "." + full;
    }
    if (!defined_.count(full)) throw NotAvro();  // undefined (or a reference to elsewhere)
    const auto dot = full.rfind('.');
    const std::string ref_space = dot == std::string::npos ? "" : full.substr(0, dot);
    out +=
        json_quote(ref_space == space ? full.substr(dot == std::string::npos ? 0 : dot + 1) : full);
  }

  void record(object obj, std::string_view type, const std::string& space) {
    const Name name = name_of(obj, space);
    define(name);
    out += "{\"type\":";
    out += json_quote(type);
    write_name(name, space);
    out += ",\"doc\":\"\",\"fields\":[";
    array fields;
    if (obj["fields"].get(fields) != simdjson::SUCCESS) throw NotAvro();
    bool first = true;
    for (element item : fields) {
      object field;
      std::string_view field_name;
      element field_type;
      if (item.get(field) != simdjson::SUCCESS ||
          field["name"].get(field_name) != simdjson::SUCCESS ||
          field["type"].get(field_type) != simdjson::SUCCESS) {
        throw NotAvro();
      }
      if (!first) out += ',';
      first = false;
      out += "{\"name\":";
      out += json_quote(field_name);
      out += ",\"type\":";
      schema(field_type, name.space);
      out += ",\"doc\":\"\"";
      element value;
      if (field["default"].get(value) == simdjson::SUCCESS) {
        out += ",\"default\":";
        out += simdjson::minify(value);
      }
      std::string_view order;
      if (field["order"].get(order) == simdjson::SUCCESS && order != "ascending") {
        out += ",\"order\":";
        out += json_quote(order);
      }
      props(field, kFieldReserved);
      out += '}';
    }
    out += ']';
    props(obj, kSchemaReserved);
    out += '}';
  }

  void named_simple(object obj, const char* type, const std::string& space) {
    const Name name = name_of(obj, space);
    define(name);
    out += "{\"type\":\"";
    out += type;
    out += '"';
    write_name(name, space);
    out += ",\"doc\":\"\"";
    if (std::string_view(type) == "enum") {
      array symbols;
      if (obj["symbols"].get(symbols) != simdjson::SUCCESS) throw NotAvro();
      out += ",\"symbols\":";
      out += simdjson::minify(symbols);
    } else {
      std::uint64_t size = 0;
      if (obj["size"].get(size) != simdjson::SUCCESS) throw NotAvro();
      out += ",\"size\":" + std::to_string(size);
    }
    props(obj, kSchemaReserved);
    out += '}';
  }
};

}  // namespace

std::optional<std::string> avro_canonical(const std::string& content) {
  simdjson::dom::parser parser;
  element root;
  if (parser.parse(content).get(root) != simdjson::SUCCESS) return std::nullopt;
  try {
    Writer writer;
    writer.schema(root, "");
    return std::move(writer.out);
  } catch (const NotAvro&) {
    return std::nullopt;
  }
}

}  // namespace apicurio::emulator
