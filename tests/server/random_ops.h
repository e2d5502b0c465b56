// The random-operations test's model: the operations it picks, the rules
// every stored claim and state change keep, and the run that drives a real
// server and checks it against the model (random_ops_claims.cc,
// random_ops_batches.cc). The test itself is random_ops_test.cc.
#ifndef RECIPROCITY_TESTS_SERVER_RANDOM_OPS_H_
#define RECIPROCITY_TESTS_SERVER_RANDOM_OPS_H_

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "reciprocity/v1/claims.pb.h"
#include "reciprocity/v1/finance.grpc.pb.h"
#include "tests/util/test_server.h"

namespace reciprocity::testing::random_ops {

// participant-1: a quarter of the claims are theirs, so that they can appeal.
inline constexpr char kAppellant[] = "participants/p-0001";
inline constexpr const char* kProjects[] = {
    "serviceAreas/adult-social-care/projects/ld-user-voice",
    "serviceAreas/adult-social-care/projects/over-55s-user-voice",
    "serviceAreas/adult-social-care/projects/carers-user-voice",
};

enum class Op {
  kSubmit,
  kReview,
  kWithdraw,
  kAppeal,
  kRetrySame,
  kRetryChanged,
  kCreateBatch,
  kApproveBatch,
  kExportBatch,
  kCancelBatch,
  kPayBatch,
};

Op PickOp(std::mt19937_64& rng);

// Whether a claim may go from `from` to `to` in one step.
bool LegalTransition(v1::ClaimState from, v1::ClaimState to);

// Invariants every stored claim keeps, whatever happened to it.
void CheckClaim(const v1::Claim& c);

// A mutating request that succeeded, kept for retries.
struct Done {
  std::string principal;
  std::string method;  // "submit", "review", "withdraw", "appeal"
  v1::SubmitClaimRequest submit;
  v1::ReviewClaimLineRequest review;
  v1::WithdrawClaimRequest withdraw;
  v1::AppealClaimLineRequest appeal;
  v1::Claim response;
};

// How often each operation succeeded or was refused, over all seeds: shows
// that the run reached every path. Safe to call from any thread.
void Count(const std::string& what, bool ok);
void PrintCounts();

// One seed's run: random operations on one server, checked after each.
class RandomRun {
 public:
  RandomRun(TestServer& server, uint64_t seed);
  void Step(int op_index);
  // Checks that span claims: each participant's listing matches the model.
  void CheckGlobal();

 private:
  // Claims, in random_ops_claims.cc.
  std::string NewRequestId();
  int64_t Uniform(int64_t lo, int64_t hi);
  v1::ClaimLine RandomLine();
  // The model's claim to act on: usually one the action suits.
  const v1::Claim* PickClaim(const std::function<bool(const v1::Claim&)>& fits);
  // After a call: OK exactly when the model expected it; the stored claim
  // equals what the model now holds and keeps every invariant.
  void Settle(const std::string& what, const grpc::Status& status,
              bool expect_ok, const v1::Claim* before, const v1::Claim& after,
              Done done);
  // The server holds exactly the model's version of the claim.
  void CheckStored(const std::string& name);
  void Submit();
  void Review();
  void Withdraw();
  void Appeal();
  // Retries a request that succeeded: the same request gets the first answer
  // and changes nothing; a changed body under the same id is refused.
  void Retry(bool change);

  // Batches, in random_ops_batches.cc.
  int64_t AllowedTotal(const std::vector<std::string>& claim_names) const;
  // Reloads the batch's claims after a batch changed their state, checking
  // each change is legal and lands in `want`.
  void RefreshClaims(const v1::Batch& batch, v1::ClaimState want);
  // A batch in one of `states`, usually; any batch otherwise, to see the
  // refusals too.
  const v1::Batch* PickBatch(std::initializer_list<v1::BatchState> states);
  void SettleBatch(const std::string& what, const grpc::Status& status,
                   bool expect_ok);
  void CreateBatch();
  void ApproveBatch();
  void ExportBatch();
  void CancelBatch();
  void PayBatch();

  TestServer& server_;
  std::unique_ptr<v1::FinanceService::Stub> finance_;
  const uint64_t seed_;
  std::mt19937_64 rng_;
  int op_index_ = 0;
  int next_id_ = 0;
  std::string name_;                         // the claim the last step touched
  std::map<std::string, v1::Claim> claims_;  // by name, as the server has it
  std::vector<Done> done_;
  std::map<std::string, v1::Batch> batches_;  // by name, with their claims
};

}  // namespace reciprocity::testing::random_ops

#endif  // RECIPROCITY_TESTS_SERVER_RANDOM_OPS_H_
