// libFuzzer target: ParseRuleFile on arbitrary bytes must never crash, hang
// or leak, and must either succeed or explain itself with a position.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "absl/strings/match.h"
#include "policy/explain.h"
#include "policy/policy.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view content(reinterpret_cast<const char*>(data), size);
  auto policy =
      reciprocity::policy::ParseRuleFile("fuzz.textproto", "fuzz", content);
  if (!policy.ok()) {
    // Every refusal names the file and a position.
    if (!absl::StartsWith(policy.status().message(), "fuzz.textproto:")) {
      std::abort();
    }
    return 0;
  }
  // A file that loads must be usable: judge a claim against every project
  // and print its leaflet.
  for (const auto& project : (*policy)->projects()) {
    reciprocity::policy::ClaimFacts facts;
    facts.project_id = project.id;
    facts.session_date = absl::CivilDay(2026, 4, 6);
    facts.claim_date = absl::CivilDay(2026, 4, 8);
    facts.participant_type = reciprocity::v1::PARTICIPANT_TYPE_RESIDENT;
    for (int category = 0; category <= 7; ++category) {
      reciprocity::v1::ClaimLine& line = facts.lines.emplace_back();
      line.set_category(
          static_cast<reciprocity::v1::ExpenseCategory>(category));
      line.set_amount_pence(1234);
      line.set_distance_tenths_of_mile(123);
      line.set_vehicle(reciprocity::v1::VEHICLE_TYPE_CAR);
      line.set_passengers(1);
      line.set_care_minutes(95);
      line.set_children(2);
      line.set_payee_reference("childminder-77");
      reciprocity::policy::PaysProviderDirectly(**policy, project.id,
                                                line.category());
    }
    reciprocity::policy::Evaluate(**policy, facts);
    reciprocity::policy::VoucherFacts voucher;
    voucher.project_id = project.id;
    voucher.session_date = facts.session_date;
    voucher.participant_type = facts.participant_type;
    voucher.minutes_attended = 90;
    reciprocity::policy::EvaluateVoucher(**policy, voucher);
  }
  reciprocity::policy::ExplainPolicy(**policy, std::nullopt,
                                     absl::CivilDay(2026, 4, 6));
  return 0;
}
