#include "server/rpc/connection_gate.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <malloc.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "base/logging.h"
#include "server/rpc/listen_socket.h"

namespace reciprocity {
namespace {

// Connections taken from one listening socket before the loop looks at the
// others and at Stop() again.
constexpr int kAcceptBurst = 64;
// How often the loop goes round with nothing to do: the heartbeat, and the
// check for connections gRPC has closed.
constexpr int kIdlePollMs = 1000;
// Connections that must have closed since the last malloc_trim for another.
constexpr size_t kTrimAfterClosed = 32;

// Descriptors kept free for everything that is not a client connection:
// the database and its journal, the metrics endpoint, gRPC's own
// eventfds and epoll, backups, log files.
int DescriptorReserve(rlim_t limit) { return 64 + static_cast<int>(limit / 8); }

// The peer's IP address as text; IPv4-mapped IPv6 addresses are written as
// IPv4 so that one client counts once.
std::string PeerAddress(const sockaddr_storage& address) {
  char text[INET6_ADDRSTRLEN] = {};
  if (address.ss_family == AF_INET) {
    const auto* v4 = reinterpret_cast<const sockaddr_in*>(&address);
    inet_ntop(AF_INET, &v4->sin_addr, text, sizeof(text));
  } else if (address.ss_family == AF_INET6) {
    const auto* v6 = reinterpret_cast<const sockaddr_in6*>(&address);
    if (IN6_IS_ADDR_V4MAPPED(&v6->sin6_addr)) {
      inet_ntop(AF_INET, &v6->sin6_addr.s6_addr[12], text, sizeof(text));
    } else {
      inet_ntop(AF_INET6, &v6->sin6_addr, text, sizeof(text));
    }
  }
  return text;
}

bool OutOfDescriptors(int error) {
  return error == EMFILE || error == ENFILE || error == ENOBUFS ||
         error == ENOMEM;
}

}  // namespace

absl::StatusOr<std::unique_ptr<ConnectionGate>> ConnectionGate::Listen(
    const std::string& listen, const ConnectionLimits& limits) {
  if (limits.max_connections < 1 || limits.max_connections_per_peer < 1) {
    return absl::InvalidArgumentError(
        "--max-connections and --max-connections-per-peer must be at least 1");
  }
  auto sockets = ListenOn("--listen", listen, SOMAXCONN,
                          /*every_address=*/true);
  if (!sockets.ok()) return sockets.status();
  std::unique_ptr<ConnectionGate> gate(new ConnectionGate());
  gate->listen_fds_ = sockets->fds;
  gate->port_ = sockets->port;
  gate->wake_fd_ = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  gate->spare_fd_ = open("/dev/null", O_RDONLY | O_CLOEXEC);
  if (gate->wake_fd_ < 0 || gate->spare_fd_ < 0) {
    return absl::ResourceExhaustedError(
        absl::StrCat("cannot start the connection gate: ", strerror(errno)));
  }
  int cap = limits.max_connections;
  rlimit files{};
  if (getrlimit(RLIMIT_NOFILE, &files) == 0 &&
      files.rlim_cur != RLIM_INFINITY) {
    const int room =
        static_cast<int>(files.rlim_cur) - DescriptorReserve(files.rlim_cur);
    if (room < cap) {
      cap = std::max(1, room);
      LogWarn("connection_cap_lowered",
              {{"max_connections", absl::StrCat(cap)},
               {"open_file_limit", absl::StrCat(files.rlim_cur)}});
    }
  }
  absl::MutexLock lock(&gate->mu_);
  gate->stats_.max_connections = cap;
  gate->stats_.max_connections_per_peer =
      std::min(cap, limits.max_connections_per_peer);
  return gate;
}

ConnectionGate::~ConnectionGate() {
  Stop();
  for (int fd : {wake_fd_, spare_fd_}) {
    if (fd >= 0) close(fd);
  }
}

void ConnectionGate::Start(
    std::unique_ptr<grpc::experimental::ExternalConnectionAcceptor> acceptor) {
  acceptor_ = std::move(acceptor);
  heartbeat_ns_ = absl::ToUnixNanos(absl::Now());
  thread_ = std::thread([this] { AcceptLoop(); });
}

void ConnectionGate::Stop() {
  if (stopping_.exchange(true)) return;
  if (thread_.joinable()) {
    const uint64_t one = 1;
    (void)!write(wake_fd_, &one, sizeof(one));
    thread_.join();
  }
  for (int fd : listen_fds_) close(fd);
  listen_fds_.clear();
}

ConnectionGate::Stats ConnectionGate::GetStats() const {
  absl::MutexLock lock(&mu_);
  Stats stats = stats_;
  stats.open = static_cast<int64_t>(tracked_.size());
  return stats;
}

absl::Time ConnectionGate::LastHeartbeat() const {
  return absl::FromUnixNanos(heartbeat_ns_.load());
}

void ConnectionGate::AcceptLoop() {
  std::vector<pollfd> fds;
  for (int fd : listen_fds_) fds.push_back({fd, POLLIN, 0});
  fds.push_back({wake_fd_, POLLIN, 0});
  while (!stopping_) {
    heartbeat_ns_ = absl::ToUnixNanos(absl::Now());
    const int ready = poll(fds.data(), fds.size(), kIdlePollMs);
    if (ready < 0 && errno != EINTR) {
      // poll itself failing (ENOMEM) is transient; do not spin.
      absl::SleepFor(absl::Milliseconds(50));
      continue;
    }
    if (stopping_) break;
    for (size_t i = 0; i + 1 < fds.size(); ++i) {
      if (fds[i].revents != 0) AcceptBurst(fds[i].fd);
    }
    if (ready == 0) {
      size_t open = 0;
      {
        absl::MutexLock lock(&mu_);
        Reconcile(absl::Seconds(1));
        open = tracked_.size();
      }
      // After many connections have gone (a flood, half-sent calls), give
      // their buffers back to the system: glibc keeps freed memory in its
      // arenas, and the process would stay at its peak size.
      if (open + kTrimAfterClosed <= open_at_last_trim_) malloc_trim(0);
      if (open + kTrimAfterClosed <= open_at_last_trim_ ||
          open > open_at_last_trim_) {
        open_at_last_trim_ = open;
      }
    }
  }
}

void ConnectionGate::AcceptBurst(int listen_fd) {
  for (int i = 0; i < kAcceptBurst && !stopping_; ++i) {
    sockaddr_storage address{};
    socklen_t length = sizeof(address);
    const int fd = accept4(listen_fd, reinterpret_cast<sockaddr*>(&address),
                           &length, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd >= 0) {
      Admit(listen_fd, fd, PeerAddress(address));
      continue;
    }
    if (errno == EINTR || errno == ECONNABORTED || errno == EPROTO) continue;
    if (OutOfDescriptors(errno)) {
      ShedOne(listen_fd);
      continue;
    }
    return;  // EAGAIN: nothing more waiting; anything else: try next round
  }
}

void ConnectionGate::ShedOne(int listen_fd) {
  // Give up the spare descriptor to take the waiting connection off the
  // queue and close it, so its client hears at once rather than hanging,
  // then take the spare back.
  const int saved_errno = errno;
  bool shed = false;
  if (spare_fd_ >= 0) {
    close(spare_fd_);
    spare_fd_ = -1;
    const int fd = accept4(listen_fd, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd >= 0) {
      close(fd);
      shed = true;
    }
    spare_fd_ = open("/dev/null", O_RDONLY | O_CLOEXEC);
  }
  const absl::Time now = absl::Now();
  {
    absl::MutexLock lock(&mu_);
    if (shed) ++stats_.shed_out_of_descriptors;
    Reconcile(absl::Milliseconds(250));
  }
  if (now - last_shed_log_ > absl::Seconds(10)) {
    last_shed_log_ = now;
    LogWarn("connections_shed",
            {{"reason", strerror(saved_errno)},
             {"detail",
              "out of file descriptors; closing new connections until some "
              "close"}});
  }
  if (!shed) absl::SleepFor(absl::Milliseconds(10));  // do not spin
}

int ConnectionGate::OverLimit(const std::string& peer) const {
  if (static_cast<int>(tracked_.size()) >= stats_.max_connections) return 1;
  auto it = open_by_peer_.find(peer);
  if (it != open_by_peer_.end() &&
      it->second >= stats_.max_connections_per_peer) {
    return 2;
  }
  return 0;
}

void ConnectionGate::Admit(int listen_fd, int fd, std::string peer) {
  struct stat info {};
  const bool known = fstat(fd, &info) == 0;
  {
    absl::MutexLock lock(&mu_);
    int refusal = OverLimit(peer);
    if (refusal != 0) {
      // gRPC may have closed some since we last looked.
      Reconcile(absl::Milliseconds(250));
      refusal = OverLimit(peer);
    }
    if (refusal != 0 || !known) {
      ++(refusal == 2 ? stats_.refused_at_peer_cap
                      : stats_.refused_at_total_cap);
      close(fd);
      return;
    }
    tracked_.push_back({fd, static_cast<uint64_t>(info.st_dev),
                        static_cast<uint64_t>(info.st_ino), peer});
    ++open_by_peer_[peer];
    ++stats_.admitted_total;
  }
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
  grpc::experimental::ExternalConnectionAcceptor::NewConnectionParameters
      params;
  params.listener_fd = listen_fd;
  params.fd = fd;
  acceptor_->HandleNewConnection(&params);  // gRPC owns fd from here
}

void ConnectionGate::Reconcile(absl::Duration min_interval) {
  const absl::Time now = absl::Now();
  if (now - last_reconcile_ < min_interval) return;
  last_reconcile_ = now;
  // A socket's (device, inode) is unique while it is open, so a descriptor
  // that is closed, or reused for another socket or file, no longer
  // matches.
  auto closed = [](const Tracked& t) {
    struct stat info {};
    return fstat(t.fd, &info) != 0 ||
           static_cast<uint64_t>(info.st_ino) != t.inode ||
           static_cast<uint64_t>(info.st_dev) != t.device;
  };
  tracked_.erase(std::remove_if(tracked_.begin(), tracked_.end(), closed),
                 tracked_.end());
  open_by_peer_.clear();
  for (const Tracked& t : tracked_) ++open_by_peer_[t.peer];
}

}  // namespace reciprocity
