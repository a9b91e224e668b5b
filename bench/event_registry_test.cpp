// The benchmark's embedded registry: the emulator's replies through the epoll front end,
// including requests that arrive split or several to a packet.
#include "event_registry.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using apicurio::bench::EventRegistry;
using apicurio::bench::header_value;
using apicurio::bench::parse_headers;

namespace {

constexpr const char* kSchema = R"({"type":"record","name":"R","fields":[]})";

// A blocking connection that sends raw bytes and reads whole replies back.
class RawConnection {
 public:
  explicit RawConnection(const std::string& base_url) : fd_(socket(AF_INET, SOCK_STREAM, 0)) {
    const auto port_at = base_url.rfind(':') + 1;
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<std::uint16_t>(std::stoi(base_url.substr(port_at))));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
    // A server that never answers fails the test instead of hanging it.
    timeval timeout{5, 0};
    setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  }
  ~RawConnection() { close(fd_); }

  void send_text(const std::string& text) {
    REQUIRE(send(fd_, text.data(), text.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(text.size()));
  }

  // True once the server has closed the connection (after any replies still unread).
  bool closed_by_server() {
    char chunk[4096];
    ssize_t got = 0;
    while ((got = recv(fd_, chunk, sizeof chunk, 0)) > 0) {
    }
    return got == 0;
  }

  // The next reply: status line and headers, then the body.
  std::pair<std::string, std::string> reply() {
    for (;;) {
      const auto head_end = buffer_.find("\r\n\r\n");
      if (head_end != std::string::npos) {
        const std::string head = buffer_.substr(0, head_end);
        const std::size_t length =
            std::stoul(std::string(header_value(parse_headers(head), "Content-Length")));
        if (buffer_.size() >= head_end + 4 + length) {
          std::string body = buffer_.substr(head_end + 4, length);
          buffer_.erase(0, head_end + 4 + length);
          return {head, body};
        }
      }
      char chunk[4096];
      const ssize_t got = recv(fd_, chunk, sizeof chunk, 0);
      REQUIRE(got > 0);
      buffer_.append(chunk, static_cast<std::size_t>(got));
    }
  }

 private:
  int fd_;
  std::string buffer_;
};

std::string get(const std::string& path) {
  return "GET /apis/registry/v3" + path + " HTTP/1.1\r\nHost: x\r\n\r\n";
}

}  // namespace

TEST_CASE("headers are parsed after the first line, found ignoring case, trimmed") {
  const auto headers =
      parse_headers("GET / HTTP/1.1\r\nHost: x\r\ncontent-LENGTH:  12 \r\nno colon\r\nX-Empty:");
  CHECK(headers.size() == 3);
  CHECK(header_value(headers, "Content-Length") == "12");
  CHECK(header_value(headers, "host") == "x");
  CHECK(header_value(headers, "X-Empty").empty());
  CHECK(header_value(headers, "Accept").empty());
  CHECK(parse_headers("GET / HTTP/1.1").empty());
}

TEST_CASE("the embedded registry answers with the emulator's replies") {
  EventRegistry registry;
  const std::int64_t content_id = registry.add_version("default", "a-1", kSchema);
  RawConnection connection(registry.base_url());

  connection.send_text(get("/groups/default/artifacts/a-1/versions/branch=latest"));
  auto [head, body] = connection.reply();
  CHECK(head.rfind("HTTP/1.1 200 OK\r\n", 0) == 0);
  CHECK(body.find("\"contentId\":" + std::to_string(content_id)) != std::string::npos);
  CHECK(body.find("\"artifactId\":\"a-1\"") != std::string::npos);

  connection.send_text(get("/ids/contentIds/" + std::to_string(content_id)));
  std::tie(head, body) = connection.reply();
  CHECK(body == kSchema);
  CHECK(header_value(parse_headers(head), "Content-Type") == "application/json");

  connection.send_text(get("/groups/default/artifacts/missing/versions/branch=latest"));
  std::tie(head, body) = connection.reply();
  CHECK(head.rfind("HTTP/1.1 404 Not Found\r\n", 0) == 0);
  CHECK(body.find("VersionNotFoundException") != std::string::npos);
}

TEST_CASE("requests split across packets, or several in one, are answered in order") {
  EventRegistry registry;
  registry.add_version("default", "a-1", kSchema);
  RawConnection connection(registry.base_url());
  const std::string first = get("/groups/default/artifacts/a-1/versions/1");
  const std::string second = get("/groups/default/artifacts/a-1/versions/2");
  connection.send_text(first + second.substr(0, 20));
  connection.send_text(second.substr(20));
  CHECK(connection.reply().first.rfind("HTTP/1.1 200 ", 0) == 0);
  CHECK(connection.reply().first.rfind("HTTP/1.1 404 ", 0) == 0);

  // A body by Content-Length, its first half in one packet and the rest in the next.
  const std::string create =
      R"({"artifactId":"b","artifactType":"AVRO","firstVersion":{"content":)"
      R"({"content":"{\"type\":\"string\"}","contentType":"application/json"}}})";
  const std::string post =
      "POST /apis/registry/v3/groups/g/artifacts HTTP/1.1\r\nHost: x\r\n"
      "Content-Type: application/json\r\nContent-Length: " +
      std::to_string(create.size()) + "\r\n\r\n" + create;
  connection.send_text(post.substr(0, post.size() - 10));
  connection.send_text(post.substr(post.size() - 10) + get("/groups/g/artifacts/b"));
  auto [head, body] = connection.reply();
  CHECK(head.rfind("HTTP/1.1 200 ", 0) == 0);
  CHECK(body.find("\"artifactId\":\"b\"") != std::string::npos);
  CHECK(connection.reply().first.rfind("HTTP/1.1 200 ", 0) == 0);
}

TEST_CASE("a request the front end cannot read closes its connection") {
  EventRegistry registry;
  for (const std::string bad : {"garbage\r\n\r\n", "GET / HTTP/1.1\r\nContent-Length: x\r\n\r\n",
                                "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"}) {
    INFO(bad);
    RawConnection connection(registry.base_url());
    connection.send_text(bad);
    CHECK(connection.closed_by_server());
  }
}
