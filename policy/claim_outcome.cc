#include "policy/claim_outcome.h"

#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

namespace reciprocity::policy {
namespace {

// Whether `line` repeats a line of an earlier claim for the same session
// that is settled, so it is refused without being judged.
bool IsSettledRepeat(const ClaimFacts& facts, const v1::ClaimLine& line) {
  auto earlier = facts.claimed_for_session.find(line.category());
  return earlier != facts.claimed_for_session.end() &&
         !earlier->second.unsettled;
}

// Sends a paid line to review with `rule`, putting `why` before its reason.
void SendToReview(absl::string_view rule, absl::string_view why,
                  v1::LineDecision& line) {
  line.set_outcome(v1::LINE_OUTCOME_NEEDS_REVIEW);
  line.set_rule(std::string(rule));
  line.set_reason(absl::StrCat(why, " ", line.reason()));
}

bool AnyNeedsReview(const v1::Decision& decision) {
  for (const auto& line : decision.lines()) {
    if (line.outcome() == v1::LINE_OUTCOME_NEEDS_REVIEW) return true;
  }
  return false;
}

// Puts the engine's decision on the judged lines back among the lines
// refused as repeats, and sends paid lines to review when nobody recorded
// that the participant attended, when they repeat a claim for the session
// that is not yet settled or, with no session recorded, when the
// participant already claimed for the same thing that day.
v1::Decision CompleteDecision(const v1::Decision& engine,
                              const ClaimFacts& facts,
                              const std::vector<int>& judged_indexes) {
  v1::Decision decision = engine;
  decision.clear_lines();
  size_t next_judged = 0;
  bool any_repeat = false;
  for (int i = 0; i < static_cast<int>(facts.lines.size()); ++i) {
    if (next_judged < judged_indexes.size() &&
        judged_indexes[next_judged] == i) {
      *decision.add_lines() = engine.lines(static_cast<int>(next_judged));
      ++next_judged;
      continue;
    }
    any_repeat = true;
    v1::LineDecision* line = decision.add_lines();
    line->set_allowed_pence(0);
    line->set_outcome(v1::LINE_OUTCOME_REFUSED);
    line->set_rule("claims.duplicate");
    line->set_reason(absl::StrCat(
        "You already claimed for this in claim ",
        facts.claimed_for_session.at(facts.lines[i].category()).claim_id, "."));
  }
  int64_t total = 0;
  bool sent_to_review = false;
  bool any_same_day = false;
  bool any_unsettled = false;
  for (int i = 0; i < decision.lines_size(); ++i) {
    v1::LineDecision& line = *decision.mutable_lines(i);
    const bool paid = line.outcome() == v1::LINE_OUTCOME_PAID_IN_FULL ||
                      line.outcome() == v1::LINE_OUTCOME_REDUCED;
    const int category = facts.lines[i].category();
    auto same_day = facts.claimed_same_day.find(category);
    auto unsettled = facts.claimed_for_session.find(category);
    if (paid && same_day != facts.claimed_same_day.end()) {
      SendToReview("claims.same_day",
                   absl::StrCat("You already claimed for this on the same "
                                "day, in claim ",
                                same_day->second.claim_id,
                                ". A person will check it is not claimed "
                                "twice before we pay."),
                   line);
      any_same_day = true;
    } else if ((paid || line.outcome() == v1::LINE_OUTCOME_NEEDS_REVIEW) &&
               unsettled != facts.claimed_for_session.end()) {
      // Refused outright only once the earlier claim is settled; until then
      // it may be withdrawn or refused, and this one is the one to pay. A
      // line already waiting for a person says so too, so that whoever
      // checks it knows.
      SendToReview("claims.repeat_unsettled",
                   absl::StrCat("You already claimed for this in claim ",
                                unsettled->second.claim_id,
                                ", which we have not finished checking. A "
                                "person will check it is not claimed twice "
                                "before we pay.",
                                facts.attendance_unknown
                                    ? " We have no record that you came to "
                                      "this session."
                                    : ""),
                   line);
      any_unsettled = true;
    } else if (paid && facts.attendance_unknown) {
      SendToReview("claims.attendance",
                   "We have no record that you came to this session. A "
                   "person will check before we pay.",
                   line);
      sent_to_review = true;
    }
    total += line.allowed_pence();
  }
  decision.set_allowed_total_pence(total);
  decision.set_needs_review(AnyNeedsReview(decision));
  if (sent_to_review) {
    decision.set_summary(absl::StrCat(
        "We can pay up to ", FormatMoney(total),
        ". We have no record that you came to this session. So a person "
        "will check your claim before we pay."));
  } else if (any_same_day || any_unsettled) {
    // The engine's words speak of these lines as paid.
    decision.set_summary(SummaryOfLines(decision));
  }
  if (any_repeat) {
    decision.set_summary(absl::StrCat(
        decision.summary(),
        " Some lines repeat an earlier claim, so we cannot pay them."));
  }
  if (any_same_day) {
    decision.set_summary(
        absl::StrCat(decision.summary(),
                     " Some lines are like an earlier claim on the same day."));
  }
  if (any_unsettled) {
    decision.set_summary(absl::StrCat(
        decision.summary(),
        " Some lines are like an earlier claim we are still checking."));
  }
  return decision;
}

// For a participant who declined payment: every line that would be paid (or
// checked) for the participant is refused with the reason, keeping what the
// rules said; lines paid straight to someone else (a childminder) stay, so
// nobody is left out of pocket. Nothing declined needs a person to check it.
// `submitted` are the lines as claimed, `stored` with dropped payees.
void ApplyDeclinedPayment(const std::vector<v1::ClaimLine>& submitted,
                          const std::vector<v1::ClaimLine>& stored,
                          v1::Decision& decision) {
  for (int i = 0;
       i < decision.lines_size() && i < static_cast<int>(stored.size()); ++i) {
    v1::LineDecision& line = *decision.mutable_lines(i);
    if (!stored[i].payee_reference().empty() ||
        line.outcome() == v1::LINE_OUTCOME_REFUSED) {
      continue;
    }
    const std::string& dropped = submitted[i].payee_reference();
    line.set_reason(
        dropped.empty()
            ? absl::StrCat("You chose not to be paid, so we will not pay "
                           "this. ",
                           line.reason())
            : absl::StrCat("The rules for this project do not let us pay ",
                           dropped,
                           " directly, and you chose not to be paid, so we "
                           "will not pay this. ",
                           line.reason()));
    line.set_allowed_pence(0);
    line.set_outcome(v1::LINE_OUTCOME_REFUSED);
    line.set_rule(kDeclinedRule);
  }
  int64_t total = 0;
  for (const auto& line : decision.lines()) total += line.allowed_pence();
  const bool needs_review = AnyNeedsReview(decision);
  decision.set_allowed_total_pence(total);
  decision.set_needs_review(needs_review);
  decision.set_summary(DeclinedSummary(total, needs_review));
}

}  // namespace

ClaimOutcome DecideClaim(const AreaPolicy& policy, const ClaimFacts& facts) {
  // Lines repeating a settled earlier claim are refused here and kept out of
  // the engine, so that they use up no cap. A repeat of a claim not yet
  // settled is judged, then goes to a person (CompleteDecision).
  ClaimFacts judged = facts;
  judged.lines.clear();
  std::vector<int> judged_indexes;
  for (int i = 0; i < static_cast<int>(facts.lines.size()); ++i) {
    if (IsSettledRepeat(facts, facts.lines[i])) continue;
    judged_indexes.push_back(i);
    judged.lines.push_back(facts.lines[i]);
  }
  ClaimOutcome outcome;
  outcome.decision =
      CompleteDecision(Evaluate(policy, judged), facts, judged_indexes);
  // A payee the project's rules do not pay directly is dropped: the line is
  // paid to the participant (its reason says so), and batches, exports and
  // a declined payment all see the claim as stored.
  outcome.lines = facts.lines;
  for (v1::ClaimLine& line : outcome.lines) {
    if (!PaysProviderDirectly(policy, facts.project_id, line.category())) {
      line.clear_payee_reference();
    }
  }
  if (facts.payment_method == v1::PAYMENT_METHOD_DECLINE) {
    ApplyDeclinedPayment(facts.lines, outcome.lines, outcome.decision);
  }
  outcome.state = ClaimStateFor(outcome.decision);
  for (size_t i = 0; i < facts.lines.size(); ++i) {
    const v1::ClaimLine& line = facts.lines[i];
    const v1::LineDecision& decided =
        outcome.decision.lines(static_cast<int>(i));
    // Mileage has no amount typed in: count what the rate gives.
    outcome.claimed_total_pence +=
        line.category() == v1::EXPENSE_CATEGORY_MILEAGE
            ? decided.allowed_pence()
            : line.amount_pence();
    if (line.category() == v1::EXPENSE_CATEGORY_MILEAGE &&
        line.vehicle() == v1::VEHICLE_TYPE_CAR &&
        decided.outcome() != v1::LINE_OUTCOME_REFUSED) {
      outcome.car_tenths += line.distance_tenths_of_mile();
    }
  }
  return outcome;
}

v1::ClaimState ClaimStateFor(const v1::Decision& decision) {
  bool any_review = false, all_refused = true, any_declined = false;
  int64_t payable = 0;
  for (const auto& line : decision.lines()) {
    any_review |= line.outcome() == v1::LINE_OUTCOME_NEEDS_REVIEW;
    all_refused &= line.outcome() == v1::LINE_OUTCOME_REFUSED;
    any_declined |= line.rule() == kDeclinedRule;
    payable += line.allowed_pence();
  }
  if (any_review || decision.needs_review()) {
    return v1::CLAIM_STATE_NEEDS_REVIEW;
  }
  if (any_declined && payable == 0) return v1::CLAIM_STATE_DECLINED;
  if (all_refused) return v1::CLAIM_STATE_REJECTED;
  return v1::CLAIM_STATE_APPROVED;
}

v1::PaymentMethod PaymentMethodFor(int payment_preference) {
  if (payment_preference == v1::PAYMENT_METHOD_UNSPECIFIED ||
      !v1::PaymentMethod_IsValid(payment_preference)) {
    return v1::PAYMENT_METHOD_BANK_TRANSFER;
  }
  return static_cast<v1::PaymentMethod>(payment_preference);
}

}  // namespace reciprocity::policy
