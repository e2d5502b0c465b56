// The spend chart draws every month that has spend as a bar people can see.
#include "client/spend_chart.h"

#include <map>
#include <regex>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace reciprocity::client {
namespace {

// Month key ("2026-04") -> height in pixels of its bar.
std::map<std::string, int> BarHeights(const std::string& svg) {
  static const std::regex kBar(
      R"re(<rect x="-?\d+" y="-?\d+" width="\d+" height="(-?\d+)" )re"
      R"re(fill="#1f77b4"><title>(\d{4}-\d{2}):)re");
  std::map<std::string, int> heights;
  for (std::sregex_iterator it(svg.begin(), svg.end(), kBar), end; it != end;
       ++it) {
    heights[(*it)[2]] = std::stoi((*it)[1]);
  }
  return heights;
}

v1::SpendReport Year(int64_t budget_pence,
                     const std::map<std::string, int64_t>& months) {
  v1::SpendReport report;
  report.set_financial_year_start("2026-04-01");
  report.set_financial_year_end("2027-03-31");
  report.set_total_budget_pence(budget_pence);
  for (const auto& [key, pence] : months) {
    v1::SpendRow* row = report.add_by_month();
    row->set_key(key);
    row->set_amount_pence(pence);
    report.set_total_committed_pence(report.total_committed_pence() + pence);
  }
  return report;
}

TEST(SpendChartTest, SmallSpendAgainstALargeBudgetStillGetsAVisibleBar) {
  // £120,000 a year is £10,000 a month on the budget line; £9.80 is a
  // thousandth of that, under one pixel of the plot when scaled.
  const auto heights = BarHeights(SpendChartSvg(
      Year(12'000'000, {{"2026-04", 980}, {"2026-05", 1}, {"2026-06", 0}})));
  ASSERT_EQ(heights.size(), 3u);
  EXPECT_GT(heights.at("2026-04"), 0);
  EXPECT_GT(heights.at("2026-05"), 0);
}

TEST(SpendChartTest, MonthWithNoSpendHasNoBar) {
  const auto heights = BarHeights(
      SpendChartSvg(Year(12'000'000, {{"2026-04", 0}, {"2026-05", 500000}})));
  ASSERT_EQ(heights.size(), 2u);
  EXPECT_EQ(heights.at("2026-04"), 0);
  EXPECT_GT(heights.at("2026-05"), 0);
}

TEST(SpendChartTest, LargerSpendNeverDrawsAShorterBar) {
  const auto heights =
      BarHeights(SpendChartSvg(Year(12'000'000, {{"2026-04", 1},
                                                 {"2026-05", 4000},
                                                 {"2026-06", 6000},
                                                 {"2026-07", 2'000'000}})));
  ASSERT_EQ(heights.size(), 4u);
  EXPECT_LE(heights.at("2026-04"), heights.at("2026-05"));
  EXPECT_LE(heights.at("2026-05"), heights.at("2026-06"));
  EXPECT_LT(heights.at("2026-06"), heights.at("2026-07"));
}

// The vouchers' part of each month is drawn inside its bar, never taller.
TEST(SpendChartTest, VouchersAreDrawnInsideTheirMonthsBar) {
  v1::SpendReport report =
      Year(12'000'000, {{"2026-04", 500'000}, {"2026-05", 1500}});
  for (const auto& [key, pence] : std::map<std::string, int64_t>{
           {"2026-04", 100'000}, {"2026-05", 1500}, {"2026-06", 0}}) {
    v1::SpendRow* row = report.add_vouchers_by_month();
    row->set_key(key);
    row->set_amount_pence(pence);
    report.set_total_voucher_pence(report.total_voucher_pence() + pence);
  }
  const std::string svg = SpendChartSvg(report);
  static const std::regex kVoucherBar(
      R"re(height="(\d+)" fill="url\(#vouchers\)"><title>(\d{4}-\d{2}) )re"
      R"re(vouchers:)re");
  std::map<std::string, int> vouchers;
  for (std::sregex_iterator it(svg.begin(), svg.end(), kVoucherBar), end;
       it != end; ++it) {
    vouchers[(*it)[2]] = std::stoi((*it)[1]);
  }
  const auto bars = BarHeights(svg);
  ASSERT_EQ(vouchers.size(), 2u);
  EXPECT_GT(vouchers.at("2026-04"), 0);
  EXPECT_LT(vouchers.at("2026-04"), bars.at("2026-04"));
  EXPECT_GT(vouchers.at("2026-05"), 0);
  EXPECT_LE(vouchers.at("2026-05"), bars.at("2026-05"));
  EXPECT_THAT(svg, ::testing::HasSubstr(
                       "vouchers earned by attending: £1015.00 of the total"));
}

}  // namespace
}  // namespace reciprocity::client
