// Rule-file validation: syntax errors and meaning errors are reported as
// "file:line:column: [field.path: ]reason", and every shipped file loads.
#include <filesystem>
#include <string>
#include <vector>

#include "absl/strings/str_join.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/policy/policy_test_util.h"
#include "tests/util/status_matchers.h"

namespace reciprocity::policy {
namespace {

using ::reciprocity::testing::IsOk;
using ::reciprocity::testing::StatusIs;
using ::testing::HasSubstr;
using ::testing::StartsWith;

// A small valid file; cases replace one numbered line (1-based).
const std::vector<std::string> kBase = {
    /* 1*/ R"(display_name: "Test area")",
    /* 2*/ R"(projects {)",
    /* 3*/ R"(  id: "p1")",
    /* 4*/ R"(  display_name: "Project one")",
    /* 5*/ R"(  cost_centre: "T-1")",
    /* 6*/
    R"(  budgets { financial_year_start: "2026-04-01" amount_pence: 1 })",
    /* 7*/ R"(})",
    /* 8*/ R"(defaults {)",
    /* 9*/ R"(  travel {)",
    /*10*/ R"(    mileage {)",
    /*11*/ R"(      car { effective_from: "2024-04-01" pence_per_mile: 45 })",
    /*12*/ R"(      car { effective_from: "2026-04-06" pence_per_mile: 55 })",
    /*13*/ R"(    })",
    /*14*/
    R"(    cap_per_session { effective_from: "2024-04-01" pence: 6000 })",
    /*15*/ R"(  })",
    /*16*/ R"(  vouchers {)",
    /*17*/
    R"(    value_per_session { effective_from: "2024-04-01" pence: 1000 })",
    /*18*/ R"(    eligible_participant_types: PARTICIPANT_TYPE_RESIDENT)",
    /*19*/
    R"(    eligible_participant_types: PARTICIPANT_TYPE_PARENT_OR_CARER)",
    /*20*/ R"(    eligible_participant_types: PARTICIPANT_TYPE_YOUNG_PERSON)",
    /*21*/
    R"(    not_eligible_participant_types: PARTICIPANT_TYPE_ORGANISATION_REPRESENTATIVE)",
    /*22*/ R"(    not_eligible_participant_types: PARTICIPANT_TYPE_STAFF)",
    /*23*/ R"(    provider: "Tesco")",
    /*24*/ R"(  })",
    /*25*/ R"(  general {)",
    /*26*/ R"(    claim_deadline_days: 30)",
    /*27*/ R"(    eligible_participant_types: PARTICIPANT_TYPE_RESIDENT)",
    /*28*/
    R"(    eligible_participant_types: PARTICIPANT_TYPE_PARENT_OR_CARER)",
    /*29*/ R"(    eligible_participant_types: PARTICIPANT_TYPE_YOUNG_PERSON)",
    /*30*/
    R"(    eligible_participant_types: PARTICIPANT_TYPE_ORGANISATION_REPRESENTATIVE)",
    /*31*/ R"(    not_eligible_participant_types: PARTICIPANT_TYPE_STAFF)",
    /*32*/ R"(  })",
    /*33*/ R"(})",
};

std::string WithLine(int line, const std::string& text) {
  std::vector<std::string> lines = kBase;
  if (line > static_cast<int>(lines.size())) {
    lines.push_back(text);
  } else {
    lines[static_cast<size_t>(line - 1)] = text;
  }
  return absl::StrJoin(lines, "\n") + "\n";
}

TEST(ValidationTest, BaseFileIsValid) {
  EXPECT_THAT(ParseRuleFile("t.textproto", "t", WithLine(1, kBase[0])), IsOk());
}

struct BrokenCase {
  std::string name;
  int line;
  std::string text;
  std::string message;  // the exact start of the status message
};

class BrokenFileTest : public ::testing::TestWithParam<BrokenCase> {};

TEST_P(BrokenFileTest, ReportsFileLineColumnAndReason) {
  const BrokenCase& c = GetParam();
  const absl::Status status =
      ParseRuleFile("t.textproto", "t", WithLine(c.line, c.text)).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(status.message()), StartsWith(c.message));
}

INSTANTIATE_TEST_SUITE_P(
    Syntax, BrokenFileTest,
    ::testing::Values(
        BrokenCase{"UnknownField", 26, "    claim_deadline: 30",
                   "t.textproto:26:5: Message type "
                   "\"reciprocity.v1.GeneralRules\" has no field named "
                   "\"claim_deadline\""},
        BrokenCase{"UnknownParticipantTypeName", 18,
                   "    eligible_participant_types: PARTICIPANT_TYPE_VOLUNTEER",
                   "t.textproto:18:33: Unknown enumeration value of "
                   "\"PARTICIPANT_TYPE_VOLUNTEER\""},
        BrokenCase{"TextForANumber", 26, "    claim_deadline_days: \"thirty\"",
                   "t.textproto:26:26: Expected integer"},
        BrokenCase{"MissingClosingBrace", 33, "",
                   "t.textproto:34:1: Expected identifier"},
        BrokenCase{"SectionSetTwice", 34, "defaults { }",
                   "t.textproto:34:1: Non-repeated field \"defaults\" is "
                   "specified multiple times."}),
    [](const auto& info) { return info.param.name; });

INSTANTIATE_TEST_SUITE_P(
    Meaning, BrokenFileTest,
    ::testing::Values(
        BrokenCase{
            "DuplicateEffectiveDate", 12,
            R"(      car { effective_from: "2024-04-01" pence_per_mile: 55 })",
            "t.textproto:12:13: "
            "defaults.travel.mileage.car[1].effective_from: two entries "
            "take effect on 2024-04-01"},
        BrokenCase{
            "DatesOutOfOrder", 12,
            R"(      car { effective_from: "2023-04-06" pence_per_mile: 55 })",
            "t.textproto:12:13: "
            "defaults.travel.mileage.car[1].effective_from: entries "
            "must be in date order, but 2023-04-06 comes after "
            "2024-04-01"},
        BrokenCase{
            "NotARealDate", 11,
            R"(      car { effective_from: "2024-02-30" pence_per_mile: 45 })",
            "t.textproto:11:13: "
            "defaults.travel.mileage.car[0].effective_from: "
            "\"2024-02-30\" is not a date written YYYY-MM-DD"},
        BrokenCase{
            "NegativeCap", 14,
            R"(    cap_per_session { effective_from: "2024-04-01" pence: -1 })",
            "t.textproto:14:52: defaults.travel.cap_per_session[0]."
            "pence: must not be negative"},
        BrokenCase{
            "ImplausibleMileageRate", 11,
            R"(      car { effective_from: "2024-04-01" pence_per_mile: 501 })",
            "t.textproto:11:42: "
            "defaults.travel.mileage.car[0].pence_per_mile: more than "
            "£5 a mile is not plausible"},
        BrokenCase{
            "TierOnAMotorbike", 12,
            R"(      motorcycle { effective_from: "2024-04-01" pence_per_mile: 24 tier_miles_per_tax_year: 10 })",
            "t.textproto:12:68: "
            "defaults.travel.mileage.motorcycle[0]."
            "tier_miles_per_tax_year: only cars have a mileage tier"},
        BrokenCase{"TaxiWithoutAnAnswer", 14, "    taxi { }",
                   "t.textproto:14:5: defaults.travel.taxi.without_agreement: "
                   "say what happens to a taxi nobody agreed in advance"},
        BrokenCase{"UnspecifiedParticipantType", 18,
                   "    eligible_participant_types: "
                   "PARTICIPANT_TYPE_UNSPECIFIED",
                   "t.textproto:18:5: "
                   "defaults.vouchers.eligible_participant_types[0]: "
                   "PARTICIPANT_TYPE_UNSPECIFIED is not a participant type"},
        BrokenCase{"UnknownParticipantTypeNumber", 18,
                   "    eligible_participant_types: 42",
                   "t.textproto:18:5: "
                   "defaults.vouchers.eligible_participant_types[0]: 42 is not "
                   "a known ParticipantType"},
        BrokenCase{"ParticipantTypeListedTwice", 19,
                   "    eligible_participant_types: PARTICIPANT_TYPE_RESIDENT",
                   "t.textproto:19:5: "
                   "defaults.vouchers.eligible_participant_types[1]: "
                   "PARTICIPANT_TYPE_RESIDENT is listed twice"},
        BrokenCase{"NobodySaidWhetherOrganisationRepsGetVouchers", 21, "",
                   "t.textproto:16:3: defaults.vouchers: does not say whether "
                   "people who come for a group or charity get vouchers: list "
                   "PARTICIPANT_TYPE_ORGANISATION_REPRESENTATIVE in "
                   "eligible_participant_types or "
                   "not_eligible_participant_types"},
        BrokenCase{"VouchersWithoutProvider", 23, "",
                   "t.textproto:16:3: defaults.vouchers.provider: say whose "
                   "vouchers they are"},
        BrokenCase{"DeadlineOfZeroDays", 26, "    claim_deadline_days: 0",
                   "t.textproto:26:5: defaults.general.claim_deadline_days: "
                   "must be 1 to 366 days"},
        BrokenCase{
            "BudgetNotOnFirstOfApril", 6,
            R"(  budgets { financial_year_start: "2026-05-01" amount_pence: 1 })",
            "t.textproto:6:13: "
            "projects[0].budgets[0].financial_year_start: a financial "
            "year starts on 1 April"},
        BrokenCase{"BadProjectId", 3, R"(  id: "LD Group")",
                   "t.textproto:3:3: projects[0].id: use lower-case letters"},
        BrokenCase{
            "ProjectDeclaredTwice", 34,
            R"(projects { id: "p1" display_name: "Again" cost_centre: "T-2" })",
            "t.textproto:34:12: projects[1].id: project \"p1\" is "
            "declared twice"},
        BrokenCase{"OverrideForUndeclaredProject", 34,
                   R"(overrides { project_id: "p2" travel { } })",
                   "t.textproto:34:13: overrides[0].project_id: no project "
                   "\"p2\" is declared in this file"},
        BrokenCase{"OverrideSettingNothing", 34,
                   R"(overrides { project_id: "p1" })",
                   "t.textproto:34:1: overrides[0]: the override sets no "
                   "section"},
        BrokenCase{
            "ErrorInsideAnOverride", 34,
            R"(overrides { project_id: "p1" general { claim_deadline_days: 400 } })",
            "t.textproto:34:40: overrides[0].general."
            "claim_deadline_days: must be 1 to 366 days"}),
    [](const auto& info) { return info.param.name; });

// The area's payment promise: whole days, 1 to 90; left out, 14.
INSTANTIATE_TEST_SUITE_P(
    PaymentPromise, BrokenFileTest,
    ::testing::Values(
        BrokenCase{"PromiseOfNoDays", 34, "payment_promise_days: 0",
                   "t.textproto:34:1: payment_promise_days: promise to pay "
                   "within 1 to 90 days, not 0"},
        BrokenCase{"NegativePromise", 34, "payment_promise_days: -14",
                   "t.textproto:34:1: payment_promise_days: promise to pay "
                   "within 1 to 90 days, not -14"},
        BrokenCase{"PromiseLongerThanAQuarter", 1,
                   R"(display_name: "Test area" payment_promise_days: 91)",
                   "t.textproto:1:27: payment_promise_days: promise to pay "
                   "within 1 to 90 days, not 91"},
        BrokenCase{"PromiseInWords", 34, "payment_promise_days: \"two weeks\"",
                   "t.textproto:34:23: Expected integer"}),
    [](const auto& info) { return info.param.name; });

TEST(ValidationTest, PaymentPromiseIsReadOrTwoWeeks) {
  auto unset = ParseRuleFile("t.textproto", "t", WithLine(1, kBase[0]));
  ASSERT_THAT(unset, IsOk());
  EXPECT_EQ((*unset)->payment_promise_days(), 14);
  auto set = ParseRuleFile("t.textproto", "t",
                           WithLine(34, "payment_promise_days: 10"));
  ASSERT_THAT(set, IsOk());
  EXPECT_EQ((*set)->payment_promise_days(), 10);
}

// Text the server hands to every client must be UTF-8, free of control
// characters and short: a file that breaks this is refused before anything
// echoes its text.
INSTANTIATE_TEST_SUITE_P(
    Text, BrokenFileTest,
    ::testing::Values(
        BrokenCase{"RawBytesThatAreNotUtf8", 4, "  display_name: \"Proj\xff\"",
                   "t.textproto:4:22: the file is not valid UTF-8 text"},
        BrokenCase{"NotUtf8InAComment", 34, "# caf\xe9",
                   "t.textproto:34:6: the file is not valid UTF-8 text"},
        // Columns count characters, as editors do: the pound sign is one.
        BrokenCase{"ColumnCountsCharacters", 1,
                   "display_name: \"\xc2\xa3\xff\"",
                   "t.textproto:1:17: the file is not valid UTF-8 text"},
        BrokenCase{"EscapedBytesThatAreNotUtf8", 4,
                   R"(  display_name: "Proj\377")",
                   "t.textproto:4:3: projects[0].display_name: not valid "
                   "UTF-8 text"},
        BrokenCase{"TerminalEscapeInAName", 1,
                   R"(display_name: "Test\033[2J area")",
                   "t.textproto:1:1: display_name: must not contain control "
                   "characters"},
        BrokenCase{"LineBreakInTheProvider", 23, R"(    provider: "Tes\nco")",
                   "t.textproto:23:5: defaults.vouchers.provider: must not "
                   "contain control characters"},
        BrokenCase{"HugeCostCentre", 5,
                   "  cost_centre: \"" + std::string(100'000, 'C') + "\"",
                   "t.textproto:5:3: projects[0].cost_centre: at most 200 "
                   "characters"},
        // Checked before the date, so the error does not repeat it.
        BrokenCase{"HugeDate", 11,
                   "      car { effective_from: \"" + std::string(300, '2') +
                       "\" pence_per_mile: 45 }",
                   "t.textproto:11:13: defaults.travel.mileage.car[0]."
                   "effective_from: at most 200 characters"}),
    [](const auto& info) { return info.param.name; });

TEST(ValidationTest, AFileOver256KiBIsRefused) {
  std::string text = WithLine(1, kBase[0]);
  const std::string comment = "# " + std::string(98, 'x') + "\n";
  while (text.size() <= 256 * 1024) text += comment;
  EXPECT_THAT(ParseRuleFile("t.textproto", "t", text),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       StartsWith("t.textproto:1:1: the file is bigger than "
                                  "256 KiB")));
}

TEST(ValidationTest, DefaultsNeedAGeneralSection) {
  EXPECT_THAT(ParseRuleFile("t.textproto", "t",
                            "display_name: \"T\"\n"
                            "projects { id: \"p\" display_name: \"P\" "
                            "cost_centre: \"C\" }\n"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       StartsWith("t.textproto:1:1: defaults: the defaults "
                                  "need a general section")));
}

// Found by the fuzzer: naming a repeated field that has no entries.
TEST(ValidationTest, FileWithoutProjects) {
  EXPECT_THAT(ParseRuleFile("t.textproto", "t", "display_name: \"T\"\n"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       StartsWith("t.textproto:1:1: projects: declare at "
                                  "least one project")));
}

TEST(ValidationTest, EmptyAndBinaryFilesAreRefused) {
  EXPECT_THAT(ParseRuleFile("t.textproto", "t", ""),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       StartsWith("t.textproto:1:1: display_name:")));
  EXPECT_THAT(ParseRuleFile("t.textproto", "t", std::string("\0\xff{", 3)),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       StartsWith("t.textproto:1:")));
}

