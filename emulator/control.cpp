// The control endpoints under /_emulator, for the standalone program (tests in the same
// process call the C++ API instead). They are neither logged nor subject to faults.
#include <fmt/format.h>
#include <simdjson.h>

#include <stdexcept>

#include "emulator_impl.hpp"
#include "json_out.hpp"

namespace apicurio::emulator {
namespace {

Fault::Kind parse_kind(std::string_view kind) {
  if (kind == "status") return Fault::Kind::Status;
  if (kind == "delay") return Fault::Kind::Delay;
  if (kind == "close-mid-body") return Fault::Kind::CloseMidBody;
  if (kind == "body") return Fault::Kind::Body;
  if (kind == "stall") return Fault::Kind::Stall;
  throw std::invalid_argument(fmt::format("unknown fault kind '{}'", kind));
}

std::string requests_json(const std::vector<LoggedRequest>& requests) {
  std::string out = "[";
  for (const auto& r : requests) {
    if (out.size() > 1) out.push_back(',');
    std::string segments;
    for (const auto& s : r.segments)
      segments += (segments.empty() ? "" : ",") + json_quote(s);
    out += fmt::format(
        R"({{"method":{},"target":{},"route":{},"segments":[{}],"status":{},"fault":{}}})",
        json_quote(r.method), json_quote(r.target), json_quote(r.route), segments, r.status,
        json_quote(r.fault));
  }
  return out + "]";
}

}  // namespace

Fault parse_fault_json(const std::string& body) {
  simdjson::dom::parser parser;
  simdjson::dom::object root;
  if (parser.parse(body).get(root) != simdjson::SUCCESS) {
    throw std::invalid_argument("the fault must be a JSON object");
  }
  Fault fault;
  std::string_view text;
  int64_t number = 0;
  if (root["kind"].get(text) != simdjson::SUCCESS) {
    throw std::invalid_argument("the fault needs a string \"kind\"");
  }
  fault.kind = parse_kind(text);
  if (root["route"].get(text) == simdjson::SUCCESS) fault.route = std::string(text);
  if (root["count"].get(number) == simdjson::SUCCESS) fault.count = static_cast<int>(number);
  if (root["status"].get(number) == simdjson::SUCCESS) fault.status = static_cast<int>(number);
  if (root["retryAfter"].get(text) == simdjson::SUCCESS) fault.retry_after = std::string(text);
  if (root["delayMs"].get(number) == simdjson::SUCCESS) {
    fault.delay = std::chrono::milliseconds(number);
  }
  if (root["body"].get(text) == simdjson::SUCCESS) fault.body = std::string(text);
  if (fault.count == 0 || fault.count < Fault::kForever) {
    throw std::invalid_argument("\"count\" must be positive, or -1 for forever");
  }
  return fault;
}

void Emulator::Impl::serve_control(const httplib::Request& request, httplib::Response& response) {
  const std::string path = request.target.substr(0, request.target.find('?'));
  const std::string& method = request.method;
  try {
    if (path == "/_emulator/faults" && method == "POST") {
      faults.add(parse_fault_json(request.body));
      response.status = 204;
    } else if (path == "/_emulator/faults" && method == "DELETE") {
      faults.clear();
      response.status = 204;
    } else if (path == "/_emulator/requests" && method == "GET") {
      response.set_content(requests_json(log.snapshot()), "application/json");
    } else if (path == "/_emulator/requests" && method == "DELETE") {
      log.clear();
      response.status = 204;
    } else if (path == "/_emulator/stats" && method == "GET") {
      response.set_content(fmt::format(R"({{"requests":{},"maxConcurrentRequests":{}}})",
                                       log.snapshot().size(), log.peak()),
                           "application/json");
    } else if (path == "/_emulator/reset" && method == "POST") {
      store.clear();
      faults.clear();
      log.clear();
      response.status = 204;
    } else {
      response.status = 404;
      response.set_content(R"({"error":"unknown control endpoint"})", "application/json");
    }
  } catch (const std::invalid_argument& error) {
    response.status = 400;
    response.set_content(fmt::format(R"({{"error":{}}})", json_quote(error.what())),
                         "application/json");
  }
}

}  // namespace apicurio::emulator
