// FinanceService over a real gRPC channel, a real server and a real SQLite
// file: payment batches, two-person approval, exports, payment, reports.
#include <atomic>
#include <map>
#include <set>
#include <thread>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "reciprocity/v1/finance.grpc.pb.h"
#include "tests/server/finance_fixture.h"
#include "tests/util/status_matchers.h"
#include "tests/util/test_server.h"

namespace reciprocity {
namespace {

using ::reciprocity::testing::StatusIs;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::SizeIs;
namespace t = ::reciprocity::testing;

TEST_F(FinanceTest, BatchTakesEveryApprovedClaimWithTotals) {
  SubmitApprovedClaims(3);
  v1::Batch batch = MustCreate();
  EXPECT_EQ(batch.name(), "batches/1");
  EXPECT_EQ(batch.state(), v1::BATCH_STATE_DRAFT);
  EXPECT_EQ(batch.claim_count(), 3);
  EXPECT_EQ(batch.total_pence(), 960);
  EXPECT_EQ(batch.created_by(), t::kFinance);
  ASSERT_THAT(batch.payment_method_totals(), SizeIs(1));
  EXPECT_EQ(batch.payment_method_totals(0).payment_method(),
            v1::PAYMENT_METHOD_BANK_TRANSFER);
  EXPECT_EQ(batch.payment_method_totals(0).amount_pence(), 960);
  ASSERT_THAT(batch.project_totals(), SizeIs(1));
  EXPECT_EQ(batch.project_totals(0).project(),
            "serviceAreas/adult-social-care/projects/ld-user-voice");
  EXPECT_EQ(batch.project_totals(0).cost_centre(), "ASC-4410");
  EXPECT_EQ(batch.project_totals(0).amount_pence(), 960);

  v1::Batch read = MustGet(batch.name(), /*include_claims=*/true);
  EXPECT_THAT(read.claims(),
              ::testing::ElementsAre("claims/1", "claims/2", "claims/3"));
  v1::Claim claim = MustGetClaim("claims/2");
  EXPECT_EQ(claim.state(), v1::CLAIM_STATE_BATCHED);
  EXPECT_EQ(claim.payment_method(), v1::PAYMENT_METHOD_BANK_TRANSFER);
  ASSERT_GE(claim.history_size(), 2);
  EXPECT_EQ(claim.history().rbegin()->action(), "added to batches/1");
  EXPECT_EQ(claim.history().rbegin()->actor(), t::kFinance);
}

TEST_F(FinanceTest, SelectionNarrowsTheClaimsAndEmptySelectionIsRefused) {
  SubmitApprovedClaims(1);
  v1::BatchSelection other_area;
  other_area.set_service_area("serviceAreas/children-and-families");
  v1::Batch batch;
  EXPECT_THAT(Create(t::kFinance, other_area, &batch),
              StatusIs(absl::StatusCode::kFailedPrecondition));
  v1::BatchSelection later;
  later.set_session_date_from("2026-11-19");
  EXPECT_THAT(Create(t::kFinance, later, &batch),
              StatusIs(absl::StatusCode::kFailedPrecondition));
  v1::BatchSelection project;
  project.set_project("serviceAreas/adult-social-care/projects/ld-user-voice");
  project.set_session_date_to("2026-11-18");
  EXPECT_EQ(MustCreate(project).claim_count(), 1);
  // Nothing is left to take.
  EXPECT_THAT(Create(t::kFinance, {}, &batch),
              StatusIs(absl::StatusCode::kFailedPrecondition));
}

TEST_F(FinanceTest, RetryWithTheSameRequestIdGivesTheSameBatch) {
  SubmitApprovedClaims(2);
  v1::Batch first, second;
  ASSERT_THAT(Create(t::kFinance, {}, &first, "same"), IsOk());
  ASSERT_THAT(Create(t::kFinance, {}, &second, "same"), IsOk());
  EXPECT_EQ(first.SerializeAsString(), second.SerializeAsString());
}

TEST_F(FinanceTest, CreatorCannotApproveTheirOwnBatch) {
  SubmitApprovedClaims(2);
  v1::Batch batch = MustCreate();
  grpc::Status s = Approve(t::kFinance, batch.name());
  EXPECT_THAT(s, StatusIs(absl::StatusCode::kPermissionDenied));
  EXPECT_THAT(s.error_message(), HasSubstr("you created this batch"));
  EXPECT_EQ(MustGet(batch.name()).state(), v1::BATCH_STATE_DRAFT);

  v1::Batch approved;
  ASSERT_THAT(Approve(t::kFinance2, batch.name(), &approved), IsOk());
  EXPECT_EQ(approved.state(), v1::BATCH_STATE_APPROVED);
  EXPECT_EQ(approved.approved_by(), t::kFinance2);
  // Approving twice is a state error.
  EXPECT_THAT(Approve(t::kFinance2, batch.name()),
              StatusIs(absl::StatusCode::kFailedPrecondition));
}

TEST_F(FinanceTest, SomeoneWhoReviewedAClaimInTheBatchCannotApproveIt) {
  ClaimWithReviewedTaxi(t::kParticipant1, t::kFinanceOfficer);

  v1::BatchSelection asc;
  asc.set_service_area("serviceAreas/adult-social-care");
  v1::Batch batch = MustCreate(asc);
  grpc::Status s = Approve(t::kFinanceOfficer, batch.name());
  EXPECT_THAT(s, StatusIs(absl::StatusCode::kPermissionDenied));
  EXPECT_THAT(s.error_message(), HasSubstr("reviewed a claim in this batch"));
  EXPECT_THAT(Approve(t::kFinance2, batch.name()), IsOk());
}

TEST_F(FinanceTest, OnlyFinanceMayCreateBatches) {
  SubmitApprovedClaims(1);
  v1::Batch batch;
  EXPECT_THAT(Create(t::kOfficerAsc, {}, &batch),
              StatusIs(absl::StatusCode::kPermissionDenied));
  EXPECT_THAT(Create(t::kAuditor, {}, &batch),
              StatusIs(absl::StatusCode::kPermissionDenied));
  // Finance staff confined to one area must say which.
  EXPECT_THAT(Create(t::kFinanceOfficer, {}, &batch),
              StatusIs(absl::StatusCode::kPermissionDenied));
}

TEST_F(FinanceTest, ExportedControlTotalEqualsTheSumOfTheBatch) {
  SubmitApprovedClaims(5);
  // Childcare paid straight to the childminder, as the rules allow.
  v1::Claim with_payee = BusFareClaim();
  *with_payee.mutable_lines(0) = ChildcareLine(320, "childminder-77");
  ASSERT_EQ(Submit(t::kOfficerAsc, with_payee).state(),
            v1::CLAIM_STATE_APPROVED);
  v1::Batch batch = ApprovedBatch();
  ASSERT_EQ(batch.total_pence(), 6 * 320);

  Exported out = Export(batch.name());
  ASSERT_THAT(out.status, IsOk());
  auto rows = CsvRows(out.payments);
  // Header, 3 payees, control total, audit chain head.
  ASSERT_THAT(rows, SizeIs(6));
  EXPECT_EQ(rows[0], (std::vector<std::string>{"batch_id", "payee_reference",
                                               "payment_method", "cost_centre",
                                               "amount", "claim_references"}));
  // One row per payee, ordered by payee.
  EXPECT_EQ(rows[1],
            (std::vector<std::string>{"1", "childminder-77", "BANK_TRANSFER",
                                      "ASC-4410", "3.20", "claims/6"}));
  EXPECT_EQ(rows[2], (std::vector<std::string>{"1", "p-0001", "BANK_TRANSFER",
                                               "ASC-4410", "9.60",
                                               "claims/1 claims/3 claims/5"}));
  EXPECT_EQ(rows[3][1], "p-0002");
  EXPECT_EQ(rows[3][4], "6.40");
  int64_t sum = 0;
  for (size_t i = 1; i + 2 < rows.size(); ++i) sum += PenceOf(rows[i][4]);
  const auto& control = rows[rows.size() - 2];
  EXPECT_EQ(control[1], "CONTROL TOTAL");
  EXPECT_EQ(PenceOf(control[4]), sum);
  EXPECT_EQ(rows.back(),
            (std::vector<std::string>{"1", "AUDIT CHAIN HEAD", "", "", "",
                                      out.summary.audit_head()}));
  EXPECT_EQ(sum, batch.total_pence());
  EXPECT_EQ(out.summary.payment_control_total_pence(), batch.total_pence());
  EXPECT_EQ(out.summary.payment_row_count(), 3);
  EXPECT_EQ(out.summary.payment_file_sha256().size(), 64u);
  // No vouchers: the list is a header, a zero control total and the head.
  EXPECT_THAT(CsvRows(out.vouchers), SizeIs(3));

  v1::Batch read = MustGet(batch.name());
  EXPECT_EQ(read.state(), v1::BATCH_STATE_EXPORTED);
  EXPECT_EQ(read.exported_by(), t::kFinance);
  EXPECT_TRUE(read.has_export_time());
  EXPECT_EQ(read.exported_control_total_pence(), batch.total_pence());
}

TEST_F(FinanceTest, PayeeTheRulesDoNotPayDirectlyIsDroppedAndYouArePaid) {
  // The shipped rules pay a childminder directly, never a bus fare.
  v1::Claim fare_to_someone = BusFareClaim();
  fare_to_someone.mutable_lines(0)->set_payee_reference("childminder-77");
  const std::string kSaysSo =
      "This will be paid to you, not to childminder-77: the rules for this "
      "project do not pay anyone else directly.";

  v1::PreviewClaimRequest preview;
  *preview.mutable_claim() = fare_to_someone;
  v1::PreviewClaimResponse previewed;
  ASSERT_THAT(server_.claims().PreviewClaim(
                  TestServer::As(t::kParticipant1).get(), preview, &previewed),
              IsOk());
  ASSERT_THAT(previewed.decision().lines(), SizeIs(1));
  EXPECT_THAT(previewed.decision().lines(0).reason(), HasSubstr(kSaysSo));

  // Judged as usual and paid to the participant; the payee is not kept.
  v1::Claim claim = Submit(t::kOfficerAsc, fare_to_someone);
  EXPECT_EQ(claim.state(), v1::CLAIM_STATE_APPROVED);
  ASSERT_THAT(claim.decision().lines(), SizeIs(1));
  EXPECT_EQ(claim.decision().lines(0).outcome(), v1::LINE_OUTCOME_PAID_IN_FULL);
  EXPECT_EQ(claim.decision().lines(0).allowed_pence(), 320);
  EXPECT_THAT(claim.decision().lines(0).reason(), HasSubstr(kSaysSo));
  const v1::Claim stored = MustGetClaim(claim.name());
  ASSERT_THAT(stored.lines(), SizeIs(1));
  EXPECT_EQ(stored.lines(0).payee_reference(), "");

  v1::Batch batch = ApprovedBatch();
  EXPECT_EQ(batch.total_pence(), 320);
  Exported out = Export(batch.name());
  ASSERT_THAT(out.status, IsOk());
  auto rows = CsvRows(out.payments);
  ASSERT_THAT(rows, SizeIs(4));  // header, payee, control total, audit head
  EXPECT_EQ(rows[1],
            (std::vector<std::string>{"1", "p-0001", "BANK_TRANSFER",
                                      "ASC-4410", "3.20", claim.name()}));
}

TEST_F(FinanceTest, ExportingTwiceGivesIdenticalBytes) {
  SubmitApprovedClaims(40);
  v1::Batch batch = ApprovedBatch();
  Exported first = Export(batch.name());
  ASSERT_THAT(first.status, IsOk());
  server_.clock().Set(server_.clock().Now() + absl::Hours(3));
  Exported second = Export(batch.name());
  ASSERT_THAT(second.status, IsOk());
  EXPECT_EQ(first.payments, second.payments);
  EXPECT_EQ(first.vouchers, second.vouchers);
  EXPECT_EQ(first.summary.SerializeAsString(),
            second.summary.SerializeAsString());
}

TEST_F(FinanceTest, OnlyAnApprovedBatchCanBeExported) {
  SubmitApprovedClaims(1);
  v1::Batch batch = MustCreate();
  EXPECT_THAT(Export(batch.name()).status,
              StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_THAT(Export("batches/99").status,
              StatusIs(absl::StatusCode::kNotFound));
}

TEST_F(FinanceTest, CancelledBatchFreesItsClaimsForAnotherBatch) {
  SubmitApprovedClaims(3);
  v1::Batch batch = ApprovedBatch();
  v1::Batch cancelled;
  ASSERT_THAT(Cancel(batch.name(), &cancelled), IsOk());
  EXPECT_EQ(cancelled.state(), v1::BATCH_STATE_CANCELLED);
  EXPECT_EQ(cancelled.cancelled_by(), t::kFinance);
  EXPECT_EQ(MustGetClaim("claims/1").state(), v1::CLAIM_STATE_APPROVED);
  EXPECT_THAT(MustGet(batch.name(), true).claims(), SizeIs(0));

  v1::Batch again = MustCreate();
  EXPECT_EQ(again.claim_count(), 3);
  EXPECT_EQ(MustGetClaim("claims/1").state(), v1::CLAIM_STATE_BATCHED);
  // A cancelled batch stays cancelled.
  EXPECT_THAT(Approve(t::kFinance2, batch.name()),
              StatusIs(absl::StatusCode::kFailedPrecondition));
}

TEST_F(FinanceTest, ExportedBatchCannotBeCancelled) {
  SubmitApprovedClaims(2);
  v1::Batch batch = ApprovedBatch();
  ASSERT_THAT(Export(batch.name()).status, IsOk());
  grpc::Status s = Cancel(batch.name());
  EXPECT_THAT(s, StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_THAT(s.error_message(), HasSubstr("EXPORTED"));
  EXPECT_EQ(MustGetClaim("claims/1").state(), v1::CLAIM_STATE_BATCHED);
}

TEST_F(FinanceTest, ConcurrentBatchCreationsNeverTakeOneClaimTwice) {
  constexpr int kClaims = 60;
  constexpr int kThreads = 8;
  constexpr int kRounds = 4;
  SubmitApprovedClaims(kClaims);
  std::atomic<int> created{0};
  std::vector<std::thread> threads;
  std::vector<std::vector<std::string>> batches(kThreads);
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] {
      for (int round = 0; round < kRounds; ++round) {
        v1::CreateBatchRequest request;
        request.set_request_id(absl::StrCat("concurrent-", i, "-", round));
        v1::Batch batch;
        grpc::Status s = finance_->CreateBatch(
            TestServer::As(t::kFinance).get(), request, &batch);
        if (s.ok()) {
          ++created;
          batches[i].push_back(batch.name());
        } else {
          EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION)
              << s.error_message();
        }
      }
    });
  }
  // Claims keep arriving while batches are made.
  for (int i = 0; i < 20; ++i) Submit(t::kOfficerAsc, NextApprovedClaim());
  for (auto& thread : threads) thread.join();
  ASSERT_GE(created.load(), 1);

