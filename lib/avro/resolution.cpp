// The resolution plan of a (writer, reader) pair, built once, and the copy along it.
// Follows the specification's rules and, where it leaves a choice, Java's Resolver (the
// decoder of Apicurio's Java serdes): a union branch of the writer's own type is preferred
// to an earlier one it could be promoted to.
#include "resolution.hpp"
#include "json_names.hpp"

#include <fmt/format.h>

#include <cstring>
#include <string>

namespace apicurio::avro::detail {

namespace {

struct Mismatch {
  std::string message;
};

bool promotes(avro_type_t from, avro_type_t to) {
  switch (from) {
    case AVRO_INT32:
      return to == AVRO_INT64 || to == AVRO_FLOAT || to == AVRO_DOUBLE;
    case AVRO_INT64:
      return to == AVRO_FLOAT || to == AVRO_DOUBLE;
    case AVRO_FLOAT:
      return to == AVRO_DOUBLE;
    case AVRO_STRING:
      return to == AVRO_BYTES;
    case AVRO_BYTES:
      return to == AVRO_STRING;
    default:
      return false;
  }
}

}  // namespace

class PlanBuilder {
 public:
  PlanBuilder(Resolution& out, const ReaderSchema& reader) : out_(out), reader_(reader) {}

  const PlanNode* resolve(avro_schema_t w, avro_schema_t r, const std::string& path) {
    w = unlink(w);
    r = unlink(r);
    const auto key = std::make_pair(w, r);
    auto found = memo_.find(key);
    if (found != memo_.end()) return found->second;
    out_.nodes_.push_back(std::make_unique<PlanNode>());
    PlanNode& node = *out_.nodes_.back();
    node.writer = w;
    node.from = avro_typeof(w);
    node.to = avro_typeof(r);
    // Memoized first, for recursive types. On failure, every pair memoized since goes too:
    // one of them may refer to this node, which stays incomplete.
    const std::size_t mark = added_.size();
    memo_.emplace(key, &node);
    added_.push_back(key);
    try {
      build(node, w, r, path);
    } catch (...) {
      while (added_.size() > mark) {
        memo_.erase(added_.back());
        added_.pop_back();
      }
      throw;
    }
    return &node;
  }

 private:
  // resolve() without a trace: null when the pair does not resolve.
  const PlanNode* attempt(avro_schema_t w, avro_schema_t r, const std::string& path) {
    const bool was_plain = out_.plain_;
    try {
      return resolve(w, r, path);
    } catch (Mismatch& m) {
      out_.plain_ = was_plain;
      last_failure_ = std::move(m.message);
      return nullptr;
    }
  }

  void build(PlanNode& node, avro_schema_t w, avro_schema_t r, const std::string& path) {
    if (is_avro_union(w)) return from_union(node, w, r, path);
    if (is_avro_union(r)) return to_union(node, w, r, path);
    if (node.from != node.to) {
      if (!promotes(node.from, node.to)) {
        throw Mismatch{fmt::format("{}: the writer's {} cannot be read as the reader's {}", path,
                                   avro_schema_type_name(w), avro_schema_type_name(r))};
      }
      // avro-c has the numeric promotions but not string <-> bytes.
      if (node.from == AVRO_STRING || node.from == AVRO_BYTES) out_.plain_ = false;
      return;
    }
    if (is_avro_named_type(w)) match_names(w, r, path);
    switch (node.from) {
      case AVRO_RECORD:
        node.kind = PlanNode::Kind::record;
        return record(node, w, r, path);
      case AVRO_ENUM:
        node.kind = PlanNode::Kind::enumeration;
        return enumeration(node, w, r);
      case AVRO_FIXED:
        node.kind = PlanNode::Kind::fixed;
        if (avro_schema_fixed_size(w) != avro_schema_fixed_size(r)) {
          throw Mismatch{fmt::format("{}: fixed {} has {} bytes, the reader's {}", path,
                                     full_name(w), avro_schema_fixed_size(w),
                                     avro_schema_fixed_size(r))};
        }
        return;
      case AVRO_ARRAY:
        node.kind = PlanNode::Kind::array;
        node.child = resolve(avro_schema_array_items(w), avro_schema_array_items(r), path + "[]");
        return;
      case AVRO_MAP:
        node.kind = PlanNode::Kind::map;
        node.child = resolve(avro_schema_map_values(w), avro_schema_map_values(r), path + "{}");
        return;
      default:
        return;
    }
  }

  // The specification matches unqualified names, Java full names, avro-c unqualified ones:
  // either resolves here, as does an alias of the reader type (full or unqualified).
  void match_names(avro_schema_t w, avro_schema_t r, const std::string& path) {
    const std::string writer = full_name(w), reader = full_name(r);
    if (writer == reader) return;
    if (std::strcmp(avro_schema_name(w), avro_schema_name(r)) != 0) {
      const NamedMeta* meta = reader_.named(r);
      bool aliased = false;
      for (const std::string& alias : meta ? meta->aliases : std::vector<std::string>()) {
        // Unqualified names match as well, as the specification matches names (an alias
        // of a type without a namespace has no dot).
        const std::size_t dot = alias.rfind('.');
        const std::size_t start = dot == std::string::npos ? 0 : dot + 1;
        aliased = aliased || alias == writer ||
                  alias.compare(start, std::string::npos, avro_schema_name(w)) == 0;
      }
      if (!aliased) {
        throw Mismatch{
            fmt::format("{}: the writer's {} {} is not the reader's {} nor one of its "
                        "aliases",
                        path, avro_schema_type_name(w), writer, reader)};
      }
    }
    out_.plain_ = false;  // avro-c's fixed needs equal full names, and no resolver has aliases
  }

