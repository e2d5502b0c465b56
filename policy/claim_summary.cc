#include "policy/claim_summary.h"

#include "absl/strings/str_cat.h"
#include "policy/plain_text.h"
#include "policy/policy.h"

namespace reciprocity::policy {

std::string SummaryOfLines(const v1::Decision& decision) {
  int64_t review = 0, settled = 0, short_paid = 0, settled_pence = 0;
  for (const v1::LineDecision& line : decision.lines()) {
    if (line.outcome() == v1::LINE_OUTCOME_NEEDS_REVIEW) {
      ++review;
      continue;
    }
    ++settled;
    settled_pence += line.allowed_pence();
    short_paid += line.outcome() == v1::LINE_OUTCOME_REFUSED ||
                  line.outcome() == v1::LINE_OUTCOME_REDUCED;
  }
  std::string summary;
  if (review > 0) {
    summary =
        absl::StrCat("A person will check ", CountOf(review, "line", "lines"),
                     " before we pay ", review == 1 ? "it." : "them.");
    if (settled == 0) return summary;
    absl::StrAppend(&summary, settled_pence > 0
                                  ? absl::StrCat(" We will pay ",
                                                 FormatMoney(settled_pence),
                                                 " for the rest.")
                                  : " We cannot pay the rest.");
    if (short_paid > 0) absl::StrAppend(&summary, " Each line says why.");
    return summary;
  }
  if (settled_pence == 0) {
    summary = "We cannot pay any of this claim.";
    if (short_paid > 0) absl::StrAppend(&summary, " Each line says why.");
    return summary;
  }
  summary = absl::StrCat("We will pay ", FormatMoney(settled_pence), ".");
  if (short_paid > 0) {
    absl::StrAppend(&summary,
                    " Some lines are less than you asked for. Each line says "
                    "why.");
  }
  return summary;
}

std::string DeclinedSummary(int64_t total, bool needs_review) {
  if (total == 0 && !needs_review) {
    return "You chose not to be paid, so we will not pay this claim. We keep "
           "it as a record of what you spent. Each line says what the rules "
           "allow.";
  }
  return absl::StrCat(
      "You chose not to be paid, so we pay only the lines that go straight "
      "to someone else: ",
      needs_review ? "up to " : "", FormatMoney(total), ".",
      needs_review ? " A person will check them before we pay." : "");
}

std::string ClaimSummary(const v1::Claim& claim) {
  if (claim.state() == v1::CLAIM_STATE_WITHDRAWN) {
    return "This claim was withdrawn, so we will not pay it.";
  }
  const v1::Decision& decision = claim.decision();
  bool declined = false, needs_review = false;
  for (const v1::LineDecision& line : decision.lines()) {
    declined |= line.rule() == kDeclinedRule;
    needs_review |= line.outcome() == v1::LINE_OUTCOME_NEEDS_REVIEW;
  }
  if (declined) {
    return DeclinedSummary(decision.allowed_total_pence(), needs_review);
  }
  return SummaryOfLines(decision);
}

}  // namespace reciprocity::policy
