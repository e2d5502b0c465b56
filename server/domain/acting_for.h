// Acting for a participant: as themself, as an officer of the service area,
// or as an appointee named on their record (a family member or support
// worker with their own sign-in). An appointee may do only what the
// participant could do for themself, and only what the callers below allow
// (appeal a refused line, change the payment preference): never more.
#ifndef RECIPROCITY_SERVER_DOMAIN_ACTING_FOR_H_
#define RECIPROCITY_SERVER_DOMAIN_ACTING_FOR_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "reciprocity/v1/programme.pb.h"
#include "server/domain/principal.h"
#include "server/store/store.h"

namespace reciprocity {

// How a caller came to act for a participant.
enum class ActingAs { kSelf, kOfficer, kAppointee };

// At most this many appointees on one record.
inline constexpr int kMaxAppointees = 5;

// True when `principal_id` is on the participant's appointees.
bool IsAppointeeOf(const v1::Participant& participant,
                   absl::string_view principal_id);

// The participant themself, an officer of `area_id` (of any area when
// `area_id` is empty) or one of the participant's appointees. Otherwise
// PERMISSION_DENIED, whether or not the participant exists. Reads the
// participant's record only for a caller who is neither of the first two.
absl::StatusOr<ActingAs> MayActForParticipant(store::ReadTransaction& tx,
                                              const Principal& caller,
                                              const std::string& participant_id,
                                              absl::string_view area_id);

// CheckMayRead (access.h), or the caller is one of the participant's
// appointees: enough to reach one of their records in order to act on it.
// What the caller may then do is checked by the action itself.
absl::Status MayReachAsAppointee(store::ReadTransaction& tx,
                                 const Principal& caller,
                                 const std::string& participant_id,
                                 absl::string_view area_id);

}  // namespace reciprocity

#endif  // RECIPROCITY_SERVER_DOMAIN_ACTING_FOR_H_
