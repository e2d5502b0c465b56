#include "server/domain/batch_duties.h"

#include "absl/strings/str_cat.h"
#include "server/domain/claim_service.h"

namespace reciprocity {

ClaimPart PartInClaim(const v1::Claim& claim, absl::string_view principal_id) {
  if (principal_id.empty()) return ClaimPart::kNone;
  if (claim.entered_by() == principal_id) return ClaimPart::kEntered;
  for (const v1::LineDecision& line : claim.decision().lines()) {
    if (line.has_review() && line.review().reviewer() == principal_id) {
      return ClaimPart::kReviewed;
    }
  }
  // A review later undone by an appeal and a second review is still a part.
  for (const v1::ClaimEvent& event : claim.history()) {
    if (event.actor() == principal_id && IsReviewEvent(event)) {
      return ClaimPart::kReviewed;
    }
  }
  return ClaimPart::kNone;
}

void AddPeopleWithAPart(const v1::Claim& claim, std::set<std::string>& people) {
  if (!claim.entered_by().empty()) people.insert(claim.entered_by());
  for (const v1::LineDecision& line : claim.decision().lines()) {
    if (line.has_review() && !line.review().reviewer().empty()) {
      people.insert(line.review().reviewer());
    }
  }
  for (const v1::ClaimEvent& event : claim.history()) {
    if (!event.actor().empty() && IsReviewEvent(event)) {
      people.insert(event.actor());
    }
  }
}

absl::Status ApprovalBarredByPart(ClaimPart part,
                                  absl::string_view claim_name) {
  switch (part) {
    case ClaimPart::kNone:
      return absl::OkStatus();
    case ClaimPart::kEntered:
      return absl::PermissionDeniedError(
          absl::StrCat("you entered a claim in this batch (", claim_name,
                       "), so someone else must approve it"));
    case ClaimPart::kReviewed:
      return absl::PermissionDeniedError(
          absl::StrCat("you reviewed a claim in this batch (", claim_name,
                       "), so someone else must approve it"));
  }
  return absl::OkStatus();
}

}  // namespace reciprocity
