// Vouchers, judged against the shipped rule files: adult-social-care gives a
// £10 Tesco voucher (£15 from 1 April 2026) for 60 minutes or more, at most
// £150 a tax year; strategy-and-commissioning gives none to organisation
// representatives, except at the Tackling Poverty workshops (£15, 120
// minutes, £150 a year).
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/policy/policy_test_util.h"

namespace reciprocity::policy {
namespace {

using ::testing::HasSubstr;
using testing::Shipped;

struct VoucherCase {
  std::string name;
  std::string area;
  std::string project;
  absl::CivilDay session;
  v1::ParticipantType type;
  int32_t minutes;
  int64_t earned_before;
  bool declined;
  int64_t value;
  std::string rule;
  std::string reason;
};

class VoucherTest : public ::testing::TestWithParam<VoucherCase> {};

TEST_P(VoucherTest, Decides) {
  const VoucherCase& c = GetParam();
  auto policy = Shipped(c.area);
  ASSERT_NE(policy, nullptr);
  VoucherFacts facts;
  facts.project_id = c.project;
  facts.session_date = c.session;
  facts.participant_type = c.type;
  facts.minutes_attended = c.minutes;
  facts.earned_earlier_in_year_pence = c.earned_before;
  facts.participant_declined = c.declined;
  const VoucherDecision decision = EvaluateVoucher(*policy, facts);
  EXPECT_EQ(decision.value_pence, c.value);
  EXPECT_EQ(decision.rule, c.rule);
  EXPECT_THAT(decision.reason, HasSubstr(c.reason));
  if (c.value > 0) {
    EXPECT_FALSE(decision.provider.empty());
  }
}

constexpr absl::CivilDay kMarch(2026, 3, 10);
constexpr absl::CivilDay kMay(2026, 5, 10);
constexpr auto kResident = v1::PARTICIPANT_TYPE_RESIDENT;
constexpr auto kOrgRep = v1::PARTICIPANT_TYPE_ORGANISATION_REPRESENTATIVE;
const auto kAsc = "adult-social-care";
const auto kLd = "ld-user-voice";
const auto kSc = "strategy-and-commissioning";

INSTANTIATE_TEST_SUITE_P(
    Vouchers, VoucherTest,
    ::testing::Values(
        VoucherCase{"ResidentAttendingAnHour", kAsc, kLd, kMarch, kResident, 60,
                    0, false, 1000, "vouchers.per_session",
                    "Thank you for taking part. You get a £10 Tesco voucher."},
        VoucherCase{"ValueChangesOnItsDate", kAsc, kLd,
                    absl::CivilDay(2026, 4, 1), kResident, 60, 0, false, 1500,
                    "vouchers.per_session", "£15 Tesco voucher"},
        VoucherCase{"OneMinuteShort", kAsc, kLd, kMarch, kResident, 59, 0,
                    false, 0, "vouchers.minimum_attendance",
                    "You get a voucher when you take part for at least 1 "
                    "hour. You took part for 59 minutes."},
        VoucherCase{"StaffGetNone", kAsc, kLd, kMarch,
                    v1::PARTICIPANT_TYPE_STAFF, 90, 0, false, 0,
                    "vouchers.eligibility",
                    "This project does not give vouchers to staff."},
        VoucherCase{"UnknownTypeGetsNone", kAsc, kLd, kMarch,
                    v1::PARTICIPANT_TYPE_UNSPECIFIED, 90, 0, false, 0,
                    "vouchers.eligibility", "does not give vouchers"},
        VoucherCase{"DeclineIsHonoured", kAsc, kLd, kMarch, kResident, 90, 0,
                    true, 0, "vouchers.declined",
                    "You told us you do not want a voucher."},
        VoucherCase{"YearlyCapReachedExactly", kAsc, kLd, kMarch, kResident, 90,
                    14000, false, 1000, "vouchers.per_session", "£10"},
        VoucherCase{"VoucherWouldPassYearlyCapSoNoneIsGiven", kAsc, kLd, kMarch,
                    kResident, 90, 14001, false, 0, "vouchers.yearly_cap",
                    "The most we give one person in vouchers in a year is "
                    "£150. You have had £140.01 this year."},
        VoucherCase{"OrganisationRepsGetNoneAtTheForum", kSc,
                    "autism-neurodiversity-forum", kMay, kOrgRep, 120, 0, false,
                    0, "vouchers.eligibility",
                    "This project does not give vouchers to people who come "
                    "for a group or charity."},
        VoucherCase{"OrganisationRepsGetOneAtTacklingPoverty", kSc,
                    "tackling-poverty-workshops", kMay, kOrgRep, 120, 0, false,
                    1500, "vouchers.per_session", "£15 Sainsbury's voucher"},
        VoucherCase{"OverrideReplacesMinimumAttendanceToo", kSc,
                    "tackling-poverty-workshops", kMay, kResident, 119, 0,
                    false, 0, "vouchers.minimum_attendance",
                    "at least 2 hours"},
        VoucherCase{"NoVouchersWhereTheFileGivesNone", kAsc, kLd,
                    absl::CivilDay(2024, 3, 31), kResident, 90, 0, false, 0,
                    "vouchers.value", "did not give vouchers"}),
    [](const ::testing::TestParamInfo<VoucherCase>& info) {
      return info.param.name;
    });

}  // namespace
}  // namespace reciprocity::policy