  std::map<std::string, std::string> owner;
  int total = 0;
  for (const auto& names : batches) {
    for (const auto& name : names) {
      v1::Batch batch = MustGet(name, true);
      EXPECT_EQ(batch.claim_count(), batch.claims_size());
      for (const auto& claim : batch.claims()) {
        auto [it, fresh] = owner.emplace(claim, name);
        EXPECT_TRUE(fresh) << claim << " is in " << it->second << " and "
                           << name;
        ++total;
      }
    }
  }
  // Whatever was not taken is still approved and free.
  v1::Batch rest;
  grpc::Status s = Create(t::kFinance, {}, &rest);
  if (s.ok()) total += rest.claim_count();
  EXPECT_EQ(total, kClaims + 20);
}

TEST_F(FinanceTest, MarkPaidMovesTheBatchAndItsClaimsToPaid) {
  SubmitApprovedClaims(3);
  v1::Batch batch = ApprovedBatch();
  EXPECT_THAT(MarkPaid(batch.name(), "2026-11-20"),
              StatusIs(absl::StatusCode::kFailedPrecondition));
  ASSERT_THAT(Export(batch.name()).status, IsOk());
  EXPECT_THAT(MarkPaid(batch.name(), "2026-12-01"),
              StatusIs(absl::StatusCode::kInvalidArgument));
  // Transfers are paid from the file, so not before it was made.
  EXPECT_THAT(MarkPaid(batch.name(), "2026-11-19"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("before batches/1 was exported on "
                                 "2026-11-20")));
  v1::Batch paid;
  ASSERT_THAT(MarkPaid(batch.name(), "2026-11-20", &paid), IsOk());
  EXPECT_EQ(paid.state(), v1::BATCH_STATE_PAID);
  EXPECT_EQ(paid.payment_date(), "2026-11-20");
  EXPECT_EQ(paid.paid_by(), t::kFinance);
  for (const char* name : {"claims/1", "claims/2", "claims/3"}) {
    v1::Claim claim = MustGetClaim(name);
    EXPECT_EQ(claim.state(), v1::CLAIM_STATE_PAID) << name;
    EXPECT_EQ(claim.history().rbegin()->action(),
              "paid on 2026-11-20 in batches/1");
  }
  EXPECT_THAT(Cancel(batch.name()),
              StatusIs(absl::StatusCode::kFailedPrecondition));
  // A paid batch can still be exported again, identically.
  EXPECT_THAT(Export(batch.name()).status, IsOk());
}

