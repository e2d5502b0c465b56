#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "policy/policy.h"
#include "policy/registry.h"
#include "tests/util/status_matchers.h"

namespace reciprocity::policy {
namespace {

using ::reciprocity::testing::IsOk;

TEST(SmokeTest, LoadsAndEvaluates) {
  auto policy =
      LoadRuleFile(RECIP_POLICY_AREAS_DIR "/adult-social-care.textproto");
  ASSERT_THAT(policy, IsOk());
  ClaimFacts facts;
  facts.project_id = "ld-user-voice";
  facts.session_date = absl::CivilDay(2026, 3, 10);
  facts.claim_date = absl::CivilDay(2026, 3, 12);
  facts.participant_type = v1::PARTICIPANT_TYPE_RESIDENT;
  v1::ClaimLine& line = facts.lines.emplace_back();
  line.set_category(v1::EXPENSE_CATEGORY_MILEAGE);
  line.set_vehicle(v1::VEHICLE_TYPE_CAR);
  line.set_distance_tenths_of_mile(120);
  v1::Decision decision = Evaluate(**policy, facts);
  EXPECT_EQ(decision.allowed_total_pence(), 540) << decision.DebugString();
  EXPECT_EQ(decision.lines(0).reason(),
            "We pay 45p a mile for a car. 12 miles is £5.40.");
  auto registry = PolicyRegistry::LoadDirectory(RECIP_POLICY_AREAS_DIR);
  ASSERT_THAT(registry, IsOk());
}

}  // namespace
}  // namespace reciprocity::policy
