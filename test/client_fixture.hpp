// A running emulator and a client pointed at it, for the client tests.
#pragma once

#include <apicurio/testing/emulator.hpp>

#include <apicurio/registry.hpp>

#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <utility>

namespace apicurio::testing {

inline const char* kAvro =
    R"({"type":"record","name":"User","namespace":"com.example","fields":[{"name":"id","type":"long"}]})";

inline std::string avro_named(const std::string& name) {
  return R"({"type":"record","name":")" + name + R"(","fields":[{"name":"id","type":"long"}]})";
}

// An executor that refuses every task with `reason`, as a bounded queue does when full.
class RefusingExecutor : public Executor {
 public:
  explicit RefusingExecutor(std::string reason) : reason_(std::move(reason)) {}
  void post(std::function<void()>) override { throw std::runtime_error(reason_); }

 private:
  std::string reason_;
};

struct ClientFixture {
  emulator::Emulator registry;

  // Options aimed at the emulator, with retries fast enough for tests.
  ClientOptions options(const std::string& group = "default") const {
    ClientOptions o;
    o.url = registry.base_url();
    o.group_id = group;
    o.retry_backoff = std::chrono::milliseconds(10);
    o.retry_max_backoff = std::chrono::milliseconds(50);
    return o;
  }
};

}  // namespace apicurio::testing
