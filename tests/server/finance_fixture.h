// The FinanceService test fixture: a real server over a real channel and a
// real SQLite file, with helpers to submit claims and drive batches.
#ifndef RECIPROCITY_TESTS_SERVER_FINANCE_FIXTURE_H_
#define RECIPROCITY_TESTS_SERVER_FINANCE_FIXTURE_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/civil_time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "reciprocity/v1/finance.grpc.pb.h"
#include "tests/util/audit_check.h"
#include "tests/util/status_matchers.h"
#include "tests/util/test_server.h"

namespace reciprocity {

using ::reciprocity::testing::BusFareClaim;
using ::reciprocity::testing::IsOk;
using ::reciprocity::testing::TestServer;

struct Exported {
  grpc::Status status;
  std::string payments;
  std::string vouchers;
  v1::ExportSummary summary;
};

class FinanceTest : public ::testing::Test {
 protected:
  // Whatever a test did through the service, the audit log still verifies:
  // every record it wrote is as the last event that wrote it says.
  void TearDown() override {
    ::reciprocity::testing::ExpectAuditLogIntact(server_);
  }

  FinanceTest() : finance_(v1::FinanceService::NewStub(server_.channel())) {}

  v1::Claim Submit(const std::string& who, const v1::Claim& claim) {
    v1::SubmitClaimRequest request;
    *request.mutable_claim() = claim;
    request.set_request_id(absl::StrCat("submit-", ++request_counter_));
    v1::Claim out;
    EXPECT_THAT(
        server_.claims().SubmitClaim(TestServer::As(who).get(), request, &out),
        IsOk());
    return out;
  }
  // The test's next auto-approved £3.20 bus-fare claim: p-0001 and p-0002
  // in turn, one fare each a day going back from 18 November (a second fare
  // on one day would go to a person as a possible repeat); after two weeks,
  // the next two participants, registered as they are needed.
  v1::Claim NextApprovedClaim() {
    const int i = approved_++;
    const int first = 1 + 2 * (i / 28);
    const std::string participant =
        absl::StrCat("p-", absl::Dec(first + i % 2, absl::kZeroPad4));
    if (first > 1 && i % 28 < 2) {
      EXPECT_THAT(server_.RegisterParticipant(participant), IsOk());
    }
    return BusFareClaim(
        absl::StrCat("participants/", participant),
        absl::FormatCivilTime(absl::CivilDay(2026, 11, 18) - (i % 28) / 2));
  }
  // `n` such claims, each checked to be approved.
  void SubmitApprovedClaims(int n) {
    for (int i = 0; i < n; ++i) {
      v1::Claim c = Submit(testing::kOfficerAsc, NextApprovedClaim());
      ASSERT_EQ(c.state(), v1::CLAIM_STATE_APPROVED);
    }
  }
  // A £3.20 fare and a £12.50 taxi nobody agreed, for `participant` on
  // `date`, entered by `who`; `reviewer` approves the taxi, so the claim is
  // approved.
  v1::Claim ClaimWithReviewedTaxi(
      const std::string& who, const std::string& reviewer,
      const std::string& participant = "participants/p-0001",
      const std::string& date = "2026-11-18") {
    v1::Claim taxi = BusFareClaim(participant, date);
    v1::ClaimLine* line = taxi.add_lines();
    line->set_category(v1::EXPENSE_CATEGORY_TAXI);
    line->set_amount_pence(1250);
    line->set_receipt_provided(true);
    v1::Claim claim = Submit(who, taxi);
    EXPECT_EQ(claim.state(), v1::CLAIM_STATE_NEEDS_REVIEW);
    v1::ReviewClaimLineRequest review;
    review.set_name(claim.name());
    review.set_line_index(1);
    review.set_approve(true);
    review.set_reason("The lift at the station was broken.");
    review.set_request_id(absl::StrCat("review-", ++request_counter_));
    v1::Claim reviewed;
    EXPECT_THAT(server_.claims().ReviewClaimLine(TestServer::As(reviewer).get(),
                                                 review, &reviewed),
                IsOk());
    EXPECT_EQ(reviewed.state(), v1::CLAIM_STATE_APPROVED);
    return reviewed;
  }
  grpc::Status Create(const std::string& who, const v1::BatchSelection& sel,
                      v1::Batch* out, std::string request_id = "") {
    v1::CreateBatchRequest request;
    *request.mutable_selection() = sel;
    request.set_request_id(request_id.empty()
                               ? absl::StrCat("create-", ++request_counter_)
                               : request_id);
    return finance_->CreateBatch(TestServer::As(who).get(), request, out);
  }
  v1::Batch MustCreate(const v1::BatchSelection& sel = {}) {
    v1::Batch batch;
    EXPECT_THAT(Create(testing::kFinance, sel, &batch), IsOk());
    return batch;
  }
  grpc::Status Approve(const std::string& who, const std::string& name,
                       v1::Batch* out = nullptr) {
    v1::ApproveBatchRequest request;
    request.set_name(name);
    request.set_request_id(absl::StrCat("approve-", ++request_counter_));
    v1::Batch ignored;
    return finance_->ApproveBatch(TestServer::As(who).get(), request,
                                  out ? out : &ignored);
  }
  grpc::Status Cancel(const std::string& name, v1::Batch* out = nullptr,
                      const std::string& who = testing::kFinance) {
    v1::CancelBatchRequest request;
    request.set_name(name);
    request.set_request_id(absl::StrCat("cancel-", ++request_counter_));
    v1::Batch ignored;
    return finance_->CancelBatch(TestServer::As(who).get(), request,
                                 out ? out : &ignored);
  }
  Exported Export(const std::string& name) {
    v1::ExportBatchRequest request;
    request.set_name(name);
    request.set_request_id(absl::StrCat("export-", ++request_counter_));
    auto context = TestServer::As(testing::kFinance);
    auto reader = finance_->ExportBatch(context.get(), request);
    Exported out;
    v1::ExportBatchResponse piece;
    while (reader->Read(&piece)) {
      out.payments += piece.payment_file_chunk();
      out.vouchers += piece.voucher_file_chunk();
      if (piece.has_summary()) out.summary = piece.summary();
    }
    out.status = reader->Finish();
    return out;
  }
  grpc::Status MarkPaid(const std::string& name, const std::string& date,
                        v1::Batch* out = nullptr) {
    v1::MarkBatchPaidRequest request;
    request.set_name(name);
    request.set_payment_date(date);
    request.set_request_id(absl::StrCat("paid-", ++request_counter_));
    v1::Batch ignored;
    return finance_->MarkBatchPaid(TestServer::As(testing::kFinance).get(),
                                   request, out ? out : &ignored);
  }
  v1::Batch MustGet(const std::string& name, bool include_claims = false) {
    v1::GetBatchRequest request;
    request.set_name(name);
    request.set_include_claims(include_claims);
    v1::Batch out;
    EXPECT_THAT(finance_->GetBatch(TestServer::As(testing::kAuditor).get(),
                                   request, &out),
                IsOk());
    return out;
  }
  v1::Claim MustGetClaim(const std::string& name) {
    v1::GetClaimRequest request;
    request.set_name(name);
    v1::Claim out;
    EXPECT_THAT(server_.claims().GetClaim(
                    TestServer::As(testing::kFinance).get(), request, &out),
                IsOk());
    return out;
  }
  // Registers a resident paid by `method` (p-0001 and p-0002 are paid by
  // bank transfer).
  void Register(const std::string& id, v1::PaymentMethod method) {
    v1::CreateParticipantRequest request;
    request.set_participant_id(id);
    request.set_request_id(absl::StrCat("register-", id));
    request.mutable_participant()->set_participant_type(
        v1::PARTICIPANT_TYPE_RESIDENT);
    request.mutable_participant()->set_payment_preference(method);
    request.mutable_participant()->set_display_name(id);
    v1::Participant out;
    ASSERT_THAT(server_.programme().CreateParticipant(
                    TestServer::As(testing::kOfficerAsc).get(), request, &out),
                IsOk());
  }
  // Changes a participant's payment preference, as an officer does.
  void SetPreference(const std::string& id, v1::PaymentMethod method) {
    v1::UpdateParticipantRequest request;
    request.mutable_participant()->set_name(absl::StrCat("participants/", id));
    request.mutable_participant()->set_payment_preference(method);
    request.mutable_update_mask()->add_paths("payment_preference");
    request.set_request_id(absl::StrCat("prefer-", ++request_counter_));
    v1::Participant out;
    ASSERT_THAT(server_.programme().UpdateParticipant(
                    TestServer::As(testing::kOfficerAsc).get(), request, &out),
                IsOk());
  }
  // Created by finance, approved by finance-2.
  v1::Batch ApprovedBatch() {
    v1::Batch batch = MustCreate();
    EXPECT_THAT(Approve(testing::kFinance2, batch.name()), IsOk());
    return batch;
  }

