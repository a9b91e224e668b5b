// apicurio-bench-stand-in: a registry stand-in that costs next to nothing, in a process of its
// own (so that taskset can pin it to a core), to measure the client's own ceiling. It answers
// only the two reads of `cold` and `limit-cold`, with fixed replies, from one epoll thread:
//   GET .../groups/{group}/artifacts/{id}/versions/{expression}  version metadata; the first
//       artifact seen gets ids 1, the next 2, and so on
//   GET .../ids/contentIds/{n}                                   a small Avro schema
// and 404 to anything else. Usage: apicurio-bench-stand-in [--port N] (default 18090).
#include "epoll_http.hpp"

#include <fmt/format.h>

#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>
#include <string_view>
#include <unordered_map>

namespace {

constexpr std::string_view kSchema =
    R"({"type":"record","name":"R","fields":[{"name":"f","type":"string"}]})";

class StandIn {
 public:
  std::string reply_to(const apicurio::bench::Request& request) {
    if (request.method != "GET") return reply(405, "");
    const std::string_view target = request.target;
    constexpr std::string_view kArtifacts = "/artifacts/", kVersions = "/versions/",
                               kContent = "/ids/contentIds/";
    if (target.find(kContent) != std::string_view::npos) return reply(200, kSchema);
    const auto artifact_at = target.find(kArtifacts);
    const auto versions_at = target.find(kVersions);
    if (artifact_at == std::string_view::npos || versions_at == std::string_view::npos ||
        versions_at < artifact_at) {
      return reply(404, "");
    }
    const auto begin = artifact_at + kArtifacts.size();
    std::string artifact(target.substr(begin, versions_at - begin));
    auto [found, added] = ids_.try_emplace(artifact, ids_.size() + 1);
    const std::size_t id = found->second;
    return reply(200, fmt::format(R"({{"groupId":"default","artifactId":"{}","version":"1",)"
                                  R"("globalId":{},"contentId":{},"artifactType":"AVRO",)"
                                  R"("state":"ENABLED"}})",
                                  artifact, id, id));
  }

 private:
  static std::string reply(int status, std::string_view body) {
    return fmt::format(
        "HTTP/1.1 {} {}\r\nContent-Type: application/json\r\n"
        "Content-Length: {}\r\n\r\n{}",
        status, status == 200 ? "OK" : "Error", body.size(), body);
  }

  std::unordered_map<std::string, std::size_t> ids_;
};

}  // namespace

int main(int argc, char** argv) {
  int port = 18090;
  if (argc == 3 && std::string_view(argv[1]) == "--port") port = std::atoi(argv[2]);
  try {
    apicurio::bench::EpollHttpServer server(port);
    std::printf("http://127.0.0.1:%d/apis/registry/v3\n", server.port());
    std::fflush(stdout);
    StandIn stand_in;
    server.serve([&stand_in](const apicurio::bench::Request& request) {
      return stand_in.reply_to(request);
    });
  } catch (const std::exception& e) {
    std::fprintf(stderr, "apicurio-bench-stand-in: %s\n", e.what());
    return 1;
  }
}