  void record(PlanNode& node, avro_schema_t w, avro_schema_t r, const std::string& path) {
    const NamedMeta* meta = reader_.named(r);
    const std::size_t count = avro_schema_record_size(r);
    node.fields.resize(count);
    for (std::size_t i = 0; i < count; ++i) {
      const int ri = static_cast<int>(i);
      const char* name = avro_schema_record_field_name(r, ri);
      const std::string here = path + "." + name;
      avro_schema_t type = avro_schema_record_field_get_by_index(r, ri);
      PlanNode::Field& field = node.fields[i];
      field.writer = avro_schema_record_field_get_index(w, name);
      if (field.writer < 0 && meta != nullptr && i < meta->fields.size()) {
        for (const std::string& alias : meta->fields[i].aliases) {
          if (field.writer < 0) field.writer = avro_schema_record_field_get_index(w, alias.c_str());
        }
      }
      if (field.writer >= 0) {
        if (std::strcmp(avro_schema_record_field_name(w, field.writer), name) != 0)
          out_.plain_ = false;
        field.node = resolve(avro_schema_record_field_get_by_index(w, field.writer), type, here);
        continue;
      }
      if (meta == nullptr || i >= meta->fields.size() || !meta->fields[i].fallback.valid()) {
        throw Mismatch{
            fmt::format("{}: the writer has no such field and the reader schema gives "
                        "it no default",
                        here)};
      }
      out_.plain_ = false;
      field.fallback = &meta->fields[i].fallback.get();
      field.node = resolve(type, type, here);
    }
  }

  void enumeration(PlanNode& node, avro_schema_t w, avro_schema_t r) {
    const NamedMeta* meta = reader_.named(r);
    const int fallback = meta ? meta->enum_default : -1;
    const int count = avro_schema_enum_number_of_symbols(w);
    node.symbols.resize(static_cast<std::size_t>(count));
    for (int i = 0; i < count; ++i) {
      int index = avro_schema_enum_get_by_name(r, avro_schema_enum_get(w, i));
      if (index < 0) index = fallback;
      node.symbols[static_cast<std::size_t>(i)] = index;
      // avro-c's resolved writer passes the writer's index through.
      if (index != i) out_.plain_ = false;
    }
  }

  void from_union(PlanNode& node, avro_schema_t w, avro_schema_t r, const std::string& path) {
    node.kind = PlanNode::Kind::from_union;
    const std::size_t count = avro_schema_union_size(w);
    bool any = false;
    for (std::size_t i = 0; i < count; ++i) {
      const PlanNode* branch = attempt(avro_schema_union_branch(w, static_cast<int>(i)), r, path);
      node.branches.push_back(branch);
      node.unmatched.push_back(branch ? std::string() : last_failure_);
      any = any || branch != nullptr;
      // avro-c fails such a record too, but as a payload error.
      if (branch == nullptr) out_.plain_ = false;
    }
    if (!any) {
      throw Mismatch{
          fmt::format("{}: no branch of the writer's union resolves to the reader's {} "
                      "(last: {})",
                      path, avro_schema_type_name(r), last_failure_)};
    }
  }

  // Java's bestBranch: the first branch of the writer's type (by name for named types),
  // else the first the writer's type resolves to.
  void to_union(PlanNode& node, avro_schema_t w, avro_schema_t r, const std::string& path) {
    node.kind = PlanNode::Kind::to_branch;
    const int count = static_cast<int>(avro_schema_union_size(r));
    int first_ok = -1;
    std::string why;  // a branch of the writer's type tells best why it does not resolve
    for (int pass = 0; pass < 2 && node.child == nullptr; ++pass) {
      last_failure_.clear();
      for (int i = 0; i < count && node.child == nullptr; ++i) {
        avro_schema_t branch = unlink(avro_schema_union_branch(r, i));
        if ((avro_typeof(branch) == avro_typeof(w)) != (pass == 0)) continue;
        node.child = attempt(w, branch, path);
        if (node.child != nullptr) node.branch = i;
      }
      if (why.empty()) why = last_failure_;
    }
    if (node.child == nullptr) {
      throw Mismatch{
          fmt::format("{}: the writer's {} matches no branch of the reader's union "
                      "(last: {})",
                      path, avro_schema_type_name(w), why)};
    }
    // avro-c takes the first branch that resolves, whatever its type.
    for (int i = 0; i < node.branch && first_ok < 0; ++i) {
      if (attempt(w, avro_schema_union_branch(r, i), path) != nullptr) first_ok = i;
    }
    if (first_ok >= 0) out_.plain_ = false;
  }

  Resolution& out_;
  const ReaderSchema& reader_;
  std::map<std::pair<avro_schema_t, avro_schema_t>, const PlanNode*> memo_;
  std::vector<std::pair<avro_schema_t, avro_schema_t>> added_;  // memo_'s keys, in order
  std::string last_failure_;  // why the last attempt failed, for messages
};

Resolution::Resolution(std::shared_ptr<const ReaderSchema> reader, avro_schema_t writer,
                       const std::string& artifact)
    : reader_(std::move(reader)) {
  try {
    root_ = PlanBuilder(*this, *reader_).resolve(writer, reader_->schema().get(), "$");
  } catch (const Mismatch& m) {
    throw AvroSchemaError(artifact, m.message);
  }
}

Resolution::~Resolution() = default;

}  // namespace apicurio::avro::detail
