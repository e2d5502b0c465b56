// The one or two plain sentences about a whole claim (Decision.summary),
// from its lines as they stand. Pure.
#ifndef RECIPROCITY_POLICY_CLAIM_SUMMARY_H_
#define RECIPROCITY_POLICY_CLAIM_SUMMARY_H_

#include <cstdint>
#include <string>

#include "reciprocity/v1/claims.pb.h"

namespace reciprocity::policy {

// The rule named on lines not paid because the participant declined
// payment.
inline constexpr char kDeclinedRule[] = "payment.declined";

// The summary of a claim whose participant declined payment: `total` is
// what is paid to others directly, `needs_review` whether a person must
// still check some of it.
std::string DeclinedSummary(int64_t total, bool needs_review);

// The summary from the lines alone: what we will pay, how many lines a
// person will still check, and whether some are less than asked for.
std::string SummaryOfLines(const v1::Decision& decision);

// The summary of `claim` as it stands: withdrawn, declined, or what we will
// pay, what a person will still check and whether some lines are less than
// asked for. Given again after every change to the claim, so that it never
// speaks of lines as they were.
std::string ClaimSummary(const v1::Claim& claim);

}  // namespace reciprocity::policy

#endif  // RECIPROCITY_POLICY_CLAIM_SUMMARY_H_
