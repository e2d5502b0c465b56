// Separation of duties for payment batches: who may not approve a batch,
// and why. Pure: reads claims and batch rows, touches nothing.
#ifndef RECIPROCITY_SERVER_DOMAIN_BATCH_DUTIES_H_
#define RECIPROCITY_SERVER_DOMAIN_BATCH_DUTIES_H_

#include <set>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "reciprocity/v1/claims.pb.h"

namespace reciprocity {

// What a person did to a claim that means someone else must approve a batch
// holding it. Adding the claim to a batch, or cancelling a batch and so
// freeing it, are not parts in the claim: they are things done to batches,
// and each batch records its own creator.
enum class ClaimPart {
  kNone,
  kEntered,   // submitted it, for themselves or for the participant
  kReviewed,  // approved or refused one of its lines, now or before an appeal
};

// `principal_id`'s part in `claim` (as stored: entered_by and history set).
// Entering outranks reviewing (nobody may review a claim they entered).
ClaimPart PartInClaim(const v1::Claim& claim, absl::string_view principal_id);

// Adds everyone with a part in `claim` to `people`.
void AddPeopleWithAPart(const v1::Claim& claim, std::set<std::string>& people);

// PERMISSION_DENIED saying which rule stops `principal_id` approving a batch
// holding `claim` (named `claim_name`), given their `part` in it; OK for
// kNone.
absl::Status ApprovalBarredByPart(ClaimPart part, absl::string_view claim_name);

}  // namespace reciprocity

#endif  // RECIPROCITY_SERVER_DOMAIN_BATCH_DUTIES_H_
