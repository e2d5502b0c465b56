// Listening TCP sockets for the server's own accept loops (the gRPC gate
// and the metrics endpoint).
#ifndef RECIPROCITY_SERVER_RPC_LISTEN_SOCKET_H_
#define RECIPROCITY_SERVER_RPC_LISTEN_SOCKET_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace reciprocity {

struct ListenSockets {
  std::vector<int> fds;  // non-blocking, close-on-exec; the caller closes
  int port = 0;          // the port bound (useful when 0 was asked for)
};

// Binds and listens on `listen` ("host:port", "[v6]:port"; port 0 picks a
// free port). With `every_address`, binds each address the host resolves
// to ("localhost": ::1 and 127.0.0.1) on one port; otherwise the first that
// binds. Errors name `flag` ("--listen") and say what to do.
absl::StatusOr<ListenSockets> ListenOn(absl::string_view flag,
                                       const std::string& listen, int backlog,
                                       bool every_address);

}  // namespace reciprocity

#endif  // RECIPROCITY_SERVER_RPC_LISTEN_SOCKET_H_
