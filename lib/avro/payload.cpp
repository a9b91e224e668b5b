// Checks a payload against its writer schema before avro-c decodes it. avro-c trusts what
// it reads: it allocates a string's or bytes' claimed length before reading them, and
// appends as many array items as a block claims, so a few garbage bytes could ask for
// terabytes or loop for ever. This walk allocates nothing and bounds each of those by the
// bytes actually there; it also gives the value's exact length, which tells trailing bytes.
// Each thread keeps the walk's form of the 8 writer schemas it checked last.
#include "internal.hpp"

#include <fmt/format.h>

#include <array>
#include <map>
#include <memory>
#include <vector>

namespace apicurio::avro::detail {
namespace {

// Items that take no bytes (null, empty records) cannot be bounded by the bytes left, so
// they are bounded by this, per payload.
constexpr std::size_t kMaxFreeItems = 1 << 16;
// Levels of records, unions, arrays, maps and recursive links: avro-c decodes, and values
// are printed and freed, by recursion, about 130 bytes of stack a level, so this bounds the
// stack a hostile payload can make them use to about 400 KiB (a linked list: 3 levels a
// node, 1000 nodes).
constexpr int kMaxDepth = 3000;

// The writer schema as the walk needs it, built once: avro-c's accessors cost more than the
// walk (a hash lookup for each record field), a sixth of a decode for a record of 20 fields.
struct Node {
  avro_type_t type = AVRO_NULL;
  // Record fields and union branches: kids[first .. first + count); array and map: the item
  // node at `first`; link: the target at `first`. Enum: count symbols; fixed: size bytes.
  std::uint32_t first = 0;
  std::uint32_t count = 0;
  std::int64_t size = 0;
};

struct Plan {
  std::vector<Node> nodes;  // the root first
  std::vector<std::uint32_t> kids;
};

class PlanBuilder {
 public:
  explicit PlanBuilder(Plan& plan) : plan_(plan) {}

  std::uint32_t add(avro_schema_t schema) {
    // A link's target is a named schema that encloses it or came before it: found here.
    const bool named = is_avro_named_type(schema);
    if (named) {
      auto found = named_.find(schema);
      if (found != named_.end()) return found->second;
    }
    const auto index = static_cast<std::uint32_t>(plan_.nodes.size());
    plan_.nodes.emplace_back();
    if (named) named_.emplace(schema, index);
    Node node;
    node.type = avro_typeof(schema);
    switch (node.type) {
      case AVRO_FIXED:
        node.size = avro_schema_fixed_size(schema);
        break;
      case AVRO_ENUM:
        node.count = static_cast<std::uint32_t>(avro_schema_enum_number_of_symbols(schema));
        break;
      case AVRO_ARRAY:
        node.first = add(avro_schema_array_items(schema));
        break;
      case AVRO_MAP:
        node.first = add(avro_schema_map_values(schema));
        break;
      case AVRO_UNION:
        add_kids(node, avro_schema_union_size(schema),
                 [&](int i) { return avro_schema_union_branch(schema, i); });
        break;
      case AVRO_RECORD:
        add_kids(node, avro_schema_record_size(schema),
                 [&](int i) { return avro_schema_record_field_get_by_index(schema, i); });
        break;
      case AVRO_LINK:
        node.first = add(avro_schema_link_target(schema));
        break;
      default:
        break;
    }
    plan_.nodes[index] = node;
    return index;
  }

 private:
  template <class Kid>
  void add_kids(Node& node, std::size_t count, Kid kid) {
    std::vector<std::uint32_t> kids;
    kids.reserve(count);
    for (std::size_t i = 0; i < count; ++i)
      kids.push_back(add(kid(static_cast<int>(i))));
    node.first = static_cast<std::uint32_t>(plan_.kids.size());
    node.count = static_cast<std::uint32_t>(count);
    plan_.kids.insert(plan_.kids.end(), kids.begin(), kids.end());
  }

  Plan& plan_;
  std::map<avro_schema_t, std::uint32_t> named_;
};

// The plans of the schemas this thread walked last. Each holds a reference to its schema, so
// that no other schema can take its address while the plan is kept.
class PlanCache {
 public:
  PlanCache() = default;
  PlanCache(const PlanCache&) = delete;
  PlanCache& operator=(const PlanCache&) = delete;
  ~PlanCache() {
    for (Entry& e : entries_) {
      if (e.schema != nullptr) avro_schema_decref(e.schema);
    }
  }

  const Plan& get(avro_schema_t schema) {
    for (const Entry& e : entries_) {
      if (e.schema == schema) return *e.plan;
    }
    auto plan = std::make_unique<Plan>();
    PlanBuilder(*plan).add(schema);
    Entry& slot = entries_[next_];
    next_ = (next_ + 1) % entries_.size();
    if (slot.schema != nullptr) avro_schema_decref(slot.schema);
    slot.schema = avro_schema_incref(schema);
    slot.plan = std::move(plan);
    return *slot.plan;
  }

 private:
  struct Entry {
    avro_schema_t schema = nullptr;
    std::unique_ptr<const Plan> plan;
  };
  std::array<Entry, 8> entries_;
  std::size_t next_ = 0;
};

class Walker {
 public:
  Walker(const Plan& plan, ByteView payload)
      : plan_(plan), p_(payload.data()), end_(payload.data() + payload.size()), begin_(p_) {}

