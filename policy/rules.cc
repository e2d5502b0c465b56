#include "policy/rules.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "policy/dates.h"

namespace reciprocity::policy {

ProjectRules RulesForProject(const v1::RuleFile& rules,
                             absl::string_view project_id) {
  const v1::RuleSet& defaults = rules.defaults();
  ProjectRules out;
  if (defaults.has_travel()) out.travel = &defaults.travel();
  if (defaults.has_vouchers()) out.vouchers = &defaults.vouchers();
  if (defaults.has_childcare()) out.childcare = &defaults.childcare();
  if (defaults.has_general()) out.general = &defaults.general();
  for (const v1::ProjectOverride& override_rules : rules.overrides()) {
    if (override_rules.project_id() != project_id) continue;
    // A section set in the override replaces the default whole.
    if (override_rules.has_travel()) out.travel = &override_rules.travel();
    if (override_rules.has_vouchers()) {
      out.vouchers = &override_rules.vouchers();
    }
    if (override_rules.has_childcare()) {
      out.childcare = &override_rules.childcare();
    }
    if (override_rules.has_general()) out.general = &override_rules.general();
  }
  return out;
}

AgreedAllowance::AgreedAllowance(const std::vector<Agreement>& agreements,
                                 v1::ExpenseCategory category) {
  for (const Agreement& agreement : agreements) {
    if (agreement.category != category) continue;
    agreed_ = true;
    before_ |= !agreement.after_the_session;
    if (agreement.up_to_pence <= 0) {
      unlimited_ = true;
    } else {
      // Agreements are officer-entered amounts; saturate rather than wrap.
      total_ = std::min<int64_t>(
          total_ + std::min<int64_t>(agreement.up_to_pence, 1LL << 40),
          1LL << 50);
    }
  }
  left_ = total_;
}

int64_t AgreedAllowance::Spend(int64_t wanted) {
  if (unlimited_) return wanted;
  const int64_t taken = std::min(wanted, left_);
  left_ -= taken;
  return taken;
}

v1::LineOutcome OutcomeFor(int64_t claimed, int64_t allowed, bool review) {
  if (review) return v1::LINE_OUTCOME_NEEDS_REVIEW;
  if (allowed >= claimed) return v1::LINE_OUTCOME_PAID_IN_FULL;
  if (allowed <= 0) return v1::LINE_OUTCOME_REFUSED;
  return v1::LINE_OUTCOME_REDUCED;
}

LineResult Refusal(std::string rule, std::string reason) {
  LineResult result;
  result.decision.set_outcome(v1::LINE_OUTCOME_REFUSED);
  result.decision.set_rule(std::move(rule));
  result.decision.set_reason(std::move(reason));
  return result;
}

bool ApplyCap(const google::protobuf::RepeatedPtrField<v1::DatedPence>& caps,
              absl::CivilDay day, absl::string_view what,
              absl::string_view cap_rule, int64_t* allowed, std::string* rule,
              std::string* reason) {
  const v1::DatedPence* cap = InForce(caps, day);
  if (cap == nullptr || *allowed <= cap->pence()) return false;
  *allowed = cap->pence();
  *rule = std::string(cap_rule);
  absl::StrAppend(reason, " The most we pay for ", what, " is ",
                  FormatMoney(cap->pence()), ".");
  return true;
}

void ApplySessionCap(
    const google::protobuf::RepeatedPtrField<v1::DatedPence>& caps,
    absl::CivilDay day, absl::string_view what, absl::string_view cap_rule,
    const std::vector<size_t>& indexes, std::vector<LineResult>* lines) {
  const v1::DatedPence* cap = InForce(caps, day);
  if (cap == nullptr) return;
  int64_t total = 0;
  for (size_t i : indexes) total += (*lines)[i].decision.allowed_pence();
  int64_t excess = total - cap->pence();
  if (excess <= 0) return;
  const std::string explanation = absl::StrCat(
      " The most we pay for ", what, " at one session is ",
      FormatMoney(cap->pence()), ". Your claim came to ", FormatMoney(total),
      ". We take off the rest from your last line first.");
  for (auto it = indexes.rbegin(); it != indexes.rend() && excess > 0; ++it) {
    LineResult& line = (*lines)[*it];
    v1::LineDecision& decision = line.decision;
    const int64_t cut = std::min(excess, decision.allowed_pence());
    if (cut == 0) continue;
    excess -= cut;
    decision.set_allowed_pence(decision.allowed_pence() - cut);
    decision.set_rule(std::string(cap_rule));
    // A line cut to nothing is refused: there is nothing left to review.
    const bool review = decision.outcome() == v1::LINE_OUTCOME_NEEDS_REVIEW &&
                        decision.allowed_pence() > 0;
    decision.set_outcome(
        OutcomeFor(line.claimed_pence, decision.allowed_pence(), review));
    absl::StrAppend(
        decision.mutable_reason(), explanation,
        decision.allowed_pence() == 0
            ? " So we cannot pay anything for this line."
            : absl::StrCat(" So we pay ", FormatMoney(decision.allowed_pence()),
                           " for this line."));
  }
}

int64_t MulDivRoundHalfUp(int64_t a, int64_t b, int64_t divisor) {
  return (a * b * 2 + divisor) / (divisor * 2);
}

}  // namespace reciprocity::policy
