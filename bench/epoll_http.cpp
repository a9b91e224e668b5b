#include "epoll_http.hpp"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <stdexcept>
#include <string>
#include <unordered_map>

namespace apicurio::bench {

namespace {

struct Connection {
  std::string in;   // bytes read, not yet a whole request
  std::string out;  // replies not yet written
  bool watching_writable = false;
};

bool equal_ignoring_case(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; };
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
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

void watch(int poller, int fd, std::uint32_t events, int operation) {
  epoll_event event{};
  event.events = events;
  event.data.fd = fd;
  epoll_ctl(poller, operation, fd, &event);
}

std::string_view trimmed(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t'))
    text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t'))
    text.remove_suffix(1);
  return text;
}

// Answers every whole request in `connection.in`; false when one cannot be read (the
// connection is then closed after the replies so far).
bool answer_whole_requests(Connection& connection, const RequestHandler& handler) {
  for (;;) {
    const std::size_t head_end = connection.in.find("\r\n\r\n");
    if (head_end == std::string::npos) return true;
    const std::string_view head = std::string_view(connection.in).substr(0, head_end);
    const std::string_view line = head.substr(0, head.find("\r\n"));
    const std::size_t method_end = line.find(' ');
    const std::size_t target_end = line.rfind(' ');
    if (method_end == std::string_view::npos || target_end <= method_end) return false;
    Request request;
    request.method = line.substr(0, method_end);
    request.target = line.substr(method_end + 1, target_end - method_end - 1);
    request.headers = parse_headers(head);
    if (!header_value(request.headers, "Transfer-Encoding").empty()) return false;  // unsupported
    std::size_t body_size = 0;
    const std::string_view length = header_value(request.headers, "Content-Length");
    if (!length.empty()) {
      auto [end, error] = std::from_chars(length.data(), length.data() + length.size(), body_size);
      if (error != std::errc() || end != length.data() + length.size()) return false;
    }
    if (connection.in.size() < head_end + 4 + body_size) return true;  // the body is coming
    request.body = std::string_view(connection.in).substr(head_end + 4, body_size);
    connection.out += handler(request);
    connection.in.erase(0, head_end + 4 + body_size);
  }
}

}  // namespace

std::vector<Header> parse_headers(std::string_view head) {
  std::vector<Header> headers;
  for (std::size_t at = head.find("\r\n"); at != std::string_view::npos;) {
    const std::size_t line_start = at + 2;
    const std::size_t line_end = std::min(head.find("\r\n", line_start), head.size());
    const std::string_view line = head.substr(line_start, line_end - line_start);
    const std::size_t colon = line.find(':');
    if (colon != std::string_view::npos) {
      headers.push_back(Header{line.substr(0, colon), trimmed(line.substr(colon + 1))});
    }
    at = line_end < head.size() ? line_end : std::string_view::npos;
  }
  return headers;
}

std::string_view header_value(const std::vector<Header>& headers, std::string_view name) {
  for (const Header& header : headers) {
    if (equal_ignoring_case(header.name, name)) return header.value;
  }
  return {};
}

EpollHttpServer::EpollHttpServer(int port) {
  listener_ = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  const int yes = 1;
  setsockopt(listener_, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<std::uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t size = sizeof address;
  if (listener_ < 0 ||
      bind(listener_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
      listen(listener_, 4096) != 0 ||
      getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &size) != 0) {
    const int error = errno;
    if (listener_ >= 0) close(listener_);
    throw std::runtime_error("cannot listen on 127.0.0.1:" + std::to_string(port) + ": " +
                             std::to_string(error));
  }
  port_ = ntohs(address.sin_port);
  poller_ = epoll_create1(EPOLL_CLOEXEC);
  wakeup_ = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (poller_ < 0 || wakeup_ < 0) {
    close(listener_);
    throw std::runtime_error("epoll_create1 or eventfd failed");
  }
  watch(poller_, listener_, EPOLLIN, EPOLL_CTL_ADD);
  watch(poller_, wakeup_, EPOLLIN, EPOLL_CTL_ADD);
}

EpollHttpServer::~EpollHttpServer() {
  close(wakeup_);
  close(poller_);
  close(listener_);
}

void EpollHttpServer::stop() noexcept {
  const std::uint64_t one = 1;
  [[maybe_unused]] ssize_t written = write(wakeup_, &one, sizeof one);
}

void EpollHttpServer::serve(const RequestHandler& handler) {
  std::unordered_map<int, Connection> connections;
  epoll_event ready[256];
  char buffer[16384];
  for (bool stopping = false; !stopping;) {
    const int count = epoll_wait(poller_, ready, 256, -1);
    for (int i = 0; i < count; ++i) {
      const int fd = ready[i].data.fd;
      if (fd == wakeup_) {
        stopping = true;
      } else if (fd == listener_) {
        for (int peer;
             (peer = accept4(listener_, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC)) >= 0;) {
          const int yes = 1;
          setsockopt(peer, IPPROTO_TCP, TCP_NODELAY, &yes, sizeof yes);
          watch(poller_, peer, EPOLLIN, EPOLL_CTL_ADD);
          connections[peer];
        }
      } else {
        Connection& connection = connections[fd];
        const ssize_t got = read(fd, buffer, sizeof buffer);
        bool open = got > 0 || (got < 0 && (errno == EAGAIN || errno == EWOULDBLOCK));
        if (got > 0) connection.in.append(buffer, static_cast<std::size_t>(got));
        if (open && !answer_whole_requests(connection, handler)) open = false;
        open = flush(fd, connection.out) && open;
        if (open && connection.watching_writable == connection.out.empty()) {
          connection.watching_writable = !connection.out.empty();
          watch(poller_, fd, connection.watching_writable ? EPOLLIN | EPOLLOUT : EPOLLIN,
                EPOLL_CTL_MOD);
        }
        if (!open) {
          close(fd);
          connections.erase(fd);
        }
      }
    }
  }
  for (const auto& [fd, connection] : connections)
    close(fd);
}

}  // namespace apicurio::bench
