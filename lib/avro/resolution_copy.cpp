// The copy of a writer's record into a reader's along a Resolution's plan: every name was
// looked up and every default built when the plan was, so this walk only reads and sets.
#include "json_names.hpp"
#include "resolution.hpp"

#include <fmt/format.h>

#include <cstdint>
#include <string>

namespace apicurio::avro::detail {

namespace {

// Where the copy is, as stack frames: the text is built only for an error.
struct Where {
  const Where* parent = nullptr;
  std::string_view field;  // a field or map key, or empty for an array index
  std::size_t index = 0;

  std::string text() const {
    if (parent == nullptr) return "$";
    if (field.data() != nullptr) return parent->text() + "." + std::string(field);
    return parent->text() + fmt::format("[{}]", index);
  }
};

void check(int rc) {
  if (rc != 0) throw AvroError(fmt::format("avro-c cannot resolve the value: {}", avro_strerror()));
}

template <class T>
void set_number(avro_value_t* to, avro_type_t type, T n) {
  switch (type) {
    case AVRO_INT64:
      return check(avro_value_set_long(to, static_cast<std::int64_t>(n)));
    case AVRO_FLOAT:
      return check(avro_value_set_float(to, static_cast<float>(n)));
    case AVRO_DOUBLE:
      return check(avro_value_set_double(to, static_cast<double>(n)));
    default:
      return check(avro_value_set_int(to, static_cast<std::int32_t>(n)));
  }
}

void copy_scalar(const PlanNode& node, avro_value_t* from, avro_value_t* to) {
  switch (node.from) {
    case AVRO_NULL:
      return check(avro_value_set_null(to));
    case AVRO_BOOLEAN: {
      int b = 0;
      check(avro_value_get_boolean(from, &b));
      return check(avro_value_set_boolean(to, b));
    }
    case AVRO_INT32: {
      std::int32_t n = 0;
      check(avro_value_get_int(from, &n));
      return set_number(to, node.to, n);
    }
    case AVRO_INT64: {
      std::int64_t n = 0;
      check(avro_value_get_long(from, &n));
      return set_number(to, node.to, n);
    }
    case AVRO_FLOAT: {
      float n = 0;
      check(avro_value_get_float(from, &n));
      return set_number(to, node.to, n);
    }
    case AVRO_DOUBLE: {
      double n = 0;
      check(avro_value_get_double(from, &n));
      return check(avro_value_set_double(to, n));
    }
    case AVRO_STRING: {
      const char* text = nullptr;
      std::size_t size = 0;  // with the NUL avro-c ends its strings with
      check(avro_value_get_string(from, &text, &size));
      if (size == 0) text = "", size = 1;
      if (node.to == AVRO_STRING) return check(avro_value_set_string_len(to, text, size));
      return check(avro_value_set_bytes(to, const_cast<char*>(text), size - 1));
    }
    case AVRO_BYTES: {
      const void* bytes = nullptr;
      std::size_t size = 0;
      check(avro_value_get_bytes(from, &bytes, &size));
      if (node.to == AVRO_BYTES)
        return check(avro_value_set_bytes(to, const_cast<void*>(bytes), size));
      // avro-c's strings end with a NUL, which bytes lack; the buffer is reused.
      thread_local std::string text;
      text.assign(static_cast<const char*>(bytes), size);
      return check(avro_value_set_string_len(to, text.c_str(), size + 1));
    }
    case AVRO_FIXED: {
      const void* bytes = nullptr;
      std::size_t size = 0;
      check(avro_value_get_fixed(from, &bytes, &size));
      return check(avro_value_set_fixed(to, const_cast<void*>(bytes), size));
    }
    default:
      throw AvroError("avro-c value of an unknown type");
  }
}

void copy(const PlanNode& node, avro_value_t* from, avro_value_t* to, const Where& where) {
  switch (node.kind) {
    case PlanNode::Kind::scalar:
    case PlanNode::Kind::fixed:
      return copy_scalar(node, from, to);
    case PlanNode::Kind::enumeration: {
      int symbol = 0;
      check(avro_value_get_enum(from, &symbol));
      const int index = symbol >= 0 && static_cast<std::size_t>(symbol) < node.symbols.size()
                            ? node.symbols[static_cast<std::size_t>(symbol)]
                            : -1;
      if (index < 0) {
        throw RecordMismatchError(
            where.text(),
            fmt::format("symbol \"{}\" of enum {} is not in the reader's enum, which has no "
                        "default",
                        avro_schema_enum_get(node.writer, symbol), full_name(node.writer)));
      }
      return check(avro_value_set_enum(to, index));
    }
    case PlanNode::Kind::array:
    case PlanNode::Kind::map: {
      std::size_t count = 0;
      check(avro_value_get_size(from, &count));
      for (std::size_t i = 0; i < count; ++i) {
        avro_value_t item, into;
        const char* key = nullptr;
        check(avro_value_get_by_index(from, i, &item, &key));
        if (node.kind == PlanNode::Kind::array) {
          check(avro_value_append(to, &into, nullptr));
        } else {
          check(avro_value_add(to, key, &into, nullptr, nullptr));
        }
        const Where here{&where, node.kind == PlanNode::Kind::map ? key : std::string_view(), i};
        copy(*node.child, &item, &into, here);
      }
      return;
    }
    case PlanNode::Kind::record:
      for (std::size_t i = 0; i < node.fields.size(); ++i) {
        const PlanNode::Field& field = node.fields[i];
        avro_value_t into, value;
        const char* name = nullptr;
        check(avro_value_get_by_index(to, i, &into, &name));
        if (field.writer >= 0) {
          check(avro_value_get_by_index(from, static_cast<std::size_t>(field.writer), &value,
                                        nullptr));
        } else {
          value = *field.fallback;
        }
        copy(*field.node, &value, &into, Where{&where, name, 0});
      }
      return;
    case PlanNode::Kind::to_branch: {
      avro_value_t branch;
      check(avro_value_set_branch(to, node.branch, &branch));
      return copy(*node.child, from, &branch, where);
    }
    case PlanNode::Kind::from_union: {
      int index = 0;
      avro_value_t branch;
      check(avro_value_get_discriminant(from, &index));
      check(avro_value_get_current_branch(from, &branch));
      const PlanNode* plan = index >= 0 && static_cast<std::size_t>(index) < node.branches.size()
                                 ? node.branches[static_cast<std::size_t>(index)]
                                 : nullptr;
      if (plan == nullptr) {
        std::string name;
        append_branch_name(avro_schema_union_branch(node.writer, index), name);
        throw RecordMismatchError(
            where.text(), fmt::format("the writer's union holds a {}, which the reader's schema "
                                      "has no match for ({})",
                                      name, node.unmatched[static_cast<std::size_t>(index)]));
      }
      return copy(*plan, &branch, to, where);
    }
  }
}

}  // namespace

void Resolution::copy(const avro_value_t& from, avro_value_t& to) const {
  detail::copy(*root_, const_cast<avro_value_t*>(&from), &to, Where{});
}

}  // namespace apicurio::avro::detail
