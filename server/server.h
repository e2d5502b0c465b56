// Assembles Reciprocity: storage, policies, principals, domain services and
// the gRPC server with health and reflection.
#ifndef RECIPROCITY_SERVER_SERVER_H_
#define RECIPROCITY_SERVER_SERVER_H_

#include <grpcpp/grpcpp.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "base/clock.h"
#include "policy/registry.h"
#include "server/domain/sign_in_throttle.h"
#include "server/rpc/auth.h"
#include "server/rpc/connection_gate.h"
#include "server/rpc/metrics.h"
#include "server/rpc/metrics_http.h"
#include "server/store/sign_in_store.h"
#include "server/store/store.h"

namespace reciprocity {

class Watchdog;

struct ServerOptions {
  // host:port to listen on; port 0 picks a free port.
  std::string listen = "127.0.0.1:50051";
  // SQLite database file; created when missing.
  std::string db_path = "reciprocity.db";
  // Directory of rule files, one "<area>.textproto" per service area.
  std::string rules_dir = "policy/areas";
  // Principals file (token hashes, roles, areas).
  std::string principals_path = "principals.textproto";
  // Largest request accepted, in bytes. Claims are small.
  int max_request_bytes = 64 * 1024;

  // TLS: PEM files for the server's certificate chain and private key. When
  // set, only TLS connections are accepted.
  std::string tls_cert_file;
  std::string tls_key_file;
  // Mutual TLS: PEM file of the CA that signs client certificates. When set,
  // every client must present a certificate it signed.
  std::string tls_client_ca_file;
  // Without TLS the server listens only on loopback, unless this is set.
  bool allow_insecure_non_loopback = false;

  // Limits, so that one misbehaving client (with or without a token)
  // cannot starve the others or exhaust the process.
  int max_connections = 2048;          // open at once (see ConnectionLimits)
  int max_connections_per_peer = 128;  // open at once from one IP address
  int max_concurrent_streams = 32;     // calls in flight per connection
  int max_threads = 128;               // threads serving calls
  // Memory gRPC may hold for connections and calls (buffers of requests
  // still arriving among them). Over it, gRPC cancels calls and closes
  // connections rather than grow.
  int64_t memory_quota_bytes = 128 << 20;
  // A connection is asked to close after this long (clients reconnect
  // transparently) and closed this much later whatever it carries. gRPC
  // 1.51 runs no handler, and so no deadline of ours, until a request has
  // fully arrived: this is what bounds a half-sent call's life.
  int max_connection_age_seconds = 300;
  int max_connection_age_grace_seconds = 30;
  // A connection that has not finished its TLS or HTTP/2 handshake by then
  // is closed.
  int handshake_timeout_seconds = 20;
  // Directory AdminService.BackupDatabase writes into; empty: backups off.
  std::string backup_dir;
  // host:port of the Prometheus endpoint (GET /metrics); empty: off.
  std::string metrics_listen;
  // IP addresses of front ends (reciprocity-web) trusted to name the
  // browser a sign-in code comes from, so that wrong codes are counted per
  // browser, not per front end (server/rpc/sign_in_grpc_service.cc).
  std::vector<std::string> sign_in_proxies;
  // Wrong sign-in codes allowed, and for how long they count.
  SignInThrottleOptions sign_in_throttle;
};

// True for 127.0.0.0/8, [::1] and localhost listen addresses.
bool IsLoopbackAddress(absl::string_view listen);

class ReciprocityServer {
 public:
  // Opens everything and starts serving. Fails with a clear message when a
  // rule file, the principals file or the database is unusable.
  static absl::StatusOr<std::unique_ptr<ReciprocityServer>> Start(
      const ServerOptions& options, const Clock& clock);

  ~ReciprocityServer();
  ReciprocityServer(const ReciprocityServer&) = delete;
  ReciprocityServer& operator=(const ReciprocityServer&) = delete;

  // The port actually bound (useful with port 0).
  int port() const { return port_; }
  // The metrics port actually bound; 0 when metrics are off.
  int metrics_port() const;
  // A channel to this server that does not touch the network.
  std::shared_ptr<grpc::Channel> InProcessChannel();
  // Stops accepting calls, lets in-flight calls finish (up to `grace`), then
  // closes the database.
  void Shutdown(absl::Duration grace = absl::Seconds(10));
  // Blocks until Shutdown.
  void Wait();

  // Re-reads the principals file and the rule files (SIGHUP). Revoked tokens
  // stop working at once; a bad file is refused and the old one stays.
  absl::Status ReloadConfiguration();

  policy::PolicyRegistry& policies() { return *policies_; }
  PrincipalDirectory& principals() { return *principals_; }
  // Add collectors here for families read at scrape time (batch totals).
  Metrics& metrics() { return *metrics_; }

 private:
  struct Parts;
  ReciprocityServer() = default;
  // The watchdog's check: the accept loop is going round and a health call
  // over `channel` (in-process) answers SERVING within two seconds.
  bool Healthy(const std::shared_ptr<grpc::Channel>& channel) const;
  std::unique_ptr<Parts> parts_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<store::SignInStore> sign_in_store_;
  std::unique_ptr<policy::PolicyRegistry> policies_;
  std::unique_ptr<PrincipalDirectory> principals_;
  std::unique_ptr<grpc::Server> server_;
  std::unique_ptr<Metrics> metrics_;
  std::unique_ptr<MetricsHttpServer> metrics_http_;
  std::unique_ptr<ConnectionGate> gate_;
  std::unique_ptr<Watchdog> watchdog_;
  int port_ = 0;
  bool shut_down_ = false;
};

}  // namespace reciprocity

#endif  // RECIPROCITY_SERVER_SERVER_H_