TEST_F(FinanceTest, ListBatchesNewestFirst) {
  SubmitApprovedClaims(1);
  MustCreate();
  SubmitApprovedClaims(1);
  MustCreate();
  v1::ListBatchesResponse list;
  ASSERT_THAT(
      finance_->ListBatches(TestServer::As(t::kAuditor).get(), {}, &list),
      IsOk());
  ASSERT_THAT(list.batches(), SizeIs(2));
  EXPECT_EQ(list.batches(0).name(), "batches/2");
}

TEST_F(FinanceTest, ReportsCountSpendParticipantsAndTimeliness) {
  SubmitApprovedClaims(4);
  v1::Batch batch = ApprovedBatch();
  ASSERT_THAT(Export(batch.name()).status, IsOk());
  ASSERT_THAT(MarkPaid(batch.name(), "2026-11-20"), IsOk());
  SubmitApprovedClaims(1);  // approved, waiting

  v1::SpendReport spend;
  ASSERT_THAT(
      finance_->GetSpendReport(TestServer::As(t::kAuditor).get(), {}, &spend),
      IsOk());
  EXPECT_EQ(spend.financial_year_start(), "2026-04-01");
  EXPECT_EQ(spend.total_committed_pence(), 5 * 320);
  EXPECT_THAT(spend.by_month(), SizeIs(12));
  bool found = false;
  for (const auto& p : spend.projects()) {
    if (p.project() ==
        "serviceAreas/adult-social-care/projects/ld-user-voice") {
      found = true;
      EXPECT_EQ(p.committed_pence(), 5 * 320);
      EXPECT_EQ(p.paid_pence(), 4 * 320);
      EXPECT_EQ(p.budget_pence(), 650000);
    }
  }
  EXPECT_TRUE(found);
  for (const auto& m : spend.by_month()) {
    EXPECT_EQ(m.amount_pence(), m.key() == "2026-11" ? 5 * 320 : 0) << m.key();
  }

  v1::ParticipantTotalsReport people;
  ASSERT_THAT(finance_->GetParticipantTotalsReport(
                  TestServer::As(t::kOfficerAsc).get(), {}, &people),
              IsOk());
  ASSERT_THAT(people.participants(), SizeIs(2));
  EXPECT_EQ(people.participants(0).participant(), "participants/p-0001");
  EXPECT_EQ(people.participants(0).committed_pence(), 3 * 320);
  EXPECT_EQ(people.participants(0).paid_pence(), 2 * 320);

  v1::TimelinessReport timely;
  ASSERT_THAT(finance_->GetTimelinessReport(TestServer::As(t::kFinance).get(),
                                            {}, &timely),
              IsOk());
  EXPECT_EQ(timely.target_days(), 14);
  EXPECT_EQ(timely.paid_claim_count(), 4);
  EXPECT_EQ(timely.within_target_count(), 4);
  EXPECT_EQ(timely.waiting_claim_count(), 1);

  // An officer sees only their own areas.
  v1::GetSpendReportRequest other;
  other.set_service_area("serviceAreas/children-and-families");
  EXPECT_THAT(finance_->GetSpendReport(TestServer::As(t::kOfficerAsc).get(),
                                       other, &spend),
              StatusIs(absl::StatusCode::kPermissionDenied));
}

