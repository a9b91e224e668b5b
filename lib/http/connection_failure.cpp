#include "connection_failure.hpp"

#include <curl/curl.h>

namespace apicurio::detail {

ConnectionFailure connection_failure(int code) noexcept {
  switch (code) {
    case CURLE_COULDNT_CONNECT:
      return ConnectionFailure::refused;
    case CURLE_OPERATION_TIMEDOUT:
      return ConnectionFailure::timeout;
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
      return ConnectionFailure::reset;
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
      return ConnectionFailure::dns;
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
      return ConnectionFailure::tls;
    default:
      return ConnectionFailure::other;
  }
}

}  // namespace apicurio::detail
