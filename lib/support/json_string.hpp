// JSON string literals, written once for the library's request bodies, apicurio-cli's output,
// the emulator's replies and the benchmark's report. Header-only so that the programs built in
// this tree include it without libapicurio exporting an internal symbol.
#pragma once

#include <string>
#include <string_view>

namespace apicurio::detail {

/// Appends `text` to `out` as a JSON string literal, quotes included: '"', '\\' and every
/// control character are escaped (RFC 8259, section 7); other bytes, UTF-8 included, pass
/// through unchanged. Any thread; throws std::bad_alloc only.
inline void append_json_string(std::string& out, std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  out.push_back('"');
  for (char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (byte < 0x20) {
          out += "\\u00";
          out.push_back(kHex[byte >> 4]);
          out.push_back(kHex[byte & 0xf]);
        } else {
          out.push_back(c);
        }
    }
  }
  out.push_back('"');
}

/// `text` as a JSON string literal (see append_json_string). Any thread; throws
/// std::bad_alloc only.
inline std::string json_string(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 2);
  append_json_string(out, text);
  return out;
}

}  // namespace apicurio::detail
