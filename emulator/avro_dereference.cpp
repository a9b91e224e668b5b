#include "avro_dereference.hpp"

#include <fmt/format.h>
#include <simdjson.h>

#include <algorithm>
#include <map>
#include <set>
#include <stdexcept>

#include "json_out.hpp"

namespace apicurio::emulator {
namespace {

using simdjson::dom::element;
using simdjson::dom::object;

const std::set<std::string_view> kPrimitives = {"null",  "boolean", "int",   "long",
                                                "float", "double",  "bytes", "string"};
// Keys Avro's Schema reads itself (Schema.SCHEMA_RESERVED); the rest are properties, written
// back after the schema's own keys in the order given.
const std::set<std::string_view> kSchemaReserved = {"doc",       "fields",  "items",   "name",
                                                    "namespace", "size",    "symbols", "values",
                                                    "type",      "aliases", "default"};
const std::set<std::string_view> kFieldReserved = {"default", "doc",  "name",
                                                   "order",   "type", "aliases"};

std::string_view text_of(object o, std::string_view key) {
  std::string_view value;
  if (o[key].get(value) != simdjson::SUCCESS) return {};
  return value;
}

bool has(object o, std::string_view key) {
  element value;
  return o[key].get(value) == simdjson::SUCCESS;
}

bool is_named(std::string_view type) {
  return type == "record" || type == "error" || type == "enum" || type == "fixed";
}

// A named type's full name and namespace, as Avro's Name(name, space) splits them.
struct Name {
  std::string full;
  std::string space;  // "" is the null namespace
  std::string simple;
};

Name name_of(object o, const std::string& enclosing) {
  const std::string name(text_of(o, "name"));
  Name n;
  const auto dot = name.rfind('.');
  if (dot != std::string::npos) {
    n.space = name.substr(0, dot);
    n.simple = name.substr(dot + 1);
  } else {
    n.simple = name;
    n.space = has(o, "namespace") ? std::string(text_of(o, "namespace")) : enclosing;
  }
  n.full = n.space.empty() ? n.simple : n.space + "." + n.simple;
  return n;
}

class Writer {
 public:
  // Registers the named types `root` defines, with the namespace in force at each.
  void define(element root, const std::string& space) {
    if (root.is_array()) {
      const simdjson::dom::array branches = root.get_array().value();
      for (element branch : branches)
        define(branch, space);
      return;
    }
    object o;
    if (root.get(o) != simdjson::SUCCESS) return;
    std::string_view type = text_of(o, "type");
    if (is_named(type)) {
      const Name n = name_of(o, space);
      definitions_.emplace(n.full, std::make_pair(root, n.space));
      if (type == "record" || type == "error") {
        simdjson::dom::array fields;
        if (o["fields"].get(fields) == simdjson::SUCCESS) {
          for (element field : fields) {
            element field_type;
            if (field["type"].get(field_type) == simdjson::SUCCESS) define(field_type, n.space);
          }
        }
      }
      return;
    }
    element inner;
    if (o["type"].get(inner) == simdjson::SUCCESS && !inner.is_string()) define(inner, space);
    if (o["items"].get(inner) == simdjson::SUCCESS) define(inner, space);
    if (o["values"].get(inner) == simdjson::SUCCESS) define(inner, space);
  }

  // Schema.toJson(names, gen) with names.space == `space`.
  void write(element schema, const std::string& space) {
    if (schema.is_string()) return write_name_ref(std::string(schema.get_string().value()), space);
    if (schema.is_array()) {
      out_ += '[';
      bool first = true;
      const simdjson::dom::array branches = schema.get_array().value();
      for (element branch : branches) {
        if (!first) out_ += ',';
        first = false;
        write(branch, space);
      }
      out_ += ']';
      return;
    }
    object o = schema.get_object().value();
    element type_element = o["type"].value();
    if (!type_element.is_string()) return write(type_element, space);  // {"type": {...}}
    const std::string type(type_element.get_string().value());
    if (is_named(type)) return write_named(o, type, name_of(o, space), space);
    if (type == "array" || type == "map") {
      const char* child = type == "array" ? "items" : "values";
      out_ += fmt::format(R"({{"type":"{}","{}":)", type, child);
      write(o[child].value(), space);
      write_props(o, kSchemaReserved);
      out_ += '}';
      return;
    }
    if (kPrimitives.count(type) != 0) {
      // A primitive with properties (a logicalType, say) keeps its object form.
      std::string props;
      std::swap(props, out_);
      write_props(o, kSchemaReserved);
      std::swap(props, out_);
      if (props.empty()) {
        out_ += json_quote(type);
      } else {
        out_ += fmt::format(R"({{"type":{}{}}})", json_quote(type), props);
      }
      return;
    }
    write_name_ref(type, space);
  }

