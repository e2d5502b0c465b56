// Typed amounts become exact pence.
#include "client/money.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/util/status_matchers.h"

namespace reciprocity::client {
namespace {

using ::reciprocity::testing::StatusIs;
using ::testing::HasSubstr;

TEST(ParsePoundsTest, ConvertsExactly) {
  const std::pair<const char*, int64_t> cases[] = {
      {"3.20", 320},
      {"3.2", 320},
      {"3", 300},
      {"0.05", 5},
      {"0.1", 10},
      {"£12.34", 1234},
      {"1,234.50", 123450},
      {" 7.00 ", 700},
      {"0", 0},
      {"100000.00", 10000000},
  };
  for (const auto& [text, pence] : cases) {
    auto parsed = ParsePounds(text);
    ASSERT_TRUE(parsed.ok()) << text << ": " << parsed.status();
    EXPECT_EQ(*parsed, pence) << text;
  }
}

TEST(ParsePoundsTest, RefusesWhatIsNotAnAmount) {
  for (const char* text : {"", "-1", "3.205", "1e3", "abc", "3.", ".5", "3..2",
                           "3,20p", "1234567890"}) {
    EXPECT_THAT(ParsePounds(text), StatusIs(absl::StatusCode::kInvalidArgument))
        << text;
  }
}

// A comma is a decimal mark to many people: "3,20" must never become
// £320.00, nor "1,0,0" £100. Only thousands written in full before a point
// ("1,234.50") cannot be misread.
TEST(ParsePoundsTest, RefusesACommaThatCouldBeADecimalMark) {
  for (const char* text : {"3,20", "1,0,0", "12,5", "12,500", "1,234", ",5",
                           "1,23.00", "1234,567.00", "1,2345.00", "3.20,5"}) {
    EXPECT_THAT(ParsePounds(text), StatusIs(absl::StatusCode::kInvalidArgument,
                                            HasSubstr("use a point")))
        << text;
  }
  EXPECT_EQ(*ParsePounds("12,345.00"), 1234500);
  EXPECT_EQ(*ParsePounds("1,234,567.8"), 123456780);
}

TEST(ParseTenthsTest, MilesToTenths) {
  EXPECT_EQ(*ParseTenths("12"), 120);
  EXPECT_EQ(*ParseTenths("12.5"), 125);
  EXPECT_THAT(ParseTenths("12.55"),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(ParseHoursTest, WholeMinutesOnly) {
  EXPECT_EQ(*ParseHoursToMinutes("3"), 180);
  EXPECT_EQ(*ParseHoursToMinutes("2.5"), 150);
  EXPECT_EQ(*ParseHoursToMinutes("1.25"), 75);
  EXPECT_THAT(ParseHoursToMinutes("1.33"),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(ParseHoursToMinutes("25"),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(PenceToPoundsTest, Formats) {
  EXPECT_EQ(PenceToPounds(320), "3.20");
  EXPECT_EQ(PenceToPounds(5), "0.05");
  EXPECT_EQ(PenceToPounds(-5), "-0.05");
  EXPECT_EQ(PenceToPounds(10000000), "100000.00");
}

}  // namespace
}  // namespace reciprocity::client
