// What-if before a rule change: the claims of a service area judged again
// under a draft rule file, beside the rules in force, saving nothing.
#ifndef RECIPROCITY_SERVER_DOMAIN_WHATIF_H_
#define RECIPROCITY_SERVER_DOMAIN_WHATIF_H_

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "policy/policy.h"
#include "reciprocity/v1/policy_service.pb.h"
#include "server/store/store.h"

namespace reciprocity {

inline constexpr int kDefaultWhatIfListed = 100;
inline constexpr int kMaxWhatIfListed = 1000;
// The widest date range a what-if replays, in days (three years).
inline constexpr int kMaxWhatIfDays = 3 * 366;

// Judges every claim of `live`'s area whose session falls in [from, to]
// (all but withdrawn ones) twice, under `live` and under `draft`, with the
// same decision code as a submission (GatherClaimFacts with AsStored, then
// policy::DecideClaim) and the facts the claim was judged on; only the
// rules differ. Comparing two fresh judgements, not the stored decision
// with a fresh one, keeps officers' reviews out of the difference: a draft
// equal to the rules in force changes nothing.
//
// Under the draft, what a changed claim adds to or takes from its project's
// committed money is carried into the budget check of later claims in the
// range; car miles are not (they change only when a mileage line's refusal
// does). Lists the first `max_listed` changed claims by claim number; the
// totals and budgets cover them all. Reads in one read transaction and
// writes nothing.
absl::StatusOr<v1::WhatIfReport> ReplayUnderDraft(
    store::Store& store, const policy::AreaPolicy& live,
    const policy::AreaPolicy& draft, absl::CivilDay from, absl::CivilDay to,
    int max_listed);

}  // namespace reciprocity

#endif  // RECIPROCITY_SERVER_DOMAIN_WHATIF_H_
