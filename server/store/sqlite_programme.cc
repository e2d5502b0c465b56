// The programme tables: participants, sessions, agreements, attendances
// and voucher entitlements.
#include <SQLiteCpp/SQLiteCpp.h>

#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "server/store/rows.h"
#include "server/store/sqlite_errors.h"
#include "server/store/transaction.h"

namespace reciprocity::store {

absl::StatusOr<ParticipantRow> SqliteTransaction::GetParticipant(
    const std::string& id) {
  RECIP_ASSIGN_OR_RETURN(
      std::vector<ParticipantRow> rows,
      Select<ParticipantRow>(
          absl::StrCat("SELECT ", kParticipantColumns,
                       " FROM participants WHERE id = :id"),
          [&](SQLite::Statement& q) { q.bind(":id", id); }, ReadParticipant));
  if (rows.empty()) {
    return absl::NotFoundError(absl::StrCat("participants/", id, " not found"));
  }
  return rows.front();
}

absl::StatusOr<std::vector<ParticipantRow>> SqliteTransaction::ListParticipants(
    const ProgrammeFilter& f) {
  std::string sql = absl::StrCat("SELECT ", kParticipantColumns,
                                 " FROM participants WHERE id > :after");
  if (f.state != 0) sql += " AND state = :state";
  sql += " ORDER BY id LIMIT :limit";
  return Select<ParticipantRow>(
      sql,
      [&](SQLite::Statement& q) {
        q.bind(":after", f.after_key);
        if (f.state != 0) q.bind(":state", f.state);
        q.bind(":limit", f.limit);
      },
      ReadParticipant);
}

absl::StatusOr<int64_t> SqliteTransaction::CountParticipants() {
  return Scalar("SELECT COUNT(*) FROM participants", [](SQLite::Statement&) {});
}

absl::StatusOr<SessionRow> SqliteTransaction::GetSession(int64_t id) {
  RECIP_ASSIGN_OR_RETURN(
      std::vector<SessionRow> rows,
      Select<SessionRow>(
          absl::StrCat("SELECT ", kSessionColumns,
                       " FROM sessions WHERE id = :id"),
          [&](SQLite::Statement& q) { q.bind(":id", id); }, ReadSession));
  if (rows.empty()) {
    return absl::NotFoundError(absl::StrCat("sessions/", id, " not found"));
  }
  return rows.front();
}

absl::StatusOr<std::vector<SessionRow>> SqliteTransaction::ListSessions(
    const ProgrammeFilter& f) {
  std::string sql = absl::StrCat("SELECT ", kSessionColumns,
                                 " FROM sessions WHERE id > :after");
  if (!f.participant_id.empty()) {
    sql +=
        " AND EXISTS (SELECT 1 FROM attendances WHERE session_id = "
        "sessions.id AND participant_id = :participant)";
  }
  if (!f.area_id.empty()) sql += " AND area_id = :area";
  if (!f.project_id.empty()) sql += " AND project_id = :project";
  if (!f.date_from.empty()) sql += " AND session_date >= :from";
  if (!f.date_to.empty()) sql += " AND session_date <= :to";
  sql += AreaInClause(f);
  sql += " ORDER BY id LIMIT :limit";
  return Select<SessionRow>(
      sql,
      [&](SQLite::Statement& q) {
        q.bind(":after", f.after_id);
        if (!f.participant_id.empty()) {
          q.bind(":participant", f.participant_id);
        }
        if (!f.area_id.empty()) q.bind(":area", f.area_id);
        if (!f.project_id.empty()) q.bind(":project", f.project_id);
        if (!f.date_from.empty()) q.bind(":from", f.date_from);
        if (!f.date_to.empty()) q.bind(":to", f.date_to);
        BindAreaIn(q, f);
        q.bind(":limit", f.limit);
      },
      ReadSession);
}

absl::StatusOr<std::vector<AgreementRow>> SqliteTransaction::ListAgreements(
    const ProgrammeFilter& f) {
  std::string sql = absl::StrCat("SELECT ", kAgreementColumns,
                                 " FROM agreements WHERE id > :after");
  if (!f.participant_id.empty()) sql += " AND participant_id = :participant";
  if (f.session_id != 0) sql += " AND session_id = :session";
  if (f.standing_only) sql += " AND session_id IS NULL";
  if (!f.area_id.empty()) sql += " AND area_id = :area";
  sql += AreaInClause(f);
  sql += " ORDER BY id LIMIT :limit";
  return Select<AgreementRow>(
      sql,
      [&](SQLite::Statement& q) {
        q.bind(":after", f.after_id);
        if (!f.participant_id.empty()) q.bind(":participant", f.participant_id);
        if (f.session_id != 0) q.bind(":session", f.session_id);
        if (!f.area_id.empty()) q.bind(":area", f.area_id);
        BindAreaIn(q, f);
        q.bind(":limit", f.limit);
      },
      ReadAgreement);
}

absl::StatusOr<std::optional<AttendanceRow>> SqliteTransaction::FindAttendance(
    int64_t session_id, const std::string& participant_id) {
  RECIP_ASSIGN_OR_RETURN(
      std::vector<AttendanceRow> rows,
      Select<AttendanceRow>(
          absl::StrCat("SELECT ", kAttendanceColumns,
                       " FROM attendances WHERE session_id = :session AND "
                       "participant_id = :participant"),
          [&](SQLite::Statement& q) {
            q.bind(":session", session_id);
            q.bind(":participant", participant_id);
          },
          ReadAttendance));
  if (rows.empty()) return std::optional<AttendanceRow>();
  return std::optional<AttendanceRow>(rows.front());
}

absl::StatusOr<VoucherEntitlementRow> SqliteTransaction::GetVoucherEntitlement(
    int64_t id) {
  RECIP_ASSIGN_OR_RETURN(
      std::vector<VoucherEntitlementRow> rows,
      Select<VoucherEntitlementRow>(
          absl::StrCat("SELECT ", kEntitlementColumns,
                       " FROM voucher_entitlements WHERE id = :id"),
          [&](SQLite::Statement& q) { q.bind(":id", id); }, ReadEntitlement));
  if (rows.empty()) {
    return absl::NotFoundError(
        absl::StrCat("voucherEntitlements/", id, " not found"));
  }
  return rows.front();
}

absl::StatusOr<std::vector<VoucherEntitlementRow>>
SqliteTransaction::ListVoucherEntitlements(const ProgrammeFilter& f) {
  std::string sql =
      absl::StrCat("SELECT ", kEntitlementColumns,
                   " FROM voucher_entitlements WHERE id > :after");
  if (!f.participant_id.empty()) sql += " AND participant_id = :participant";
  if (!f.area_id.empty()) sql += " AND area_id = :area";
  if (f.state != 0) sql += " AND state = :state";
  if (!f.date_from.empty()) sql += " AND session_date >= :from";
  if (!f.date_to.empty()) sql += " AND session_date <= :to";
  sql += AreaInClause(f);
  sql += " ORDER BY id LIMIT :limit";
  return Select<VoucherEntitlementRow>(
      sql,
      [&](SQLite::Statement& q) {
        q.bind(":after", f.after_id);
        if (!f.participant_id.empty()) q.bind(":participant", f.participant_id);
        if (!f.area_id.empty()) q.bind(":area", f.area_id);
        if (f.state != 0) q.bind(":state", f.state);
        if (!f.date_from.empty()) q.bind(":from", f.date_from);
        if (!f.date_to.empty()) q.bind(":to", f.date_to);
        BindAreaIn(q, f);
        q.bind(":limit", f.limit);
      },
      ReadEntitlement);
}

absl::StatusOr<int64_t> SqliteTransaction::SumVoucherPence(
    const std::string& participant_id, const std::string& area_id,
    const std::string& from, const std::string& to,
    const std::vector<int>& states) {
  return Scalar(absl::StrCat("SELECT COALESCE(SUM(value_pence), 0) FROM "
                             "voucher_entitlements WHERE participant_id = "
                             ":participant AND area_id = :area AND "
                             "session_date >= :from AND session_date <= :to "
                             "AND state IN (",
                             StatesList(states), ")"),
                [&](SQLite::Statement& q) {
                  q.bind(":participant", participant_id);
                  q.bind(":area", area_id);
                  q.bind(":from", from);
                  q.bind(":to", to);
                });
}

absl::StatusOr<int64_t> SqliteTransaction::SumProjectVoucherPence(
    const std::string& area_id, const std::string& project_id,
    const std::string& from, const std::string& to,
    const std::vector<int>& states) {
  return Scalar(absl::StrCat("SELECT COALESCE(SUM(value_pence), 0) FROM "
                             "voucher_entitlements WHERE area_id = :area AND "
                             "project_id = :project AND session_date >= :from "
                             "AND session_date <= :to AND state IN (",
                             StatesList(states), ")"),
                [&](SQLite::Statement& q) {
                  q.bind(":area", area_id);
                  q.bind(":project", project_id);
                  q.bind(":from", from);
                  q.bind(":to", to);
                });
}

absl::Status SqliteTransaction::InsertParticipant(const ParticipantRow& row) {
  // Checked first rather than with INSERT OR IGNORE, which would also
  // swallow a CHECK failure.
  RECIP_ASSIGN_OR_RETURN(
      int64_t taken,
      Scalar("SELECT COUNT(*) FROM participants WHERE id = :id",
             [&](SQLite::Statement& q) { q.bind(":id", row.id); }));
  if (taken != 0) {
    return absl::AlreadyExistsError(
        absl::StrCat("participants/", row.id, " already exists"));
  }
  RECIP_ASSIGN_OR_RETURN(
      int64_t changed,
      Exec("INSERT INTO participants (id, participant_type, "
           "payment_preference, state, create_time_micros, "
           "update_time_micros, body) VALUES (:id, :type, :preference, "
           ":state, :create_time, :update_time, :body)",
           [&](SQLite::Statement& q) { BindParticipant(q, row); }));
  if (changed != 1) {
    return absl::AlreadyExistsError(
        absl::StrCat("participants/", row.id, " already exists"));
  }
  written_.AddParticipant(row.id);
  return absl::OkStatus();
}

absl::Status SqliteTransaction::UpdateParticipant(const ParticipantRow& row) {
  RECIP_ASSIGN_OR_RETURN(
      int64_t changed,
      Exec("UPDATE participants SET participant_type = :type, "
           "payment_preference = :preference, state = :state, "
           "create_time_micros = :create_time, update_time_micros = "
           ":update_time, body = :body WHERE id = :id",
           [&](SQLite::Statement& q) { BindParticipant(q, row); }));
  if (changed != 1) {
    return absl::NotFoundError(
        absl::StrCat("participants/", row.id, " not found"));
  }
  written_.AddParticipant(row.id);
  return absl::OkStatus();
}

absl::StatusOr<int64_t> SqliteTransaction::InsertSession(
    const SessionRow& row) {
  return InsertReturningId(
      AuditedTable::kSessions,
      "INSERT INTO sessions (area_id, project_id, session_date, "
      "creche_provided, create_time_micros, body) VALUES (?, ?, ?, ?, ?, ?)",
      [&](SQLite::Statement& q) {
        q.bind(1, row.area_id);
        q.bind(2, row.project_id);
        q.bind(3, row.session_date);
        q.bind(4, row.creche_provided ? 1 : 0);
        q.bind(5, row.create_time_micros);
        q.bind(6, row.body.data(), static_cast<int>(row.body.size()));
      });
}

absl::StatusOr<int64_t> SqliteTransaction::InsertAgreement(
    const AgreementRow& row) {
  return InsertReturningId(
      AuditedTable::kAgreements,
      "INSERT INTO agreements (participant_id, session_id, area_id, "
      "category, up_to_pence, create_time_micros, body) VALUES (?, ?, ?, ?, "
      "?, ?, ?)",
      [&](SQLite::Statement& q) {
        q.bind(1, row.participant_id);
        // A standing agreement covers no one session.
        if (row.session_id == 0) {
          q.bind(2);
        } else {
          q.bind(2, row.session_id);
        }
        q.bind(3, row.area_id);
        q.bind(4, row.category);
        q.bind(5, row.up_to_pence);
        q.bind(6, row.create_time_micros);
        q.bind(7, row.body.data(), static_cast<int>(row.body.size()));
      });
}

absl::StatusOr<int64_t> SqliteTransaction::InsertVoucherEntitlement(
    const VoucherEntitlementRow& row) {
  return InsertReturningId(
      AuditedTable::kVoucherEntitlements,
      "INSERT INTO voucher_entitlements (participant_id, session_id, "
      "area_id, project_id, session_date, value_pence, state, "
      "create_time_micros, update_time_micros, body) VALUES (:participant, "
      ":session, :area, :project, :date, :value, :state, :create_time, "
      ":update_time, :body)",
      [&](SQLite::Statement& q) { BindEntitlement(q, row); });
}

absl::Status SqliteTransaction::UpdateVoucherEntitlement(
    const VoucherEntitlementRow& row) {
  RECIP_ASSIGN_OR_RETURN(
      int64_t changed,
      Exec("UPDATE voucher_entitlements SET participant_id = :participant, "
           "session_id = :session, area_id = :area, project_id = :project, "
           "session_date = :date, value_pence = :value, state = :state, "
           "create_time_micros = :create_time, update_time_micros = "
           ":update_time, body = :body WHERE id = :id",
           [&](SQLite::Statement& q) {
             BindEntitlement(q, row);
             q.bind(":id", row.id);
           }));
  if (changed != 1) {
    return absl::NotFoundError(
        absl::StrCat("voucherEntitlements/", row.id, " not found"));
  }
  written_.Add(AuditedTable::kVoucherEntitlements, row.id);
  return absl::OkStatus();
}

absl::Status SqliteTransaction::InsertAttendance(const AttendanceRow& row) {
  RECIP_ASSIGN_OR_RETURN(std::optional<AttendanceRow> existing,
                         FindAttendance(row.session_id, row.participant_id));
  if (existing.has_value()) {
    return absl::AlreadyExistsError(absl::StrCat(
        "attendance at sessions/", row.session_id,
        " is already recorded for participants/", row.participant_id));
  }
  RECIP_ASSIGN_OR_RETURN(
      int64_t changed,
      Exec("INSERT INTO attendances (session_id, participant_id, "
           "minutes, entitlement_id, recorded_by, create_time_micros, "
           "creche_used) VALUES (?, ?, ?, ?, ?, ?, ?)",
           [&](SQLite::Statement& q) {
             q.bind(1, row.session_id);
             q.bind(2, row.participant_id);
             q.bind(3, row.minutes);
             q.bind(4, row.entitlement_id);
             q.bind(5, row.recorded_by);
             q.bind(6, row.create_time_micros);
             BindOptionalBool(q, 7, row.creche_used);
           }));
  if (changed != 1) {
    return absl::AlreadyExistsError(absl::StrCat(
        "attendance at sessions/", row.session_id,
        " is already recorded for participants/", row.participant_id));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<AttendanceRow>>
SqliteTransaction::ListAttendancesOfParticipant(
    const std::string& participant_id) {
  return Select<AttendanceRow>(
      absl::StrCat("SELECT ", kAttendanceColumns,
                   " FROM attendances WHERE participant_id = ? ORDER BY "
                   "session_id"),
      [&](SQLite::Statement& q) { q.bind(1, participant_id); }, ReadAttendance);
}

absl::Status SqliteTransaction::UpdateAgreementBody(int64_t id,
                                                    const std::string& body) {
  RECIP_ASSIGN_OR_RETURN(int64_t changed,
                         Exec("UPDATE agreements SET body = ? WHERE id = ?",
                              [&](SQLite::Statement& q) {
                                q.bind(1, body.data(),
                                       static_cast<int>(body.size()));
                                q.bind(2, id);
                              }));
  if (changed != 1) {
    return absl::NotFoundError(absl::StrCat("agreements/", id, " not found"));
  }
  written_.Add(AuditedTable::kAgreements, id);
  return absl::OkStatus();
}
}  // namespace reciprocity::store
