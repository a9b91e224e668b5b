#include "header_list.hpp"

#include <apicurio/version.hpp>

namespace apicurio::detail {
namespace {

// True when `line` ("Name: value") is a header named `name`, ignoring case as HTTP does.
bool names_header(std::string_view line, std::string_view name) {
  return line.size() > name.size() && line[name.size()] == ':' &&
         curl_strnequal(line.data(), name.data(), name.size());
}

}  // namespace

bool has_header(const std::vector<std::string>& lines, std::string_view name) {
  for (const auto& line : lines) {
    if (names_header(line, name)) return true;
  }
  return false;
}

curl_slist* link_headers(const std::vector<std::string>& lines, std::vector<curl_slist>& nodes,
                         curl_slist* tail) {
  nodes.resize(lines.size());
  for (std::size_t i = lines.size(); i-- > 0;) {
    // curl only reads the lines; its struct has no const.
    nodes[i].data = const_cast<char*>(lines[i].c_str());
    nodes[i].next = tail;
    tail = &nodes[i];
  }
  return tail;
}

const std::string& accepted_encodings() {
  static const std::string encodings = [] {
    const curl_version_info_data* info = curl_version_info(CURLVERSION_NOW);
    std::string list;
    auto add = [&list](const char* name) {
      if (!list.empty()) list += ", ";
      list += name;
    };
    if (info->features & CURL_VERSION_LIBZ) {
      add("deflate");
      add("gzip");
    }
    if (info->features & CURL_VERSION_BROTLI) add("br");
    if (info->features & CURL_VERSION_ZSTD) add("zstd");
    return list;
  }();
  return encodings;
}

std::vector<std::string> fixed_header_lines(const TransportOptions& transport,
                                            const std::vector<std::string>& extra_headers) {
  std::vector<std::string> lines;
  if (!has_header(extra_headers, "User-Agent")) {
    lines.push_back("User-Agent: " + (transport.user_agent.empty()
                                          ? std::string("apicurio-cpp/" APICURIO_VERSION_STRING)
                                          : transport.user_agent));
  }
  if (transport.compressed_replies && !has_header(extra_headers, "Accept-Encoding") &&
      !accepted_encodings().empty()) {
    lines.push_back("Accept-Encoding: " + accepted_encodings());
  }
  lines.insert(lines.end(), extra_headers.begin(), extra_headers.end());
  return lines;
}

}  // namespace apicurio::detail
