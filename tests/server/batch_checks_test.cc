// Finance mistakes caught over a real server, channel and SQLite file: a
// batch chosen by project belongs to its area, a backwards date range is an
// argument error, and payee references cannot carry spreadsheet formulas.
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

TEST_F(FinanceTest, BatchChosenByProjectBelongsToTheProjectsArea) {
  SubmitApprovedClaims(2);
  v1::BatchSelection project;
  project.set_project("serviceAreas/adult-social-care/projects/ld-user-voice");
  v1::Batch batch;
  // Finance staff of one area name the project only.
  ASSERT_THAT(Create(t::kFinanceOfficer, project, &batch), IsOk());
  EXPECT_EQ(batch.selection().service_area(), "serviceAreas/adult-social-care");
  v1::GetBatchRequest get;
  get.set_name(batch.name());
  v1::Batch read;
  EXPECT_THAT(
      finance_->GetBatch(TestServer::As(t::kFinanceOfficer).get(), get, &read),
      IsOk());
  EXPECT_EQ(read.claim_count(), 2);
}

TEST_F(FinanceTest, BackwardsDateRangeIsRefusedNamingTheField) {
  SubmitApprovedClaims(1);
  v1::BatchSelection backwards;
  backwards.set_session_date_from("2026-11-30");
  backwards.set_session_date_to("2026-11-01");
  v1::Batch batch;
  grpc::Status s = Create(t::kFinance, backwards, &batch);
  EXPECT_THAT(s, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(s.error_message(), HasSubstr("selection.session_date_to"));
  // The claim is still free for a proper batch.
  EXPECT_EQ(MustCreate().claim_count(), 1);
}

TEST_F(FinanceTest, PayeeReferenceThatCouldBeAFormulaIsRefused) {
  for (const std::string& payee :
       {std::string("=HYPERLINK(\"http://x\")"), std::string("+44 7000"),
        std::string("child,minder"), std::string("a\r\nb")}) {
    v1::Claim claim = BusFareClaim();
    claim.mutable_lines(0)->set_payee_reference(payee);
    v1::SubmitClaimRequest request;
    *request.mutable_claim() = claim;
    request.set_request_id(absl::StrCat("payee-", ++request_counter_));
    v1::Claim out;
    grpc::Status s = server_.claims().SubmitClaim(
        TestServer::As(t::kOfficerAsc).get(), request, &out);
    EXPECT_THAT(s, StatusIs(absl::StatusCode::kInvalidArgument)) << payee;
    EXPECT_THAT(s.error_message(), HasSubstr("payee_reference")) << payee;
  }
  v1::Claim fine = BusFareClaim();
  *fine.mutable_lines(0) = ChildcareLine(320, "CM_0042/childminder.2");
  v1::Claim submitted = Submit(t::kOfficerAsc, fine);
  EXPECT_EQ(submitted.state(), v1::CLAIM_STATE_APPROVED);
  ASSERT_EQ(submitted.lines_size(), 1);
  EXPECT_EQ(submitted.lines(0).payee_reference(), "CM_0042/childminder.2");
}

// "Never bank details": the reference is for the finance system to resolve,
// so anything shaped like an account number, a sort code or an IBAN is sent
// back.
TEST_F(FinanceTest, PayeeReferenceThatLooksLikeBankDetailsIsRefused) {
  for (const std::string& payee : {
           std::string("GB29NWBK60161331926819"),       // IBAN
           std::string("gb29-nwbk-6016-1331-9268-19"),  // IBAN, grouped
           std::string("GB82WEST12345698765432"),       // IBAN
           std::string("DE89370400440532013000"),       // IBAN
           std::string("NL91ABNA0417164300"),           // IBAN
           std::string("MT84MALT011000012345MTLCAST001S"),
           std::string("12-34-56"),           // sort code
           std::string("123456"),             // sort code
           std::string("12345678"),           // account number
           std::string("30-00-66/12345678"),  // both
           std::string("acct.31926819"),      // account number
       }) {
    v1::Claim claim = BusFareClaim();
    *claim.mutable_lines(0) = ChildcareLine(320, payee);
    v1::SubmitClaimRequest request;
    *request.mutable_claim() = claim;
    request.set_request_id(absl::StrCat("bank-", ++request_counter_));
    v1::Claim out;
    grpc::Status s = server_.claims().SubmitClaim(
        TestServer::As(t::kOfficerAsc).get(), request, &out);
    EXPECT_THAT(s, StatusIs(absl::StatusCode::kInvalidArgument,
                            HasSubstr("payee_reference")))
        << payee;
    EXPECT_THAT(s.error_message(), HasSubstr("bank details")) << payee;
    // The message does not repeat the value.
    EXPECT_THAT(s.error_message(), Not(HasSubstr(payee))) << payee;
  }
  for (const std::string& payee :
       {std::string("childminder-77"), std::string("CM_0042/childminder.2"),
        std::string("taxi-firm-a"), std::string("CA12TAXIFIRMACCOUNT"),
        std::string("nursery-2026-04")}) {
    v1::Claim fine = BusFareClaim();
    *fine.mutable_lines(0) = ChildcareLine(320, payee);
    EXPECT_EQ(Submit(t::kOfficerAsc, fine).lines(0).payee_reference(), payee);
  }
}

}  // namespace
}  // namespace reciprocity
