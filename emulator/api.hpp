// The registry's REST operations: a routed request becomes store calls and a reply.
#pragma once

#include <httplib.h>

#include <string>

#include <apicurio/testing/emulator.hpp>
#include "routes.hpp"
#include "store.hpp"

namespace apicurio::emulator {

struct Reply {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  Pairs headers;
};

/// A ProblemDetails reply for `problem`.
Reply problem_reply(const Problem& problem);

/// Serves one request under /apis/registry/v3. Registry errors become ProblemDetails
/// replies; never throws except std::bad_alloc.
Reply handle_api(Store& store, const EmulatorOptions& options, const Route& route,
                 const httplib::Request& request);

}  // namespace apicurio::emulator
