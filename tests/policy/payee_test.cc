// Lines paid straight to someone else (a payee, e.g. a childminder): only
// where the section that judges the line says pay_provider_directly. The
// shipped files say so for childcare and replacement care, never for
// travel. Elsewhere the line is judged as usual and paid to the participant,
// and its reason says so first.
#include <functional>
#include <string>
#include <utility>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "policy/explain.h"
#include "tests/policy/policy_test_util.h"
#include "tests/util/status_matchers.h"

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
constexpr auto kChildcare = v1::EXPENSE_CATEGORY_CHILDCARE;
constexpr auto kCarer = v1::EXPENSE_CATEGORY_CARER;
constexpr char kPaidToYou[] = "This will be paid to you, not to ";

// One row: a claim whose last line names a payee, and what must happen to
// that line.
struct PayeeCase {
  std::string name;
  std::string area;
  std::string project;
  std::function<void(ClaimFacts&)> claim;
  bool paid_directly;  // PaysProviderDirectly for the last line's category
  int64_t allowed;
  v1::LineOutcome outcome;
  // How the reason starts; empty: it says nothing about who is paid.
  std::string reason_start;
};

class PayeeLineTest : public ::testing::TestWithParam<PayeeCase> {};

TEST_P(PayeeLineTest, PaysThePayeeOnlyWhereTheSectionAllows) {
  const PayeeCase& c = GetParam();
  auto policy = Shipped(c.area);
  ASSERT_NE(policy, nullptr);
  ClaimFacts facts = Facts(c.project, kSession);
  c.claim(facts);
  ASSERT_FALSE(facts.lines.empty());
  EXPECT_EQ(
      PaysProviderDirectly(*policy, c.project, facts.lines.back().category()),
      c.paid_directly);
  const v1::Decision decision = Evaluate(*policy, facts);
  ASSERT_EQ(decision.lines_size(), static_cast<int>(facts.lines.size()));
  const v1::LineDecision& line = decision.lines(decision.lines_size() - 1);
  EXPECT_EQ(line.allowed_pence(), c.allowed) << line.DebugString();
  EXPECT_EQ(line.outcome(), c.outcome) << line.DebugString();
  if (c.reason_start.empty()) {
    EXPECT_THAT(line.reason(), Not(HasSubstr(kPaidToYou)));
  } else {
    EXPECT_THAT(line.reason(), StartsWith(c.reason_start));
  }
}

const auto kAsc = "adult-social-care";
const auto kLd = "ld-user-voice";
const auto kCarers = "carers-user-voice";
const auto kCf = "children-and-families";
const auto kBoard = "abss-partnership-board";
const auto kSc = "strategy-and-commissioning";
const auto kForum = "autism-neurodiversity-forum";

INSTANTIATE_TEST_SUITE_P(
    Payee, PayeeLineTest,
    ::testing::Values(
        PayeeCase{"ChildminderIsPaidDirectly", kAsc, kLd,
                  [](ClaimFacts& f) {
                    f.lines.push_back(
                        To("childminder-77", Care(kChildcare, 3000, 180)));
                  },
                  true, 3000, v1::LINE_OUTCOME_PAID_IN_FULL, ""},
        PayeeCase{"CareWorkerIsPaidDirectly", kAsc, kLd,
                  [](ClaimFacts& f) {
                    f.lines.push_back(
                        To("care-agency-3", Care(kCarer, 3000, 120)));
                  },
                  true, 3000, v1::LINE_OUTCOME_PAID_IN_FULL, ""},
        PayeeCase{"ChildminderIsPaidDirectlyInAnotherArea", kSc, kForum,
                  [](ClaimFacts& f) {
                    f.lines.push_back(
                        To("childminder-77", Care(kChildcare, 1000, 60)));
                  },
                  true, 1000, v1::LINE_OUTCOME_PAID_IN_FULL, ""},
        PayeeCase{"AgreedChildcareBesideACrecheIsPaidToTheChildminder", kCf,
                  kBoard,
                  [](ClaimFacts& f) {
                    f.agreements.push_back({kChildcare, 0});
                    f.lines.push_back(
                        To("childminder-77", Care(kChildcare, 3000, 180)));
                  },
                  true, 3000, v1::LINE_OUTCOME_PAID_IN_FULL, ""},
        PayeeCase{"FareIsPaidToTheParticipant", kAsc, kLd,
                  [](ClaimFacts& f) {
                    f.lines.push_back(To("childminder-77", Fare(350)));
                  },
                  false, 350, v1::LINE_OUTCOME_PAID_IN_FULL,
                  "This will be paid to you, not to childminder-77: the "
                  "rules for this project do not pay anyone else directly. "
                  "We pay bus and train fares. You paid £3.50."},
        PayeeCase{"MileageIsPaidToTheParticipant", kCf, kBoard,
                  [](ClaimFacts& f) {
                    f.lines.push_back(To("garage-1", Miles(120)));
                  },
                  false, 540, v1::LINE_OUTCOME_PAID_IN_FULL,
                  "This will be paid to you, not to garage-1: the rules for "
                  "this project do not pay anyone else directly. "},
        PayeeCase{"TaxiForReviewWouldBePaidToTheParticipant", kAsc, kLd,
                  [](ClaimFacts& f) {
                    f.lines.push_back(To(
                        "taxi-firm-9", Paid(v1::EXPENSE_CATEGORY_TAXI, 1500)));
                  },
                  false, 1500, v1::LINE_OUTCOME_NEEDS_REVIEW,
                  "This will be paid to you, not to taxi-firm-9: the rules "
                  "for this project do not pay anyone else directly. We only "
                  "pay for a taxi if an officer agreed it"},
        PayeeCase{"OnlyTheLineWithThePayeeSaysSo", kAsc, kLd,
                  [](ClaimFacts& f) {
                    f.lines.push_back(To("childminder-77", Fare(350)));
                    f.lines.push_back(Fare(320));
                  },
                  false, 320, v1::LINE_OUTCOME_PAID_IN_FULL, ""},
        PayeeCase{"RefusedLineSaysNothingAboutWhoIsPaid", kAsc, kCarers,
                  [](ClaimFacts& f) {
                    f.lines.push_back(To("childminder-77", Fare(350)));
                  },
                  false, 0, v1::LINE_OUTCOME_REFUSED, ""}),
    [](const ::testing::TestParamInfo<PayeeCase>& info) {
      return info.param.name;
    });

