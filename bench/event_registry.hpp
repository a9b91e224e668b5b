// The registry apicurio-bench measures against unless --url is given: the emulator's store and
// REST handlers (emulator/: the same routes, replies, ids and errors) behind one epoll
// thread. The emulator's own front end, cpp-httplib with a thread per connection, spends
// about 40 us of CPU a request and leaves the cores idle while its threads poll and sleep, so
// it, not the client, set the pace of `cold`. No TLS, authentication, faults or request log:
// the benchmark uses none of them.
#pragma once

#include "epoll_http.hpp"

#include <store.hpp>

#include <cstdint>
#include <string>
#include <thread>

namespace apicurio::bench {

class EventRegistry {
 public:
  // Listens on a free loopback port and serves from its own thread. Throws
  // std::runtime_error.
  EventRegistry();
  // Stops (see stop()).
  ~EventRegistry();
  EventRegistry(const EventRegistry&) = delete;
  EventRegistry& operator=(const EventRegistry&) = delete;

  // http://127.0.0.1:PORT/apis/registry/v3. Any thread.
  std::string base_url() const;
  // Registers `content` as a new AVRO version of `artifact` in `group` and returns its
  // contentId, as the emulator's add_version does. Any thread; throws std::runtime_error.
  std::int64_t add_version(const std::string& group, const std::string& artifact,
                           const std::string& content);
  // Ends the serving thread and joins it. Not from that thread; idempotent.
  void stop();

 private:
  std::string respond(const Request& request);

  emulator::Store store_;                    // thread-safe
  const emulator::EmulatorOptions options_;  // the defaults, as the real server ships
  EpollHttpServer server_;
  std::thread thread_;
};

}  // namespace apicurio::bench
