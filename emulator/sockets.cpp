#include "sockets.hpp"

#include <dirent.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstdlib>
#include <string>

namespace apicurio::emulator {
namespace {

struct Endpoint {
  std::string host;
  int port = -1;
};

bool describe(const sockaddr_storage& address, socklen_t length, Endpoint& out) {
  char host[NI_MAXHOST];
  char port[NI_MAXSERV];
  if (getnameinfo(reinterpret_cast<const sockaddr*>(&address), length, host, sizeof host, port,
                  sizeof port, NI_NUMERICHOST | NI_NUMERICSERV) != 0) {
    return false;
  }
  out.host = host;
  out.port = std::atoi(port);
  return true;
}

bool local_endpoint(int fd, Endpoint& out) {
  sockaddr_storage address{};
  socklen_t length = sizeof address;
  return getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0 &&
         describe(address, length, out);
}

bool peer_endpoint(int fd, Endpoint& out) {
  sockaddr_storage address{};
  socklen_t length = sizeof address;
  return getpeername(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0 &&
         describe(address, length, out);
}

template <typename Visit>
void for_each_descriptor(Visit visit) {
  DIR* dir = opendir("/proc/self/fd");
  if (dir == nullptr) return;
  while (dirent* entry = readdir(dir)) {
    if (entry->d_name[0] == '.') continue;
    int fd = std::atoi(entry->d_name);
    if (fd != dirfd(dir) && visit(fd)) break;
  }
  closedir(dir);
}

}  // namespace

int find_connection_socket(const httplib::Request& request) {
  int found = -1;
  for_each_descriptor([&](int fd) {
    Endpoint local, peer;
    if (!local_endpoint(fd, local) || local.port != request.local_port) return false;
    if (!peer_endpoint(fd, peer) || peer.port != request.remote_port ||
        peer.host != request.remote_addr) {
      return false;
    }
    found = fd;
    return true;
  });
  return found;
}

bool peer_closed(int socket) {
  // POLLRDHUP reports the peer's FIN even when unread bytes precede it, as a TLS client's
  // close_notify alert does.
  pollfd watch{socket, POLLIN | POLLRDHUP, 0};
  if (poll(&watch, 1, 0) > 0 && (watch.revents & (POLLRDHUP | POLLHUP | POLLERR | POLLNVAL))) {
    return true;
  }
  char byte;
  ssize_t n = recv(socket, &byte, 1, MSG_PEEK | MSG_DONTWAIT);
  return n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR);
}

void drop_connection(int socket) {
  shutdown(socket, SHUT_RDWR);
}

void sever_connections(std::uint16_t port) {
  for_each_descriptor([&](int fd) {
    Endpoint local, peer;
    if (local_endpoint(fd, local) && local.port == port && peer_endpoint(fd, peer)) {
      shutdown(fd, SHUT_RDWR);
    }
    return false;
  });
}

void widen_listen_backlog(std::uint16_t port) {
  for_each_descriptor([&](int fd) {
    Endpoint local, peer;
    if (local_endpoint(fd, local) && local.port == port && !peer_endpoint(fd, peer)) {
      int listening = 0;
      socklen_t length = sizeof listening;
      if (getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &listening, &length) == 0 && listening) {
        listen(fd, SOMAXCONN);
      }
    }
    return false;
  });
}

}  // namespace apicurio::emulator
