#include "server/rpc/listen_socket.h"

#include <netdb.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "absl/strings/str_cat.h"

namespace reciprocity {
namespace {

absl::Status SplitHostPort(absl::string_view flag, const std::string& listen,
                           std::string* host, std::string* port) {
  const size_t colon = listen.rfind(':');
  if (colon == std::string::npos || colon + 1 == listen.size()) {
    return absl::InvalidArgumentError(absl::StrCat(
        flag, " ", listen, ": expected host:port (e.g. 127.0.0.1:50051)"));
  }
  *host = listen.substr(0, colon);
  *port = listen.substr(colon + 1);
  if (host->size() >= 2 && host->front() == '[' && host->back() == ']') {
    *host = host->substr(1, host->size() - 2);
  }
  return absl::OkStatus();
}

int PortOf(int fd) {
  sockaddr_storage bound{};
  socklen_t length = sizeof(bound);
  if (getsockname(fd, reinterpret_cast<sockaddr*>(&bound), &length) != 0) {
    return 0;
  }
  return ntohs(bound.ss_family == AF_INET6
                   ? reinterpret_cast<sockaddr_in6*>(&bound)->sin6_port
                   : reinterpret_cast<sockaddr_in*>(&bound)->sin_port);
}

void SetPort(sockaddr* address, int port) {
  if (address->sa_family == AF_INET6) {
    reinterpret_cast<sockaddr_in6*>(address)->sin6_port = htons(port);
  } else {
    reinterpret_cast<sockaddr_in*>(address)->sin_port = htons(port);
  }
}

}  // namespace

absl::StatusOr<ListenSockets> ListenOn(absl::string_view flag,
                                       const std::string& listen, int backlog,
                                       bool every_address) {
  std::string host, port;
  if (absl::Status s = SplitHostPort(flag, listen, &host, &port); !s.ok()) {
    return s;
  }
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
  addrinfo* found = nullptr;
  if (int rc = getaddrinfo(host.empty() ? nullptr : host.c_str(), port.c_str(),
                           &hints, &found);
      rc != 0) {
    return absl::InvalidArgumentError(
        absl::StrCat(flag, " ", listen, ": ", gai_strerror(rc)));
  }
  const bool several = found != nullptr && found->ai_next != nullptr;
  ListenSockets sockets;
  std::string last_error = "no address";
  for (addrinfo* a = found; a != nullptr; a = a->ai_next) {
    const int fd =
        socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK,
               a->ai_protocol);
    if (fd < 0) {
      last_error = strerror(errno);
      continue;
    }
    int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    // With both ::1 and 127.0.0.1 bound, the v6 socket must not also claim
    // the v4 port.
    if (a->ai_family == AF_INET6 && several) {
      setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
    }
    if (sockets.port != 0) SetPort(a->ai_addr, sockets.port);
    if (bind(fd, a->ai_addr, a->ai_addrlen) != 0 ||
        ::listen(fd, backlog) != 0) {
      last_error = strerror(errno);
      close(fd);
      continue;
    }
    sockets.port = PortOf(fd);
    sockets.fds.push_back(fd);
    if (!every_address) break;
  }
  freeaddrinfo(found);
  if (sockets.fds.empty()) {
    return absl::UnavailableError(absl::StrCat(
        "cannot listen on ", listen, ": ", last_error,
        " (is another server on that port? use ", flag, " host:port)"));
  }
  return sockets;
}

}  // namespace reciprocity
