// The random-operations model: which operation to try, which state changes
// are legal, what every stored claim keeps, and the tally of outcomes.
#include <iostream>
#include <utility>

#include "absl/synchronization/mutex.h"
#include "gtest/gtest.h"
#include "tests/server/random_ops.h"

namespace reciprocity::testing::random_ops {

Op PickOp(std::mt19937_64& rng) {
  static const std::discrete_distribution<int> kWeights{30, 25, 8, 12, 15, 10,
                                                        4,  4,  4, 2,  3};
  std::discrete_distribution<int> d = kWeights;
  return static_cast<Op>(d(rng));
}

bool LegalTransition(v1::ClaimState from, v1::ClaimState to) {
  using S = v1::ClaimState;
  if (from == to) return from == S::CLAIM_STATE_NEEDS_REVIEW;  // partial review
  switch (from) {
    case S::CLAIM_STATE_SUBMITTED:
      return to != S::CLAIM_STATE_BATCHED && to != S::CLAIM_STATE_PAID;
    case S::CLAIM_STATE_NEEDS_REVIEW:
      return to == S::CLAIM_STATE_APPROVED || to == S::CLAIM_STATE_REJECTED ||
             to == S::CLAIM_STATE_WITHDRAWN;
    case S::CLAIM_STATE_APPROVED:  // appeal of a refused line, or a batch
      return to == S::CLAIM_STATE_NEEDS_REVIEW || to == S::CLAIM_STATE_BATCHED;
    case S::CLAIM_STATE_REJECTED:
      return to == S::CLAIM_STATE_NEEDS_REVIEW;
    case S::CLAIM_STATE_BATCHED:
      return to == S::CLAIM_STATE_PAID || to == S::CLAIM_STATE_APPROVED;
    default:
      return false;
  }
}

void CheckClaim(const v1::Claim& c) {
  SCOPED_TRACE(c.name());
  ASSERT_EQ(c.decision().lines_size(), c.lines_size());
  int64_t total = 0;
  bool any_review = false, all_refused = true;
  for (const auto& line : c.decision().lines()) {
    EXPECT_GE(line.allowed_pence(), 0);
    total += line.allowed_pence();
    any_review |= line.outcome() == v1::LINE_OUTCOME_NEEDS_REVIEW;
    all_refused &= line.outcome() == v1::LINE_OUTCOME_REFUSED;
    if (line.outcome() == v1::LINE_OUTCOME_REFUSED) {
      EXPECT_EQ(line.allowed_pence(), 0);
    }
  }
  EXPECT_EQ(c.decision().allowed_total_pence(), total);
  EXPECT_GE(c.claimed_total_pence(), 0);
  switch (c.state()) {
    case v1::CLAIM_STATE_NEEDS_REVIEW:
      EXPECT_TRUE(any_review || c.decision().needs_review());
      break;
    case v1::CLAIM_STATE_APPROVED:
      EXPECT_FALSE(any_review);
      EXPECT_FALSE(all_refused);
      break;
    case v1::CLAIM_STATE_REJECTED:
      EXPECT_TRUE(all_refused);
      EXPECT_EQ(total, 0);
      break;
    case v1::CLAIM_STATE_WITHDRAWN:
      break;
    case v1::CLAIM_STATE_BATCHED:
    case v1::CLAIM_STATE_PAID:
      EXPECT_FALSE(any_review);
      EXPECT_FALSE(all_refused);
      break;
    default:
      ADD_FAILURE() << "unexpected state " << v1::ClaimState_Name(c.state());
  }
}

namespace {
absl::Mutex counts_mu;
std::map<std::string, std::pair<int, int>> counts ABSL_GUARDED_BY(counts_mu);
}  // namespace

void Count(const std::string& what, bool ok) {
  absl::MutexLock lock(&counts_mu);
  auto& [succeeded, refused] = counts[what];
  ++(ok ? succeeded : refused);
}

void PrintCounts() {
  absl::MutexLock lock(&counts_mu);
  for (const auto& [what, count] : counts) {
    std::cout << what << ": " << count.first << " succeeded, " << count.second
              << " refused\n";
  }
}

}  // namespace reciprocity::testing::random_ops
