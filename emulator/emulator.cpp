#include <fmt/format.h>

#include <algorithm>
#include <stdexcept>

#include "api.hpp"
#include "auth_http.hpp"
#include "emulator_impl.hpp"
#include "routes.hpp"
#include "sockets.hpp"
#include "thread_pool.hpp"

namespace apicurio::emulator {
namespace {

constexpr auto kPollSlice = std::chrono::milliseconds(20);

void send(httplib::Response& response, const Reply& reply, bool compress) {
  response.status = reply.status;
  for (const auto& [name, value] : reply.headers)
    response.set_header(name, value);
  if (reply.body.empty()) return;
  // httplib compresses a body set whole when the request accepts it.
  if (compress) return response.set_content(reply.body, reply.content_type);
  // A content provider with a length keeps httplib from compressing replies, which the real
  // server does not do by default.
  auto body = std::make_shared<const std::string>(reply.body);
  response.set_content_provider(body->size(), reply.content_type,
                                [body](size_t offset, size_t length, httplib::DataSink& sink) {
                                  return sink.write(body->data() + offset,
                                                    std::min(length, body->size() - offset));
                                });
}

// Promises the whole body in Content-Length, sends half of it, then fails the write so that
// httplib closes the connection.
void send_truncated(httplib::Response& response, const Reply& reply) {
  response.status = reply.status;
  for (const auto& [name, value] : reply.headers)
    response.set_header(name, value);
  auto body = std::make_shared<const std::string>(reply.body.size() < 2 ? std::string(64, ' ')
                                                                        : reply.body);
  response.set_content_provider(body->size(), reply.content_type,
                                [body](size_t, size_t, httplib::DataSink& sink) {
                                  sink.write(body->data(), body->size() / 2);
                                  return false;
                                });
}

LoggedRequest describe(const httplib::Request& request, const Route& route) {
  LoggedRequest entry;
  entry.method = request.method;
  entry.target = request.target;
  entry.route = route.name;
  entry.segments = route.segments;
  for (const auto& [name, value] : request.params)
    entry.query.emplace_back(name, value);
  for (const auto& [name, value] : request.headers)
    entry.headers.emplace_back(name, value);
  entry.body = request.body;
  return entry;
}

Pairs query_of(const std::string& target) {
  const size_t question = target.find('?');
  if (question == std::string::npos) return {};
  return parse_form(target.substr(question + 1));
}

std::unique_ptr<httplib::Server> make_server(const EmulatorOptions& options) {
  if (!options.tls) return std::make_unique<httplib::Server>();
  const TlsOptions& tls = *options.tls;
  // With a CA, httplib requires a client certificate (SSL_VERIFY_FAIL_IF_NO_PEER_CERT).
  auto server = std::make_unique<httplib::SSLServer>(
      tls.cert_file.c_str(), tls.key_file.c_str(),
      tls.client_ca_file.empty() ? nullptr : tls.client_ca_file.c_str());
  if (!server->is_valid()) {
    throw std::runtime_error(fmt::format(
        "apicurio emulator: cannot load the TLS certificate '{}', key '{}'{}", tls.cert_file,
        tls.key_file,
        tls.client_ca_file.empty() ? "" : fmt::format(" or client CA '{}'", tls.client_ca_file)));
  }
  return server;
}

std::string server_root(const EmulatorOptions& options, std::uint16_t port) {
  const std::string& host = options.host;
  const bool loopback_or_any = host == "127.0.0.1" || host == "0.0.0.0" || host == "localhost";
  return fmt::format("{}://{}:{}", options.tls ? "https" : "http",
                     loopback_or_any ? "127.0.0.1" : host, port);
}

}  // namespace

void Emulator::Impl::serve(const httplib::Request& original, httplib::Response& response) {
  // A forward proxy receives the absolute form (GET http://host/path): serve it as if it
  // had come straight here, so that tests can point a client's proxy at the emulator.
  std::optional<httplib::Request> unproxied;
  if (original.target.rfind("http://", 0) == 0 || original.target.rfind("https://", 0) == 0) {
    auto path_start = original.target.find('/', original.target.find("://") + 3);
    unproxied = original;
    unproxied->target = path_start == std::string::npos ? "/" : original.target.substr(path_start);
  }
  const httplib::Request& request = unproxied ? *unproxied : original;
  if (request.target.rfind("/_emulator/", 0) == 0) {
    serve_control(request, response);
    return;
  }
  log.enter();
  struct Leave {
    RequestLog& log;
    ~Leave() { log.leave(); }
  } leave{log};
  Route route = match_route(request.method, request.target);
  if (is_token_target(request.target)) {
    route.name = "token";
    ++token_requests;
  }
  LoggedRequest described = describe(request, route);
  if (unproxied) described.proxy_target = original.target;
  // httplib merges a form body's fields into the query parameters; log only the real query.
  if (route.name == "token") described.query = query_of(request.target);
  auto entry = log.begin(std::move(described));
  std::optional<Fault> fault = faults.take(route.name);
  std::string fault_name = fault ? fault_kind_name(fault->kind) : "";
  Reply reply;
  if (!fault) {
    reply = respond(route, request);
    send(response, reply, options.compress_replies);
  } else if (fault->kind == Fault::Kind::Status) {
    reply = problem_reply(Problem(fault->status, "InjectedFault",
                                  fmt::format("Injected fault: HTTP {}", fault->status)));
    if (!fault->body.empty()) reply.body = fault->body;
    if (!fault->retry_after.empty()) reply.headers.emplace_back("Retry-After", fault->retry_after);
    send(response, reply, options.compress_replies);
  } else if (fault->kind == Fault::Kind::Delay) {
    stopping.wait_for(fault->delay);
    reply = respond(route, request);
    send(response, reply, options.compress_replies);
  } else if (fault->kind == Fault::Kind::Body) {
    reply.body = fault->body;
    send(response, reply, options.compress_replies);
  } else if (fault->kind == Fault::Kind::CloseMidBody) {
    reply = respond(route, request);
    send_truncated(response, reply);
  } else {
    stall(request, fault->delay);
    reply.status = 0;
    response.status = 500;
    response.set_header("Connection", "close");
  }
  log.finish(entry, reply.status, std::move(fault_name));
}

Reply Emulator::Impl::respond(const Route& route, const httplib::Request& request) {
  if (route.name == "token") return token_reply(auth, request);
  if (std::optional<Reply> refusal = refuse_access(auth, route, request)) return *refusal;
  return handle_api(store, options, route, request);
}

void Emulator::Impl::stall(const httplib::Request& request, std::chrono::milliseconds max) {
  const int socket = find_connection_socket(request);
  const auto deadline = std::chrono::steady_clock::now() + max;
  while (!stopping.wait_for(kPollSlice)) {
    if (socket >= 0 && peer_closed(socket)) break;
    if (max.count() > 0 && std::chrono::steady_clock::now() >= deadline) break;
  }
  if (socket >= 0) drop_connection(socket);
}

Emulator::Emulator(EmulatorOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {
  Impl& impl = *impl_;
  impl.server = make_server(impl.options);
  const size_t threads = std::max<size_t>(1, impl.options.worker_threads);
  const size_t max_threads = std::max(threads, impl.options.max_worker_threads);
  impl.server->new_task_queue = [threads, max_threads] {
    return new ElasticThreadPool(threads, max_threads);
  };
  impl.server->set_keep_alive_max_count(1000000);
  impl.server->set_keep_alive_timeout(30);
  impl.server->set_tcp_nodelay(true);
  // httplib's default sets SO_REUSEPORT, which would let two emulators share a port.
  impl.server->set_socket_options([](socket_t sock) {
    int yes = 1;
    setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
  });
  impl.server->set_payload_max_length(64u << 20);
  // Match every path, newlines included; routing proper happens on the raw target.
  const std::string any = "[\\s\\S]*";
  auto handler = [&impl](const httplib::Request& request, httplib::Response& response) {
    impl.serve(request, response);
  };
  impl.server->Get(any, handler).Post(any, handler).Put(any, handler).Delete(any, handler);
  impl.server->Patch(any, handler).Options(any, handler);
  // GETs carry no body, so they can be served before httplib reads one and matches its
  // std::regex routes, which cost more than the rest of a lookup.
  impl.server->set_pre_routing_handler(
      [&impl](const httplib::Request& request, httplib::Response& response) {
        if (request.method != "GET" || request.has_header("Content-Length") ||
            request.has_header("Transfer-Encoding")) {
          return httplib::Server::HandlerResponse::Unhandled;
        }
        impl.serve(request, response);
        return httplib::Server::HandlerResponse::Handled;
      });

  int bound =
      impl.options.port == 0
          ? impl.server->bind_to_any_port(impl.options.host)
          : (impl.server->bind_to_port(impl.options.host, impl.options.port) ? impl.options.port
                                                                             : -1);
  if (bound <= 0) {
    throw std::runtime_error(fmt::format("apicurio emulator: cannot listen on {}:{}",
                                         impl.options.host, impl.options.port));
  }
  impl.port = static_cast<std::uint16_t>(bound);
  widen_listen_backlog(impl.port);
  impl.listener = std::thread([&impl] { impl.server->listen_after_bind(); });
  // stop() is a no-op until the server runs, so do not hand out an emulator before that.
  while (!impl.server->is_running())
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
}

Emulator::~Emulator() {
  stop();
}

void Emulator::stop() {
  Impl& impl = *impl_;
  std::call_once(impl.stop_once, [&impl] {
    impl.stopping.stop();
    impl.server->stop();
    // Idle keep-alive connections would otherwise hold their threads for the keep-alive
    // timeout; queued ones would wait their turn.
    sever_connections(impl.port);
    if (impl.listener.joinable()) impl.listener.join();
  });
}

std::uint16_t Emulator::port() const {
  return impl_->port;
}

std::string Emulator::base_url() const {
  return server_root(impl_->options, impl_->port) + "/apis/registry/v3";
}
std::string Emulator::token_url() const {
  return server_root(impl_->options, impl_->port) + kTokenPath;
}

std::vector<LoggedRequest> Emulator::requests() const {
  return impl_->log.snapshot();
}
void Emulator::clear_requests() {
  impl_->log.clear();
}
std::size_t Emulator::count(const std::string& route) const {
  return impl_->log.count(route);
}
std::size_t Emulator::max_concurrent_requests() const {
  return impl_->log.peak();
}
void Emulator::add_fault(Fault fault) {
  impl_->faults.add(std::move(fault));
}
void Emulator::clear_faults() {
  impl_->faults.clear();
}

void Emulator::reset() {
  impl_->store.clear();
  impl_->faults.clear();
  impl_->log.clear();
}

void Emulator::add_user(const std::string& user, const std::string& password, Role role) {
  impl_->auth.add_user(user, password, role);
}
void Emulator::add_client(const std::string& client_id, const std::string& secret, Role role) {
  impl_->auth.add_client(client_id, secret, role);
}
std::size_t Emulator::token_requests() const {
  return impl_->token_requests.load();
}
void Emulator::revoke_tokens() {
  impl_->auth.revoke_tokens();
}
void Emulator::set_token_lifetime(std::chrono::seconds lifetime) {
  impl_->auth.set_token_lifetime(lifetime);
}

}  // namespace apicurio::emulator
