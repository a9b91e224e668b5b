#include "record_lines.hpp"

#include <fmt/format.h>

namespace cli {
namespace {

int hex_value(char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Decodes the hex digits `text`, which start at `column` of the line.
std::string decode_hex(std::string_view text, std::size_t column, std::string_view what) {
  std::string bytes;
  bytes.reserve(text.size() / 2);
  for (std::size_t i = 0; i < text.size(); i += 2) {
    const int high = hex_value(text[i]);
    const int low = i + 1 < text.size() ? hex_value(text[i + 1]) : 0;
    const std::size_t bad = high < 0 ? i : low < 0 ? i + 1 : text.size();
    if (bad < text.size()) {
      const char c = text[bad];
      throw MalformedLine(c >= 0x20 && c < 0x7f
                              ? fmt::format("not a hex digit: '{}' at column {}", c, column + bad)
                              : fmt::format("not a hex digit: byte 0x{:02x} at column {}",
                                            static_cast<unsigned char>(c), column + bad));
    }
    bytes += static_cast<char>(high << 4 | low);
  }
  if (text.size() % 2 != 0) {
    throw MalformedLine(fmt::format("odd number of hex digits ({}) in the {}", text.size(), what));
  }
  return bytes;
}

}  // namespace

std::string_view trim_line(std::string_view line) noexcept {
  constexpr std::string_view blanks = " \t\r\f\v";
  const std::size_t first = line.find_first_not_of(blanks);
  if (first == std::string_view::npos) return {};
  return line.substr(first, line.find_last_not_of(blanks) - first + 1);
}

void append_hex(std::string& out, std::string_view bytes) {
  static constexpr char digits[] = "0123456789abcdef";
  const std::size_t start = out.size();
  out.resize(start + 2 * bytes.size());
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    const auto b = static_cast<unsigned char>(bytes[i]);
    out[start + 2 * i] = digits[b >> 4];
    out[start + 2 * i + 1] = digits[b & 0xf];
  }
}

void parse_record_line(std::string_view line, RecordLine& out) {
  out.headers.clear();
  std::size_t payload_start = 0;
  const std::size_t tab = line.find('\t');
  if (tab != std::string_view::npos) {
    payload_start = tab + 1;
    for (std::size_t start = 0; start <= tab;) {
      std::size_t end = line.find(',', start);
      if (end == std::string_view::npos || end > tab) end = tab;
      const std::string_view header = line.substr(start, end - start);
      const std::size_t equals = header.find('=');
      if (equals == std::string_view::npos || equals == 0) {
        throw MalformedLine(
            fmt::format("a header needs NAME=HEX, got \"{}\" at column {}", header, start + 1));
      }
      out.headers.emplace_back(
          std::string(header.substr(0, equals)),
          decode_hex(header.substr(equals + 1), start + equals + 2, "header's value"));
      start = end + 1;
    }
  }
  out.bytes = decode_hex(line.substr(payload_start), payload_start + 1, "record");
}

}  // namespace cli
