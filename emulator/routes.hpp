// Routing on the raw request target: split on '/', then percent-decode each segment, as the
// real server does (so an artifact id with an encoded '/' stays one segment).
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace apicurio::emulator {

struct Route {
  /// A stable name ("version-content", ...) or "unknown".
  std::string name;
  /// The decoded segments after /apis/registry/v3 (empty if the prefix is missing).
  std::vector<std::string> segments;
  /// True when the path names a known resource but not for this method (405).
  bool wrong_method = false;
};

/// Decodes %XY escapes; a malformed escape stays as it is. Never throws except bad_alloc.
std::string percent_decode(const std::string& text);

/// Splits an application/x-www-form-urlencoded text (a query string or a form body) into its
/// pairs, in order: '&' separates pairs, the first '=' ends the name, '+' is a space, %XY
/// escapes are decoded; pairs with an empty name are dropped. Our own, as cpp-httplib's
/// parser is in its detail namespace. Never throws except bad_alloc.
std::vector<std::pair<std::string, std::string>> parse_form(const std::string& text);

/// A form or query component decoded: '+' as a space, then %XY escapes (see parse_form).
std::string form_decode(std::string text);

/// Matches a method and raw target (path and query). Never throws except bad_alloc.
Route match_route(const std::string& method, const std::string& target);

}  // namespace apicurio::emulator
