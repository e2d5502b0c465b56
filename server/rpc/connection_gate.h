// The server's own accept path. gRPC 1.51's listener stops accepting for
// good after one accept4() fails with EMFILE (it logs "Failed accept4: Too
// many open files" and never polls the socket again), so a flood of
// connections with no token makes the server deaf until it is restarted.
// ConnectionGate owns the listening sockets instead: it admits a connection
// only while the total and the connecting address's count are under their
// caps, survives running out of descriptors (a spare descriptor is kept to
// accept and close what cannot be served, so the listen queue drains), and
// hands each admitted socket to gRPC through its external-connection
// acceptor, which runs the same TLS handshake and HTTP/2 transport as a
// listener of its own.
#ifndef RECIPROCITY_SERVER_RPC_CONNECTION_GATE_H_
#define RECIPROCITY_SERVER_RPC_CONNECTION_GATE_H_

#include <grpcpp/server_builder.h>

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace reciprocity {

struct ConnectionLimits {
  // Connections open at once, from everyone. Lowered at Listen() to leave
  // room under the process's descriptor limit (RLIMIT_NOFILE) for the
  // database, the metrics endpoint and gRPC itself.
  int max_connections = 2048;
  // Connections open at once from one IP address.
  int max_connections_per_peer = 128;
};

class ConnectionGate {
 public:
  struct Stats {
    int64_t open = 0;            // admitted and not yet closed by gRPC
    int64_t admitted_total = 0;  // since start
    int64_t refused_at_total_cap = 0;
    int64_t refused_at_peer_cap = 0;
    // Accepted and closed at once because the process had no descriptor
    // free (EMFILE/ENFILE).
    int64_t shed_out_of_descriptors = 0;
    int max_connections = 0;  // the cap in force, after Listen() lowered it
    int max_connections_per_peer = 0;
  };

  // Binds and listens on `listen` ("host:port", "[v6]:port"; port 0 picks a
  // free port). Accepts nothing until Start().
  static absl::StatusOr<std::unique_ptr<ConnectionGate>> Listen(
      const std::string& listen, const ConnectionLimits& limits);

  ~ConnectionGate();
  ConnectionGate(const ConnectionGate&) = delete;
  ConnectionGate& operator=(const ConnectionGate&) = delete;

  int port() const { return port_; }

  // Starts the accept thread; each admitted connection goes to `acceptor`.
  void Start(
      std::unique_ptr<grpc::experimental::ExternalConnectionAcceptor> acceptor);
  // Stops accepting and closes the listening sockets. Connections already
  // handed to gRPC are gRPC's to close. Safe to call twice.
  void Stop();

  Stats GetStats() const;
  // When the accept loop last went round; it goes round at least once a
  // second while it is healthy (the watchdog reads this).
  absl::Time LastHeartbeat() const;

 private:
  struct Tracked {
    int fd;
    uint64_t device;
    uint64_t inode;
    std::string peer;
  };
  ConnectionGate() = default;
  void AcceptLoop();
  // Accepts what is waiting on `listen_fd` (at most a bounded number, so
  // one busy socket cannot starve the wake-up check).
  void AcceptBurst(int listen_fd);
  void Admit(int listen_fd, int fd, std::string peer);
  // 0 if a connection from `peer` may open, 1 if the total cap is reached,
  // 2 if the per-peer cap is.
  int OverLimit(const std::string& peer) const
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Drops connections gRPC has closed: a tracked descriptor that is closed
  // or now names another socket. At most every `min_interval`.
  void Reconcile(absl::Duration min_interval)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void ShedOne(int listen_fd);

  std::vector<int> listen_fds_;
  int wake_fd_ = -1;   // eventfd: Stop() wakes the loop
  int spare_fd_ = -1;  // /dev/null, given up to accept when out of fds
  int port_ = 0;
  std::unique_ptr<grpc::experimental::ExternalConnectionAcceptor> acceptor_;
  std::thread thread_;
  std::atomic<bool> stopping_{false};
  std::atomic<int64_t> heartbeat_ns_{0};
  absl::Time last_shed_log_ = absl::InfinitePast();
  size_t open_at_last_trim_ = 0;  // accept thread only

  mutable absl::Mutex mu_;
  std::vector<Tracked> tracked_ ABSL_GUARDED_BY(mu_);
  absl::flat_hash_map<std::string, int> open_by_peer_ ABSL_GUARDED_BY(mu_);
  Stats stats_ ABSL_GUARDED_BY(mu_);
  absl::Time last_reconcile_ ABSL_GUARDED_BY(mu_) = absl::InfinitePast();
};

}  // namespace reciprocity

#endif  // RECIPROCITY_SERVER_RPC_CONNECTION_GATE_H_
