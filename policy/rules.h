// Internal to the policy engine: the pieces Evaluate is built from. The
// sections that apply to a project, agreed amounts, caps, and the judges of
// each kind of claim line.
#ifndef RECIPROCITY_POLICY_RULES_H_
#define RECIPROCITY_POLICY_RULES_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "policy/policy.h"
#include "reciprocity/v1/claims.pb.h"
#include "reciprocity/v1/policy.pb.h"

namespace reciprocity::policy {

// The sections that apply to one project: its override's section when it has
// one, else the area default. nullptr: the file has no such section, so
// nothing in it is paid.
struct ProjectRules {
  const v1::TravelRules* travel = nullptr;
  const v1::VoucherRules* vouchers = nullptr;
  const v1::ChildcareRules* childcare = nullptr;
  const v1::GeneralRules* general = nullptr;
};
ProjectRules RulesForProject(const v1::RuleFile& rules,
                             absl::string_view project_id);

// What officers agreed in advance for one category, spent line by line.
class AgreedAllowance {
 public:
  AgreedAllowance(const std::vector<Agreement>& agreements,
                  v1::ExpenseCategory category);
  bool agreed() const { return agreed_; }
  // True when some agreement named no amount.
  bool unlimited() const { return unlimited_; }
  int64_t agreed_total_pence() const { return total_; }
  // True when it was agreed only after the session (retrospectively).
  bool only_after_the_session() const { return agreed_ && !before_; }
  // Takes up to `wanted` from what is left and returns what was taken.
  int64_t Spend(int64_t wanted);

 private:
  bool agreed_ = false;
  bool before_ = false;
  bool unlimited_ = false;
  int64_t total_ = 0;
  int64_t left_ = 0;
};

// One judged line, with what it asked for so that later caps can say
// whether it was reduced. For mileage the ask is its value at the rates.
struct LineResult {
  v1::LineDecision decision;
  int64_t claimed_pence = 0;
};

// Paid in full when nothing was taken off, refused when nothing is left,
// reduced otherwise; needs review wins over all three.
v1::LineOutcome OutcomeFor(int64_t claimed, int64_t allowed, bool review);

// A refusal with its rule and reason.
LineResult Refusal(std::string rule, std::string reason);

// Applies the cap in force (if any) to *allowed. When it bites, sets *rule,
// appends "The most we pay for <what> is £X." to *reason and returns true.
bool ApplyCap(const google::protobuf::RepeatedPtrField<v1::DatedPence>& caps,
              absl::CivilDay day, absl::string_view what,
              absl::string_view cap_rule, int64_t* allowed, std::string* rule,
              std::string* reason);

// When the lines at `indexes` together pass the per-session cap in force,
// reduces them from the last one backwards and says so in their reasons.
void ApplySessionCap(
    const google::protobuf::RepeatedPtrField<v1::DatedPence>& caps,
    absl::CivilDay day, absl::string_view what, absl::string_view cap_rule,
    const std::vector<size_t>& indexes, std::vector<LineResult>* lines);

// a * b / divisor rounded to the nearest whole number, halves up. All three
// are non-negative and a * b fits in int64 (callers bound their inputs).
int64_t MulDivRoundHalfUp(int64_t a, int64_t b, int64_t divisor);

// State carried from one travel line to the next within a claim.
struct TravelState {
  absl::CivilDay session_date;
  // Car miles (tenths) counted so far in the tax year, including earlier
  // lines of this claim.
  int64_t car_tenths_so_far = 0;
  AgreedAllowance taxi;
};

// Judges one public transport, mileage, taxi or parking line.
LineResult JudgeTravelLine(const v1::TravelRules& travel,
                           const v1::ClaimLine& line, TravelState* state);

// State carried from one care line to the next within a claim.
struct CareState {
  absl::CivilDay session_date;
  bool creche_provided = false;
  // The register says the participant's child used the crèche.
  bool creche_used = false;
  AgreedAllowance childcare;
};

// Judges one childcare or replacement-care line.
LineResult JudgeCareLine(const v1::ChildcareRules& care,
                         const v1::ClaimLine& line, CareState* state);

}  // namespace reciprocity::policy

#endif  // RECIPROCITY_POLICY_RULES_H_
