// Gathers from the store what the policy engine needs to decide a claim
// (policy::ClaimFacts): its session, attendance and agreements, earlier
// claims for the same session or day, car miles in the tax year and the
// project's committed budget. Reads only; decides nothing.
#ifndef RECIPROCITY_SERVER_DOMAIN_CLAIM_FACTS_H_
#define RECIPROCITY_SERVER_DOMAIN_CLAIM_FACTS_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "policy/policy.h"
#include "reciprocity/v1/claims.pb.h"
#include "server/domain/claim_validation.h"
#include "server/store/store.h"

namespace reciprocity {

// Reads a stored claim (name, state and update time from the row).
absl::StatusOr<v1::Claim> ClaimFromRow(const store::ClaimRow& row);

// Whether a claim in `state` (reciprocity.v1.ClaimState) counts against its
// project's budget (approved, batched, paid), and whether its car miles
// count towards the HMRC tier (needing review too).
bool CountsAgainstBudget(int state);
bool CountsTowardsCarMiles(int state);
// Whether a voucher entitlement in `state` (VoucherEntitlementState) counts
// against its project's budget: earned (owed) or issued (given).
bool VoucherCountsAgainstBudget(int state);

// For judging a stored claim again (the what-if): the facts are those it
// was judged on, as far as the store still tells them. Only earlier claims
// (lower ids), and agreements and attendance recorded by the time the claim
// was made, count; a claim stored without a session stays without one; the
// payment method and crèche are as the claim records them; and the sums,
// which the caller keeps running over the claims before this one, are
// given.
struct AsStored {
  int64_t claim_id = 0;
  int64_t create_time_micros = 0;
  int64_t car_tenths_earlier_in_tax_year = 0;
  int64_t project_committed_pence = 0;
};

struct GatheredFacts {
  policy::ClaimFacts facts;  // every line of the claim, in order
  // "sessions/N": the session named, or the project's session on the
  // claim's date; empty when none is recorded.
  std::string session_name;
};

// The facts for `claim`, whose `references` ValidateClaim returned, made by
// `participant` on `today` under `area`'s rules. INVALID_ARGUMENT or
// NOT_FOUND (naming the field) when the session does not exist, is another
// project's or falls on another day than the claim says, or when the
// session is in the future. With `as_stored`, `claim` is a stored claim,
// `today` the day it was made, and the facts are as AsStored says.
// FAILED_PRECONDITION when the session was cancelled (not for a stored
// claim). `replacing`, when not null, is the stored claim this one amends:
// it is left out of the repeat checks and the car miles, and its own
// session may still be claimed for after being cancelled.
absl::StatusOr<GatheredFacts> GatherClaimFacts(
    store::ReadTransaction& tx, const policy::AreaPolicy& area,
    const v1::Claim& claim, const ClaimReferences& references,
    const store::ParticipantRow& participant, absl::CivilDay today,
    const AsStored* as_stored = nullptr,
    const store::ClaimRow* replacing = nullptr);

}  // namespace reciprocity

#endif  // RECIPROCITY_SERVER_DOMAIN_CLAIM_FACTS_H_
