// apicurio-bench-stand-in: a registry stand-in that costs next to nothing, to measure the
// client's own ceiling. The emulator is a faithful registry but spends about 40 us of CPU on
// a request; on a 2-core machine that share decides `cold`. This answers only the two reads
// of `cold` and `limit-cold` from one epoll thread:
//   GET .../groups/{group}/artifacts/{id}/versions/{expression}  version metadata; the first
//       artifact seen gets ids 1, the next 2, and so on
//   GET .../ids/contentIds/{n}                                   a small Avro schema
// and 404 to anything else. Usage: apicurio-bench-stand-in [--port N] (default 18090).
#include <fmt/format.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <unordered_map>

namespace {

constexpr std::string_view kSchema =
    R"({"type":"record","name":"R","fields":[{"name":"f","type":"string"}]})";

struct Connection {
  std::string in;   // bytes read, not yet a whole request
  std::string out;  // replies not yet written
  bool watching_writable = false;
};

class StandIn {
 public:
  std::string reply_to(std::string_view head) {
    const auto method_end = head.find(' ');
    const auto target_end = head.find(' ', method_end + 1);
    if (method_end == std::string_view::npos || target_end == std::string_view::npos ||
        head.substr(0, method_end) != "GET") {
      return reply(405, "");
    }
    std::string_view target = head.substr(method_end + 1, target_end - method_end - 1);
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

int listen_on(int port) {
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
  const int yes = 1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<std::uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (fd < 0 || bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
      listen(fd, 4096) != 0) {
    std::perror("apicurio-bench-stand-in: cannot listen");
    std::exit(1);
  }
  return fd;
}

// Writes what it can of `out` without blocking; false when the peer is gone.
bool flush(int fd, std::string& out) {
  while (!out.empty()) {
    const ssize_t sent = send(fd, out.data(), out.size(), MSG_NOSIGNAL);
    if (sent < 0) return errno == EAGAIN || errno == EWOULDBLOCK;
    out.erase(0, static_cast<std::size_t>(sent));
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  int port = 18090;
  if (argc == 3 && std::string_view(argv[1]) == "--port") port = std::atoi(argv[2]);
  const int listener = listen_on(port);
  const int poller = epoll_create1(0);
  epoll_event event{};
  event.events = EPOLLIN;
  event.data.fd = listener;
  epoll_ctl(poller, EPOLL_CTL_ADD, listener, &event);
  std::printf("http://127.0.0.1:%d/apis/registry/v3\n", port);
  std::fflush(stdout);

  StandIn stand_in;
  std::unordered_map<int, Connection> connections;
  epoll_event ready[256];
  char buffer[16384];
  for (;;) {
    const int count = epoll_wait(poller, ready, 256, -1);
    for (int i = 0; i < count; ++i) {
      const int fd = ready[i].data.fd;
      if (fd == listener) {
        for (int peer; (peer = accept4(listener, nullptr, nullptr, SOCK_NONBLOCK)) >= 0;) {
          const int yes = 1;
          setsockopt(peer, IPPROTO_TCP, TCP_NODELAY, &yes, sizeof yes);
          epoll_event peer_event{};
          peer_event.events = EPOLLIN;
          peer_event.data.fd = peer;
          epoll_ctl(poller, EPOLL_CTL_ADD, peer, &peer_event);
          connections[peer];
        }
        continue;
      }
      Connection& connection = connections[fd];
      const ssize_t got = read(fd, buffer, sizeof buffer);
      bool open = got > 0 || (got < 0 && (errno == EAGAIN || errno == EWOULDBLOCK));
      if (got > 0) connection.in.append(buffer, static_cast<std::size_t>(got));
      // Requests carry no body here: each ends at its blank line.
      for (std::size_t end; open && (end = connection.in.find("\r\n\r\n")) != std::string::npos;) {
        connection.out += stand_in.reply_to(std::string_view(connection.in).substr(0, end));
        connection.in.erase(0, end + 4);
      }
      open = open && flush(fd, connection.out);
      if (open && connection.watching_writable == connection.out.empty()) {
        connection.watching_writable = !connection.out.empty();
        epoll_event change{};
        change.events = connection.watching_writable ? EPOLLIN | EPOLLOUT : EPOLLIN;
        change.data.fd = fd;
        epoll_ctl(poller, EPOLL_CTL_MOD, fd, &change);
      }
      if (!open) {
        close(fd);
        connections.erase(fd);
      }
    }
  }
}
