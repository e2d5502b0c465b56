// Calendar helpers: strict ISO dates, the UK tax and financial years, and the
// rule-file entry in force on a day.
#include "policy/dates.h"

#include <optional>

#include "gtest/gtest.h"
#include "reciprocity/v1/policy.pb.h"

namespace reciprocity::policy {
namespace {

TEST(DatesTest, TaxYearRunsFromSixthAprilToFifthApril) {
  EXPECT_EQ(TaxYearStart(absl::CivilDay(2026, 4, 5)),
            absl::CivilDay(2025, 4, 6));
  EXPECT_EQ(TaxYearStart(absl::CivilDay(2026, 4, 6)),
            absl::CivilDay(2026, 4, 6));
  EXPECT_EQ(TaxYearEnd(absl::CivilDay(2026, 4, 6)), absl::CivilDay(2027, 4, 5));
  EXPECT_EQ(TaxYearEnd(absl::CivilDay(2026, 1, 1)), absl::CivilDay(2026, 4, 5));
}

TEST(DatesTest, FinancialYearRunsFromAprilToMarch) {
  EXPECT_EQ(FinancialYearStart(absl::CivilDay(2026, 3, 31)),
            absl::CivilDay(2025, 4, 1));
  EXPECT_EQ(FinancialYearStart(absl::CivilDay(2026, 4, 1)),
            absl::CivilDay(2026, 4, 1));
  EXPECT_EQ(FinancialYearEnd(absl::CivilDay(2026, 4, 1)),
            absl::CivilDay(2027, 3, 31));
  EXPECT_EQ(FinancialYearEnd(absl::CivilDay(2024, 2, 29)),
            absl::CivilDay(2024, 3, 31));
}

TEST(DatesTest, ParseIsoDateTakesOnlyRealDays) {
  EXPECT_EQ(ParseIsoDate("2026-04-06"), absl::CivilDay(2026, 4, 6));
  EXPECT_EQ(ParseIsoDate("2026-02-30"), std::nullopt);
  EXPECT_EQ(ParseIsoDate("2026-4-6"), std::nullopt);
  EXPECT_EQ(ParseIsoDate("1899-12-31"), std::nullopt);
  EXPECT_EQ(FormatIsoDate(absl::CivilDay(2026, 4, 6)), "2026-04-06");
}

TEST(DatesTest, InForceIsTheLatestEntryOnOrBeforeTheDay) {
  google::protobuf::RepeatedPtrField<v1::DatedPence> entries;
  for (const char* from : {"2025-04-06", "2026-04-06"}) {
    entries.Add()->set_effective_from(from);
  }
  EXPECT_EQ(InForce(entries, absl::CivilDay(2025, 4, 5)), nullptr);
  EXPECT_EQ(InForce(entries, absl::CivilDay(2025, 4, 6)), &entries[0]);
  EXPECT_EQ(InForce(entries, absl::CivilDay(2026, 4, 5)), &entries[0]);
  EXPECT_EQ(InForce(entries, absl::CivilDay(2026, 4, 6)), &entries[1]);
  EXPECT_EQ(NextChange(entries, absl::CivilDay(2025, 12, 1)), &entries[1]);
  EXPECT_EQ(NextChange(entries, absl::CivilDay(2026, 4, 6)), nullptr);
}

}  // namespace
}  // namespace reciprocity::policy
