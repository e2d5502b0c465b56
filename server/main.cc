// reciprocityd: parses flags into ServerOptions and runs the server until
// SIGINT or SIGTERM.
#include <signal.h>
#include <sys/resource.h>

#include <CLI/CLI.hpp>
#include <filesystem>
#include <iostream>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "base/clock.h"
#include "base/logging.h"
#include "server/check.h"
#include "server/server.h"
#include "server/store/maintenance.h"

namespace {

// reciprocityd --restore FILE: verifies the backup, keeps a copy of the
// current database beside it, then copies the backup in.
int Restore(const std::string& backup, const std::string& db_path) {
  auto verified = reciprocity::store::VerifyDatabase(backup);
  if (!verified.ok()) {
    std::cerr << "reciprocityd --restore: " << verified.status().message()
              << "\n";
    return 1;
  }
  std::error_code error;
  if (std::filesystem::exists(db_path, error)) {
    const std::string keep = absl::StrCat(
        db_path, ".before-restore-",
        absl::FormatTime("%Y%m%dT%H%M%SZ", absl::Now(), absl::UTCTimeZone()));
    auto kept = reciprocity::store::BackupDatabase(db_path, keep);
    if (!kept.ok()) {
      std::cerr << "reciprocityd --restore: cannot keep the current database: "
                << kept.status().message() << "\n";
      return 1;
    }
    std::cout << "kept the current database as " << keep << " ("
              << kept->claim_count << " claims)\n";
  }
  auto restored = reciprocity::store::RestoreDatabase(backup, db_path);
  if (!restored.ok()) {
    std::cerr << "reciprocityd --restore: " << restored.status().message()
              << "\n";
    return 1;
  }
  std::cout << "restored " << backup << " into " << db_path << ": "
            << restored->claim_count << " claims, schema version "
            << restored->schema_version
            << " (migrated, if older, when reciprocityd next starts)\n";
  return 0;
}

// Connections cost a descriptor each: use all the kernel allows this
// process (the soft limit is often 1024 while the hard one is far higher).
// Under systemd, LimitNOFILE= sets both.
void RaiseOpenFileLimit() {
  rlimit files{};
  if (getrlimit(RLIMIT_NOFILE, &files) != 0 ||
      files.rlim_cur >= files.rlim_max) {
    return;
  }
  const rlim_t before = files.rlim_cur;
  files.rlim_cur = files.rlim_max;
  if (setrlimit(RLIMIT_NOFILE, &files) == 0) {
    reciprocity::LogInfo(
        "open_file_limit_raised",
        {{"from", absl::StrCat(before)}, {"to", absl::StrCat(files.rlim_cur)}});
  }
}

}  // namespace

