// How recip reaches the server: address, token, deadlines, request ids.
#ifndef RECIPROCITY_CLIENT_CONNECTION_H_
#define RECIPROCITY_CLIENT_CONNECTION_H_

#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>

namespace reciprocity::client {

struct ConnectionOptions {
  std::string server = "127.0.0.1:50051";  // --server or RECIP_SERVER
  std::string token;                       // --token or RECIP_TOKEN
  int timeout_seconds = 30;
  // TLS: the CA that signed the server's certificate (RECIP_TLS_CA). When
  // set, the connection is encrypted and the server verified.
  std::string tls_ca_file;
  // Mutual TLS: this client's certificate and key (RECIP_TLS_CERT,
  // RECIP_TLS_KEY).
  std::string tls_cert_file;
  std::string tls_key_file;
};

class Connection {
 public:
  explicit Connection(ConnectionOptions options);
  const std::shared_ptr<grpc::Channel>& channel() const { return channel_; }
  // A context carrying the bearer token and a deadline.
  std::unique_ptr<grpc::ClientContext> NewContext() const;

 private:
  ConnectionOptions options_;
  std::shared_ptr<grpc::Channel> channel_;
};

// A fresh random request id (UUID version 4).
std::string NewRequestId();

// Runs `call` (one RPC attempt with a fresh context), retrying a few times
// with back-off while the server is UNAVAILABLE. Mutations are safe to retry
// because they carry the same request id every time.
grpc::Status CallWithRetry(
    const Connection& connection,
    const std::function<grpc::Status(grpc::ClientContext&)>& call);

// "recip: INVALID_ARGUMENT: claim.lines[0].amount_pence: must not be negative"
// on stderr, with a hint for the common codes. Returns the exit status,
// ExitCodeFor(status) (client/exit_code.h).
int ReportError(const grpc::Status& status);

}  // namespace reciprocity::client

#endif  // RECIPROCITY_CLIENT_CONNECTION_H_
