// Small helpers for writing JSON replies with fmt.
#pragma once

#include <string>
#include <string_view>

namespace apicurio::emulator {

/// `text` as a JSON string literal, quotes included (the library's lib/json_string.hpp: the
/// emulator is built in this tree). Never throws except std::bad_alloc.
std::string json_quote(std::string_view text);

/// The current UTC time as the server prints it, e.g. "2024-05-01T10:00:00Z".
std::string now_timestamp();

}  // namespace apicurio::emulator