  std::string take() { return std::move(out_); }

 private:
  void write_name_ref(const std::string& name, const std::string& space) {
    if (kPrimitives.count(name) != 0) {
      out_ += json_quote(name);
      return;
    }
    // Schema.Names: the name in the enclosing namespace first, then as given.
    std::string full = name;
    if (name.find('.') == std::string::npos && !space.empty() &&
        definitions_.count(space + "." + name) != 0) {
      full = space + "." + name;
    }
    auto def = definitions_.find(full);
    if (def == definitions_.end()) {
      out_ += json_quote(name);  // undefined: the server's parser would have refused it
      return;
    }
    object o = def->second.first.get_object().value();
    write_named(o, std::string(text_of(o, "type")), name_of(o, def->second.second), space);
  }

  void write_named(object o, const std::string& type, const Name& n, const std::string& space) {
    if (known_.count(n.full) != 0) {
      // Name.getQualified(names.space): the simple name inside its own namespace.
      out_ += json_quote(n.space == space ? n.simple : n.full);
      return;
    }
    known_.insert(n.full);
    out_ += fmt::format(R"({{"type":"{}","name":{})", type, json_quote(n.simple));
    if (!n.space.empty() && n.space != space) {
      out_ += fmt::format(R"(,"namespace":{})", json_quote(n.space));
    } else if (n.space.empty() && !space.empty()) {
      out_ += R"(,"namespace":"")";
    }
    if (has(o, "doc")) out_ += fmt::format(R"(,"doc":{})", json_quote(text_of(o, "doc")));
    if (type == "record" || type == "error") {
      out_ += R"(,"fields":[)";
      bool first = true;
      const simdjson::dom::array fields = o["fields"].get_array().value();
      for (element field : fields) {
        if (!first) out_ += ',';
        first = false;
        write_field(field.get_object().value(), n.space);
      }
      out_ += ']';
    } else if (type == "enum") {
      out_ += R"(,"symbols":)" + simdjson::minify(o["symbols"].value());
      if (has(o, "default")) out_ += R"(,"default":)" + simdjson::minify(o["default"].value());
    } else {
      out_ += R"(,"size":)" + simdjson::minify(o["size"].value());
    }
    write_props(o, kSchemaReserved);
    if (has(o, "aliases")) out_ += R"(,"aliases":)" + simdjson::minify(o["aliases"].value());
    out_ += '}';
  }

  void write_field(object f, const std::string& space) {
    out_ += fmt::format(R"({{"name":{},"type":)", json_quote(text_of(f, "name")));
    write(f["type"].value(), space);
    if (has(f, "doc")) out_ += fmt::format(R"(,"doc":{})", json_quote(text_of(f, "doc")));
    if (has(f, "default")) out_ += R"(,"default":)" + simdjson::minify(f["default"].value());
    const std::string_view order = text_of(f, "order");
    if (!order.empty() && order != "ascending") out_ += fmt::format(R"(,"order":"{}")", order);
    if (has(f, "aliases")) out_ += R"(,"aliases":)" + simdjson::minify(f["aliases"].value());
    write_props(f, kFieldReserved);
    out_ += '}';
  }

  void write_props(object o, const std::set<std::string_view>& reserved) {
    for (auto [key, value] : o) {
      if (reserved.count(key) != 0) continue;
      out_ += fmt::format(",{}:{}", json_quote(key), simdjson::minify(value));
    }
  }

  std::map<std::string, std::pair<element, std::string>> definitions_;
  std::set<std::string> known_;
  std::string out_;
};

}  // namespace

std::string dereference_avro(const std::string& schema,
                             const std::vector<std::string>& referenced) {
  // One parser per document: the elements must outlive the writer.
  std::vector<std::unique_ptr<simdjson::dom::parser>> parsers;
  auto parse = [&](const std::string& text) {
    parsers.push_back(std::make_unique<simdjson::dom::parser>());
    element root;
    if (parsers.back()->parse(text).get(root) != simdjson::SUCCESS) {
      throw std::runtime_error("not JSON: " + text.substr(0, 60));
    }
    return root;
  };
  Writer writer;
  for (const std::string& text : referenced)
    writer.define(parse(text), "");
  element root = parse(schema);
  writer.define(root, "");
  writer.write(root, "");
  return writer.take();
}

}  // namespace apicurio::emulator
