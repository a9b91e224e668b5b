// Parsed schemas, values, and the calling thread's avro-c reader, writer and buffer.
#include "internal.hpp"

#include <fmt/format.h>

#include <atomic>
#include <stdexcept>

namespace apicurio::avro {

AvroSchemaError::AvroSchemaError(std::string artifact, std::string avro_message)
    : AvroError(fmt::format("avro-c cannot use the {}: {}", artifact, avro_message)),
      artifact_(std::move(artifact)),
      avro_message_(std::move(avro_message)) {}

RecordMismatchError::RecordMismatchError(std::string path, const std::string& problem)
    : AvroError(fmt::format("{}: {}", path, problem)), path_(std::move(path)) {}

Schema Schema::parse(std::string_view text, std::string_view name) {
  return Schema(detail::parse_schema(text, name, CachedSchema{}));
}

avro_schema_t Schema::get() const noexcept {
  return parsed_ ? parsed_->schema : nullptr;
}

avro_value_iface_t* Schema::value_class() const noexcept {
  return parsed_ ? parsed_->value_class : nullptr;
}

const CachedSchema& Schema::registered() const noexcept {
  static const CachedSchema none;
  return parsed_ ? parsed_->registered : none;
}

Value::Value(const Schema& schema) : Value(schema.value_class()) {}

Value::Value(avro_value_iface_t* value_class) {
  if (value_class == nullptr) throw std::invalid_argument("apicurio::avro::Value: no schema");
  if (avro_generic_value_new(value_class, &value_) != 0) {
    value_ = {nullptr, nullptr};
    throw AvroError(fmt::format("avro-c cannot create a value: {}", avro_strerror()));
  }
}

Value::~Value() {
  if (value_.iface != nullptr) avro_value_decref(&value_);
}

Value::Value(Value&& other) noexcept : value_(other.value_) {
  other.value_ = {nullptr, nullptr};
}

Value& Value::operator=(Value&& other) noexcept {
  if (this != &other) {
    if (value_.iface != nullptr) avro_value_decref(&value_);
    value_ = other.value_;
    other.value_ = {nullptr, nullptr};
  }
  return *this;
}

avro_schema_t Value::schema() const noexcept {
  return value_.iface ? avro_value_get_schema(&value_) : nullptr;
}

namespace detail {

ParsedSchema::~ParsedSchema() {
  avro_value_iface_decref(value_class);
  avro_schema_decref(schema);
}

namespace {

// jansson, avro-c's JSON parser, refuses the escape \u0000, which a bytes or fixed default
// such as "\u00ff\u0000" holds. A NUL can only be in what avro-c does not keep (defaults,
// docs, other properties; names and symbols cannot hold one), so avro-c is given \u0001
// instead; the reader schema's defaults are read from the original text (reader_schema.cpp).
std::string without_nul_escapes(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    out += text[i];
    if (text[i] != '\\' || i + 1 >= text.size()) continue;
    if (text.substr(i + 1, 5) == "u0000") {
      out += "u0001";
      i += 5;
    } else {
      out += text[++i];  // an escaped character, perhaps a backslash
    }
  }
  return out;
}

}  // namespace

std::shared_ptr<const ParsedSchema> parse_schema(std::string_view text, std::string_view name,
                                                 CachedSchema registered) {
  std::string copy;
  if (text.find("\\u0000") != std::string_view::npos) {
    copy = without_nul_escapes(text);
    text = copy;
  }
  avro_schema_t schema = nullptr;
  if (avro_schema_from_json_length(text.data(), text.size(), &schema) != 0) {
    throw AvroSchemaError(std::string(name), avro_strerror());
  }
  avro_value_iface_t* value_class = avro_generic_class_from_schema(schema);
  if (value_class == nullptr) {
    std::string why = avro_strerror();
    avro_schema_decref(schema);
    throw AvroSchemaError(std::string(name), why);
  }
  try {
    return std::make_shared<const ParsedSchema>(schema, value_class, std::move(registered));
  } catch (...) {
    avro_value_iface_decref(value_class);
    avro_schema_decref(schema);
    throw;
  }
}

std::string describe(const CachedSchema& s) {
  std::string out =
      s.artifact_id.empty() ? std::string("schema") : fmt::format("artifact {}", s.artifact_id);
  if (!s.version.empty()) out += fmt::format(" version {}", s.version);
  if (s.global_id >= 0) out += fmt::format(" (globalId {})", s.global_id);
  if (s.content_id >= 0) out += fmt::format(" (contentId {})", s.content_id);
  return out;
}

Schema SchemaTable::get(IdKind kind, std::int64_t id, const CachedSchema& registered) {
  const Key key{static_cast<int>(kind), id};
  {
    MutexLock lock(mutex_);
    auto found = index_.find(key);
    if (found != index_.end()) {
      order_.splice(order_.begin(), order_, found->second);
      return found->second->second;
    }
  }
  Schema parsed(parse_schema(registered.schema(), describe(registered), registered));
  MutexLock lock(mutex_);
  auto found = index_.find(key);
  if (found != index_.end()) return found->second->second;
  order_.emplace_front(key, parsed);
  index_.emplace(key, order_.begin());
  while (order_.size() > capacity_) {
    index_.erase(order_.back().first);
    order_.pop_back();
  }
  return parsed;
}

namespace {

struct ThreadIo {
  avro_writer_t writer = nullptr;
  avro_reader_t reader = nullptr;
  std::vector<char> scratch = std::vector<char>(4096);
  ~ThreadIo() {
    if (writer != nullptr) avro_writer_free(writer);
    if (reader != nullptr) avro_reader_free(reader);
  }
};

ThreadIo& thread_io() {
  thread_local ThreadIo io;
  return io;
}

std::atomic<std::uint64_t> owner_ids{1};

}  // namespace

avro_writer_t thread_writer(const char* buf, std::size_t size) {
  ThreadIo& io = thread_io();
  if (io.writer == nullptr) {
    io.writer = avro_writer_memory(buf, static_cast<std::int64_t>(size));
    if (io.writer == nullptr) throw std::bad_alloc();
  } else {
    avro_writer_memory_set_dest(io.writer, buf, static_cast<std::int64_t>(size));
  }
  return io.writer;
}

avro_reader_t thread_reader(const char* buf, std::size_t size) {
  ThreadIo& io = thread_io();
  if (io.reader == nullptr) {
    io.reader = avro_reader_memory(buf, static_cast<std::int64_t>(size));
    if (io.reader == nullptr) throw std::bad_alloc();
  } else {
    avro_reader_memory_set_source(io.reader, buf, static_cast<std::int64_t>(size));
  }
  return io.reader;
}

ByteView encode_to_scratch(avro_value_t& value) {
  std::vector<char>& buf = thread_io().scratch;
  for (;;) {
    avro_writer_t writer = thread_writer(buf.data(), buf.size());
    if (avro_value_write(writer, &value) == 0) {
      return ByteView(buf.data(), static_cast<std::size_t>(avro_writer_tell(writer)));
    }
    // A full buffer and a value avro-c cannot encode fail alike: the size tells them apart.
    std::string why = avro_strerror();
    std::size_t needed = 0;
    if (avro_value_sizeof(&value, &needed) != 0 || needed <= buf.size()) {
      throw AvroError(fmt::format("avro-c cannot encode the value: {}", why));
    }
    buf.resize(needed);
  }
}

std::uint64_t next_owner_id() noexcept {
  return owner_ids.fetch_add(1);
}

}  // namespace detail
}  // namespace apicurio::avro
