// Rules about the claim as a whole: deadline, who may claim, budget, unknown
// categories, versions, and the money format.
#include <string>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "policy/explain.h"
#include "tests/policy/policy_test_util.h"

namespace reciprocity::policy {
namespace {

using testing::Care;
using testing::Facts;
using testing::Fare;
using ::testing::HasSubstr;
using ::testing::MatchesRegex;
using testing::Miles;
using ::testing::Not;
using testing::Shipped;

constexpr absl::CivilDay kSession(2026, 4, 5);

TEST(DeadlineTest, LastDayIsInTime) {
  auto policy = Shipped("adult-social-care");
  ClaimFacts facts = Facts("ld-user-voice", kSession);
  facts.claim_date = kSession + 30;
  facts.lines.push_back(Fare(350));
  const v1::Decision decision = Evaluate(*policy, facts);
  EXPECT_EQ(decision.lines(0).outcome(), v1::LINE_OUTCOME_PAID_IN_FULL);
}

TEST(DeadlineTest, DayAfterTheLastIsRefusedNamingTheDate) {
  auto policy = Shipped("adult-social-care");
  ClaimFacts facts = Facts("ld-user-voice", kSession);
  facts.claim_date = kSession + 31;
  facts.lines = {Fare(350), Miles(120)};
  const v1::Decision decision = Evaluate(*policy, facts);
  ASSERT_EQ(decision.lines_size(), 2);
  for (const v1::LineDecision& line : decision.lines()) {
    EXPECT_EQ(line.outcome(), v1::LINE_OUTCOME_REFUSED);
    EXPECT_EQ(line.allowed_pence(), 0);
    EXPECT_EQ(line.rule(), "general.deadline");
    EXPECT_EQ(line.reason(),
              "Claims must reach us within 30 days of the session. The last "
              "day was 5 May 2026.");
  }
  EXPECT_EQ(decision.allowed_total_pence(), 0);
  EXPECT_EQ(decision.summary(),
            "We cannot pay any of this claim. Each line says why.");
}

TEST(DeadlineTest, ProjectOverrideGivesLongerDeadline) {
  auto policy = Shipped("adult-social-care");
  ClaimFacts facts = Facts("carers-user-voice", kSession);
  facts.claim_date = kSession + 60;
  facts.lines.push_back(Care(v1::EXPENSE_CATEGORY_CARER, 1500, 60));
  EXPECT_EQ(Evaluate(*policy, facts).lines(0).outcome(),
            v1::LINE_OUTCOME_PAID_IN_FULL);
  facts.claim_date = kSession + 61;
  EXPECT_EQ(Evaluate(*policy, facts).lines(0).rule(), "general.deadline");
}

TEST(EligibilityTest, StaffCannotClaim) {
  auto policy = Shipped("adult-social-care");
  ClaimFacts facts = Facts("ld-user-voice", kSession);
  facts.participant_type = v1::PARTICIPANT_TYPE_STAFF;
  facts.lines.push_back(Fare(350));
  const v1::Decision decision = Evaluate(*policy, facts);
  EXPECT_EQ(decision.lines(0).outcome(), v1::LINE_OUTCOME_REFUSED);
  EXPECT_EQ(decision.lines(0).rule(), "general.eligibility");
  EXPECT_EQ(decision.lines(0).reason(),
            "This project does not pay expenses to staff.");
}

TEST(EligibilityTest, UnknownParticipantTypeGoesToReview) {
  auto policy = Shipped("adult-social-care");
  ClaimFacts facts = Facts("ld-user-voice", kSession);
  facts.participant_type = v1::PARTICIPANT_TYPE_UNSPECIFIED;
  facts.lines.push_back(Fare(350));
  const v1::Decision decision = Evaluate(*policy, facts);
  EXPECT_EQ(decision.lines(0).outcome(), v1::LINE_OUTCOME_NEEDS_REVIEW);
  EXPECT_EQ(decision.lines(0).allowed_pence(), 350);
  EXPECT_EQ(decision.lines(0).rule(), "general.eligibility");
  EXPECT_TRUE(decision.needs_review());
}

TEST(EligibilityTest, OrganisationRepresentativesCanClaimExpenses) {
  auto policy = Shipped("strategy-and-commissioning");
  ClaimFacts facts = Facts("autism-neurodiversity-forum", kSession);
  facts.participant_type = v1::PARTICIPANT_TYPE_ORGANISATION_REPRESENTATIVE;
  facts.lines.push_back(Fare(350));
  EXPECT_EQ(Evaluate(*policy, facts).lines(0).outcome(),
            v1::LINE_OUTCOME_PAID_IN_FULL);
}

class BudgetTest : public ::testing::Test {
 protected:
  // ld-user-voice has £6,500 for 2026-27 (the year of 5 April 2026).
  v1::Decision Claim(int64_t committed) {
    ClaimFacts facts = Facts("ld-user-voice", kSession);
    facts.project_committed_pence = committed;
    facts.lines = {Fare(350), Fare(1001)};  // the second needs a ticket
    return Evaluate(*policy_, facts);
  }
  std::shared_ptr<const AreaPolicy> policy_ = Shipped("adult-social-care");
};

TEST_F(BudgetTest, ExactlyUsingTheBudgetIsPaid) {
  const v1::Decision decision = Claim(650'000 - 1351);
  EXPECT_EQ(decision.lines(0).outcome(), v1::LINE_OUTCOME_PAID_IN_FULL);
  EXPECT_THAT(decision.summary(), HasSubstr("A person will check 1 line"));
}

TEST_F(BudgetTest, OnePennyOverSendsTheClaimToReview) {
  const v1::Decision decision = Claim(650'000 - 1350);
  EXPECT_TRUE(decision.needs_review());
  for (const v1::LineDecision& line : decision.lines()) {
    EXPECT_EQ(line.outcome(), v1::LINE_OUTCOME_NEEDS_REVIEW);
  }
  EXPECT_EQ(decision.lines(0).rule(), "general.budget");
  EXPECT_EQ(decision.lines(0).allowed_pence(), 350);
  EXPECT_EQ(decision.allowed_total_pence(), 1351);
  EXPECT_THAT(decision.summary(),
              HasSubstr("This project has almost used its money for this "
                        "year. So a person will check your claim before we "
                        "pay."));
}

TEST_F(BudgetTest, ShippedFilesDeclareBudgetsThroughTheYearFrom2030) {
  for (const char* area : {"adult-social-care", "children-and-families",
                           "strategy-and-commissioning"}) {
    auto policy = Shipped(area);
    for (const ProjectInfo& project : policy->projects()) {
      for (int year = 2025; year <= 2030; ++year) {
        EXPECT_TRUE(
            project.FindBudgetFor(absl::CivilDay(year, 4, 1)).has_value())
            << area << "/" << project.id << " " << year;
      }
    }
  }
  ClaimFacts facts = Facts("ld-user-voice", absl::CivilDay(2027, 5, 1));
  facts.lines.push_back(Fare(350));
  EXPECT_FALSE(Evaluate(*policy_, facts).needs_review());
}

TEST_F(BudgetTest, YearWithNoBudgetGoesToReviewSayingSo) {
  ClaimFacts facts = Facts("ld-user-voice", absl::CivilDay(2031, 5, 1));
  facts.lines.push_back(Fare(350));
  const v1::Decision decision = Evaluate(*policy_, facts);
  EXPECT_TRUE(decision.needs_review());
  ASSERT_EQ(decision.lines_size(), 1);
  EXPECT_EQ(decision.lines(0).outcome(), v1::LINE_OUTCOME_NEEDS_REVIEW);
  EXPECT_EQ(decision.lines(0).rule(), "general.budget");
  EXPECT_EQ(decision.lines(0).allowed_pence(), 350);
  EXPECT_THAT(decision.lines(0).reason(),
              HasSubstr("The money for this project for the year from 1 April "
                        "2031 has not been set yet. A person will check before "
                        "we pay."));
  EXPECT_THAT(decision.summary(), HasSubstr("has not been set yet. So a person "
                                            "will check your claim"));
  EXPECT_THAT(decision.summary(), Not(HasSubstr("almost used")));
}

TEST_F(BudgetTest, ABudgetOfZeroIsNotTheSameAsNoBudget) {
  ProjectInfo project;
  project.budgets = {{absl::CivilDay(2026, 4, 1), 0}};
  EXPECT_EQ(project.FindBudgetFor(absl::CivilDay(2027, 3, 31)), 0);
  EXPECT_EQ(project.FindBudgetFor(absl::CivilDay(2027, 4, 1)), std::nullopt);
  EXPECT_EQ(project.BudgetPenceFor(absl::CivilDay(2027, 4, 1)), 0);
}

TEST(ClaimTest, UnknownCategoryIsRefused) {
  auto policy = Shipped("adult-social-care");
  ClaimFacts facts = Facts("ld-user-voice", kSession);
  v1::ClaimLine line;
  line.set_category(static_cast<v1::ExpenseCategory>(99));
  line.set_amount_pence(500);
  facts.lines = {line, Fare(350)};
  const v1::Decision decision = Evaluate(*policy, facts);
  EXPECT_EQ(decision.lines(0).outcome(), v1::LINE_OUTCOME_REFUSED);
  EXPECT_EQ(decision.lines(0).rule(), "claim.category");
  EXPECT_EQ(decision.lines(0).reason(), "We cannot pay for this kind of cost.");
  EXPECT_EQ(decision.allowed_total_pence(), 350);
  EXPECT_EQ(decision.summary(),
            "We will pay £3.50. Some lines are less than you asked for. Each "
            "line says why.");
}

TEST(ClaimTest, NumbersOutOfBoundsAreRefusedNotOverflowed) {
  auto policy = Shipped("adult-social-care");
  ClaimFacts facts = Facts("ld-user-voice", kSession);
  facts.lines.push_back(Miles(INT64_MAX));
  facts.lines.push_back(Fare(-5));
  facts.car_tenths_earlier_in_tax_year = INT64_MIN;
  facts.project_committed_pence = INT64_MAX;
  const v1::Decision decision = Evaluate(*policy, facts);
  EXPECT_EQ(decision.lines(0).rule(), "claim.line");
  EXPECT_EQ(decision.lines(1).rule(), "claim.line");
  EXPECT_EQ(decision.allowed_total_pence(), 0);
}

TEST(ClaimTest, UnknownProjectUsesDefaultsAndGoesToReview) {
  auto policy = Shipped("adult-social-care");
  ClaimFacts facts = Facts("no-such-project", kSession);
  facts.lines.push_back(Fare(350));
  const v1::Decision decision = Evaluate(*policy, facts);
  EXPECT_EQ(decision.lines(0).allowed_pence(), 350);
  EXPECT_TRUE(decision.needs_review());
}

TEST(ClaimTest, EmptyClaim) {
  auto policy = Shipped("adult-social-care");
  const v1::Decision decision =
      Evaluate(*policy, Facts("ld-user-voice", kSession));
  EXPECT_EQ(decision.lines_size(), 0);
  EXPECT_EQ(decision.allowed_total_pence(), 0);
  EXPECT_FALSE(decision.needs_review());
}

TEST(ClaimTest, DecisionNamesThePolicyVersion) {
  auto policy = Shipped("adult-social-care");
  EXPECT_THAT(policy->version(),
              MatchesRegex("adult-social-care@[0-9a-f]{12}"));
  ClaimFacts facts = Facts("ld-user-voice", kSession);
  facts.lines.push_back(Fare(350));
  const v1::Decision decision = Evaluate(*policy, facts);
  EXPECT_EQ(decision.policy_version(), policy->version());
  EXPECT_EQ(decision.summary(), "We will pay £3.50.");
  EXPECT_FALSE(decision.needs_review());
}

TEST(ClaimTest, SameFactsGiveTheSameDecision) {
  auto policy = Shipped("adult-social-care");
  ClaimFacts facts = Facts("ld-user-voice", kSession);
  facts.lines = {Fare(1500), Miles(123, v1::VEHICLE_TYPE_CAR, 1),
                 Care(v1::EXPENSE_CATEGORY_CHILDCARE, 3000, 180)};
  EXPECT_EQ(Evaluate(*policy, facts).SerializeAsString(),
            Evaluate(*policy, facts).SerializeAsString());
}

// Reasons are read by participants, some with a learning disability: short
// sentences, everyday words.
TEST(PlainEnglishTest, ReasonsAndSummariesReadEasily) {
  auto policy = Shipped("adult-social-care");
  std::string all;
  const auto judge = [&](ClaimFacts facts) {
    const v1::Decision decision = Evaluate(*policy, facts);
    for (const v1::LineDecision& line : decision.lines()) {
      EXPECT_LE(WordsPerSentence(line.reason()), 15.0) << line.reason();
      absl::StrAppend(&all, line.reason(), "\n");
    }
    absl::StrAppend(&all, decision.summary(), "\n");
  };
  ClaimFacts facts = Facts("ld-user-voice", kSession);
  facts.car_tenths_earlier_in_tax_year = 99'950;
  facts.lines = {Fare(1500),
                 Fare(3500, true),
                 Miles(120, v1::VEHICLE_TYPE_CAR, 2),
                 Miles(900, v1::VEHICLE_TYPE_BICYCLE),
                 testing::Paid(v1::EXPENSE_CATEGORY_TAXI, 1500),
                 testing::Paid(v1::EXPENSE_CATEGORY_PARKING, 1200, false),
                 Care(v1::EXPENSE_CATEGORY_CHILDCARE, 9000, 200, 2),
                 Care(v1::EXPENSE_CATEGORY_CARER, 12000, 480)};
  judge(facts);
  facts.creche_provided = true;
  facts.project_committed_pence = 650'000;
  judge(facts);
  facts.creche_used = true;
  judge(facts);
  facts.claim_date = kSession + 100;
  judge(facts);
  facts.claim_date = kSession;
  facts.participant_type = v1::PARTICIPANT_TYPE_STAFF;
  judge(facts);
  EXPECT_GE(FleschReadingEase(all), 70.0) << all;
  EXPECT_LE(WordsPerSentence(all), 15.0) << all;
}

TEST(FormatMoneyTest, PoundsAndPence) {
  EXPECT_EQ(FormatMoney(0), "0p");
  EXPECT_EQ(FormatMoney(45), "45p");
  EXPECT_EQ(FormatMoney(99), "99p");
  EXPECT_EQ(FormatMoney(100), "£1");
  EXPECT_EQ(FormatMoney(540), "£5.40");
  EXPECT_EQ(FormatMoney(505), "£5.05");
  EXPECT_EQ(FormatMoney(1000), "£10");
  EXPECT_EQ(FormatMoney(123456789), "£1,234,567.89");
  EXPECT_EQ(FormatMoney(-540), "-£5.40");
  EXPECT_EQ(FormatMoney(INT64_MIN), "-£92,233,720,368,547,758.08");
}

}  // namespace
}  // namespace reciprocity::policy
