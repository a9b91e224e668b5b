// Socket-level helpers the faults and stop() need, which cpp-httplib 0.11 does not offer.
#pragma once

#include <httplib.h>

#include <cstdint>

namespace apicurio::emulator {

// cpp-httplib 0.11 gives a handler no access to its socket, yet a stall must notice the client
// hanging up and then drop the connection without a reply, and stop() must end idle keep-alive
// connections at once. So we find the accepted socket by its address pair; it stays open (and
// its descriptor cannot be reused) while its handler runs.

/// The socket serving `request`, or -1. Linux only (/proc/self/fd).
int find_connection_socket(const httplib::Request& request);
/// True if the peer has closed its side or the socket failed (also over TLS, where the
/// close_notify alert arrives before the FIN).
bool peer_closed(int socket);
/// Shuts the connection down in both directions; httplib closes the descriptor later.
void drop_connection(int socket);
/// Shuts down every accepted connection whose local port is `port`.
void sever_connections(std::uint16_t port);
/// httplib listens with a backlog of 5, so a burst of connections overflows the accept queue
/// and the kernel drops them; this raises the backlog of the listening socket on `port`.
void widen_listen_backlog(std::uint16_t port);

}  // namespace apicurio::emulator
