// Personal data: everything held about one participant (a subject-access
// export), the retention period, and anonymisation once it has passed.
// Financial records (claims, batches, payments) are never removed: only the
// personal data in and around them. Knows nothing of gRPC.
#ifndef RECIPROCITY_SERVER_DOMAIN_PRIVACY_SERVICE_H_
#define RECIPROCITY_SERVER_DOMAIN_PRIVACY_SERVICE_H_

#include "absl/status/statusor.h"
#include "base/clock.h"
#include "reciprocity/v1/admin.pb.h"
#include "reciprocity/v1/programme.pb.h"
#include "server/domain/principal.h"
#include "server/store/store.h"

namespace reciprocity {

// What an anonymised participant's display name becomes.
inline constexpr char kAnonymisedDisplayName[] = "Anonymised participant";

// Clears the claimant's and reviewers' free text in a claim (line
// descriptions, appeal comments, review reasons), keeping every amount,
// outcome, rule and date. Returns whether anything changed.
bool ClearClaimFreeText(v1::Claim& claim);

class PrivacyService {
 public:
  PrivacyService(store::Store& store, const Clock& clock)
      : store_(store), clock_(clock) {}

  // Participants for themselves; officers, administrators and auditors for
  // anyone, each seeing the records in their service areas. Others get
  // PERMISSION_DENIED whether or not the participant exists.
  absl::StatusOr<v1::ExportParticipantDataResponse> ExportParticipantData(
      const Principal& caller, const v1::ExportParticipantDataRequest& request);

  // Administrators only. FAILED_PRECONDITION when no retention period is
  // set, when the participant is already anonymised, or when the period has
  // not passed since their last activity (naming the first date it will
  // have).
  absl::StatusOr<v1::Participant> AnonymiseParticipant(
      const Principal& caller, const v1::AnonymiseParticipantRequest& request);

  absl::StatusOr<v1::RetentionPolicy> GetRetentionPolicy(
      const Principal& caller, const v1::GetRetentionPolicyRequest& request);
  // Administrators only; audited like every mutation.
  absl::StatusOr<v1::RetentionPolicy> UpdateRetentionPolicy(
      const Principal& caller, const v1::UpdateRetentionPolicyRequest& request);

 private:
  store::Store& store_;
  const Clock& clock_;
};

}  // namespace reciprocity

#endif  // RECIPROCITY_SERVER_DOMAIN_PRIVACY_SERVICE_H_
