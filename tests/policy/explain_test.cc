// The leaflets: each shipped area and project gets one that is easy to read
// (Flesch reading ease 70 or more, 15 words a sentence or fewer) and says
// what matters.
#include "policy/explain.h"

#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/policy/policy_test_util.h"

namespace reciprocity::policy {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using testing::Shipped;

constexpr absl::CivilDay kToday(2026, 11, 23);

class LeafletTest : public ::testing::TestWithParam<std::string> {};

TEST_P(LeafletTest, AreaLeafletIsEasyToRead) {
  auto policy = Shipped(GetParam());
  ASSERT_NE(policy, nullptr);
  const std::string leaflet = ExplainPolicy(*policy, std::nullopt, kToday);
  EXPECT_GE(FleschReadingEase(leaflet), 70.0) << leaflet;
  EXPECT_LE(WordsPerSentence(leaflet), 15.0) << leaflet;
  EXPECT_THAT(leaflet, HasSubstr(policy->display_name()));
  for (const ProjectInfo& project : policy->projects()) {
    EXPECT_THAT(leaflet, HasSubstr(project.display_name));
  }
}

TEST_P(LeafletTest, EachProjectLeafletIsEasyToRead) {
  auto policy = Shipped(GetParam());
  ASSERT_NE(policy, nullptr);
  for (const ProjectInfo& project : policy->projects()) {
    const std::string leaflet = ExplainPolicy(*policy, project.id, kToday);
    EXPECT_GE(FleschReadingEase(leaflet), 70.0) << leaflet;
    EXPECT_LE(WordsPerSentence(leaflet), 15.0) << leaflet;
    // Even without its headings and lists, the prose reads easily.
    std::string prose;
    for (absl::string_view line : absl::StrSplit(leaflet, '\n')) {
      if (absl::EndsWith(line, ".") || absl::EndsWith(line, "?")) {
        absl::StrAppend(&prose, line, "\n");
      }
    }
    EXPECT_GE(FleschReadingEase(prose), 70.0) << prose;
    EXPECT_LE(WordsPerSentence(prose), 15.0) << prose;
  }
}

INSTANTIATE_TEST_SUITE_P(Shipped, LeafletTest,
                         ::testing::Values("adult-social-care",
                                           "children-and-families",
                                           "strategy-and-commissioning"),
                         [](const auto& info) {
                           std::string name = info.param;
                           absl::StrReplaceAll({{"-", "_"}}, &name);
                           return name;
                         });

TEST(LeafletTest, SaysTheRatesInForceOnTheDay) {
  auto policy = Shipped("adult-social-care");
  EXPECT_THAT(ExplainPolicy(*policy, "ld-user-voice", kToday),
              HasSubstr("If you drive, we pay 55p a mile."));
  const std::string before =
      ExplainPolicy(*policy, "ld-user-voice", absl::CivilDay(2026, 3, 1));
  EXPECT_THAT(before, HasSubstr("If you drive, we pay 45p a mile."));
  EXPECT_THAT(before,
              HasSubstr("From 6 April 2026 we will pay 55p a mile for a car."));
}

TEST(LeafletTest, SaysWhoGetsVouchersAndWhoDoesNot) {
  auto policy = Shipped("strategy-and-commissioning");
  const std::string forum =
      ExplainPolicy(*policy, "autism-neurodiversity-forum", kToday);
  EXPECT_THAT(forum, HasSubstr("Who does not get a voucher:\n- people who "
                               "come for a group or charity\n"));
  const std::string poverty =
      ExplainPolicy(*policy, "tackling-poverty-workshops", kToday);
  EXPECT_THAT(poverty, HasSubstr("- people who come for a group or charity\n"
                                 "Who does not get a voucher:\n- staff\n"));
  EXPECT_THAT(poverty, Not(HasSubstr("Autism")));
}

TEST(LeafletTest, SaysWhatToAgreeFirst) {
  auto policy = Shipped("children-and-families");
  const std::string leaflet =
      ExplainPolicy(*policy, "abss-parent-champions", kToday);
  EXPECT_THAT(leaflet, HasSubstr("There is a crèche at our meetings."));
  EXPECT_THAT(leaflet, HasSubstr("Ask us before the day if you need a taxi "
                                 "and other childcare."));
}

TEST(LeafletTest, UnknownProject) {
  auto policy = Shipped("children-and-families");
  EXPECT_THAT(ExplainPolicy(*policy, "nope", kToday),
              HasSubstr("We do not know that group."));
}

TEST(FleschTest, KnownTexts) {
  // One sentence, 4 one-syllable words: 206.835 - 1.015*4 - 84.6 = 118.175.
  EXPECT_NEAR(FleschReadingEase("The cat sat down."), 118.175, 0.01);
  EXPECT_NEAR(WordsPerSentence("One two. Three four five six."), 3.0, 0.01);
  // Long words in one long sentence score low.
  EXPECT_LT(FleschReadingEase(
                "Reimbursement of expenditure necessitates comprehensive "
                "documentation evidencing organisational authorisation."),
            0.0);
  EXPECT_EQ(FleschReadingEase(""), 0.0);
}

}  // namespace
}  // namespace reciprocity::policy