  TestServer server_;
  std::unique_ptr<v1::FinanceService::Stub> finance_;
  int request_counter_ = 0;
  int approved_ = 0;  // claims made by NextApprovedClaim
};

// A childcare line of `pence` (at most £5) paid straight to `payee`: half an
// hour for one child, which the shipped rule files pay to a childminder
// directly.
inline v1::ClaimLine ChildcareLine(int64_t pence, const std::string& payee) {
  v1::ClaimLine line;
  line.set_category(v1::EXPENSE_CATEGORY_CHILDCARE);
  line.set_amount_pence(pence);
  line.set_care_minutes(30);
  line.set_children(1);
  line.set_receipt_provided(true);
  line.set_payee_reference(payee);
  return line;
}

// Splits a CSV file without quoted fields into rows of fields.
inline std::vector<std::vector<std::string>> CsvRows(const std::string& csv) {
  std::vector<std::vector<std::string>> rows;
  for (absl::string_view line : absl::StrSplit(csv, "\r\n")) {
    if (line.empty()) continue;
    rows.push_back(absl::StrSplit(line, ','));
  }
  return rows;
}

// "12.34" -> 1234, exactly.
inline int64_t PenceOf(const std::string& pounds) {
  std::vector<std::string> parts = absl::StrSplit(pounds, '.');
  int64_t whole = 0, part = 0;
  EXPECT_EQ(parts.size(), 2u) << pounds;
  EXPECT_EQ(parts.back().size(), 2u) << pounds;
  EXPECT_TRUE(absl::SimpleAtoi(parts[0], &whole));
  EXPECT_TRUE(absl::SimpleAtoi(parts[1], &part));
  return whole * 100 + part;
}

}  // namespace reciprocity

#endif  // RECIPROCITY_TESTS_SERVER_FINANCE_FIXTURE_H_
