// Evaluate: judges a whole claim line by line, then applies the rules about
// the claim as a whole (deadline, who may claim, session caps, budget).
#include <string>
#include <vector>

#include "absl/algorithm/container.h"
#include "absl/strings/str_cat.h"
#include "policy/dates.h"
#include "policy/plain_text.h"
#include "policy/policy.h"
#include "policy/rules.h"

namespace reciprocity::policy {
namespace {

// Bounds that keep every sum and product well inside int64. The server
// validates requests more tightly; these only make the engine total.
constexpr int64_t kMaxAmountPence = 10'000'000;
constexpr int64_t kMaxDistanceTenths = 100'000;
constexpr int32_t kMaxPassengers = 50;
constexpr int32_t kMaxCareMinutes = 7 * 24 * 60;
constexpr int32_t kMaxChildren = 50;

bool IsTravel(v1::ExpenseCategory category) {
  return category == v1::EXPENSE_CATEGORY_PUBLIC_TRANSPORT ||
         category == v1::EXPENSE_CATEGORY_MILEAGE ||
         category == v1::EXPENSE_CATEGORY_TAXI ||
         category == v1::EXPENSE_CATEGORY_PARKING;
}

bool IsCare(v1::ExpenseCategory category) {
  return category == v1::EXPENSE_CATEGORY_CHILDCARE ||
         category == v1::EXPENSE_CATEGORY_CARER;
}

bool InBounds(const v1::ClaimLine& line) {
  return line.amount_pence() >= 0 && line.amount_pence() <= kMaxAmountPence &&
         line.distance_tenths_of_mile() >= 0 &&
         line.distance_tenths_of_mile() <= kMaxDistanceTenths &&
         line.passengers() >= 0 && line.passengers() <= kMaxPassengers &&
         line.care_minutes() >= 0 && line.care_minutes() <= kMaxCareMinutes &&
         line.children() >= 0 && line.children() <= kMaxChildren;
}

bool Listed(const google::protobuf::RepeatedField<int>& types,
            v1::ParticipantType type) {
  return absl::c_linear_search(types, static_cast<int>(type));
}

// Every line refused for the same claim-wide reason.
std::vector<LineResult> RefuseAll(size_t count, const std::string& rule,
                                  const std::string& reason) {
  return std::vector<LineResult>(count, Refusal(rule, reason));
}

// Lines that would be paid go to a person first, saying why.
void SendPaidLinesToReview(absl::string_view rule, absl::string_view why,
                           std::vector<LineResult>* lines) {
  for (LineResult& line : *lines) {
    v1::LineDecision& decision = line.decision;
    if (decision.allowed_pence() <= 0 ||
        decision.outcome() == v1::LINE_OUTCOME_NEEDS_REVIEW) {
      continue;
    }
    decision.set_outcome(v1::LINE_OUTCOME_NEEDS_REVIEW);
    decision.set_rule(std::string(rule));
    absl::StrAppend(decision.mutable_reason(), " ", why);
  }
}

// Whether the section that judges `category` lets a line name someone else
// to be paid (a childminder, a taxi firm on account).
bool SectionPaysProviderDirectly(const ProjectRules& rules,
                                 v1::ExpenseCategory category) {
  if (IsTravel(category)) {
    return rules.travel != nullptr && rules.travel->pay_provider_directly();
  }
  if (IsCare(category)) {
    return rules.childcare != nullptr &&
           rules.childcare->pay_provider_directly();
  }
  return false;
}

// A line naming a payee its section does not pay directly is paid to the
// participant instead (the caller drops the payee, see
// PaysProviderDirectly); its reason says so first. A refused line pays
// nobody, so it says nothing about who, and a participant who declined
// payment is paid nothing (DecideClaim says so instead).
void SayWhoIsPaid(const ProjectRules& rules, const ClaimFacts& facts,
                  std::vector<LineResult>* lines) {
  if (facts.payment_method == v1::PAYMENT_METHOD_DECLINE) return;
  for (size_t i = 0; i < lines->size() && i < facts.lines.size(); ++i) {
    const v1::ClaimLine& line = facts.lines[i];
    v1::LineDecision& decision = (*lines)[i].decision;
    if (line.payee_reference().empty() ||
        decision.outcome() == v1::LINE_OUTCOME_REFUSED ||
        SectionPaysProviderDirectly(rules, line.category())) {
      continue;
    }
    decision.set_reason(absl::StrCat(PaidToYouInstead(line.payee_reference()),
                                     decision.reason()));
  }
}

std::vector<LineResult> JudgeLines(const ProjectRules& rules,
                                   const ClaimFacts& facts, bool creche) {
  TravelState travel{
      facts.session_date,
      std::clamp<int64_t>(facts.car_tenths_earlier_in_tax_year, 0,
                          1'000'000'000),
      AgreedAllowance(facts.agreements, v1::EXPENSE_CATEGORY_TAXI)};
  CareState care{
      facts.session_date, creche, creche && facts.creche_used,
      AgreedAllowance(facts.agreements, v1::EXPENSE_CATEGORY_CHILDCARE)};
  std::vector<LineResult> lines;
  lines.reserve(facts.lines.size());
  std::vector<size_t> travel_lines, childcare_lines, carer_lines;
  for (const v1::ClaimLine& line : facts.lines) {
    const v1::ExpenseCategory category = line.category();
    if (!InBounds(line)) {
      lines.push_back(Refusal("claim.line",
                              "Some numbers on this line are too big or "
                              "less than zero. Please check them."));
    } else if (IsTravel(category)) {
      lines.push_back(rules.travel == nullptr
                          ? Refusal("travel.not_covered",
                                    "This project does not pay for travel.")
                          : JudgeTravelLine(*rules.travel, line, &travel));
      travel_lines.push_back(lines.size() - 1);
    } else if (IsCare(category)) {
      lines.push_back(rules.childcare == nullptr
                          ? Refusal("childcare.not_covered",
                                    "This project does not pay for " +
                                        CategoryPlural(category) + ".")
                          : JudgeCareLine(*rules.childcare, line, &care));
      (category == v1::EXPENSE_CATEGORY_CHILDCARE ? childcare_lines
                                                  : carer_lines)
          .push_back(lines.size() - 1);
    } else {
      lines.push_back(
          Refusal("claim.category", "We cannot pay for this kind of cost."));
    }
  }
  if (rules.travel != nullptr) {
    ApplySessionCap(rules.travel->cap_per_session(), facts.session_date,
                    "travel", "travel.cap_per_session", travel_lines, &lines);
  }
  if (rules.childcare != nullptr) {
    ApplySessionCap(rules.childcare->cap_per_session(), facts.session_date,
                    "childcare", "childcare.cap_per_session", childcare_lines,
                    &lines);
    ApplySessionCap(rules.childcare->replacement_care().cap_per_session(),
                    facts.session_date, "care for someone you look after",
                    "childcare.replacement_care.cap_per_session", carer_lines,
                    &lines);
  }
  return lines;
}

// "The money for this project for the year from 1 April 2027 has not been
// set yet."
std::string NoBudgetSentence(absl::CivilDay session_date) {
  return absl::StrCat("The money for this project for the year from ",
                      FormatLongDate(FinancialYearStart(session_date)),
                      " has not been set yet.");
}

// Whether the claim fits the project's budget for its financial year.
enum class BudgetCheck { kWithin, kOver, kNotSet };

std::string Summary(const std::vector<LineResult>& lines, int64_t total,
                    BudgetCheck budget, absl::CivilDay session_date) {
  int64_t review = 0, short_paid = 0;
  for (const LineResult& line : lines) {
    if (line.decision.outcome() == v1::LINE_OUTCOME_NEEDS_REVIEW) ++review;
    if (line.decision.outcome() == v1::LINE_OUTCOME_REFUSED ||
        line.decision.outcome() == v1::LINE_OUTCOME_REDUCED) {
      ++short_paid;
    }
  }
  std::string summary;
  if (total == 0) {
    summary = "We cannot pay any of this claim.";
  } else if (review == 0) {
    summary = absl::StrCat("We will pay ", FormatMoney(total), ".");
  } else {
    summary = absl::StrCat("We can pay up to ", FormatMoney(total), ".");
  }
  if (short_paid > 0) {
    absl::StrAppend(&summary, total == 0
                                  ? " Each line says why."
                                  : " Some lines are less than you asked for. "
                                    "Each line says why.");
  }
  if (budget == BudgetCheck::kOver) {
    absl::StrAppend(&summary,
                    " This project has almost used its money for this year. "
                    "So a person will check your claim before we pay.");
  } else if (budget == BudgetCheck::kNotSet) {
    absl::StrAppend(&summary, " ", NoBudgetSentence(session_date),
                    " So a person will check your claim before we pay.");
  } else if (review > 0) {
    absl::StrAppend(&summary, " A person will check ",
                    CountOf(review, "line", "lines"), " before we pay.");
  }
  return summary;
}

}  // namespace

v1::Decision Evaluate(const AreaPolicy& policy, const ClaimFacts& facts) {
  const ProjectRules rules = RulesForProject(policy.rules(), facts.project_id);
  const ProjectInfo* project = policy.FindProject(facts.project_id);
  const bool creche = facts.creche_provided.value_or(
      project != nullptr && project->creche_by_default);

  std::vector<LineResult> lines;
  const v1::GeneralRules* general = rules.general;
  const absl::CivilDay last_day =
      facts.session_date + (general ? general->claim_deadline_days() : 0);
  if (general != nullptr && general->claim_deadline_days() > 0 &&
      facts.claim_date > last_day) {
    lines = RefuseAll(facts.lines.size(), "general.deadline",
                      absl::StrCat("Claims must reach us within ",
                                   general->claim_deadline_days(),
                                   " days of the session. The last day was ",
                                   FormatLongDate(last_day), "."));
  } else if (general != nullptr &&
             Listed(general->not_eligible_participant_types(),
                    facts.participant_type)) {
    lines = RefuseAll(
        facts.lines.size(), "general.eligibility",
        absl::StrCat("This project does not pay expenses to ",
                     ParticipantTypePlural(facts.participant_type), "."));
  } else {
    lines = JudgeLines(rules, facts, creche);
    if (general != nullptr && !Listed(general->eligible_participant_types(),
                                      facts.participant_type)) {
      SendPaidLinesToReview("general.eligibility",
                            "We do not know if you can claim. A person will "
                            "check before we pay.",
                            &lines);
    }
  }

  int64_t total = 0;
  for (const LineResult& line : lines) total += line.decision.allowed_pence();
  const std::optional<int64_t> budget =
      project == nullptr ? std::optional<int64_t>(0)
                         : project->FindBudgetFor(facts.session_date);
  BudgetCheck budget_check = BudgetCheck::kWithin;
  if (total > 0 && !budget.has_value()) {
    // Nobody has set this year's budget yet (not the same as running out):
    // a person checks, and the reason says which year.
    budget_check = BudgetCheck::kNotSet;
    SendPaidLinesToReview("general.budget",
                          absl::StrCat(NoBudgetSentence(facts.session_date),
                                       " A person will check before we pay."),
                          &lines);
  } else if (total > 0 && facts.project_committed_pence > *budget - total) {
    // Written to avoid overflow: committed + total > budget.
    budget_check = BudgetCheck::kOver;
    SendPaidLinesToReview("general.budget",
                          "This project has almost used its money for this "
                          "year. A person will check before we pay.",
                          &lines);
  }

  SayWhoIsPaid(rules, facts, &lines);

  v1::Decision decision;
  decision.set_summary(Summary(lines, total, budget_check, facts.session_date));
  decision.mutable_lines()->Reserve(static_cast<int>(lines.size()));
  bool needs_review = false;
  for (LineResult& line : lines) {
    needs_review |= line.decision.outcome() == v1::LINE_OUTCOME_NEEDS_REVIEW;
    *decision.add_lines() = std::move(line.decision);
  }
  decision.set_allowed_total_pence(total);
  decision.set_policy_version(policy.version());
  decision.set_needs_review(needs_review);
  return decision;
}

std::string PaidToYouInstead(std::string_view payee) {
  return absl::StrCat("This will be paid to you, not to ", AsAbsl(payee),
                      ": the rules for this project do not pay anyone else "
                      "directly. ");
}

bool PaysProviderDirectly(const AreaPolicy& policy, std::string_view project_id,
                          v1::ExpenseCategory category) {
  return SectionPaysProviderDirectly(
      RulesForProject(policy.rules(), AsAbsl(project_id)), category);
}

}  // namespace reciprocity::policy
