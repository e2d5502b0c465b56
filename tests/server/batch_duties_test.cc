// Separation of duties in payment batches, over a real server, channel and
// SQLite file: who may approve a batch follows what each person did to its
// claims and to the batch itself, never what they did to a batch that was
// cancelled; and a refusal says which rule applies.
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/server/finance_fixture.h"
#include "tests/util/status_matchers.h"
#include "tests/util/test_server.h"

namespace reciprocity {
namespace {

using ::reciprocity::testing::StatusIs;
using ::testing::HasSubstr;
using ::testing::Not;
namespace t = ::reciprocity::testing;

v1::BatchSelection AdultSocialCare() {
  v1::BatchSelection selection;
  selection.set_service_area("serviceAreas/adult-social-care");
  return selection;
}

TEST_F(FinanceTest, CancellingABatchDoesNotStopAnyoneApprovingTheNext) {
  SubmitApprovedClaims(2);
  // Finance makes a batch and finance-2 cancels it; finance makes another.
  // Finance-2 did nothing to the claims or the new batch, so may approve it.
  v1::Batch first = MustCreate(AdultSocialCare());
  ASSERT_THAT(Cancel(first.name(), nullptr, t::kFinance2), IsOk());
  v1::Batch second = MustCreate(AdultSocialCare());
  ASSERT_EQ(second.claim_count(), 2);
  EXPECT_THAT(Approve(t::kFinance2, second.name()), IsOk());

  // The other way round: finance-2 cancels that one and makes a third;
  // finance made and approved nothing in it, so may approve it.
  ASSERT_THAT(Cancel(second.name(), nullptr, t::kFinance2), IsOk());
  v1::Batch third;
  ASSERT_THAT(Create(t::kFinance2, AdultSocialCare(), &third), IsOk());
  ASSERT_EQ(third.claim_count(), 2);
  EXPECT_THAT(Approve(t::kFinance, third.name()), IsOk());
}

TEST_F(FinanceTest, RefusalToApproveSaysWhichRuleApplies) {
  // Finance-officer enters claims/1 for a participant, and reviews a line
  // of claims/2, which another officer entered for the day before.
  v1::Claim entered = Submit(t::kFinanceOfficer, BusFareClaim());
  ASSERT_EQ(entered.state(), v1::CLAIM_STATE_APPROVED);
  ClaimWithReviewedTaxi(t::kOfficerAsc, t::kFinanceOfficer,
                        "participants/p-0002", "2026-11-17");

  // Both claims in one batch: the first claim it had a part in is named.
  v1::Batch both = MustCreate(AdultSocialCare());
  ASSERT_EQ(both.claim_count(), 2);
  grpc::Status s = Approve(t::kFinanceOfficer, both.name());
  EXPECT_THAT(s, StatusIs(absl::StatusCode::kPermissionDenied));
  EXPECT_THAT(s.error_message(),
              HasSubstr("you entered a claim in this batch (claims/1)"));
  ASSERT_THAT(Cancel(both.name()), IsOk());

  // Only the claim it reviewed: the review is named.
  v1::BatchSelection day_before = AdultSocialCare();
  day_before.set_session_date_to("2026-11-17");
  v1::Batch batch = MustCreate(day_before);
  ASSERT_EQ(batch.claim_count(), 1);
  s = Approve(t::kFinanceOfficer, batch.name());
  EXPECT_THAT(s, StatusIs(absl::StatusCode::kPermissionDenied));
  EXPECT_THAT(s.error_message(),
              HasSubstr("you reviewed a claim in this batch (claims/2)"));
  EXPECT_THAT(s.error_message(), Not(HasSubstr("entered")));
  EXPECT_THAT(Approve(t::kFinance2, batch.name()), IsOk());
}

}  // namespace
}  // namespace reciprocity
