#include "server/domain/acting_for.h"

#include <algorithm>

#include "base/status_macros.h"
#include "server/domain/access.h"
#include "server/domain/programme_service.h"

namespace reciprocity {
namespace {

// The same words whatever the reason, so that a refusal shows neither
// whether the participant exists nor whom they appointed.
absl::Status NotForYou() {
  return absl::PermissionDeniedError(
      "you may act only for yourself, for a participant who named you as "
      "their appointee, or as an officer of the service area");
}

absl::StatusOr<bool> CallerIsAppointee(store::ReadTransaction& tx,
                                       const Principal& caller,
                                       const std::string& participant_id) {
  auto row = tx.GetParticipant(participant_id);
  if (absl::IsNotFound(row.status())) return false;
  if (!row.ok()) return row.status();
  RECIP_ASSIGN_OR_RETURN(v1::Participant participant, ParticipantFromRow(*row));
  return IsAppointeeOf(participant, caller.id);
}

}  // namespace

bool IsAppointeeOf(const v1::Participant& participant,
                   absl::string_view principal_id) {
  return !principal_id.empty() &&
         std::find(participant.appointees().begin(),
                   participant.appointees().end(),
                   principal_id) != participant.appointees().end();
}

absl::StatusOr<ActingAs> MayActForParticipant(store::ReadTransaction& tx,
                                              const Principal& caller,
                                              const std::string& participant_id,
                                              absl::string_view area_id) {
  if (caller.HasRole(v1::ROLE_PARTICIPANT) && !caller.participant_id.empty() &&
      caller.participant_id == participant_id) {
    return ActingAs::kSelf;
  }
  if (area_id.empty() ? caller.HasRole(v1::ROLE_OFFICER)
                      : caller.HasRoleIn(v1::ROLE_OFFICER, area_id)) {
    return ActingAs::kOfficer;
  }
  RECIP_ASSIGN_OR_RETURN(bool appointee,
                         CallerIsAppointee(tx, caller, participant_id));
  if (appointee) return ActingAs::kAppointee;
  return NotForYou();
}

absl::Status MayReachAsAppointee(store::ReadTransaction& tx,
                                 const Principal& caller,
                                 const std::string& participant_id,
                                 absl::string_view area_id) {
  absl::Status may_read = CheckMayRead(caller, participant_id, area_id);
  if (may_read.ok() || !absl::IsPermissionDenied(may_read)) return may_read;
  RECIP_ASSIGN_OR_RETURN(bool appointee,
                         CallerIsAppointee(tx, caller, participant_id));
  return appointee ? absl::OkStatus() : may_read;
}

}  // namespace reciprocity
