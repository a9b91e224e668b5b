#include "event_registry.hpp"

#include <fmt/format.h>
#include <httplib.h>
#include <api.hpp>
#include <routes.hpp>

namespace apicurio::bench {

namespace {

const char* reason(int status) {
  switch (status) {
    case 200:
      return "OK";
    case 204:
      return "No Content";
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 409:
      return "Conflict";
    case 422:
      return "Unprocessable Entity";
    default:
      return status < 500 ? "Client Error" : "Server Error";
  }
}

// What the emulator's handlers read of a request: method, raw target, query, headers, body.
httplib::Request to_httplib(const Request& parsed) {
  httplib::Request request;
  request.method = std::string(parsed.method);
  request.target = std::string(parsed.target);
  const std::size_t question = request.target.find('?');
  request.path = request.target.substr(0, question);
  if (question != std::string::npos) {
    for (auto& [name, value] : emulator::parse_form(request.target.substr(question + 1)))
      request.params.emplace(std::move(name), std::move(value));
  }
  for (const Header& header : parsed.headers)
    request.headers.emplace(std::string(header.name), std::string(header.value));
  request.body = std::string(parsed.body);
  return request;
}

std::string to_bytes(const emulator::Reply& reply) {
  std::string bytes = fmt::format("HTTP/1.1 {} {}\r\n", reply.status, reason(reply.status));
  for (const auto& [name, value] : reply.headers)
    bytes += fmt::format("{}: {}\r\n", name, value);
  if (!reply.body.empty()) bytes += fmt::format("Content-Type: {}\r\n", reply.content_type);
  bytes += fmt::format("Content-Length: {}\r\n\r\n", reply.body.size());
  bytes += reply.body;
  return bytes;
}

}  // namespace

EventRegistry::EventRegistry() : server_(0) {
  thread_ = std::thread(
      [this] { server_.serve([this](const Request& request) { return respond(request); }); });
}

EventRegistry::~EventRegistry() {
  stop();
}

void EventRegistry::stop() {
  server_.stop();
  if (thread_.joinable()) thread_.join();
}

std::string EventRegistry::base_url() const {
  return fmt::format("http://127.0.0.1:{}/apis/registry/v3", server_.port());
}

std::int64_t EventRegistry::add_version(const std::string& group, const std::string& artifact,
                                        const std::string& content) {
  emulator::NewVersion version;
  version.content = content;
  version.content_type = "application/json";
  emulator::NewArtifact request;
  request.artifact_id = artifact;
  request.artifact_type = "AVRO";
  request.first_version = std::move(version);
  emulator::CreateResult created = store_.create_artifact(
      group, std::move(request), emulator::IfExists::CreateVersion, false, false);
  return created.version->content_id;
}

std::string EventRegistry::respond(const Request& parsed) {
  const httplib::Request request = to_httplib(parsed);
  const emulator::Route route = emulator::match_route(request.method, request.target);
  return to_bytes(emulator::handle_api(store_, options_, route, request));
}

}  // namespace apicurio::bench
