// Helpers for the policy tests: the shipped rule files, and claims built in
// one line each.
#ifndef RECIPROCITY_TESTS_POLICY_POLICY_TEST_UTIL_H_
#define RECIPROCITY_TESTS_POLICY_POLICY_TEST_UTIL_H_

#include <functional>
#include <memory>
#include <string>
#include <utility>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "policy/policy.h"

namespace reciprocity::policy::testing {

// policy/areas in the source tree.
inline std::string AreasDir() { return RECIP_POLICY_AREAS_DIR; }

// A shipped area's policy; fails the test if it does not load.
inline std::shared_ptr<const AreaPolicy> Shipped(const std::string& area) {
  auto policy = LoadRuleFile(AreasDir() + "/" + area + ".textproto");
  EXPECT_TRUE(policy.ok()) << policy.status();
  return policy.ok() ? *policy : nullptr;
}

// A claim by a resident for a session, made two days later.
inline ClaimFacts Facts(const std::string& project, absl::CivilDay session) {
  ClaimFacts facts;
  facts.project_id = project;
  facts.session_date = session;
  facts.claim_date = session + 2;
  facts.participant_type = v1::PARTICIPANT_TYPE_RESIDENT;
  return facts;
}

inline v1::ClaimLine Fare(int64_t pence, bool receipt = false) {
  v1::ClaimLine line;
  line.set_category(v1::EXPENSE_CATEGORY_PUBLIC_TRANSPORT);
  line.set_amount_pence(pence);
  line.set_receipt_provided(receipt);
  return line;
}

inline v1::ClaimLine Paid(v1::ExpenseCategory category, int64_t pence,
                          bool receipt = true) {
  v1::ClaimLine line;
  line.set_category(category);
  line.set_amount_pence(pence);
  line.set_receipt_provided(receipt);
  return line;
}

inline v1::ClaimLine Miles(int64_t tenths,
                           v1::VehicleType vehicle = v1::VEHICLE_TYPE_CAR,
                           int32_t passengers = 0) {
  v1::ClaimLine line;
  line.set_category(v1::EXPENSE_CATEGORY_MILEAGE);
  line.set_distance_tenths_of_mile(tenths);
  line.set_vehicle(vehicle);
  line.set_passengers(passengers);
  return line;
}

inline v1::ClaimLine Care(v1::ExpenseCategory category, int64_t pence,
                          int32_t minutes, int32_t children = 1) {
  v1::ClaimLine line;
  line.set_category(category);
  line.set_amount_pence(pence);
  line.set_care_minutes(minutes);
  if (category == v1::EXPENSE_CATEGORY_CHILDCARE) line.set_children(children);
  return line;
}

// `line`, naming `payee` to be paid instead of the participant.
inline v1::ClaimLine To(std::string payee, v1::ClaimLine line) {
  line.set_payee_reference(std::move(payee));
  return line;
}

// One row of a table of claims: the claim's lines, and what the policy must
// decide for its last line.
struct LineCase {
  std::string name;
  std::string area;
  std::string project;
  absl::CivilDay session;
  std::function<void(ClaimFacts&)> claim;
  int64_t allowed;
  v1::LineOutcome outcome;
  std::string rule;
  std::string reason;  // a part of the reason
};

inline void ExpectLastLine(const LineCase& c) {
  auto policy = Shipped(c.area);
  ASSERT_NE(policy, nullptr);
  ClaimFacts facts = Facts(c.project, c.session);
  c.claim(facts);
  const v1::Decision decision = Evaluate(*policy, facts);
  ASSERT_EQ(decision.lines_size(), static_cast<int>(facts.lines.size()));
  const v1::LineDecision& line = decision.lines(decision.lines_size() - 1);
  EXPECT_EQ(line.allowed_pence(), c.allowed) << line.DebugString();
  EXPECT_EQ(line.outcome(), c.outcome) << line.DebugString();
  EXPECT_EQ(line.rule(), c.rule);
  EXPECT_THAT(line.reason(), ::testing::HasSubstr(c.reason));
}

inline std::string CaseName(const ::testing::TestParamInfo<LineCase>& info) {
  return info.param.name;
}

}  // namespace reciprocity::policy::testing

#endif  // RECIPROCITY_TESTS_POLICY_POLICY_TEST_UTIL_H_
