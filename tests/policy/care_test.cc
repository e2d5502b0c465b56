// Childcare and replacement care, judged against the shipped rule files:
// £10 an hour a child, at most £60 a session; replacement care £15 an hour,
// at most £90 (adult-social-care). children-and-families has a crèche at
// every meeting and pays no replacement care.
#include <functional>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "policy/explain.h"
#include "tests/policy/policy_test_util.h"
#include "tests/util/status_matchers.h"

namespace reciprocity::policy {
namespace {

using testing::Care;
using testing::Facts;
using ::testing::HasSubstr;
using testing::Shipped;

constexpr absl::CivilDay kSession(2026, 3, 10);
constexpr auto kChildcare = v1::EXPENSE_CATEGORY_CHILDCARE;
constexpr auto kCarer = v1::EXPENSE_CATEGORY_CARER;

class CareLineTest : public ::testing::TestWithParam<testing::LineCase> {};

TEST_P(CareLineTest, JudgesTheLastLine) { testing::ExpectLastLine(GetParam()); }

// A table row for a session on 10 March 2026.
testing::LineCase CareCase(std::string name, std::string area,
                           std::string project,
                           std::function<void(ClaimFacts&)> claim,
                           int64_t allowed, v1::LineOutcome outcome,
                           std::string rule, std::string reason) {
  return {std::move(name), std::move(area),  std::move(project),
          kSession,        std::move(claim), allowed,
          outcome,         std::move(rule),  std::move(reason)};
}

const auto kAsc = "adult-social-care";
const auto kLd = "ld-user-voice";
const auto kCf = "children-and-families";
const auto kBoard = "abss-partnership-board";

INSTANTIATE_TEST_SUITE_P(
    Care, CareLineTest,
    ::testing::Values(
        CareCase(
            "ThreeHoursOneChild", kAsc, kLd,
            [](ClaimFacts& f) {
              f.lines.push_back(Care(kChildcare, 3000, 180));
            },
            3000, v1::LINE_OUTCOME_PAID_IN_FULL, "childcare.per_child",
            "We pay £10 an hour for each child. 3 hours for 1 child is "
            "£30. You paid £30."),
        CareCase(
            "PaidLessThanTheRate", kAsc, kLd,
            [](ClaimFacts& f) {
              f.lines.push_back(Care(kChildcare, 2500, 180));
            },
            2500, v1::LINE_OUTCOME_PAID_IN_FULL, "childcare.per_child",
            "is £30. You paid £25."),
        CareCase(
            "ProRataByTheMinute", kAsc, kLd,
            [](ClaimFacts& f) {
              f.lines.push_back(Care(kChildcare, 2000, 100));
            },
            1667, v1::LINE_OUTCOME_REDUCED, "childcare.per_child",
            "1 hour 40 minutes for 1 child is £16.67. You paid £20. So "
            "we pay £16.67."),
        CareCase(
            "TwoChildrenExactlyAtSessionCap", kAsc, kLd,
            [](ClaimFacts& f) {
              f.lines.push_back(Care(kChildcare, 6000, 180, 2));
            },
            6000, v1::LINE_OUTCOME_PAID_IN_FULL, "childcare.per_child",
            "3 hours for 2 children is £60."),
        CareCase(
            "SessionCapOnePennyOverCoversAllLines", kAsc, kLd,
            [](ClaimFacts& f) {
              f.lines.push_back(Care(kChildcare, 3000, 180));
              f.lines.push_back(Care(kChildcare, 3001, 181));
            },
            3000, v1::LINE_OUTCOME_REDUCED, "childcare.cap_per_session",
            "The most we pay for childcare at one session is £60."),
        CareCase(
            "NoChildrenIsRefused", kAsc, kLd,
            [](ClaimFacts& f) {
              f.lines.push_back(Care(kChildcare, 3000, 180, 0));
            },
            0, v1::LINE_OUTCOME_REFUSED, "childcare.per_child",
            "You did not say how many children were looked after."),
        CareCase(
            "NoAmountIsRefused", kAsc, kLd,
            [](ClaimFacts& f) { f.lines.push_back(Care(kChildcare, 0, 180)); },
            0, v1::LINE_OUTCOME_REFUSED, "childcare.per_child",
            "You did not say how much you paid."),
        CareCase(
            "NoTimeIsRefused", kAsc, kLd,
            [](ClaimFacts& f) { f.lines.push_back(Care(kChildcare, 3000, 0)); },
            0, v1::LINE_OUTCOME_REFUSED, "childcare.per_child",
            "You did not say how long the care was."),
        CareCase(
            "CrecheRecordedOnTheSessionRefusesChildcare", kAsc, kLd,
            [](ClaimFacts& f) {
              f.creche_provided = true;
              f.lines.push_back(Care(kChildcare, 3000, 180));
            },
            0, v1::LINE_OUTCOME_REFUSED, "childcare.creche",
            "There was a crèche at this session. So we only pay for "
            "other childcare if an officer agreed it before the "
            "session. We have no record of that."),
        CareCase(
            "CrecheByProjectDefaultRefusesChildcare", kCf, kBoard,
            [](ClaimFacts& f) {
              f.lines.push_back(Care(kChildcare, 3000, 180));
            },
            0, v1::LINE_OUTCOME_REFUSED, "childcare.creche",
            "There was a crèche at this session."),
        CareCase(
            "SessionWithoutTheDefaultCrechePaysChildcare", kCf, kBoard,
            [](ClaimFacts& f) {
              f.creche_provided = false;
              f.lines.push_back(Care(kChildcare, 3000, 180));
            },
            3000, v1::LINE_OUTCOME_PAID_IN_FULL, "childcare.per_child",
            "We pay £10 an hour for each child."),
        CareCase(
            "CrecheButAgreedInAdvance", kCf, kBoard,
            [](ClaimFacts& f) {
              f.agreements.push_back({kChildcare, 0});
              f.lines.push_back(Care(kChildcare, 3000, 180));
            },
            3000, v1::LINE_OUTCOME_PAID_IN_FULL, "childcare.per_child",
            "There was a crèche, but an officer agreed this childcare."),
        CareCase(
            "CrecheAgreementCapsTheAmount", kCf, kBoard,
            [](ClaimFacts& f) {
              f.agreements.push_back({kChildcare, 2000});
              f.lines.push_back(Care(kChildcare, 3000, 180));
            },
            2000, v1::LINE_OUTCOME_REDUCED, "childcare.per_child.agreement",
            "An officer agreed up to £20. So we pay £20."),
        CareCase(
            "ChildInTheCrecheRefusesOtherChildcare", kCf, kBoard,
            [](ClaimFacts& f) {
              f.creche_used = true;
              f.lines.push_back(Care(kChildcare, 3000, 180));
            },
            0, v1::LINE_OUTCOME_REFUSED, "childcare.creche_used",
            "Your child was in the crèche at this meeting. So we do not pay "
            "for other care for your child."),
        CareCase(
            "ChildInTheCrecheButAgreedInAdvance", kCf, kBoard,
            [](ClaimFacts& f) {
              f.creche_used = true;
              f.agreements.push_back({kChildcare, 0});
              f.lines.push_back(Care(kChildcare, 3000, 180));
            },
            3000, v1::LINE_OUTCOME_PAID_IN_FULL, "childcare.per_child",
            "There was a crèche, but an officer agreed this childcare."),
        CareCase(
            "CrecheUsedWithoutACrecheIsIgnored", kAsc, kLd,
            [](ClaimFacts& f) {
              f.creche_used = true;
              f.lines.push_back(Care(kChildcare, 3000, 180));
            },
            3000, v1::LINE_OUTCOME_PAID_IN_FULL, "childcare.per_child",
            "We pay £10 an hour for each child."),
        CareCase(
            "ReplacementCare", kAsc, kLd,
            [](ClaimFacts& f) { f.lines.push_back(Care(kCarer, 3000, 120)); },
            3000, v1::LINE_OUTCOME_PAID_IN_FULL, "childcare.replacement_care",
            "We pay £15 an hour for care for someone you look after. 2 "
            "hours is £30. You paid £30."),
        CareCase(
            "ReplacementCareSessionCap", kAsc, kLd,
            [](ClaimFacts& f) { f.lines.push_back(Care(kCarer, 10500, 420)); },
            9000, v1::LINE_OUTCOME_REDUCED,
            "childcare.replacement_care.cap_per_session",
            "The most we pay for care for someone you look after at one "
            "session is £90."),
        CareCase(
            "ReplacementCareNotCovered", kCf, kBoard,
            [](ClaimFacts& f) { f.lines.push_back(Care(kCarer, 3000, 120)); },
            0, v1::LINE_OUTCOME_REFUSED,
            "childcare.replacement_care.not_covered",
            "This project does not pay for care for someone you look "
            "after.")),
    testing::CaseName);

// Shipped rates never give half a penny; this file's £10.01 does.
TEST(CareRoundingTest, HalfAPennyRoundsUp) {
  constexpr char kFile[] = R"pb(
    display_name: "Test"
    projects { id: "p" display_name: "P" cost_centre: "X-1" }
    defaults {
      childcare {
        pence_per_hour_per_child { effective_from: "2024-04-01" pence: 1001 }
      }
      general {
        claim_deadline_days: 30
        eligible_participant_types: PARTICIPANT_TYPE_RESIDENT
        eligible_participant_types: PARTICIPANT_TYPE_PARENT_OR_CARER
        eligible_participant_types: PARTICIPANT_TYPE_ORGANISATION_REPRESENTATIVE
        eligible_participant_types: PARTICIPANT_TYPE_STAFF
        eligible_participant_types: PARTICIPANT_TYPE_YOUNG_PERSON
      }
    }
  )pb";
  auto policy = ParseRuleFile("test.textproto", "test", kFile);
  ASSERT_THAT(policy, reciprocity::testing::IsOk());
  ClaimFacts facts = Facts("p", kSession);
  facts.lines.push_back(Care(kChildcare, 1000, 30));   // 500.5p
  facts.lines.push_back(Care(kChildcare, 1000, 150));  // 2502.5p, capped 10
  const v1::Decision decision = Evaluate(**policy, facts);
  EXPECT_EQ(decision.lines(0).allowed_pence(), 501);
  EXPECT_THAT(decision.lines(0).reason(), HasSubstr("is £5.01."));
  EXPECT_EQ(decision.lines(1).allowed_pence(), 1000);
}

// The reason a parent reads when the register says their child used the
// crèche is as plain as the house rule asks of participant text.
TEST(CareReadabilityTest, CrecheUsedReasonIsVeryPlain) {
  ClaimFacts facts = Facts(kBoard, kSession);
  facts.creche_used = true;
  facts.lines.push_back(Care(kChildcare, 3000, 180));
  const v1::Decision decision = Evaluate(*Shipped(kCf), facts);
  ASSERT_EQ(decision.lines(0).rule(), "childcare.creche_used");
  EXPECT_GT(FleschReadingEase(decision.lines(0).reason()), 95.0)
      << decision.lines(0).reason();
}

}  // namespace
}  // namespace reciprocity::policy
