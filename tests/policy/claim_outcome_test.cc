// The whole outcome of a claim (DecideClaim): the engine's decision, then
// repeats, same-day claims, attendance, a declined payment and who is paid,
// with the claim's state and the words the participant reads.
#include "policy/claim_outcome.h"

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/policy/policy_test_util.h"

namespace reciprocity::policy {
namespace {

using testing::Care;
using testing::Facts;
using testing::Fare;
using ::testing::HasSubstr;
using testing::Miles;
using ::testing::Not;
using testing::Paid;
using testing::Shipped;
using ::testing::StartsWith;
using testing::To;

constexpr absl::CivilDay kSession(2026, 3, 10);
constexpr auto kFareCategory = v1::EXPENSE_CATEGORY_PUBLIC_TRANSPORT;
constexpr auto kChildcare = v1::EXPENSE_CATEGORY_CHILDCARE;
constexpr auto kPaidInFull = v1::LINE_OUTCOME_PAID_IN_FULL;
constexpr auto kRefused = v1::LINE_OUTCOME_REFUSED;
constexpr auto kReview = v1::LINE_OUTCOME_NEEDS_REVIEW;
constexpr char kFareReason[] = "We pay bus and train fares. You paid £3.50.";

// A line of a category the engine never pays.
v1::ClaimLine Unknown() { return Paid(v1::EXPENSE_CATEGORY_UNSPECIFIED, 100); }

void Declined(ClaimFacts& f) { f.payment_method = v1::PAYMENT_METHOD_DECLINE; }

// One row: facts for a claim in adult social care's user voice group, and
// the outcome DecideClaim must give.
struct OutcomeCase {
  std::string name;
  std::function<void(ClaimFacts&)> facts;
  v1::ClaimState state;
  std::vector<v1::LineOutcome> outcomes;  // one per line
  int64_t allowed_total;
  std::string last_rule;        // the last line's rule; empty: not checked
  std::string reason;           // how the last line's reason starts; empty: any
  std::string summary;          // a part of the summary; empty: not checked
  std::string last_payee = "";  // the last line's payee as stored
};

class ClaimOutcomeTest : public ::testing::TestWithParam<OutcomeCase> {};

TEST_P(ClaimOutcomeTest, DecidesTheWholeClaim) {
  const OutcomeCase& c = GetParam();
  auto policy = Shipped("adult-social-care");
  ASSERT_NE(policy, nullptr);
  ClaimFacts facts = Facts("ld-user-voice", kSession);
  c.facts(facts);
  const ClaimOutcome outcome = DecideClaim(*policy, facts);
  const v1::Decision& decision = outcome.decision;
  SCOPED_TRACE(decision.DebugString());
  ASSERT_EQ(decision.lines_size(), static_cast<int>(c.outcomes.size()));
  ASSERT_EQ(outcome.lines.size(), facts.lines.size());
  for (int i = 0; i < decision.lines_size(); ++i) {
    EXPECT_EQ(decision.lines(i).outcome(), c.outcomes[i]) << "line " << i;
  }
  EXPECT_EQ(outcome.state, c.state);
  EXPECT_EQ(ClaimStateFor(decision), c.state);
  EXPECT_EQ(decision.allowed_total_pence(), c.allowed_total);
  EXPECT_EQ(decision.policy_version(), policy->version());
  bool needs_review = false;
  for (const auto& line : decision.lines()) {
    needs_review |= line.outcome() == kReview;
  }
  EXPECT_EQ(decision.needs_review(), needs_review);
  const v1::LineDecision& last = decision.lines(decision.lines_size() - 1);
  if (!c.last_rule.empty()) {
    EXPECT_EQ(last.rule(), c.last_rule);
  }
  if (!c.reason.empty()) {
    EXPECT_THAT(last.reason(), StartsWith(c.reason));
  }
  // The participant is never told both that a line is paid to them and
  // that it is not paid.
  if (last.rule() == kDeclinedRule) {
    EXPECT_THAT(last.reason(), Not(HasSubstr("This will be paid to you")));
  }
  if (!c.summary.empty()) {
    EXPECT_THAT(decision.summary(), HasSubstr(c.summary));
  }
  EXPECT_EQ(outcome.lines.back().payee_reference(), c.last_payee);
}

INSTANTIATE_TEST_SUITE_P(
    Outcome, ClaimOutcomeTest,
    ::testing::Values(
        OutcomeCase{"FareIsApproved",
                    [](ClaimFacts& f) { f.lines.push_back(Fare(350)); },
                    v1::CLAIM_STATE_APPROVED,
                    {kPaidInFull},
                    350,
                    "",
                    kFareReason,
                    "We will pay £3.50."},
        OutcomeCase{"RefusedLineRejectsTheClaim",
                    [](ClaimFacts& f) { f.lines.push_back(Unknown()); },
                    v1::CLAIM_STATE_REJECTED,
                    {kRefused},
                    0,
                    "claim.category",
                    "We cannot pay for this kind of cost.",
                    ""},
        OutcomeCase{"SettledRepeatIsRefusedUnjudged",
                    [](ClaimFacts& f) {
                      f.claimed_for_session[kFareCategory] = {41, false};
                      f.lines.push_back(Fare(350));
                    },
                    v1::CLAIM_STATE_REJECTED,
                    {kRefused},
                    0,
                    "claims.duplicate",
                    "You already claimed for this in claim 41.",
                    " Some lines repeat an earlier claim, so we cannot pay "
                    "them."},
        OutcomeCase{"SettledRepeatBesideANewLine",
                    [](ClaimFacts& f) {
                      f.claimed_for_session[kFareCategory] = {41, false};
                      f.lines.push_back(Fare(350));
                      f.lines.push_back(Care(kChildcare, 3000, 180));
                    },
                    v1::CLAIM_STATE_APPROVED,
                    {kRefused, kPaidInFull},
                    3000,
                    "",
                    "",
                    "Some lines repeat an earlier claim"},
        OutcomeCase{"UnsettledRepeatGoesToAPerson",
                    [](ClaimFacts& f) {
                      f.claimed_for_session[kFareCategory] = {41, true};
                      f.lines.push_back(Fare(350));
                    },
                    v1::CLAIM_STATE_NEEDS_REVIEW,
                    {kReview},
                    350,
                    "claims.repeat_unsettled",
                    "You already claimed for this in claim 41, which we have "
                    "not finished checking. A person will check it is not "
                    "claimed twice before we pay. We pay bus",
                    "Some lines are like an earlier claim we are still "
                    "checking."},
        OutcomeCase{"UnsettledRepeatWithAttendanceUnknownSaysBoth",
                    [](ClaimFacts& f) {
                      f.claimed_for_session[kFareCategory] = {41, true};
                      f.attendance_unknown = true;
                      f.lines.push_back(Fare(350));
                    },
                    v1::CLAIM_STATE_NEEDS_REVIEW,
                    {kReview},
                    350,
                    "claims.repeat_unsettled",
                    "You already claimed for this in claim 41, which we have "
                    "not finished checking. A person will check it is not "
                    "claimed twice before we pay. We have no record that you "
                    "came to this session. We pay bus",
                    "still checking."},
        OutcomeCase{"SameDayClaimGoesToAPerson",
                    [](ClaimFacts& f) {
                      f.claimed_same_day[kFareCategory] = {52, false};
                      f.lines.push_back(Fare(350));
                    },
                    v1::CLAIM_STATE_NEEDS_REVIEW,
                    {kReview},
                    350,
                    "claims.same_day",
                    "You already claimed for this on the same day, in claim "
                    "52. A person will check it is not claimed twice before "
                    "we pay. We pay bus",
                    "Some lines are like an earlier claim on the same day."},
        OutcomeCase{
            "SameDayClaimOfAnotherKindIsPaid",
            [](ClaimFacts& f) {
              f.claimed_same_day[v1::EXPENSE_CATEGORY_TAXI] = {52, false};
              f.lines.push_back(Fare(350));
            },
            v1::CLAIM_STATE_APPROVED,
            {kPaidInFull},
            350,
            "",
            kFareReason,
            "We will pay £3.50."},
        OutcomeCase{"SameDayRefusedLineStaysRefused",
                    [](ClaimFacts& f) {
                      f.claimed_same_day[v1::EXPENSE_CATEGORY_UNSPECIFIED] = {
                          52, false};
                      f.lines.push_back(Unknown());
                    },
                    v1::CLAIM_STATE_REJECTED,
                    {kRefused},
                    0,
                    "claim.category",
                    "",
                    ""},
        OutcomeCase{"AttendanceUnknownGoesToAPerson",
                    [](ClaimFacts& f) {
                      f.attendance_unknown = true;
                      f.lines.push_back(Fare(350));
                    },
                    v1::CLAIM_STATE_NEEDS_REVIEW,
                    {kReview},
                    350,
                    "claims.attendance",
                    "We have no record that you came to this session. A "
                    "person will check before we pay. We pay bus",
                    "We can pay up to £3.50. We have no record that you came "
                    "to this session. So a person will check your claim "
                    "before we pay."},
        OutcomeCase{"AttendanceUnknownLeavesARefusalAlone",
                    [](ClaimFacts& f) {
                      f.attendance_unknown = true;
                      f.lines.push_back(Unknown());
                    },
                    v1::CLAIM_STATE_REJECTED,
                    {kRefused},
                    0,
                    "claim.category",
                    "We cannot pay for this kind of cost.",
                    ""},
        OutcomeCase{"AttendanceUnknownKeepsTheEnginesReviewRule",
                    [](ClaimFacts& f) {
                      f.attendance_unknown = true;
                      f.lines.push_back(Paid(v1::EXPENSE_CATEGORY_TAXI, 1500));
                    },
                    v1::CLAIM_STATE_NEEDS_REVIEW,
                    {kReview},
                    1500,
                    "",
                    "We only pay for a taxi if an officer agreed it",
                    ""},
        OutcomeCase{"FareNamingAPayeeIsPaidToYouInstead",
                    [](ClaimFacts& f) {
                      f.lines.push_back(To("childminder-77", Fare(350)));
                    },
                    v1::CLAIM_STATE_APPROVED,
                    {kPaidInFull},
                    350,
                    "",
                    "This will be paid to you, not to childminder-77: the "
                    "rules for this project do not pay anyone else directly. "
                    "We pay bus and train fares.",
                    "We will pay £3.50.",
                    ""},
        OutcomeCase{"ChildminderKeepsThePayee",
                    [](ClaimFacts& f) {
                      f.lines.push_back(
                          To("childminder-77", Care(kChildcare, 3000, 180)));
                    },
                    v1::CLAIM_STATE_APPROVED,
                    {kPaidInFull},
                    3000,
                    "",
                    "",
                    "We will pay £30.",
                    "childminder-77"},
        OutcomeCase{"DeclinedFareIsDeclined",
                    [](ClaimFacts& f) {
                      Declined(f);
                      f.lines.push_back(Fare(350));
                    },
                    v1::CLAIM_STATE_DECLINED,
                    {kRefused},
                    0,
                    kDeclinedRule,
                    "You chose not to be paid, so we will not pay this. We "
                    "pay bus and train fares.",
                    "You chose not to be paid, so we will not pay this claim. "
                    "We keep it as a record of what you spent."},
        OutcomeCase{"DeclinedFareNamingAPayeeSaysSoOnce",
                    [](ClaimFacts& f) {
                      Declined(f);
                      f.lines.push_back(To("childminder-77", Fare(350)));
                    },
                    v1::CLAIM_STATE_DECLINED,
                    {kRefused},
                    0,
                    kDeclinedRule,
                    "The rules for this project do not let us pay "
                    "childminder-77 directly, and you chose not to be paid, "
                    "so we will not pay this. We pay bus and train fares. "
                    "You paid £3.50.",
                    "You chose not to be paid"},
        OutcomeCase{"DeclinedStillPaysTheChildminder",
                    [](ClaimFacts& f) {
                      Declined(f);
                      f.lines.push_back(Fare(350));
                      f.lines.push_back(
                          To("childminder-77", Care(kChildcare, 3000, 180)));
                    },
                    v1::CLAIM_STATE_APPROVED,
                    {kRefused, kPaidInFull},
                    3000,
                    "",
                    "",
                    "You chose not to be paid, so we pay only the lines that "
                    "go straight to someone else: £30.",
                    "childminder-77"},
        OutcomeCase{"DeclinedLeavesARefusalAlone",
                    [](ClaimFacts& f) {
                      Declined(f);
                      f.lines.push_back(Unknown());
                    },
                    v1::CLAIM_STATE_REJECTED,
                    {kRefused},
                    0,
                    "claim.category",
                    "We cannot pay for this kind of cost.",
                    ""},
        OutcomeCase{"DeclinedUnsettledRepeatNeedsNobody",
                    [](ClaimFacts& f) {
                      Declined(f);
                      f.claimed_for_session[kFareCategory] = {41, true};
                      f.lines.push_back(Fare(350));
                    },
                    v1::CLAIM_STATE_DECLINED,
                    {kRefused},
                    0,
                    kDeclinedRule,
                    "You chose not to be paid, so we will not pay this. You "
                    "already claimed for this in claim 41",
                    "We keep it as a record"},
        OutcomeCase{"DeclinedWithAttendanceUnknownNeedsNobody",
                    [](ClaimFacts& f) {
                      Declined(f);
                      f.attendance_unknown = true;
                      f.lines.push_back(Fare(350));
                    },
                    v1::CLAIM_STATE_DECLINED,
                    {kRefused},
                    0,
                    kDeclinedRule,
                    "You chose not to be paid, so we will not pay this. We "
                    "have no record that you came to this session.",
                    ""},
        OutcomeCase{"DeclinedSettledRepeatIsStillADuplicate",
                    [](ClaimFacts& f) {
                      Declined(f);
                      f.claimed_for_session[kFareCategory] = {41, false};
                      f.lines.push_back(Fare(350));
                    },
                    v1::CLAIM_STATE_REJECTED,
                    {kRefused},
                    0,
                    "claims.duplicate",
                    "You already claimed for this in claim 41.",
                    ""}),
    [](const ::testing::TestParamInfo<OutcomeCase>& info) {
      return info.param.name;
    });

TEST(ClaimOutcomeTest, ClaimedTotalCountsMileageAtTheRate) {
  auto policy = Shipped("children-and-families");
  ASSERT_NE(policy, nullptr);
  ClaimFacts facts = Facts("abss-partnership-board", kSession);
  facts.lines.push_back(Miles(120));
  facts.lines.push_back(Fare(350));
  const ClaimOutcome outcome = DecideClaim(*policy, facts);
  ASSERT_EQ(outcome.decision.lines_size(), 2);
  EXPECT_EQ(outcome.decision.lines(0).allowed_pence(), 540);
  EXPECT_EQ(outcome.claimed_total_pence, 540 + 350);
  EXPECT_EQ(outcome.car_tenths, 120);
}

TEST(ClaimOutcomeTest, RefusedMileageAddsNoCarMiles) {
  auto policy = Shipped("children-and-families");
  ASSERT_NE(policy, nullptr);
  ClaimFacts facts = Facts("abss-partnership-board", kSession);
  facts.claimed_for_session[v1::EXPENSE_CATEGORY_MILEAGE] = {7, false};
  facts.lines.push_back(Miles(120));
  const ClaimOutcome outcome = DecideClaim(*policy, facts);
  EXPECT_EQ(outcome.decision.lines(0).outcome(), kRefused);
  EXPECT_EQ(outcome.claimed_total_pence, 0);
  EXPECT_EQ(outcome.car_tenths, 0);
}

TEST(ClaimStateTest, ReviewFlagOnTheDecisionKeepsItInReview) {
  v1::Decision decision;
  decision.add_lines()->set_outcome(kPaidInFull);
  decision.mutable_lines(0)->set_allowed_pence(100);
  EXPECT_EQ(ClaimStateFor(decision), v1::CLAIM_STATE_APPROVED);
  decision.set_needs_review(true);
  EXPECT_EQ(ClaimStateFor(decision), v1::CLAIM_STATE_NEEDS_REVIEW);
}

TEST(PaymentMethodTest, NoneOrUnknownPreferenceIsABankTransfer) {
  EXPECT_EQ(PaymentMethodFor(v1::PAYMENT_METHOD_UNSPECIFIED),
            v1::PAYMENT_METHOD_BANK_TRANSFER);
  EXPECT_EQ(PaymentMethodFor(9999), v1::PAYMENT_METHOD_BANK_TRANSFER);
  EXPECT_EQ(PaymentMethodFor(v1::PAYMENT_METHOD_DECLINE),
            v1::PAYMENT_METHOD_DECLINE);
}

}  // namespace
}  // namespace reciprocity::policy
