// An avro-c value to JSON text in the Avro JSON encoding. Ours rather than avro-c's
// avro_value_to_json, which names a union's named branch by its short name (the encoding
// wants the full name: {"com.example.Address": ...}), cannot print NaN or infinities, and
// builds a jansson tree (allocations per node) before printing.
#include "internal.hpp"
#include "json_names.hpp"

#include <fmt/format.h>
#include <simdjson.h>

#include <cmath>
#include <iterator>

namespace apicurio::avro {
namespace {

void check(int rc) {
  if (rc != 0) throw AvroError(fmt::format("avro-c cannot read the value: {}", avro_strerror()));
}

// The bytes of the well-formed UTF-8 character at text[i], or, negated, those of the
// longest start of one there (at least 1): Unicode's "maximal subpart", which Java's
// decoder also replaces by one U+FFFD.
int utf8_length(const unsigned char* text, std::size_t size, std::size_t i) {
  const unsigned char lead = text[i];
  int more = 0;
  unsigned char low = 0x80, high = 0xBF;  // the range of the byte after the lead
  if (lead < 0x80) return 1;
  if (lead >= 0xC2 && lead <= 0xDF) {
    more = 1;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    more = 2;
    if (lead == 0xE0) low = 0xA0;   // no overlong forms
    if (lead == 0xED) high = 0x9F;  // no surrogates
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    more = 3;
    if (lead == 0xF0) low = 0x90;
    if (lead == 0xF4) high = 0x8F;  // nothing above U+10FFFF
  } else {
    return -1;
  }
  for (int j = 1; j <= more; ++j) {
    if (i + j >= size || text[i + j] < low || text[i + j] > high) return -j;
    low = 0x80, high = 0xBF;
  }
  return more + 1;
}

// JSON-quotes text: UTF-8 passes through, so only quotes, backslashes and controls escape.
// avro-c does not check that a decoded string is UTF-8: what is not becomes U+FFFD, so that
// the JSON stays UTF-8.
void append_quoted(std::string& out, const char* text, std::size_t size) {
  const bool valid = simdjson::validate_utf8(text, size);
  out += '"';
  for (std::size_t i = 0; i < size; ++i) {
    const char c = text[i];
    if (!valid && static_cast<unsigned char>(c) >= 0x80) {
      const int n = utf8_length(reinterpret_cast<const unsigned char*>(text), size, i);
      if (n < 0) {
        out += "\xef\xbf\xbd";
      } else {
        out.append(text + i, static_cast<std::size_t>(n));
      }
      i += static_cast<std::size_t>(n < 0 ? -n : n) - 1;
    } else if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      fmt::format_to(std::back_inserter(out), "\\u{:04x}", static_cast<unsigned char>(c));
    } else {
      out += c;
    }
  }
  out += '"';
}

// Bytes as code points U+0000..U+00FF: printable ASCII as itself, the rest as \u00XX.
void append_bytes(std::string& out, const void* data, std::size_t size) {
  const auto* bytes = static_cast<const unsigned char*>(data);
  out += '"';
  for (std::size_t i = 0; i < size; ++i) {
    const unsigned char b = bytes[i];
    if (b >= 0x20 && b < 0x7F && b != '"' && b != '\\') {
      out += static_cast<char>(b);
    } else {
      fmt::format_to(std::back_inserter(out), "\\u{:04x}", b);
    }
  }
  out += '"';
}

template <class Real>
void append_real(std::string& out, Real r) {
  if (std::isnan(r)) {
    out += "\"NaN\"";
  } else if (std::isinf(r)) {
    out += r > 0 ? "\"Infinity\"" : "\"-Infinity\"";
  } else {
    // fmt's shortest form that reads back to the same value, always with a fraction or an
    // exponent, as Java writes it: "-0" would read back as the integer 0, losing the sign.
    const std::size_t start = out.size();
    fmt::format_to(std::back_inserter(out), "{}", r);
    if (out.find_first_of(".e", start) == std::string::npos) out += ".0";
  }
}

void append(std::string& out, const avro_value_t& cv) {
  auto* v = const_cast<avro_value_t*>(&cv);
  switch (avro_value_get_type(v)) {
    case AVRO_NULL:
      out += "null";
      return;
    case AVRO_BOOLEAN: {
      int b = 0;
      check(avro_value_get_boolean(v, &b));
      out += b ? "true" : "false";
      return;
    }
    case AVRO_INT32: {
      std::int32_t n = 0;
      check(avro_value_get_int(v, &n));
      fmt::format_to(std::back_inserter(out), "{}", n);
      return;
    }
    case AVRO_INT64: {
      std::int64_t n = 0;
      check(avro_value_get_long(v, &n));
      fmt::format_to(std::back_inserter(out), "{}", n);
      return;
    }
    case AVRO_FLOAT: {
      float f = 0;
      check(avro_value_get_float(v, &f));
      append_real(out, f);
      return;
    }
    case AVRO_DOUBLE: {
      double d = 0;
      check(avro_value_get_double(v, &d));
      append_real(out, d);
      return;
    }
    case AVRO_STRING: {
      const char* text = nullptr;
      std::size_t size = 0;  // with the NUL
      check(avro_value_get_string(v, &text, &size));
      append_quoted(out, text, size > 0 ? size - 1 : 0);
      return;
    }
    case AVRO_BYTES: {
      const void* data = nullptr;
      std::size_t size = 0;
      check(avro_value_get_bytes(v, &data, &size));
      append_bytes(out, data, size);
      return;
    }
    case AVRO_FIXED: {
      const void* data = nullptr;
      std::size_t size = 0;
      check(avro_value_get_fixed(v, &data, &size));
      append_bytes(out, data, size);
      return;
    }
    case AVRO_ENUM: {
      int index = 0;
      check(avro_value_get_enum(v, &index));
      const char* symbol = avro_schema_enum_get(avro_value_get_schema(v), index);
      if (symbol == nullptr) throw AvroError(fmt::format("enum index {} has no symbol", index));
      append_quoted(out, symbol, std::strlen(symbol));
      return;
    }
    case AVRO_ARRAY: {
      std::size_t size = 0;
      check(avro_value_get_size(v, &size));
      out += '[';
      for (std::size_t i = 0; i < size; ++i) {
        avro_value_t child;
        check(avro_value_get_by_index(v, i, &child, nullptr));
        if (i) out += ',';
        append(out, child);
      }
      out += ']';
      return;
    }
    case AVRO_MAP:
    case AVRO_RECORD: {
      std::size_t size = 0;
      check(avro_value_get_size(v, &size));
      out += '{';
      for (std::size_t i = 0; i < size; ++i) {
        avro_value_t child;
        const char* name = nullptr;
        check(avro_value_get_by_index(v, i, &child, &name));
        if (i) out += ',';
        append_quoted(out, name, std::strlen(name));
        out += ':';
        append(out, child);
      }
      out += '}';
      return;
    }
    case AVRO_UNION: {
      avro_value_t branch;
      check(avro_value_get_current_branch(v, &branch));
      if (avro_value_get_type(&branch) == AVRO_NULL) {
        out += "null";
        return;
      }
      out += "{\"";
      detail::append_branch_name(avro_value_get_schema(&branch), out);
      out += "\":";
      append(out, branch);
      out += '}';
      return;
    }
    default:
      throw AvroError("avro-c value of an unknown type");
  }
}

}  // namespace

void to_json(const avro_value_t& value, std::string& out) {
  const std::size_t old_size = out.size();
  try {
    append(out, value);
  } catch (...) {
    out.resize(old_size);
    throw;
  }
}

}  // namespace apicurio::avro
