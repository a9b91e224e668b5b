// The line formats of serialize and deserialize: a framed record in hex, and in header
// mode its headers before it, "NAME=HEX[,NAME=HEX...]<TAB>PAYLOAD-HEX" (kcat's
// -f '%h\t%s' layout, with hex values so that binary ids survive a terminal).
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cli {

/// A line that is not hex, or whose headers are malformed; what() says where.
class MalformedLine : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// `line` without the blanks (spaces, tabs, CR of a CRLF) around it. Never throws.
std::string_view trim_line(std::string_view line) noexcept;

/// Appends `bytes` to `out` as lower-case hex. Throws std::bad_alloc only.
void append_hex(std::string& out, std::string_view bytes);

/// A record read back from a line: its headers (name, value bytes) and its bytes.
struct RecordLine {
  std::vector<std::pair<std::string, std::string>> headers;
  std::string bytes;
};

/// Parses a trimmed line into `out` (cleared first). Hex digits may be upper or lower
/// case. Throws MalformedLine naming the column (1-based) of a non-hex character, an odd
/// digit count, or a header without '=' or name; std::bad_alloc.
void parse_record_line(std::string_view line, RecordLine& out);

}  // namespace cli