TEST(ValidationTest, FileNameMustBeAnAreaId) {
  EXPECT_THAT(ParseRuleFile("Adult Care.textproto", "Adult Care",
                            WithLine(1, kBase[0])),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       StartsWith("Adult Care.textproto:1:1: the file name "
                                  "must be the area's id")));
}

TEST(LoadRuleFileTest, MissingFileIsNotFound) {
  EXPECT_THAT(LoadRuleFile("/nonexistent/x.textproto"),
              StatusIs(absl::StatusCode::kNotFound));
}

TEST(LoadRuleFileTest, EveryShippedFileLoads) {
  int loaded = 0;
  for (const auto& entry :
       std::filesystem::directory_iterator(testing::AreasDir())) {
    if (entry.path().extension() != ".textproto") continue;
    auto policy = LoadRuleFile(entry.path().string());
    ASSERT_THAT(policy, IsOk());
    EXPECT_EQ((*policy)->area_id(), entry.path().stem().string());
    EXPECT_THAT(
        (*policy)->version(),
        ::testing::MatchesRegex((*policy)->area_id() + "@[0-9a-f]{12}"));
    EXPECT_FALSE((*policy)->projects().empty());
    ++loaded;
  }
  EXPECT_EQ(loaded, 3);
}

TEST(LoadRuleFileTest, ProjectsAndBudgetsAreExposed) {
  auto policy = testing::Shipped("children-and-families");
  const ProjectInfo* board = policy->FindProject("abss-partnership-board");
  ASSERT_NE(board, nullptr);
  EXPECT_EQ(board->display_name, "ABSS Partnership Board");
  EXPECT_EQ(board->cost_centre, "CF-2220");
  EXPECT_TRUE(board->creche_by_default);
  EXPECT_EQ(board->BudgetPenceFor(absl::CivilDay(2026, 4, 1)), 500000);
  EXPECT_EQ(board->BudgetPenceFor(absl::CivilDay(2027, 3, 31)), 500000);
  EXPECT_EQ(board->BudgetPenceFor(absl::CivilDay(2027, 4, 1)), 500000);
  EXPECT_EQ(board->BudgetPenceFor(absl::CivilDay(2031, 4, 1)), 0);
  EXPECT_EQ(board->FindBudgetFor(absl::CivilDay(2031, 4, 1)), std::nullopt);
  EXPECT_EQ(policy->FindProject("nope"), nullptr);
  EXPECT_EQ(policy->display_name(), "Children and Families");
}

TEST(LoadRuleFileTest, VersionFollowsTheContent) {
  const std::string text = WithLine(1, kBase[0]);
  auto a = ParseRuleFile("t.textproto", "t", text);
  auto b = ParseRuleFile("t.textproto", "t", text + "# a comment\n");
  ASSERT_THAT(a, IsOk());
  ASSERT_THAT(b, IsOk());
  EXPECT_NE((*a)->version(), (*b)->version());
  EXPECT_EQ((*a)->content(), text);
  // sha256 of the text, first 12 hex digits.
  EXPECT_EQ((*ParseRuleFile("x", "t", text))->version(), (*a)->version());
}

}  // namespace
}  // namespace reciprocity::policy
