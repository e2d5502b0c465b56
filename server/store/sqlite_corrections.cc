// Corrections to the programme tables: a session changed or cancelled, an
// attendance corrected or removed.
#include <SQLiteCpp/SQLiteCpp.h>

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "server/store/rows.h"
#include "server/store/sqlite_errors.h"
#include "server/store/transaction.h"

namespace reciprocity::store {

absl::StatusOr<std::vector<AttendanceRow>>
SqliteTransaction::ListAttendancesOfSession(int64_t session_id) {
  return Select<AttendanceRow>(
      absl::StrCat("SELECT ", kAttendanceColumns,
                   " FROM attendances WHERE session_id = ? ORDER BY "
                   "participant_id"),
      [&](SQLite::Statement& q) { q.bind(1, session_id); }, ReadAttendance);
}

absl::Status SqliteTransaction::UpdateSession(const SessionRow& row) {
  RECIP_ASSIGN_OR_RETURN(
      int64_t changed,
      Exec("UPDATE sessions SET session_date = ?, creche_provided = ?, "
           "body = ? WHERE id = ?",
           [&](SQLite::Statement& q) {
             q.bind(1, row.session_date);
             q.bind(2, row.creche_provided ? 1 : 0);
             q.bind(3, row.body.data(), static_cast<int>(row.body.size()));
             q.bind(4, row.id);
           }));
  if (changed != 1) {
    return absl::NotFoundError(absl::StrCat("sessions/", row.id, " not found"));
  }
  written_.Add(AuditedTable::kSessions, row.id);
  return absl::OkStatus();
}

absl::Status SqliteTransaction::UpdateAttendance(const AttendanceRow& row) {
  RECIP_ASSIGN_OR_RETURN(
      int64_t changed,
      Exec("UPDATE attendances SET minutes = ?, creche_used = ?, "
           "correction_reason = ?, corrected_by = ?, update_time_micros = ? "
           "WHERE session_id = ? AND participant_id = ?",
           [&](SQLite::Statement& q) {
             q.bind(1, row.minutes);
             BindOptionalBool(q, 2, row.creche_used);
             q.bind(3, row.correction_reason);
             q.bind(4, row.corrected_by);
             q.bind(5, row.update_time_micros);
             q.bind(6, row.session_id);
             q.bind(7, row.participant_id);
           }));
  if (changed != 1) {
    return absl::NotFoundError(
        absl::StrCat("no attendance at sessions/", row.session_id,
                     " is recorded for ", "participants/", row.participant_id));
  }
  return absl::OkStatus();
}

absl::Status SqliteTransaction::DeleteAttendance(
    int64_t session_id, const std::string& participant_id) {
  RECIP_ASSIGN_OR_RETURN(
      int64_t changed, Exec("DELETE FROM attendances WHERE session_id = ? AND "
                            "participant_id = ?",
                            [&](SQLite::Statement& q) {
                              q.bind(1, session_id);
                              q.bind(2, participant_id);
                            }));
  if (changed != 1) {
    return absl::NotFoundError(absl::StrCat("no attendance at sessions/",
                                            session_id, " is recorded for ",
                                            "participants/", participant_id));
  }
  return absl::OkStatus();
}

}  // namespace reciprocity::store
