#include "routes.hpp"

#include <cctype>

namespace apicurio::emulator {
namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::vector<std::string> split_raw_path(const std::string& target) {
  std::string path = target.substr(0, target.find('?'));
  std::vector<std::string> segments;
  size_t start = 0;
  if (!path.empty() && path[0] == '/') start = 1;
  while (start <= path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string::npos) end = path.size();
    segments.push_back(path.substr(start, end - start));
    start = end + 1;
  }
  return segments;
}

// The route name for a path shape, keyed on the literal segments; "" when unknown.
std::string name_for(const std::vector<std::string>& s, const std::string& method,
                     bool& wrong_method) {
  const bool get = method == "GET" || method == "HEAD";
  auto pick = [&](bool ok, const char* name) -> std::string {
    if (ok) return name;
    wrong_method = true;
    return "";
  };
  const size_t n = s.size();
  if (n == 2 && s[0] == "system" && s[1] == "info") return pick(get, "system-info");
  if (n >= 3 && s[0] == "ids" && (n == 3 || (n == 4 && s[3] == "references"))) {
    std::string kind = s[1] == "globalIds"       ? "global-id"
                       : s[1] == "contentIds"    ? "content-id"
                       : s[1] == "contentHashes" ? "content-hash"
                                                 : "";
    if (kind.empty()) return "";
    return pick(get, (kind + (n == 3 ? "-content" : "-references")).c_str());
  }
  // Only the search by content is served (POST); GET /search/versions is not emulated.
  if (n == 2 && s[0] == "search" && s[1] == "versions" && method == "POST") {
    return "search-versions-by-content";
  }
  if (n < 3 || s[0] != "groups" || s[2] != "artifacts") return "";
  if (n == 3) return pick(method == "POST", "create-artifact");
  if (n == 4) {
    if (get) return "artifact-metadata";
    return pick(method == "DELETE", "delete-artifact");
  }
  if (s[4] != "versions") return "";
  if (n == 5) {
    if (get) return "list-versions";
    return pick(method == "POST", "create-version");
  }
  if (n == 6) return pick(get, "version-metadata");
  if (n == 7 && s[6] == "content") return pick(get, "version-content");
  if (n == 7 && s[6] == "references") return pick(get, "version-references");
  return "";
}

}  // namespace

std::string percent_decode(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size() && hex_value(text[i + 1]) >= 0 &&
        hex_value(text[i + 2]) >= 0) {
      out.push_back(static_cast<char>(hex_value(text[i + 1]) * 16 + hex_value(text[i + 2])));
      i += 2;
    } else {
      out.push_back(text[i]);
    }
  }
  return out;
}

std::string form_decode(std::string text) {
  for (char& c : text) {
    if (c == '+') c = ' ';
  }
  return percent_decode(text);
}

std::vector<std::pair<std::string, std::string>> parse_form(const std::string& text) {
  std::vector<std::pair<std::string, std::string>> pairs;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find('&', start);
    if (end == std::string::npos) end = text.size();
    const std::string piece = text.substr(start, end - start);
    const size_t equals = piece.find('=');
    std::string name = form_decode(piece.substr(0, equals));
    if (!name.empty()) {
      pairs.emplace_back(std::move(name), equals == std::string::npos
                                              ? std::string()
                                              : form_decode(piece.substr(equals + 1)));
    }
    start = end + 1;
  }
  return pairs;
}

Route match_route(const std::string& method, const std::string& target) {
  Route route;
  route.name = "unknown";
  auto raw = split_raw_path(target);
  if (raw.size() < 3 || raw[0] != "apis" || raw[1] != "registry" || raw[2] != "v3") return route;
  for (size_t i = 3; i < raw.size(); ++i)
    route.segments.push_back(percent_decode(raw[i]));
  std::string name = name_for(route.segments, method, route.wrong_method);
  if (!name.empty()) route.name = name;
  return route;
}

}  // namespace apicurio::emulator
