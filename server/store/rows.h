// Rows: the store's row structs (store.h) read from and bound to SQLite
// statements, and the SQL the filters add to listings. Internal to the
// SQLite store: only its .cc files include this header.
//
// Read* read the current row of a statement that selected the matching
// k*Columns, in that order. Bind* bind the named parameters their INSERT and
// UPDATE statements use. None of them catches SQLite::Exception.
#ifndef RECIPROCITY_SERVER_STORE_ROWS_H_
#define RECIPROCITY_SERVER_STORE_ROWS_H_

#include <SQLiteCpp/SQLiteCpp.h>

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "server/store/store.h"

namespace reciprocity::store {

inline constexpr char kAttendanceColumns[] =
    "session_id, participant_id, minutes, entitlement_id, recorded_by, "
    "create_time_micros, creche_used, correction_reason, corrected_by, "
    "update_time_micros";

inline constexpr char kClaimColumns[] =
    "id, participant_id, area_id, project_id, session_id, session_date, "
    "state, claimed_total_pence, allowed_total_pence, car_tenths, entered_by, "
    "request_id, create_time_micros, update_time_micros, body";

inline constexpr char kAuditColumns[] =
    "sequence, time_micros, principal_id, action, record, request_id, "
    "prev_hash, hash, content_hash";

inline constexpr char kParticipantColumns[] =
    "id, participant_type, payment_preference, state, create_time_micros, "
    "update_time_micros, body";

inline constexpr char kSessionColumns[] =
    "id, area_id, project_id, session_date, creche_provided, "
    "create_time_micros, body";

inline constexpr char kAgreementColumns[] =
    "id, participant_id, session_id, area_id, category, up_to_pence, "
    "create_time_micros, body";

inline constexpr char kEntitlementColumns[] =
    "id, participant_id, session_id, area_id, project_id, session_date, "
    "value_pence, state, create_time_micros, update_time_micros, body";

inline constexpr char kBatchColumns[] =
    "id, state, created_by, involved, create_time_micros, "
    "update_time_micros, body";

ClaimRow ReadClaim(SQLite::Statement& q);
// Binds every column but id.
void BindClaim(SQLite::Statement& q, const ClaimRow& r);
// Runs `fn` over every row of `q` (selecting kClaimColumns), stopping at the
// first error.
absl::Status EachClaim(SQLite::Statement& q,
                       const std::function<absl::Status(const ClaimRow&)>& fn);

ParticipantRow ReadParticipant(SQLite::Statement& q);
void BindParticipant(SQLite::Statement& q, const ParticipantRow& r);
SessionRow ReadSession(SQLite::Statement& q);
AgreementRow ReadAgreement(SQLite::Statement& q);
AttendanceRow ReadAttendance(SQLite::Statement& q);
// Binds true as 1, false as 0 and no value as NULL at `index`.
void BindOptionalBool(SQLite::Statement& q, int index,
                      const std::optional<bool>& value);
VoucherEntitlementRow ReadEntitlement(SQLite::Statement& q);
// Binds every column but id.
void BindEntitlement(SQLite::Statement& q, const VoucherEntitlementRow& r);

AuditRow ReadAudit(SQLite::Statement& q);

BatchRow ReadBatch(SQLite::Statement& q);
// Binds every column but id.
void BindBatch(SQLite::Statement& q, const BatchRow& r);

// "1,2,3" for an IN list of states; "-1" (no state) when empty.
std::string StatesList(const std::vector<int>& states);

// " AND area_id IN (:in0, ...)" when the filter limits areas, and binding
// its parameters.
std::string AreaInClause(const ProgrammeFilter& f);
void BindAreaIn(SQLite::Statement& q, const ProgrammeFilter& f);

// " AND ..." conditions for the claim filter's fields other than paging, and
// binding their parameters.
std::string FilterConditions(const ClaimFilter& f);
void BindFilterConditions(SQLite::Statement& q, const ClaimFilter& f);

}  // namespace reciprocity::store

#endif  // RECIPROCITY_SERVER_STORE_ROWS_H_
