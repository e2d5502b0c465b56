// Promises kept: the timeliness report lists every claim not yet paid that
// is late or at risk against its area's payment promise (the rule file's
// payment_promise_days, 14 in every shipped area), oldest first, with why
// it waits; and the review queue can be read oldest or newest first.
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "base/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "reciprocity/v1/finance.grpc.pb.h"
#include "tests/server/programme_fixture.h"

namespace reciprocity {
namespace {

namespace t = ::reciprocity::testing;
using ::reciprocity::testing::IsOk;
using ::reciprocity::testing::StatusIs;
using ::reciprocity::testing::TestServer;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::StartsWith;

class PromiseTest : public t::ProgrammeTest {
 protected:
  PromiseTest() : finance_(v1::FinanceService::NewStub(server_.channel())) {}

  void SetToday(absl::CivilDay day) {
    server_.clock().Set(absl::FromCivil(
        absl::CivilSecond(day.year(), day.month(), day.day(), 12, 0, 0),
        LondonTimeZone()));
  }
  // A claim submitted on `submitted` for a session the day before: a bus
  // fare (approved), or with a taxi nobody agreed (waits for review).
  v1::Claim SubmitOn(absl::CivilDay submitted, const std::string& participant,
                     bool taxi) {
    SetToday(submitted);
    v1::Claim claim =
        t::BusFareClaim(participant, absl::FormatCivilTime(submitted - 1));
    if (taxi) {
      v1::ClaimLine* line = claim.add_lines();
      line->set_category(v1::EXPENSE_CATEGORY_TAXI);
      line->set_amount_pence(1250);
      line->set_receipt_provided(true);
    }
    v1::Claim out = MustSubmit(t::kOfficerAsc, claim);
    EXPECT_EQ(out.state(),
              taxi ? v1::CLAIM_STATE_NEEDS_REVIEW : v1::CLAIM_STATE_APPROVED)
        << out.decision().summary();
    return out;
  }
  v1::TimelinessReport Timeliness(int target_days = 0, int at_risk_days = 0) {
    v1::GetTimelinessReportRequest request;
    request.set_target_days(target_days);
    request.set_at_risk_days(at_risk_days);
    v1::TimelinessReport report;
    EXPECT_THAT(finance_->GetTimelinessReport(TestServer::As(t::kFinance).get(),
                                              request, &report),
                IsOk());
    return report;
  }
  std::vector<std::string> ReviewQueue(const std::string& order_by,
                                       int page_size = 0,
                                       std::string* next = nullptr,
                                       const std::string& token = "") {
    v1::ListClaimsRequest request;
    request.set_state(v1::CLAIM_STATE_NEEDS_REVIEW);
    request.set_order_by(order_by);
    request.set_page_size(page_size);
    request.set_page_token(token);
    v1::ListClaimsResponse response;
    EXPECT_THAT(server_.claims().ListClaims(
                    TestServer::As(t::kOfficerAsc2).get(), request, &response),
                IsOk());
    if (next != nullptr) *next = response.next_page_token();
    std::vector<std::string> names;
    for (const auto& c : response.claims()) names.push_back(c.name());
    return names;
  }

  // Today is 20 November 2026; each area promises payment within 14 days.
  // claims/1: 1 Nov, waits for review: late by 5 days.
  // claims/2: 4 Nov, approved, in no batch: late by 2 days.
  // claims/3: 9 Nov, approved, in batches/1 (draft): 3 days left.
  // claims/4: 19 Nov, approved: 13 days left, in time.
  // claims/5: 6 Nov, waits for review: its last day is today.
  void SubmitTheMonth() {
    SubmitOn(absl::CivilDay(2026, 11, 1), "participants/p-0001", true);
    SubmitOn(absl::CivilDay(2026, 11, 4), "participants/p-0002", false);
    SubmitOn(absl::CivilDay(2026, 11, 9), "participants/p-0001", false);
    SubmitOn(absl::CivilDay(2026, 11, 19), "participants/p-0002", false);
    SubmitOn(absl::CivilDay(2026, 11, 6), "participants/p-0002", true);
    SetToday(absl::CivilDay(2026, 11, 20));
    v1::CreateBatchRequest batch;
    batch.mutable_selection()->set_session_date_from("2026-11-08");
    batch.mutable_selection()->set_session_date_to("2026-11-08");
    batch.set_request_id(NextId());
    v1::Batch created;
    ASSERT_THAT(finance_->CreateBatch(TestServer::As(t::kFinance).get(), batch,
                                      &created),
                IsOk());
    ASSERT_EQ(created.claim_count(), 1);
  }