int main(int argc, char** argv) {
  reciprocity::ServerOptions options;
  std::string log_level = "info";
  CLI::App app{
      "reciprocityd: the Reciprocity expense and reimbursement service.\n"
      "Serves gRPC (reciprocity.v1, grpc.health.v1, reflection) and stores "
      "claims in SQLite."};
  app.add_option("--listen", options.listen, "host:port to listen on")
      ->capture_default_str();
  app.add_option("--db", options.db_path,
                 "SQLite database file (created if missing)")
      ->capture_default_str();
  app.add_option(
         "--rules", options.rules_dir,
         "directory of rule files, one <area>.textproto per service area")
      ->capture_default_str();
  app.add_option("--principals", options.principals_path,
                 "principals file: SHA-256 of each token, roles, service areas")
      ->capture_default_str();
  app.add_option("--tls-cert", options.tls_cert_file,
                 "PEM certificate chain; with --tls-key, serve TLS only");
  app.add_option("--tls-key", options.tls_key_file,
                 "PEM private key for --tls-cert");
  app.add_option(
      "--tls-client-ca", options.tls_client_ca_file,
      "PEM CA for client certificates: require and verify them (mTLS)");
  app.add_flag(
      "--allow-insecure-non-loopback", options.allow_insecure_non_loopback,
      "allow plaintext on an address other than loopback (not advised)");
  app.add_option("--max-request-bytes", options.max_request_bytes,
                 "largest request accepted")
      ->capture_default_str();
  app.add_option("--max-connections", options.max_connections,
                 "connections open at once (lowered to fit the open-file "
                 "limit)")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  app.add_option("--max-connections-per-peer", options.max_connections_per_peer,
                 "connections open at once from one IP address")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  app.add_option("--max-streams-per-connection", options.max_concurrent_streams,
                 "calls in flight on one connection")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  int64_t memory_quota_mib = options.memory_quota_bytes >> 20;
  app.add_option("--memory-quota-mib", memory_quota_mib,
                 "memory gRPC may hold for connections and calls; over it, "
                 "calls are cancelled rather than the server growing")
      ->capture_default_str()
      ->check(CLI::Range(int64_t{8}, int64_t{1} << 20));
  app.add_option("--max-connection-age", options.max_connection_age_seconds,
                 "seconds before a connection is asked to reconnect; with "
                 "30 s grace this bounds how long a half-sent call can wait")
      ->capture_default_str()
      ->check(CLI::Range(10, 86400));
  app.add_option("--log-level", log_level, "debug, info, warn or error")
      ->capture_default_str()
      ->check(CLI::IsMember({"debug", "info", "warn", "error"}));
  app.add_option("--backup-dir", options.backup_dir,
                 "directory for online backups (recip admin backup); empty: "
                 "backups off");
  app.add_option("--metrics-listen", options.metrics_listen,
                 "host:port for Prometheus metrics (GET /metrics); empty: off");
  app.add_option("--sign-in-proxy", options.sign_in_proxies,
                 "IP address of a reciprocity-web trusted to name the browser "
                 "a sign-in code comes from (repeat for more); wrong codes "
                 "are then limited per browser, not per front end")
      ->delimiter(',');
  bool check = false;
  app.add_flag("--check", check,
               "check flags, rule files, principals and database access, "
               "print a report and exit (0: all OK, 1: something failed)");
  std::string restore_from;
  app.add_option("--restore", restore_from,
                 "restore the database (--db) from this backup file and exit; "
                 "stop the service first")
      ->excludes("--check");
  app.set_config("--config", "",
                 "read options from this file (key = value, keys as the long "
                 "flags without --)");
  CLI11_PARSE(app, argc, argv);

  if (check) {
    return reciprocity::PrintCheckReport(
               reciprocity::CheckConfiguration(options), std::cout)
               ? 0
               : 1;
  }
  if (!restore_from.empty()) return Restore(restore_from, options.db_path);

  options.memory_quota_bytes = memory_quota_mib << 20;
  reciprocity::InitLogging(log_level);
  RaiseOpenFileLimit();
  // Abseil's lock-order graph (on in Debian's build) serialises every Mutex
  // acquisition behind one global lock; the locks here are few and simple.
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);

  // Handle signals synchronously: block them in every thread (gRPC's threads
  // inherit this mask) and wait for them here. SIGHUP reloads the principals
  // and rule files; SIGINT and SIGTERM stop the server.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  reciprocity::SystemClock clock;
  auto server = reciprocity::ReciprocityServer::Start(options, clock);
  if (!server.ok()) {
    std::cerr << "reciprocityd: " << server.status().message() << "\n";
    return 1;
  }
  std::cout << "reciprocityd listening on " << options.listen << " (port "
            << (*server)->port() << ")" << std::endl;

  int signal_number = 0;
  for (;;) {
    sigwait(&signals, &signal_number);
    if (signal_number != SIGHUP) break;
    if (absl::Status s = (*server)->ReloadConfiguration(); !s.ok()) {
      std::cerr << "reciprocityd: reload: " << s.message() << "\n";
    }
  }
  reciprocity::LogInfo(
      "shutdown_requested",
      {{"signal", signal_number == SIGINT ? "SIGINT" : "SIGTERM"}});
  (*server)->Shutdown();
  return 0;
}
