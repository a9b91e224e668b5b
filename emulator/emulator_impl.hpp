// The emulator's insides, shared by emulator.cpp (lifecycle, request flow) and control.cpp
// (the /_emulator control endpoints of the standalone program).
#pragma once

#include <httplib.h>

#include <atomic>
#include <memory>
#include <thread>

#include <apicurio/testing/emulator.hpp>
#include "api.hpp"
#include "auth.hpp"
#include "faults.hpp"
#include "routes.hpp"
#include "store.hpp"

namespace apicurio::emulator {

struct Emulator::Impl {
  explicit Impl(EmulatorOptions opts)
      : options(std::move(opts)), auth(options.auth, options.token_lifetime) {
    store.set_validity_rule(options.global_validity_rule);
  }

  /// Runs on a server thread for every request.
  void serve(const httplib::Request& request, httplib::Response& response);
  /// The normal reply (faults aside): the token endpoint, a refusal, or the registry's.
  Reply respond(const Route& route, const httplib::Request& request);
  /// Holds the reply until the client hangs up, `max` passes (zero: no limit) or stop().
  void stall(const httplib::Request& request, std::chrono::milliseconds max);
  /// Serves /_emulator/...; see README.md.
  void serve_control(const httplib::Request& request, httplib::Response& response);

  EmulatorOptions options;
  /// An httplib::SSLServer when options.tls is set.
  std::unique_ptr<httplib::Server> server;
  std::thread listener;
  std::uint16_t port = 0;
  Store store;
  FaultPlan faults;
  RequestLog log;
  StopSignal stopping;
  Authenticator auth;
  std::atomic<std::size_t> token_requests{0};
  std::once_flag stop_once;
};

/// Parses a fault from its control-endpoint JSON object; throws std::invalid_argument.
Fault parse_fault_json(const std::string& body);

}  // namespace apicurio::emulator