  std::unique_ptr<v1::FinanceService::Stub> finance_;
};

TEST_F(PromiseTest, LateAndAtRiskClaimsAreListedOldestFirstWithWhy) {
  SubmitTheMonth();
  const v1::TimelinessReport r = Timeliness();
  EXPECT_EQ(r.target_days(), 14);
  EXPECT_EQ(r.at_risk_days(), 3);
  EXPECT_EQ(r.late_count(), 2);
  EXPECT_EQ(r.at_risk_count(), 2);
  EXPECT_EQ(r.waiting_claim_count(), 3);  // approved or batched
  EXPECT_EQ(r.waiting_past_target_count(), 1);

  std::vector<std::string> order;
  for (const auto& c : r.claims()) order.push_back(c.claim());
  EXPECT_THAT(order,
              ElementsAre("claims/1", "claims/2", "claims/5", "claims/3"));

  const v1::ClaimAtRisk& review = r.claims(0);
  EXPECT_EQ(review.status(), v1::PROMISE_STATUS_LATE);
  EXPECT_EQ(review.waiting_for(), v1::CLAIM_WAIT_REVIEW);
  EXPECT_EQ(review.submit_date(), "2026-11-01");
  EXPECT_EQ(review.days_waiting(), 19);
  EXPECT_EQ(review.target_days(), 14);
  EXPECT_EQ(review.days_left(), -5);
  EXPECT_EQ(review.reason(), "Waiting for an officer to review it.");
  EXPECT_EQ(review.participant(), "participants/p-0001");
  EXPECT_EQ(review.project(), t::kLdUserVoice);

  const v1::ClaimAtRisk& unbatched = r.claims(1);
  EXPECT_EQ(unbatched.status(), v1::PROMISE_STATUS_LATE);
  EXPECT_EQ(unbatched.waiting_for(), v1::CLAIM_WAIT_BATCH);
  EXPECT_EQ(unbatched.days_left(), -2);
  EXPECT_EQ(unbatched.allowed_total_pence(), 320);
  EXPECT_EQ(unbatched.reason(), "Approved, but not yet in a payment batch.");

  const v1::ClaimAtRisk& last_day = r.claims(2);
  EXPECT_EQ(last_day.status(), v1::PROMISE_STATUS_AT_RISK);
  EXPECT_EQ(last_day.waiting_for(), v1::CLAIM_WAIT_REVIEW);
  EXPECT_EQ(last_day.days_left(), 0);

  const v1::ClaimAtRisk& batched = r.claims(3);
  EXPECT_EQ(batched.status(), v1::PROMISE_STATUS_AT_RISK);
  EXPECT_EQ(batched.waiting_for(), v1::CLAIM_WAIT_PAYMENT);
  EXPECT_EQ(batched.batch(), "batches/1");
  EXPECT_EQ(batched.days_left(), 3);
  EXPECT_EQ(batched.reason(),
            "In batches/1 (draft, waiting for a second person to approve "
            "it), not yet paid.");
}

TEST_F(PromiseTest, TheWindowAndTheTargetCanBeChosen) {
  SubmitTheMonth();
  // Only claims with at most one day left.
  const v1::TimelinessReport close = Timeliness(0, 1);
  std::vector<std::string> order;
  for (const auto& c : close.claims()) order.push_back(c.claim());
  EXPECT_THAT(order, ElementsAre("claims/1", "claims/2", "claims/5"));
  // Against 30 days, nothing is late or close.
  const v1::TimelinessReport relaxed = Timeliness(30);
  EXPECT_EQ(relaxed.target_days(), 30);
  EXPECT_THAT(relaxed.claims(), IsEmpty());

  v1::GetTimelinessReportRequest bad;
  bad.set_at_risk_days(-1);
  v1::TimelinessReport report;
  EXPECT_THAT(finance_->GetTimelinessReport(TestServer::As(t::kFinance).get(),
                                            bad, &report),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       StartsWith("at_risk_days:")));
}

TEST_F(PromiseTest, AnOfficerSeesOnlyTheirAreasClaims) {
  SubmitTheMonth();
  v1::GetTimelinessReportRequest request;
  v1::TimelinessReport report;
  ASSERT_THAT(finance_->GetTimelinessReport(TestServer::As(t::kOfficerCf).get(),
                                            request, &report),
              IsOk());
  EXPECT_THAT(report.claims(), IsEmpty());
}

TEST_F(PromiseTest, TheReviewQueueIsSortedByAge) {
  SubmitTheMonth();
  EXPECT_THAT(ReviewQueue(""), ElementsAre("claims/1", "claims/5"));
  EXPECT_THAT(ReviewQueue("submit_time"), ElementsAre("claims/1", "claims/5"));
  EXPECT_THAT(ReviewQueue("submit_time desc"),
              ElementsAre("claims/5", "claims/1"));
  // Newest first, a page at a time, nothing skipped or repeated.
  std::string next;
  EXPECT_THAT(ReviewQueue("submit_time desc", 1, &next),
              ElementsAre("claims/5"));
  ASSERT_FALSE(next.empty());
  EXPECT_THAT(ReviewQueue("submit_time desc", 1, &next, next),
              ElementsAre("claims/1"));
}

TEST_F(PromiseTest, AnUnknownOrderIsRefusedNamingOrderBy) {
  for (const char* order_by : {"age", "submit_time descending", "id"}) {
    v1::ListClaimsRequest request;
    request.set_order_by(order_by);
    v1::ListClaimsResponse response;
    EXPECT_THAT(
        server_.claims().ListClaims(TestServer::As(t::kOfficerAsc).get(),
                                    request, &response),
        StatusIs(absl::StatusCode::kInvalidArgument, StartsWith("order_by:")))
        << order_by;
  }
}

}  // namespace
}  // namespace reciprocity
