// A deliberately tiny HTTP/1.1 server for Prometheus: one thread, one
// connection at a time, GET /metrics only, "Connection: close". Scrapes are
// rare (seconds apart) and small, so nothing more is needed.
#ifndef RECIPROCITY_SERVER_RPC_METRICS_HTTP_H_
#define RECIPROCITY_SERVER_RPC_METRICS_HTTP_H_

#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "absl/status/statusor.h"

namespace reciprocity {

class MetricsHttpServer {
 public:
  // Listens on `listen` ("host:port", "[::1]:port"; port 0 picks one) and
  // answers GET /metrics with `render()`. UNAVAILABLE when it cannot bind.
  static absl::StatusOr<std::unique_ptr<MetricsHttpServer>> Start(
      const std::string& listen, std::function<std::string()> render);

  // Stops the thread and closes the socket.
  ~MetricsHttpServer();
  MetricsHttpServer(const MetricsHttpServer&) = delete;
  MetricsHttpServer& operator=(const MetricsHttpServer&) = delete;

  int port() const { return port_; }

 private:
  MetricsHttpServer() = default;
  void Serve();
  void Answer(int connection);

  std::function<std::string()> render_;
  int listen_fd_ = -1;
  int wake_read_fd_ = -1;
  int wake_write_fd_ = -1;
  int port_ = 0;
  std::thread thread_;
};

}  // namespace reciprocity

#endif  // RECIPROCITY_SERVER_RPC_METRICS_HTTP_H_
