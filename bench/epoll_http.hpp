// A one-thread HTTP/1.1 server on epoll, for the benchmark's registries: keep-alive, replies in
// request order, request bodies by Content-Length (no chunked bodies, no TLS). The tests'
// emulator keeps cpp-httplib, which speaks all the HTTP a client may send; this one exists
// because a thread per connection costs the benchmark's two cores more than the client does.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace apicurio::bench {

struct Header {
  std::string_view name;
  std::string_view value;  // without the spaces and tabs around it
};

// The header lines of a request or response head (every line after the first, without the
// blank line that ends it). Lines without a colon are skipped.
std::vector<Header> parse_headers(std::string_view head);

// The value of the first header named `name` (ignoring case), or "" when there is none.
std::string_view header_value(const std::vector<Header>& headers, std::string_view name);

// One request, parsed once by the server; views into its buffer, valid while the handler runs.
struct Request {
  std::string_view method;
  std::string_view target;  // raw, query included
  std::vector<Header> headers;
  std::string_view body;
};

// Makes the whole response (status line, headers and body) to one request.
using RequestHandler = std::function<std::string(const Request&)>;

class EpollHttpServer {
 public:
  // Listens on 127.0.0.1:`port` (0: a free port). Throws std::runtime_error.
  explicit EpollHttpServer(int port);
  // Closes every descriptor; serve() must have returned.
  ~EpollHttpServer();
  EpollHttpServer(const EpollHttpServer&) = delete;
  EpollHttpServer& operator=(const EpollHttpServer&) = delete;

  // Any thread.
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