// A childminder's money is theirs, not the participant's: the tax-year
// totals count it apart (it is not the participant's income).
TEST_F(FinanceTest, ParticipantTotalsCountProviderPaymentsApart) {
  v1::Claim claim = BusFareClaim();  // a £3.20 fare, the participant's
  *claim.add_lines() = ChildcareLine(500, "childminder-77");
  v1::Claim submitted = Submit(t::kOfficerAsc, claim);
  ASSERT_EQ(submitted.state(), v1::CLAIM_STATE_APPROVED);
  ASSERT_EQ(submitted.decision().allowed_total_pence(), 320 + 500);
  // The fare's reason says nothing of the childminder.
  EXPECT_THAT(submitted.decision().lines(0).reason(),
              Not(HasSubstr("childminder")));

  v1::ParticipantTotalsReport people;
  ASSERT_THAT(finance_->GetParticipantTotalsReport(
                  TestServer::As(t::kOfficerAsc).get(), {}, &people),
              IsOk());
  ASSERT_THAT(people.participants(), SizeIs(1));
  const v1::ParticipantTotal& p = people.participants(0);
  EXPECT_EQ(p.claim_count(), 1);
  EXPECT_EQ(p.committed_pence(), 320);
  EXPECT_EQ(p.third_party_committed_pence(), 500);
  EXPECT_EQ(p.paid_pence(), 0);
  EXPECT_EQ(p.third_party_paid_pence(), 0);
}

}  // namespace
}  // namespace reciprocity
