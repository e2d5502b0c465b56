// Travel rules, judged against the shipped rule files. Figures used
// (adult-social-care): fares need a ticket above £10 (else review), £30 a
// journey; car 45p a mile, 55p from 6 April 2026, 25p beyond 10,000 miles a
// tax year, 5p a passenger; motorbike 24p; bike 20p; £40 a journey; taxis
// without agreement go to review; parking £10, ticket above £5; £60 travel a
// session. strategy-and-commissioning refuses taxis and parking without a
// receipt; children-and-families refuses taxis nobody agreed.
#include <functional>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/policy/policy_test_util.h"

namespace reciprocity::policy {
namespace {

using testing::Facts;
using testing::Fare;
using ::testing::HasSubstr;
using testing::Miles;
using testing::Paid;
using testing::Shipped;

constexpr absl::CivilDay kMarch2026(2026, 3, 10);

class TravelLineTest : public ::testing::TestWithParam<testing::LineCase> {};

TEST_P(TravelLineTest, JudgesTheLastLine) {
  testing::ExpectLastLine(GetParam());
}

using testing::LineCase;

void Add(ClaimFacts& facts, v1::ClaimLine line) {
  facts.lines.push_back(std::move(line));
}

const auto kAsc = "adult-social-care";
const auto kLd = "ld-user-voice";

INSTANTIATE_TEST_SUITE_P(
    Travel, TravelLineTest,
    ::testing::Values(
        LineCase{"BusFarePaidInFull", kAsc, kLd, kMarch2026,
                 [](ClaimFacts& f) { Add(f, Fare(350)); }, 350,
                 v1::LINE_OUTCOME_PAID_IN_FULL, "travel.public_transport",
                 "We pay bus and train fares. You paid £3.50."},
        LineCase{"FareAtReceiptThresholdNeedsNoTicket", kAsc, kLd, kMarch2026,
                 [](ClaimFacts& f) { Add(f, Fare(1000)); }, 1000,
                 v1::LINE_OUTCOME_PAID_IN_FULL, "travel.public_transport",
                 "You paid £10."},
        LineCase{"FareOnePennyOverThresholdWithoutTicketIsReviewed", kAsc, kLd,
                 kMarch2026, [](ClaimFacts& f) { Add(f, Fare(1001)); }, 1001,
                 v1::LINE_OUTCOME_NEEDS_REVIEW,
                 "travel.public_transport.receipt",
                 "We need a receipt or ticket for more than £10. You did not "
                 "say you have one. A person will check it before we pay."},
        LineCase{"FareOverThresholdWithTicketIsPaid", kAsc, kLd, kMarch2026,
                 [](ClaimFacts& f) { Add(f, Fare(1001, true)); }, 1001,
                 v1::LINE_OUTCOME_PAID_IN_FULL, "travel.public_transport",
                 "£10.01"},
        LineCase{"FareExactlyAtJourneyCap", kAsc, kLd, kMarch2026,
                 [](ClaimFacts& f) { Add(f, Fare(3000, true)); }, 3000,
                 v1::LINE_OUTCOME_PAID_IN_FULL, "travel.public_transport",
                 "You paid £30."},
        LineCase{"FareOnePennyOverJourneyCap", kAsc, kLd, kMarch2026,
                 [](ClaimFacts& f) { Add(f, Fare(3001, true)); }, 3000,
                 v1::LINE_OUTCOME_REDUCED,
                 "travel.public_transport.cap_per_journey",
                 "The most we pay for one journey is £30. So we pay £30."},
        LineCase{"CarDayBeforeRateChange", kAsc, kLd,
                 absl::CivilDay(2026, 4, 5),
                 [](ClaimFacts& f) { Add(f, Miles(120)); }, 540,
                 v1::LINE_OUTCOME_PAID_IN_FULL, "travel.mileage.car",
                 "We pay 45p a mile for a car. 12 miles is £5.40."},
        LineCase{"CarOnDayRateChanges", kAsc, kLd, absl::CivilDay(2026, 4, 6),
                 [](ClaimFacts& f) { Add(f, Miles(120)); }, 660,
                 v1::LINE_OUTCOME_PAID_IN_FULL, "travel.mileage.car",
                 "We pay 55p a mile for a car. 12 miles is £6.60."},
        LineCase{"CarTenthsRoundHalfUp", kAsc, kLd, kMarch2026,
                 [](ClaimFacts& f) { Add(f, Miles(123)); }, 554,
                 v1::LINE_OUTCOME_PAID_IN_FULL, "travel.mileage.car",
                 "12.3 miles is £5.54."},
        LineCase{"CarWithPassengers", kAsc, kLd, kMarch2026,
                 [](ClaimFacts& f) {
                   Add(f, Miles(120, v1::VEHICLE_TYPE_CAR, 2));
                 },
                 660, v1::LINE_OUTCOME_PAID_IN_FULL, "travel.mileage.car",
                 "We pay 5p a mile more for each passenger. 12 miles with 2 "
                 "passengers is £6.60."},
        LineCase{"Motorcycle", kAsc, kLd, kMarch2026,
                 [](ClaimFacts& f) {
                   Add(f, Miles(100, v1::VEHICLE_TYPE_MOTORCYCLE));
                 },
                 240, v1::LINE_OUTCOME_PAID_IN_FULL,
                 "travel.mileage.motorcycle",
                 "We pay 24p a mile for a motorbike. 10 miles is £2.40."},
        LineCase{"Bicycle", kAsc, kLd, kMarch2026,
                 [](ClaimFacts& f) {
                   Add(f, Miles(55, v1::VEHICLE_TYPE_BICYCLE));
                 },
                 110, v1::LINE_OUTCOME_PAID_IN_FULL, "travel.mileage.bicycle",
                 "5.5 miles is £1.10."},
        LineCase{"MileageExactlyAtJourneyCap", kAsc, kLd, kMarch2026,
                 [](ClaimFacts& f) {
                   Add(f, Miles(800, v1::VEHICLE_TYPE_CAR, 1));
                 },
                 4000, v1::LINE_OUTCOME_PAID_IN_FULL, "travel.mileage.car",
                 "is £40."},
        LineCase{"MileageOverJourneyCap", kAsc, kLd, kMarch2026,
                 [](ClaimFacts& f) {
                   Add(f, Miles(801, v1::VEHICLE_TYPE_CAR, 1));
                 },
                 4000, v1::LINE_OUTCOME_REDUCED,
                 "travel.mileage.cap_per_journey",
                 "is £40.05. The most we pay for one journey is £40."},
        LineCase{"TierCrossedWithinOneLine", kAsc, kLd, kMarch2026,
                 [](ClaimFacts& f) {
                   f.car_tenths_earlier_in_tax_year = 99'920;
                   Add(f, Miles(120));
                 },
                 460, v1::LINE_OUTCOME_PAID_IN_FULL, "travel.mileage.car",
                 "This trip took you past 10,000 miles. 8 miles at 45p and 4 "
                 "miles at 25p. 12 miles is £4.60."},
        LineCase{"TierReachedExactly", kAsc, kLd, kMarch2026,
                 [](ClaimFacts& f) {
                   f.car_tenths_earlier_in_tax_year = 99'880;
                   Add(f, Miles(120));
                 },
                 540, v1::LINE_OUTCOME_PAID_IN_FULL, "travel.mileage.car",
                 "We pay 45p a mile for a car. 12 miles is £5.40."},
        LineCase{"AlreadyBeyondTier", kAsc, kLd, kMarch2026,
                 [](ClaimFacts& f) {
                   f.car_tenths_earlier_in_tax_year = 100'000;
                   Add(f, Miles(120));
                 },
                 300, v1::LINE_OUTCOME_PAID_IN_FULL, "travel.mileage.car",
                 "After that we pay 25p a mile. 12 miles is £3."},
        LineCase{"TierCrossedBySecondLineOfClaim", kAsc, kLd, kMarch2026,
                 [](ClaimFacts& f) {
                   f.car_tenths_earlier_in_tax_year = 99'900;
                   Add(f, Miles(60));
                   Add(f, Miles(60));
                 },
                 230, v1::LINE_OUTCOME_PAID_IN_FULL, "travel.mileage.car",
                 "4 miles at 45p and 2 miles at 25p"},
        LineCase{"MileageForNoVehicleIsRefused", kAsc, kLd, kMarch2026,
                 [](ClaimFacts& f) {
                   Add(f, Miles(120, v1::VEHICLE_TYPE_UNSPECIFIED));
                 },
                 0, v1::LINE_OUTCOME_REFUSED, "travel.mileage",
                 "We do not pay mileage for this vehicle"},
        LineCase{"MileageWithoutDistanceIsRefused", kAsc, kLd, kMarch2026,
                 [](ClaimFacts& f) { Add(f, Miles(0)); }, 0,
                 v1::LINE_OUTCOME_REFUSED, "travel.mileage.car",
                 "You did not say how far you went."},
        LineCase{"TaxiNobodyAgreedIsReviewed", kAsc, kLd, kMarch2026,
                 [](ClaimFacts& f) {
                   Add(f, Paid(v1::EXPENSE_CATEGORY_TAXI, 1500));
                 },
                 1500, v1::LINE_OUTCOME_NEEDS_REVIEW, "travel.taxi.agreement",
                 "We only pay for a taxi if an officer agreed it before the "
                 "session. We have no record of that."},
        LineCase{"TaxiNobodyAgreedIsRefusedWhereTheFileSaysSo",
                 "children-and-families", "abss-partnership-board", kMarch2026,
                 [](ClaimFacts& f) {
                   Add(f, Paid(v1::EXPENSE_CATEGORY_TAXI, 1500));
                 },
                 0, v1::LINE_OUTCOME_REFUSED, "travel.taxi.agreement",
                 "We have no record of that. So we cannot pay it."},
        LineCase{"TaxiAgreedWithNoAmountIsPaid", kAsc, kLd, kMarch2026,
                 [](ClaimFacts& f) {
                   f.agreements.push_back({v1::EXPENSE_CATEGORY_TAXI, 0});
                   Add(f, Paid(v1::EXPENSE_CATEGORY_TAXI, 1500));
                 },
                 1500, v1::LINE_OUTCOME_PAID_IN_FULL, "travel.taxi",
                 "An officer agreed a taxi before the session. You paid £15."},
        LineCase{"TaxiAgreedOnlyAfterTheSessionSaysSo", kAsc, kLd, kMarch2026,
                 [](ClaimFacts& f) {
                   f.agreements.push_back(
                       {v1::EXPENSE_CATEGORY_TAXI, 0, /*after_the_session=*/true});
                   Add(f, Paid(v1::EXPENSE_CATEGORY_TAXI, 1500));
                 },
                 1500, v1::LINE_OUTCOME_PAID_IN_FULL, "travel.taxi",
                 "An officer agreed this taxi after the session. You paid £15."},
        LineCase{"TaxiAgreedBeforeAndAfterCountsAsBefore", kAsc, kLd,
                 kMarch2026,
                 [](ClaimFacts& f) {
                   f.agreements.push_back({v1::EXPENSE_CATEGORY_TAXI, 0});
                   f.agreements.push_back(
                       {v1::EXPENSE_CATEGORY_TAXI, 0, /*after_the_session=*/true});
                   Add(f, Paid(v1::EXPENSE_CATEGORY_TAXI, 1500));
                 },
                 1500, v1::LINE_OUTCOME_PAID_IN_FULL, "travel.taxi",
                 "An officer agreed a taxi before the session."},
        LineCase{"TaxiAgreedUpToAnAmount", kAsc, kLd, kMarch2026,
                 [](ClaimFacts& f) {
                   f.agreements.push_back({v1::EXPENSE_CATEGORY_TAXI, 1200});
                   Add(f, Paid(v1::EXPENSE_CATEGORY_TAXI, 1500));
                 },
                 1200, v1::LINE_OUTCOME_REDUCED, "travel.taxi.agreement",
                 "An officer agreed up to £12 for taxis. So we pay £12."},
        LineCase{"TaxiAgreementSharedByTwoLines", kAsc, kLd, kMarch2026,
                 [](ClaimFacts& f) {
                   f.agreements.push_back({v1::EXPENSE_CATEGORY_TAXI, 2000});
                   Add(f, Paid(v1::EXPENSE_CATEGORY_TAXI, 1500));
                   Add(f, Paid(v1::EXPENSE_CATEGORY_TAXI, 1500));
                 },
                 500, v1::LINE_OUTCOME_REDUCED, "travel.taxi.agreement",
                 "So we pay £5."},
        LineCase{"TaxiWithoutReceiptRefusedWhereTheFileSaysSo",
                 "strategy-and-commissioning", "autism-neurodiversity-forum",
                 kMarch2026,
                 [](ClaimFacts& f) {
                   f.agreements.push_back({v1::EXPENSE_CATEGORY_TAXI, 0});
                   Add(f, Paid(v1::EXPENSE_CATEGORY_TAXI, 1500, false));
                 },
                 0, v1::LINE_OUTCOME_REFUSED, "travel.taxi.receipt",
                 "We need a receipt or ticket for this. You did not say you "
                 "have one. So we cannot pay it."},
        LineCase{"ParkingUnderThresholdNeedsNoTicket", kAsc, kLd, kMarch2026,
                 [](ClaimFacts& f) {
                   Add(f, Paid(v1::EXPENSE_CATEGORY_PARKING, 500, false));
                 },
                 500, v1::LINE_OUTCOME_PAID_IN_FULL, "travel.parking",
                 "We pay for parking. You paid £5."},
        LineCase{"ParkingWithoutTicketRefusedWhereTheFileSaysSo",
                 "strategy-and-commissioning", "autism-neurodiversity-forum",
                 kMarch2026,
                 [](ClaimFacts& f) {
                   Add(f, Paid(v1::EXPENSE_CATEGORY_PARKING, 501, false));
                 },
                 0, v1::LINE_OUTCOME_REFUSED, "travel.parking.receipt",
                 "So we cannot pay it."},
        LineCase{"ParkingExactlyAtCap", kAsc, kLd, kMarch2026,
                 [](ClaimFacts& f) {
                   Add(f, Paid(v1::EXPENSE_CATEGORY_PARKING, 1000));
                 },
                 1000, v1::LINE_OUTCOME_PAID_IN_FULL, "travel.parking",
                 "You paid £10."},
        LineCase{"ParkingOnePennyOverCap", kAsc, kLd, kMarch2026,
                 [](ClaimFacts& f) {
                   Add(f, Paid(v1::EXPENSE_CATEGORY_PARKING, 1001));
                 },
                 1000, v1::LINE_OUTCOME_REDUCED,
                 "travel.parking.cap_per_journey", "So we pay £10."},
        LineCase{"TravelRefusedWhereTheProjectPaysNone", kAsc,
                 "carers-user-voice", kMarch2026,
                 [](ClaimFacts& f) { Add(f, Fare(350)); }, 0,
                 v1::LINE_OUTCOME_REFUSED, "travel.not_covered",
                 "This project does not pay for bus and train fares."},
        LineCase{"SessionCapExactlyReached", kAsc, kLd, kMarch2026,
                 [](ClaimFacts& f) {
                   Add(f, Fare(3000, true));
                   Add(f, Fare(2000, true));
                   Add(f, Paid(v1::EXPENSE_CATEGORY_PARKING, 1000));
                 },
                 1000, v1::LINE_OUTCOME_PAID_IN_FULL, "travel.parking",
                 "You paid £10."},
        LineCase{"SessionCapOnePennyOverTakesFromLastLine", kAsc, kLd,
                 kMarch2026,
                 [](ClaimFacts& f) {
                   Add(f, Fare(3000, true));
                   Add(f, Fare(2001, true));
                   Add(f, Paid(v1::EXPENSE_CATEGORY_PARKING, 1000));
                 },
                 999, v1::LINE_OUTCOME_REDUCED, "travel.cap_per_session",
                 "The most we pay for travel at one session is £60. Your "
                 "claim came to £60.01. We take off the rest from your last "
                 "line first. So we pay £9.99 for this line."}),
    testing::CaseName);

TEST(TravelSessionCapTest, ReducesLinesFromTheLastBackwards) {
  auto policy = Shipped("adult-social-care");
  ClaimFacts facts = Facts("ld-user-voice", kMarch2026);
  facts.lines = {Fare(3000, true), Fare(2900, true),
                 Paid(v1::EXPENSE_CATEGORY_PARKING, 500), Fare(200)};
  const v1::Decision decision = Evaluate(*policy, facts);
  ASSERT_EQ(decision.lines_size(), 4);
  // £66 claimed, £60 cap: the last line loses £2, the one before it £4.
  EXPECT_EQ(decision.lines(0).allowed_pence(), 3000);
  EXPECT_EQ(decision.lines(0).outcome(), v1::LINE_OUTCOME_PAID_IN_FULL);
  EXPECT_EQ(decision.lines(1).allowed_pence(), 2900);
  EXPECT_EQ(decision.lines(2).allowed_pence(), 100);
  EXPECT_EQ(decision.lines(2).outcome(), v1::LINE_OUTCOME_REDUCED);
  EXPECT_EQ(decision.lines(2).rule(), "travel.cap_per_session");
  EXPECT_EQ(decision.lines(3).allowed_pence(), 0);
  EXPECT_EQ(decision.lines(3).outcome(), v1::LINE_OUTCOME_REFUSED);
  EXPECT_EQ(decision.allowed_total_pence(), 6000);
}

TEST(TravelSessionCapTest, LineToReviewCutToNothingIsRefused) {
  auto policy = Shipped("adult-social-care");
  ClaimFacts facts = Facts("ld-user-voice", kMarch2026);
  facts.lines = {Fare(3000, true), Fare(3000, true),
                 Paid(v1::EXPENSE_CATEGORY_TAXI, 1500)};
  const v1::Decision decision = Evaluate(*policy, facts);
  EXPECT_EQ(decision.lines(2).allowed_pence(), 0);
  EXPECT_EQ(decision.lines(2).outcome(), v1::LINE_OUTCOME_REFUSED);
  EXPECT_THAT(decision.lines(2).reason(),
              HasSubstr("So we cannot pay anything for this line."));
  EXPECT_FALSE(decision.needs_review());
}

TEST(TravelSessionCapTest, IgnoresLinesOfOtherKinds) {
  auto policy = Shipped("adult-social-care");
  ClaimFacts facts = Facts("ld-user-voice", kMarch2026);
  facts.lines = {Fare(3000, true), Fare(3000, true),
                 testing::Care(v1::EXPENSE_CATEGORY_CHILDCARE, 1000, 60)};
  const v1::Decision decision = Evaluate(*policy, facts);
  EXPECT_EQ(decision.allowed_total_pence(), 7000);
  EXPECT_EQ(decision.lines(2).outcome(), v1::LINE_OUTCOME_PAID_IN_FULL);
}

}  // namespace
}  // namespace reciprocity::policy