  std::size_t walk() {
    value(0, 0);
    return static_cast<std::size_t>(p_ - begin_);
  }

 private:
  [[noreturn]] void fail(const std::string& what) const {
    throw PayloadError(fmt::format("Malformed Avro payload at byte {} of {}: {}", p_ - begin_,
                                   end_ - begin_, what));
  }

  std::int64_t varint(int max_bytes, const char* what) {
    std::uint64_t raw = 0;
    for (int i = 0; i < max_bytes; ++i) {
      if (p_ == end_) fail(fmt::format("truncated {}", what));
      const std::uint8_t b = *p_++;
      raw |= static_cast<std::uint64_t>(b & 0x7F) << (7 * i);
      if ((b & 0x80) == 0) {
        return static_cast<std::int64_t>(raw >> 1) ^ -static_cast<std::int64_t>(raw & 1);
      }
    }
    fail(fmt::format("{} longer than {} bytes", what, max_bytes));
  }

  void skip(std::int64_t n, const char* what) {
    if (n < 0) fail(fmt::format("negative {} length {}", what, n));
    if (n > end_ - p_) {
      fail(fmt::format("{} of {} bytes, but {} bytes are left", what, n, end_ - p_));
    }
    p_ += n;
  }

  void items(std::uint32_t item, bool keyed, int depth) {
    for (;;) {
      std::int64_t count = varint(10, "block count");
      if (count == 0) return;
      if (count < 0) {
        if (count == INT64_MIN) fail("block count out of range");
        count = -count;
        const std::int64_t size = varint(10, "block size");
        if (size < 0 || size > end_ - p_) fail(fmt::format("block size {} out of range", size));
      }
      for (std::int64_t i = 0; i < count; ++i) {
        const std::uint8_t* before = p_;
        if (keyed) skip(varint(10, "map key length"), "map key");
        value(item, depth + 1);
        if (p_ == before && ++free_items_ > kMaxFreeItems) {
          fail(fmt::format("more than {} items that take no bytes", kMaxFreeItems));
        }
      }
    }
  }

  void value(std::uint32_t index, int depth) {
    if (depth > kMaxDepth) {
      throw PayloadError(fmt::format(
          "Avro payload at byte {} of {} nests deeper than apicurio-avro's limit of {} levels "
          "(each record, union, array, map and recursive link is one), which bounds the stack "
          "decoding uses",
          p_ - begin_, end_ - begin_, kMaxDepth));
    }
    const Node& node = plan_.nodes[index];
    switch (node.type) {
      case AVRO_NULL:
        return;
      case AVRO_BOOLEAN:
        skip(1, "boolean");
        return;
      case AVRO_INT32: {
        const std::int64_t n = varint(5, "int");
        if (n < INT32_MIN || n > INT32_MAX) fail("int out of range");
        return;
      }
      case AVRO_INT64:
        varint(10, "long");
        return;
      case AVRO_FLOAT:
        skip(4, "float");
        return;
      case AVRO_DOUBLE:
        skip(8, "double");
        return;
      case AVRO_STRING:
        skip(varint(10, "string length"), "string");
        return;
      case AVRO_BYTES:
        skip(varint(10, "bytes length"), "bytes");
        return;
      case AVRO_FIXED:
        skip(node.size, "fixed");
        return;
      case AVRO_ENUM: {
        const std::int64_t symbol = varint(5, "enum index");
        if (symbol < 0 || symbol >= node.count) {
          fail(fmt::format("enum index {} out of range", symbol));
        }
        return;
      }
      case AVRO_ARRAY:
        items(node.first, false, depth);
        return;
      case AVRO_MAP:
        items(node.first, true, depth);
        return;
      case AVRO_UNION: {
        const std::int64_t branch = varint(10, "union index");
        if (branch < 0 || branch >= node.count) {
          fail(fmt::format("union index {} out of range", branch));
        }
        value(plan_.kids[node.first + static_cast<std::uint32_t>(branch)], depth + 1);
        return;
      }
      case AVRO_RECORD:
        for (std::uint32_t i = 0; i < node.count; ++i)
          value(plan_.kids[node.first + i], depth + 1);
        return;
      case AVRO_LINK:
        value(node.first, depth + 1);
        return;
      default:
        fail("a schema type avro-c does not decode");
    }
  }

  const Plan& plan_;
  const std::uint8_t* p_;
  const std::uint8_t* end_;
  const std::uint8_t* begin_;
  std::size_t free_items_ = 0;
};

}  // namespace

std::size_t check_payload(avro_schema_t schema, ByteView payload) {
  thread_local PlanCache plans;
  return Walker(plans.get(schema), payload).walk();
}

void decode_payload(avro_schema_t writer, ByteView payload, avro_value_t& dest,
                    const CachedSchema& registered) {
  const std::size_t used = check_payload(writer, payload);
  if (used != payload.size()) {
    throw PayloadError(fmt::format("{} bytes follow the record's {} bytes in the payload of {}",
                                   payload.size() - used, used, describe(registered)));
  }
  avro_reader_t reader = thread_reader(payload.chars().data(), payload.size());
  if (avro_value_read(reader, &dest) != 0) {
    throw PayloadError(fmt::format("avro-c cannot decode the payload of {}: {}",
                                   describe(registered), avro_strerror()));
  }
}

}  // namespace apicurio::avro::detail