// Travel can pay a firm on account too, and a project's own section decides
// for its lines: an override without the flag pays the participant.
TEST(PayeeTest, EachSectionSaysForItsOwnLines) {
  constexpr char kFile[] = R"pb(
    display_name: "Test"
    projects { id: "p" display_name: "P" cost_centre: "X-1" }
    projects { id: "q" display_name: "Q" cost_centre: "X-2" }
    defaults {
      travel {
        taxi { without_agreement: UNMET_CONDITION_ACTION_REFUSE }
        pay_provider_directly: true
      }
      childcare {
        pence_per_hour_per_child { effective_from: "2024-04-01" pence: 1000 }
        pay_provider_directly: true
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
    overrides {
      project_id: "q"
      childcare {
        pence_per_hour_per_child { effective_from: "2024-04-01" pence: 1000 }
      }
    }
  )pb";
  auto policy = ParseRuleFile("test.textproto", "test", kFile);
  ASSERT_THAT(policy, reciprocity::testing::IsOk());
  const AreaPolicy& rules = **policy;
  EXPECT_TRUE(PaysProviderDirectly(rules, "p", v1::EXPENSE_CATEGORY_TAXI));
  EXPECT_TRUE(
      PaysProviderDirectly(rules, "p", v1::EXPENSE_CATEGORY_PUBLIC_TRANSPORT));
  EXPECT_TRUE(PaysProviderDirectly(rules, "p", kChildcare));
  EXPECT_TRUE(PaysProviderDirectly(rules, "q", v1::EXPENSE_CATEGORY_TAXI));
  EXPECT_FALSE(PaysProviderDirectly(rules, "q", kChildcare));
  EXPECT_FALSE(PaysProviderDirectly(rules, "q", kCarer));
  EXPECT_FALSE(
      PaysProviderDirectly(rules, "p", v1::EXPENSE_CATEGORY_UNSPECIFIED));

  ClaimFacts facts = Facts("q", kSession);
  facts.agreements.push_back({v1::EXPENSE_CATEGORY_TAXI, 0});
  facts.lines.push_back(
      To("taxi-firm-9", Paid(v1::EXPENSE_CATEGORY_TAXI, 1500)));
  facts.lines.push_back(To("childminder-77", Care(kChildcare, 1000, 60)));
  const v1::Decision decision = Evaluate(rules, facts);
  ASSERT_EQ(decision.lines_size(), 2);
  // No budget is declared, so both lines wait for a person; neither is
  // refused, so each says who would be paid.
  EXPECT_EQ(decision.lines(0).allowed_pence(), 1500);
  EXPECT_THAT(decision.lines(0).reason(), Not(HasSubstr(kPaidToYou)));
  EXPECT_EQ(decision.lines(1).allowed_pence(), 1000);
  EXPECT_THAT(decision.lines(1).reason(),
              StartsWith("This will be paid to you, not to childminder-77: "
                         "the rules for this project do not pay anyone else "
                         "directly. We pay £10 an hour for each child."));
}

// The leaflet tells participants when someone else can be paid for them.
TEST(PayeeTest, LeafletSaysTheChildminderCanBePaid) {
  auto policy = Shipped("adult-social-care");
  ASSERT_NE(policy, nullptr);
  const std::string leaflet = ExplainPolicy(*policy, "ld-user-voice", kSession);
  EXPECT_THAT(leaflet, HasSubstr("We can pay your childminder for you, so "
                                 "you do not pay first."));
  EXPECT_THAT(leaflet, Not(HasSubstr("taxi or travel firm")));
}

}  // namespace
}  // namespace reciprocity::policy
