// How long the engine takes to judge a typical claim: a bus fare, 12 miles by
// car and 3 hours of childcare, against the shipped adult social care rules.
// Target: 5 µs or less per claim.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <memory>
#include <string>

#include "policy/explain.h"
#include "policy/policy.h"

namespace reciprocity::policy {
namespace {

std::shared_ptr<const AreaPolicy> LoadShipped(const std::string& area) {
  auto policy = LoadRuleFile(std::string(RECIP_POLICY_AREAS_DIR) + "/" + area +
                             ".textproto");
  if (!policy.ok()) std::abort();
  return *policy;
}

ClaimFacts TypicalClaim() {
  ClaimFacts facts;
  facts.project_id = "ld-user-voice";
  facts.session_date = absl::CivilDay(2026, 5, 12);
  facts.claim_date = absl::CivilDay(2026, 5, 14);
  facts.participant_type = v1::PARTICIPANT_TYPE_PARENT_OR_CARER;
  facts.car_tenths_earlier_in_tax_year = 3'450;
  facts.project_committed_pence = 125'000;
  v1::ClaimLine& bus = facts.lines.emplace_back();
  bus.set_category(v1::EXPENSE_CATEGORY_PUBLIC_TRANSPORT);
  bus.set_description("Bus from Shoebury and back");
  bus.set_amount_pence(480);
  bus.set_receipt_provided(true);
  v1::ClaimLine& car = facts.lines.emplace_back();
  car.set_category(v1::EXPENSE_CATEGORY_MILEAGE);
  car.set_vehicle(v1::VEHICLE_TYPE_CAR);
  car.set_distance_tenths_of_mile(120);
  v1::ClaimLine& childcare = facts.lines.emplace_back();
  childcare.set_category(v1::EXPENSE_CATEGORY_CHILDCARE);
  childcare.set_amount_pence(3000);
  childcare.set_care_minutes(180);
  childcare.set_children(1);
  return facts;
}

void BM_EvaluateTypicalClaim(benchmark::State& state) {
  const auto policy = LoadShipped("adult-social-care");
  const ClaimFacts facts = TypicalClaim();
  for (auto _ : state) {
    v1::Decision decision = Evaluate(*policy, facts);
    benchmark::DoNotOptimize(decision);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_EvaluateTypicalClaim);

void BM_EvaluateVoucher(benchmark::State& state) {
  const auto policy = LoadShipped("strategy-and-commissioning");
  VoucherFacts facts;
  facts.project_id = "tackling-poverty-workshops";
  facts.session_date = absl::CivilDay(2026, 5, 12);
  facts.participant_type = v1::PARTICIPANT_TYPE_ORGANISATION_REPRESENTATIVE;
  facts.minutes_attended = 150;
  for (auto _ : state) {
    VoucherDecision decision = EvaluateVoucher(*policy, facts);
    benchmark::DoNotOptimize(decision);
  }
}
BENCHMARK(BM_EvaluateVoucher);

// Loading and validating a rule file, as a reload does.
void BM_LoadRuleFile(benchmark::State& state) {
  const std::string content = LoadShipped("adult-social-care")->content();
  for (auto _ : state) {
    auto policy = ParseRuleFile("adult-social-care.textproto",
                                "adult-social-care", content);
    benchmark::DoNotOptimize(policy);
  }
}
BENCHMARK(BM_LoadRuleFile);

void BM_ExplainPolicy(benchmark::State& state) {
  const auto policy = LoadShipped("adult-social-care");
  for (auto _ : state) {
    std::string leaflet =
        ExplainPolicy(*policy, "ld-user-voice", absl::CivilDay(2026, 5, 12));
    benchmark::DoNotOptimize(leaflet);
  }
}
BENCHMARK(BM_ExplainPolicy);

}  // namespace
}  // namespace reciprocity::policy

BENCHMARK_MAIN();
