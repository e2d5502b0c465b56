// Who may do what. The table of RPC x role lives in access.cc; the scope
// checks below (own records, own service areas) are used by the domain
// services. Following AIP-211, a caller without permission gets
// PERMISSION_DENIED whether or not the record exists.
#ifndef RECIPROCITY_SERVER_DOMAIN_ACCESS_H_
#define RECIPROCITY_SERVER_DOMAIN_ACCESS_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "server/domain/principal.h"

namespace reciprocity {

// PERMISSION_DENIED unless one of the caller's roles may call `method` (the
// full gRPC method name, e.g. "/reciprocity.v1.ClaimService/SubmitClaim").
absl::Status AuthorizeMethod(const Principal& caller, absl::string_view method);

// The roles that may call `method`; empty when the method is unknown (and so
// nobody may call it).
std::vector<v1::Role> RolesFor(absl::string_view method);

// Participant: only for themself. Officer: anyone, in their areas.
absl::Status CheckMayActFor(const Principal& caller,
                            absl::string_view participant_id,
                            absl::string_view area_id);

// Participant: own records. Officer, finance, auditor: in their areas.
absl::Status CheckMayRead(const Principal& caller,
                          absl::string_view participant_id,
                          absl::string_view area_id);

// An officer of the area.
absl::Status CheckIsOfficerIn(const Principal& caller,
                              absl::string_view area_id);

// Narrows a listing to what the caller may see. Participants: only their
// own records (`participant_id` is set to theirs; PERMISSION_DENIED if it
// named someone else). Officers, finance, auditors: `area_ids_in` is set to
// their areas unless they act in every area.
absl::Status NarrowToCallerScope(const Principal& caller,
                                 std::string& participant_id,
                                 std::vector<std::string>& area_ids_in);

// The answer for a record that does not exist: NOT_FOUND for callers who
// could see any such record, PERMISSION_DENIED for everyone else, so that a
// caller cannot learn which records exist outside their scope.
absl::Status MissingRecord(const Principal& caller, absl::string_view what);

}  // namespace reciprocity

#endif  // RECIPROCITY_SERVER_DOMAIN_ACCESS_H_
