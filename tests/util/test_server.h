// A real Reciprocity server for tests: a temporary directory holding a copy
// of the shipped rule files, a principals file with one token per role, and
// a SQLite database; served on a loopback port and reached over a real
// channel. Today is fixed (default 20 November 2026). Participants p-0001
// and p-0002 (the records of the two participant principals) are registered
// as residents paid by bank transfer.
#ifndef RECIPROCITY_TESTS_UTIL_TEST_SERVER_H_
#define RECIPROCITY_TESTS_UTIL_TEST_SERVER_H_

#include <grpcpp/grpcpp.h>

#include <filesystem>
#include <functional>
#include <memory>
#include <string>

#include "absl/time/civil_time.h"
#include "base/clock.h"
#include "reciprocity/v1/claims.grpc.pb.h"
#include "reciprocity/v1/policy_service.grpc.pb.h"
#include "reciprocity/v1/programme.grpc.pb.h"
#include "server/server.h"

namespace reciprocity::testing {

// Principal ids in the test principals file; the token of each is
// "token-" + id.
inline constexpr char kParticipant1[] = "participant-1";  // participants/p-0001
inline constexpr char kParticipant2[] = "participant-2";  // participants/p-0002
inline constexpr char kOfficerAsc[] = "officer-asc";      // adult-social-care
inline constexpr char kOfficerAsc2[] = "officer-asc-2";   // adult-social-care
inline constexpr char kOfficerAsc3[] = "officer-asc-3";   // adult-social-care
inline constexpr char kOfficerCf[] = "officer-cf";  // children-and-families
inline constexpr char kOfficerSc[] =
    "officer-sc";                              // strategy-and-commissioning
inline constexpr char kFinance[] = "finance";  // all areas
inline constexpr char kAdministrator[] = "administrator";
inline constexpr char kAuditor[] = "auditor";         // all areas
inline constexpr char kAuditorAsc[] = "auditor-asc";  // adult-social-care
// A second finance principal, so batches can be approved by someone else.
inline constexpr char kFinance2[] = "finance-2";  // all areas
// Finance and officer in adult-social-care (reviews claims, so must not
// approve a batch holding them).
inline constexpr char kFinanceOfficer[] = "finance-officer";
// A support worker with their own sign-in and no participant record of
// their own: acts for a participant only once named their appointee.
inline constexpr char kCarer[] = "carer-1";

// A fresh temporary directory, removed by the destructor.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

class TestServer {
 public:
  explicit TestServer(absl::CivilDay today = absl::CivilDay(2026, 11, 20));
  // `configure` adjusts the options (listen address, TLS files, ...) before
  // the server starts. With TLS, channel() and the stubs are not usable:
  // build a secure channel to address() instead.
  TestServer(absl::CivilDay today,
             const std::function<void(ServerOptions&)>& configure);
  ~TestServer();

  // Stops and starts the server on the same files (a clean restart).
  void Restart();

  // Registers participants/`id`, a resident paid by bank transfer, over the
  // in-process channel (whatever the transport). p-0001 and p-0002 are
  // registered when the server starts.
  grpc::Status RegisterParticipant(const std::string& id);

  // A context that authenticates as `principal_id` (empty: no token).
  static std::unique_ptr<grpc::ClientContext> As(
      const std::string& principal_id);

  v1::ClaimService::Stub& claims() { return *claims_; }
  v1::PolicyService::Stub& policies() { return *policies_; }
  v1::ProgrammeService::Stub& programme() { return *programme_; }
  const std::shared_ptr<grpc::Channel>& channel() const { return channel_; }
  FixedClock& clock() { return clock_; }
  ReciprocityServer& server() { return *server_; }
  const std::filesystem::path& dir() const { return dir_.path(); }
  std::filesystem::path rules_dir() const { return dir_.path() / "rules"; }
  std::filesystem::path db_path() const {
    return dir_.path() / "reciprocity.db";
  }
  std::filesystem::path principals_path() const {
    return dir_.path() / "principals.textproto";
  }
  // Where AdminService.BackupDatabase writes.
  std::filesystem::path backup_dir() const { return dir_.path() / "backups"; }
  // The Prometheus endpoint ("127.0.0.1:<port>").
  std::string metrics_address() const;
  std::string address() const;

 private:
  void Start();
  TempDir dir_;
  FixedClock clock_;
  ServerOptions options_;
  std::unique_ptr<ReciprocityServer> server_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<v1::ClaimService::Stub> claims_;
  std::unique_ptr<v1::PolicyService::Stub> policies_;
  std::unique_ptr<v1::ProgrammeService::Stub> programme_;
};

// Sends `bytes` as the request of `method` ("/reciprocity.v1.X/Method"),
// whatever they hold, as `principal` (empty: no token).
grpc::Status CallWithBytes(const std::shared_ptr<grpc::Channel>& channel,
                           const std::string& method, const std::string& bytes,
                           const std::string& principal);

// A simple valid claim: a £3.20 bus fare to the LD user voice group.
v1::Claim BusFareClaim(const std::string& participant = "participants/p-0001",
                       const std::string& date = "2026-11-18");

}  // namespace reciprocity::testing

#endif  // RECIPROCITY_TESTS_UTIL_TEST_SERVER_H_
