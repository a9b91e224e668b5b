// A one-thread HTTP/1.1 server on epoll, for the benchmark's registries: keep-alive, replies in
// request order, request bodies by Content-Length (no chunked bodies, no TLS). The tests'
// emulator keeps cpp-httplib, which speaks all the HTTP a client may send; this one exists
// because a thread per connection costs the benchmark's two cores more than the client does.
#pragma once

#include <functional>
#include <string>
#include <string_view>

namespace apicurio::bench {

struct RequestText {
  std::string_view head;  // the request line and header lines, without the blank line
  std::string_view body;
};

// Makes the whole response (status line, headers and body) to one request.
using RequestHandler = std::function<std::string(const RequestText&)>;

// The value of header `name` (matched ignoring case) in `head`, or "" when absent.
std::string_view header_value(std::string_view head, std::string_view name);

// `text` without the spaces and tabs around it, as a header value is read.
std::string_view trimmed(std::string_view text);

class EpollHttpServer {
 public:
  // Listens on 127.0.0.1:`port` (0: a free port). Throws std::runtime_error.
  explicit EpollHttpServer(int port);
  // Closes every descriptor; serve() must have returned.
  ~EpollHttpServer();
  EpollHttpServer(const EpollHttpServer&) = delete;
  EpollHttpServer& operator=(const EpollHttpServer&) = delete;

  int port() const noexcept { return port_; }
  // Answers requests on the calling thread with `handler` until stop(). Call it once.
  void serve(const RequestHandler& handler);
  // Any thread; serve() returns soon after.
  void stop() noexcept;

 private:
  int listener_ = -1;
  int poller_ = -1;
  int wakeup_ = -1;  // an eventfd that stop() writes
  int port_ = 0;
};

}  // namespace apicurio::bench
