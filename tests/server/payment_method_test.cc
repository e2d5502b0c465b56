// How claims are paid, over a real server, channel and SQLite file: the
// method comes from the participant's payment preference at submission;
// cash on the day is batched, exported, paid and reconciled like the rest;
// a participant who declines payment is never paid, and the claim says so.
#include <map>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/server/finance_fixture.h"
#include "tests/util/status_matchers.h"
#include "tests/util/test_server.h"

namespace reciprocity {
namespace {

using ::reciprocity::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::SizeIs;
namespace t = ::reciprocity::testing;

std::map<v1::PaymentMethod, std::pair<int, int64_t>> ByMethod(
    const v1::Batch& batch) {
  std::map<v1::PaymentMethod, std::pair<int, int64_t>> out;
  for (const auto& total : batch.payment_method_totals()) {
    out[total.payment_method()] = {total.claim_count(), total.amount_pence()};
  }
  return out;
}

// p-0001 asks for the first line of `claim` to be looked at again.
grpc::Status AppealFirstLine(TestServer& server, const std::string& claim) {
  v1::AppealClaimLineRequest appeal;
  appeal.set_name(claim);
  appeal.set_line_index(0);
  appeal.set_comment("Please pay me after all.");
  appeal.set_request_id(absl::StrCat("appeal-", claim));
  v1::Claim appealed;
  return server.claims().AppealClaimLine(TestServer::As(t::kParticipant1).get(),
                                         appeal, &appealed);
}

TEST_F(FinanceTest, ClaimIsPaidTheWayTheParticipantPreferredWhenSubmitting) {
  Register("p-cash", v1::PAYMENT_METHOD_CASH_ON_THE_DAY);
  v1::Claim first = Submit(t::kOfficerAsc, BusFareClaim("participants/p-cash"));
  EXPECT_EQ(first.state(), v1::CLAIM_STATE_APPROVED);
  EXPECT_EQ(first.payment_method(), v1::PAYMENT_METHOD_CASH_ON_THE_DAY);

  SetPreference("p-cash", v1::PAYMENT_METHOD_VOUCHER);
  v1::Claim second =
      Submit(t::kOfficerAsc, BusFareClaim("participants/p-cash", "2026-11-17"));
  EXPECT_EQ(second.payment_method(), v1::PAYMENT_METHOD_VOUCHER);
  // A later change of preference does not rewrite an earlier claim.
  EXPECT_EQ(MustGetClaim(first.name()).payment_method(),
            v1::PAYMENT_METHOD_CASH_ON_THE_DAY);
  EXPECT_EQ(Submit(t::kParticipant1, BusFareClaim()).payment_method(),
            v1::PAYMENT_METHOD_BANK_TRANSFER);
}

TEST_F(FinanceTest, CashOnTheDayIsBatchedExportedPaidAndReconciled) {
  Register("p-cash", v1::PAYMENT_METHOD_CASH_ON_THE_DAY);
  SubmitApprovedClaims(1);  // claims/1: p-0001, bank transfer
  Submit(t::kOfficerAsc, BusFareClaim("participants/p-cash"));  // claims/2
  Submit(t::kOfficerAsc,
         BusFareClaim("participants/p-cash", "2026-11-17"));  // claims/3

  v1::BatchSelection cash;
  cash.set_payment_method(v1::PAYMENT_METHOD_CASH_ON_THE_DAY);
  v1::Batch batch = MustCreate(cash);
  EXPECT_EQ(batch.claim_count(), 2);
  EXPECT_EQ(batch.total_pence(), 640);
  EXPECT_EQ(ByMethod(batch),
            (std::map<v1::PaymentMethod, std::pair<int, int64_t>>{
                {v1::PAYMENT_METHOD_CASH_ON_THE_DAY, {2, 640}}}));
  EXPECT_THAT(MustGet(batch.name(), true).claims(),
              ElementsAre("claims/2", "claims/3"));
  ASSERT_THAT(Approve(t::kFinance2, batch.name()), IsOk());

  Exported out = Export(batch.name());
  ASSERT_THAT(out.status, IsOk());
  auto rows = CsvRows(out.payments);
  ASSERT_THAT(rows, SizeIs(4));  // header, payee, control total, audit head
  EXPECT_EQ(rows[1], (std::vector<std::string>{"1", "p-cash", "CASH_ON_THE_DAY",
                                               "ASC-4410", "6.40",
                                               "claims/2 claims/3"}));
  EXPECT_EQ(rows[2][1], "CONTROL TOTAL");
  EXPECT_EQ(PenceOf(rows[2][4]), 640);
  EXPECT_EQ(out.summary.payment_control_total_pence(), 640);
  EXPECT_EQ(MustGet(batch.name()).exported_control_total_pence(), 640);

  ASSERT_THAT(MarkPaid(batch.name(), "2026-11-18"), IsOk());
  for (const char* name : {"claims/2", "claims/3"}) {
    v1::Claim claim = MustGetClaim(name);
    EXPECT_EQ(claim.state(), v1::CLAIM_STATE_PAID) << name;
    EXPECT_EQ(claim.history().rbegin()->action(),
              "paid on 2026-11-18 in batches/1");
  }
  // The bank transfer waits for a batch of its own.
  EXPECT_EQ(MustGetClaim("claims/1").state(), v1::CLAIM_STATE_APPROVED);

  v1::SpendReport spend;
  ASSERT_THAT(
      finance_->GetSpendReport(TestServer::As(t::kAuditor).get(), {}, &spend),
      IsOk());
  EXPECT_EQ(spend.total_committed_pence(), 960);
  for (const auto& p : spend.projects()) {
    if (p.project() ==
        "serviceAreas/adult-social-care/projects/ld-user-voice") {
      EXPECT_EQ(p.paid_pence(), 640);
    }
  }
}

TEST_F(FinanceTest, TotalsByMethodFollowTheMoneyAndAgreeWithTheFiles) {
  Register("p-voucher", v1::PAYMENT_METHOD_VOUCHER);
  Submit(t::kOfficerAsc, BusFareClaim("participants/p-voucher"));  // claims/1
  // claims/2: one fare for the participant (a voucher), and childcare paid
  // straight to the childminder (always a bank transfer).
  v1::Claim mixed = BusFareClaim("participants/p-voucher", "2026-11-17");
  *mixed.add_lines() = ChildcareLine(250, "childminder-77");
  ASSERT_EQ(Submit(t::kOfficerAsc, mixed).state(), v1::CLAIM_STATE_APPROVED);

  v1::Batch batch = ApprovedBatch();
  EXPECT_EQ(batch.total_pence(), 890);
  EXPECT_EQ(ByMethod(batch),
            (std::map<v1::PaymentMethod, std::pair<int, int64_t>>{
                {v1::PAYMENT_METHOD_BANK_TRANSFER, {1, 250}},
                {v1::PAYMENT_METHOD_VOUCHER, {2, 640}}}));

  Exported out = Export(batch.name());
  ASSERT_THAT(out.status, IsOk());
  auto payments = CsvRows(out.payments);
  ASSERT_THAT(payments, SizeIs(4));
  EXPECT_EQ(payments[1],
            (std::vector<std::string>{"1", "childminder-77", "BANK_TRANSFER",
                                      "ASC-4410", "2.50", "claims/2"}));
  EXPECT_EQ(out.summary.payment_control_total_pence(), 250);
  EXPECT_EQ(MustGet(batch.name()).exported_control_total_pence(), 250);
  auto vouchers = CsvRows(out.vouchers);
  ASSERT_THAT(vouchers, SizeIs(4));
  EXPECT_EQ(vouchers[1],
            (std::vector<std::string>{"1", "p-voucher", "6.40", "Tesco",
                                      "ASC-4410", "claims/1 claims/2"}));
  EXPECT_EQ(out.summary.voucher_total_pence(), 640);
  EXPECT_EQ(out.summary.payment_control_total_pence() +
                out.summary.voucher_total_pence(),
            batch.total_pence());
}

TEST_F(FinanceTest, DeclinedClaimIsRecordedButNeverBatchedOrPaid) {
  SetPreference("p-0001", v1::PAYMENT_METHOD_DECLINE);

  v1::PreviewClaimRequest preview;
  *preview.mutable_claim() = BusFareClaim();
  v1::PreviewClaimResponse previewed;
  ASSERT_THAT(server_.claims().PreviewClaim(
                  TestServer::As(t::kParticipant1).get(), preview, &previewed),
              IsOk());
  EXPECT_EQ(previewed.state(), v1::CLAIM_STATE_DECLINED);

  v1::Claim claim = Submit(t::kParticipant1, BusFareClaim());
  EXPECT_EQ(claim.state(), v1::CLAIM_STATE_DECLINED);
  EXPECT_EQ(claim.payment_method(), v1::PAYMENT_METHOD_DECLINE);
  ASSERT_THAT(claim.decision().lines(), SizeIs(1));
  const v1::LineDecision& line = claim.decision().lines(0);
  EXPECT_EQ(line.outcome(), v1::LINE_OUTCOME_REFUSED);
  EXPECT_EQ(line.rule(), "payment.declined");
  EXPECT_EQ(line.allowed_pence(), 0);
  // The reason says why, and still says what the rules allow.
  EXPECT_THAT(line.reason(), HasSubstr("You chose not to be paid"));
  EXPECT_THAT(line.reason(), HasSubstr("£3.20"));
  EXPECT_EQ(claim.decision().allowed_total_pence(), 0);
  EXPECT_THAT(claim.decision().summary(),
              HasSubstr("You chose not to be paid, so we will not pay"));

  // A taxi nobody agreed would wait for review; declined, nobody need look.
  v1::Claim taxi = BusFareClaim("participants/p-0001", "2026-11-17");
  v1::ClaimLine* cab = taxi.add_lines();
  cab->set_category(v1::EXPENSE_CATEGORY_TAXI);
  cab->set_amount_pence(1250);
  v1::Claim taxi_claim = Submit(t::kParticipant1, taxi);
  EXPECT_EQ(taxi_claim.state(), v1::CLAIM_STATE_DECLINED);
  EXPECT_FALSE(taxi_claim.decision().needs_review());

  // Finance has nothing to take, and cannot ask for declined claims.
  v1::Batch batch;
  EXPECT_THAT(Create(t::kFinance, {}, &batch),
              StatusIs(absl::StatusCode::kFailedPrecondition));
  v1::BatchSelection declined;
  declined.set_payment_method(v1::PAYMENT_METHOD_DECLINE);
  grpc::Status s = Create(t::kFinance, declined, &batch);
  EXPECT_THAT(s, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(s.error_message(), HasSubstr("selection.payment_method"));

  // Not spend, and it cannot be appealed back into payment.
  v1::SpendReport spend;
  ASSERT_THAT(
      finance_->GetSpendReport(TestServer::As(t::kAuditor).get(), {}, &spend),
      IsOk());
  EXPECT_EQ(spend.total_committed_pence(), 0);
  EXPECT_THAT(AppealFirstLine(server_, claim.name()),
              StatusIs(absl::StatusCode::kFailedPrecondition));

  // Changing one's mind applies to new claims; the declined one stays so.
  SetPreference("p-0001", v1::PAYMENT_METHOD_BANK_TRANSFER);
  EXPECT_EQ(Submit(t::kParticipant1,
                   BusFareClaim("participants/p-0001", "2026-11-16"))
                .state(),
            v1::CLAIM_STATE_APPROVED);
  EXPECT_EQ(MustGetClaim(claim.name()).state(), v1::CLAIM_STATE_DECLINED);
  EXPECT_EQ(MustCreate().claim_count(), 1);
}

TEST_F(FinanceTest, DecliningStillPaysSomeoneElsePaidDirectly) {
  SetPreference("p-0001", v1::PAYMENT_METHOD_DECLINE);
  v1::Claim with_childminder = BusFareClaim();
  *with_childminder.add_lines() = ChildcareLine(250, "childminder-77");
  v1::Claim claim = Submit(t::kParticipant1, with_childminder);
  EXPECT_EQ(claim.state(), v1::CLAIM_STATE_APPROVED);
  EXPECT_EQ(claim.decision().lines(0).rule(), "payment.declined");
  EXPECT_EQ(claim.decision().lines(1).outcome(), v1::LINE_OUTCOME_PAID_IN_FULL);
  EXPECT_EQ(claim.decision().allowed_total_pence(), 250);

  // The participant's own declined line cannot be appealed into payment.
  grpc::Status s = AppealFirstLine(server_, claim.name());
  EXPECT_THAT(s, StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_THAT(s.error_message(), HasSubstr("chose not to be paid"));

  v1::Batch batch = ApprovedBatch();
  EXPECT_EQ(batch.total_pence(), 250);
  EXPECT_EQ(ByMethod(batch),
            (std::map<v1::PaymentMethod, std::pair<int, int64_t>>{
                {v1::PAYMENT_METHOD_BANK_TRANSFER, {1, 250}}}));
  Exported out = Export(batch.name());
  ASSERT_THAT(out.status, IsOk());
  auto rows = CsvRows(out.payments);
  ASSERT_THAT(rows, SizeIs(4));  // header, payee, control total, audit head
  EXPECT_EQ(rows[1],
            (std::vector<std::string>{"1", "childminder-77", "BANK_TRANSFER",
                                      "ASC-4410", "2.50", "claims/1"}));
  EXPECT_EQ(out.summary.payment_control_total_pence(), 250);
  EXPECT_THAT(CsvRows(out.vouchers), SizeIs(3));
}

TEST_F(FinanceTest, DecliningRefusesALineWhosePayeeTheRulesDoNotPay) {
  SetPreference("p-0001", v1::PAYMENT_METHOD_DECLINE);
  // The shipped rules pay nobody else for a bus fare: the payee is dropped,
  // so the line is the participant's, and they chose not to be paid.
  v1::Claim fare_to_someone = BusFareClaim();
  fare_to_someone.mutable_lines(0)->set_payee_reference("childminder-77");
  v1::Claim claim = Submit(t::kParticipant1, fare_to_someone);
  EXPECT_EQ(claim.state(), v1::CLAIM_STATE_DECLINED);
  ASSERT_THAT(claim.lines(), SizeIs(1));
  EXPECT_EQ(claim.lines(0).payee_reference(), "");
  EXPECT_EQ(claim.decision().lines(0).rule(), "payment.declined");
  EXPECT_EQ(claim.decision().allowed_total_pence(), 0);
  // One story, not "paid to you" and "not paid" at once.
  EXPECT_THAT(claim.decision().lines(0).reason(),
              HasSubstr("do not let us pay childminder-77 directly, and you "
                        "chose not to be paid"));
  EXPECT_THAT(claim.decision().lines(0).reason(),
              Not(HasSubstr("paid to you")));
  v1::Batch batch;
  EXPECT_THAT(Create(t::kFinance, {}, &batch),
              StatusIs(absl::StatusCode::kFailedPrecondition));
}

}  // namespace
}  // namespace reciprocity
