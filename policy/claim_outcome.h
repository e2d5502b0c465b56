// The whole outcome of a claim: the engine's decision on its lines, then the
// rules about the claim among the participant's other claims (repeats,
// same-day claims, attendance), a declined payment, who is paid, the totals
// and the claim's state, with every word the participant reads. Pure.
#ifndef RECIPROCITY_POLICY_CLAIM_OUTCOME_H_
#define RECIPROCITY_POLICY_CLAIM_OUTCOME_H_

#include <cstdint>
#include <vector>

#include "policy/claim_summary.h"
#include "policy/policy.h"
#include "reciprocity/v1/claims.pb.h"
#include "reciprocity/v1/types.pb.h"

namespace reciprocity::policy {

struct ClaimOutcome {
  // One line decision per line of ClaimFacts.lines, in order.
  v1::Decision decision;
  v1::ClaimState state = v1::CLAIM_STATE_UNSPECIFIED;
  // The lines as they are stored: a payee the project's rules do not pay
  // directly is dropped, so the line is paid to the participant.
  std::vector<v1::ClaimLine> lines;
  // What the participant asked for; for mileage, which has no amount typed
  // in, what the rate gives.
  int64_t claimed_total_pence = 0;
  // Car miles (tenths) of lines not refused, towards the HMRC tier.
  int64_t car_tenths = 0;
};

// Judges every line of `facts.lines`: a line repeating a settled earlier
// claim for the session (facts.claimed_for_session) is refused without being
// judged, so it uses up no cap; the rest are judged by Evaluate, then sent
// to a person when they repeat an unsettled claim for the session, repeat a
// claim on the same day with no session recorded, or nobody recorded that
// the participant came. A participant who declined payment is paid nothing;
// lines paid straight to someone else stay.
ClaimOutcome DecideClaim(const AreaPolicy& policy, const ClaimFacts& facts);

// The claim's state once every line has a decision: NEEDS_REVIEW while a
// person must check a line; DECLINED when the participant declined and
// nothing is left to pay (the rules did not refuse it); REJECTED when every
// line is refused; else APPROVED.
v1::ClaimState ClaimStateFor(const v1::Decision& decision);

// How the participant is paid, from their stored payment preference:
// bank transfer when they have none (or an unknown one).
v1::PaymentMethod PaymentMethodFor(int payment_preference);

}  // namespace reciprocity::policy

#endif  // RECIPROCITY_POLICY_CLAIM_OUTCOME_H_
