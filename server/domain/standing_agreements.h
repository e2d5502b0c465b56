// Standing agreements: what an officer agreed for a participant for every
// session of one project from one date to another (e.g. a taxi to each
// meeting from 1 January to 31 March, up to £15 each), instead of for one
// session. A session in the range counts as agreed before it when the
// agreement was recorded on or before its day, and as a retrospective
// approval (the claim's reason says "agreed after the session") when it was
// recorded later: the same rule as a one-session agreement.
#ifndef RECIPROCITY_SERVER_DOMAIN_STANDING_AGREEMENTS_H_
#define RECIPROCITY_SERVER_DOMAIN_STANDING_AGREEMENTS_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "policy/policy.h"
#include "reciprocity/v1/programme.pb.h"
#include "server/domain/names.h"
#include "server/store/store.h"

namespace reciprocity {

// The longest range one standing agreement may cover, in days: it is looked
// at again at least once a year.
inline constexpr int kMaxStandingAgreementDays = 366;

// Checks what any agreement carries (category, up_to_pence, note):
// INVALID_ARGUMENT naming the field.
absl::Status ValidateAgreementTerms(const v1::Agreement& agreement);

// True when the standing agreement covers a session of `project`
// ("serviceAreas/A/projects/P") on `day`: date_from <= day <= date_to.
bool StandingAgreementCovers(const v1::Agreement& agreement,
                             absl::string_view project, absl::CivilDay day);

// The participant's standing agreements covering a session of `project` on
// `session_day`, as the engine sees them (policy::Agreement), each marked
// after_the_session when it was recorded after that day.
absl::StatusOr<std::vector<policy::Agreement>> StandingAgreementsCovering(
    store::ReadTransaction& tx, const std::string& participant_id,
    const ProjectName& project, absl::CivilDay session_day);

// Stores `agreement` (its body, with the indexed columns beside it) for one
// session, or with `session_id` 0 as a standing agreement, and sets its name.
absl::Status InsertAgreement(store::WriteTransaction& tx,
                             const std::string& participant_id,
                             int64_t session_id, const std::string& area_id,
                             int64_t now_micros, v1::Agreement& agreement);

// Whether an agreement recorded at `create_time_micros` was made after the
// day of a session on `session_day` (Europe/London).
bool RecordedAfter(int64_t create_time_micros, absl::CivilDay session_day);

}  // namespace reciprocity

#endif  // RECIPROCITY_SERVER_DOMAIN_STANDING_AGREEMENTS_H_
