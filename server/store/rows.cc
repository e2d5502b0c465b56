// Rows: reading the store's row structs from SQLite statements and binding
// them to statements, and the SQL the filters add to listings.
#include "server/store/rows.h"

#include <SQLiteCpp/SQLiteCpp.h>

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"

namespace reciprocity::store {

std::string StatesList(const std::vector<int>& states) {
  std::string out;
  for (int s : states) absl::StrAppend(&out, out.empty() ? "" : ",", s);
  return out.empty() ? "-1" : out;
}

AttendanceRow ReadAttendance(SQLite::Statement& q) {
  AttendanceRow r;
  r.session_id = q.getColumn(0).getInt64();
  r.participant_id = q.getColumn(1).getString();
  r.minutes = q.getColumn(2).getInt();
  r.entitlement_id = q.getColumn(3).getInt64();
  r.recorded_by = q.getColumn(4).getString();
  r.create_time_micros = q.getColumn(5).getInt64();
  if (!q.getColumn(6).isNull()) r.creche_used = q.getColumn(6).getInt() != 0;
  r.correction_reason = q.getColumn(7).getString();
  r.corrected_by = q.getColumn(8).getString();
  r.update_time_micros = q.getColumn(9).getInt64();
  return r;
}

void BindOptionalBool(SQLite::Statement& q, int index,
                      const std::optional<bool>& value) {
  if (value.has_value()) {
    q.bind(index, *value ? 1 : 0);
  } else {
    q.bind(index);  // NULL
  }
}

ClaimRow ReadClaim(SQLite::Statement& q) {
  ClaimRow r;
  r.id = q.getColumn(0).getInt64();
  r.participant_id = q.getColumn(1).getString();
  r.area_id = q.getColumn(2).getString();
  r.project_id = q.getColumn(3).getString();
  r.session_id = q.getColumn(4).getString();
  r.session_date = q.getColumn(5).getString();
  r.state = q.getColumn(6).getInt();
  r.claimed_total_pence = q.getColumn(7).getInt64();
  r.allowed_total_pence = q.getColumn(8).getInt64();
  r.car_tenths = q.getColumn(9).getInt64();
  r.entered_by = q.getColumn(10).getString();
  r.request_id = q.getColumn(11).getString();
  r.create_time_micros = q.getColumn(12).getInt64();
  r.update_time_micros = q.getColumn(13).getInt64();
  r.body = q.getColumn(14).getString();
  return r;
}

AuditRow ReadAudit(SQLite::Statement& q) {
  AuditRow r;
  r.sequence = q.getColumn(0).getInt64();
  r.time_micros = q.getColumn(1).getInt64();
  r.principal_id = q.getColumn(2).getString();
  r.action = q.getColumn(3).getString();
  r.record = q.getColumn(4).getString();
  r.request_id = q.getColumn(5).getString();
  r.prev_hash = q.getColumn(6).getString();
  r.hash = q.getColumn(7).getString();
  r.content_hash = q.getColumn(8).getString();
  return r;
}

void BindClaim(SQLite::Statement& q, const ClaimRow& r) {
  q.bind(":participant_id", r.participant_id);
  q.bind(":area_id", r.area_id);
  q.bind(":project_id", r.project_id);
  q.bind(":session_id", r.session_id);
  q.bind(":session_date", r.session_date);
  q.bind(":state", r.state);
  q.bind(":claimed", r.claimed_total_pence);
  q.bind(":allowed", r.allowed_total_pence);
  q.bind(":car_tenths", r.car_tenths);
  q.bind(":entered_by", r.entered_by);
  q.bind(":request_id", r.request_id);
  q.bind(":create_time", r.create_time_micros);
  q.bind(":update_time", r.update_time_micros);
  q.bind(":body", r.body.data(), static_cast<int>(r.body.size()));
}

ParticipantRow ReadParticipant(SQLite::Statement& q) {
  ParticipantRow r;
  r.id = q.getColumn(0).getString();
  r.participant_type = q.getColumn(1).getInt();
  r.payment_preference = q.getColumn(2).getInt();
  r.state = q.getColumn(3).getInt();
  r.create_time_micros = q.getColumn(4).getInt64();
  r.update_time_micros = q.getColumn(5).getInt64();
  r.body = q.getColumn(6).getString();
  return r;
}

void BindParticipant(SQLite::Statement& q, const ParticipantRow& r) {
  q.bind(":id", r.id);
  q.bind(":type", r.participant_type);
  q.bind(":preference", r.payment_preference);
  q.bind(":state", r.state);
  q.bind(":create_time", r.create_time_micros);
  q.bind(":update_time", r.update_time_micros);
  q.bind(":body", r.body.data(), static_cast<int>(r.body.size()));
}

SessionRow ReadSession(SQLite::Statement& q) {
  SessionRow r;
  r.id = q.getColumn(0).getInt64();
  r.area_id = q.getColumn(1).getString();
  r.project_id = q.getColumn(2).getString();
  r.session_date = q.getColumn(3).getString();
  r.creche_provided = q.getColumn(4).getInt() != 0;
  r.create_time_micros = q.getColumn(5).getInt64();
  r.body = q.getColumn(6).getString();
  return r;
}

AgreementRow ReadAgreement(SQLite::Statement& q) {
  AgreementRow r;
  r.id = q.getColumn(0).getInt64();
  r.participant_id = q.getColumn(1).getString();
  r.session_id = q.getColumn(2).getInt64();
  r.area_id = q.getColumn(3).getString();
  r.category = q.getColumn(4).getInt();
  r.up_to_pence = q.getColumn(5).getInt64();
  r.create_time_micros = q.getColumn(6).getInt64();
  r.body = q.getColumn(7).getString();
  return r;
}

VoucherEntitlementRow ReadEntitlement(SQLite::Statement& q) {
  VoucherEntitlementRow r;
  r.id = q.getColumn(0).getInt64();
  r.participant_id = q.getColumn(1).getString();
  r.session_id = q.getColumn(2).getInt64();
  r.area_id = q.getColumn(3).getString();
  r.project_id = q.getColumn(4).getString();
  r.session_date = q.getColumn(5).getString();
  r.value_pence = q.getColumn(6).getInt64();
  r.state = q.getColumn(7).getInt();
  r.create_time_micros = q.getColumn(8).getInt64();
  r.update_time_micros = q.getColumn(9).getInt64();
  r.body = q.getColumn(10).getString();
  return r;
}

void BindEntitlement(SQLite::Statement& q, const VoucherEntitlementRow& r) {
  q.bind(":participant", r.participant_id);
  q.bind(":session", r.session_id);
  q.bind(":area", r.area_id);
  q.bind(":project", r.project_id);
  q.bind(":date", r.session_date);
  q.bind(":value", r.value_pence);
  q.bind(":state", r.state);
  q.bind(":create_time", r.create_time_micros);
  q.bind(":update_time", r.update_time_micros);
  q.bind(":body", r.body.data(), static_cast<int>(r.body.size()));
}

// " AND area_id IN (:in0, ...)" when the filter limits areas.
std::string AreaInClause(const ProgrammeFilter& f) {
  if (f.area_ids_in.empty()) return "";
  std::string sql = " AND area_id IN (";
  for (size_t i = 0; i < f.area_ids_in.size(); ++i) {
    absl::StrAppend(&sql, i ? ", " : "", ":in", i);
  }
  return sql + ")";
}

void BindAreaIn(SQLite::Statement& q, const ProgrammeFilter& f) {
  for (size_t i = 0; i < f.area_ids_in.size(); ++i) {
    q.bind(absl::StrCat(":in", i), f.area_ids_in[i]);
  }
}

// " AND ..." conditions for the claim filter's fields other than paging.
std::string FilterConditions(const ClaimFilter& f) {
  std::string sql;
  if (!f.participant_id.empty()) sql += " AND participant_id = :participant";
  if (!f.area_id.empty()) sql += " AND area_id = :area";
  if (!f.project_id.empty()) sql += " AND project_id = :project";
  for (size_t i = 0; i < f.area_ids_in.size(); ++i) {
    absl::StrAppend(&sql, i ? ", " : " AND area_id IN (", ":in", i,
                    i + 1 == f.area_ids_in.size() ? ")" : "");
  }
  if (f.state != 0) sql += " AND state = :state";
  if (!f.session_date_from.empty()) sql += " AND session_date >= :from";
  if (!f.session_date_to.empty()) sql += " AND session_date <= :to";
  return sql;
}

void BindFilterConditions(SQLite::Statement& q, const ClaimFilter& f) {
  if (!f.participant_id.empty()) q.bind(":participant", f.participant_id);
  if (!f.area_id.empty()) q.bind(":area", f.area_id);
  if (!f.project_id.empty()) q.bind(":project", f.project_id);
  for (size_t i = 0; i < f.area_ids_in.size(); ++i) {
    q.bind(absl::StrCat(":in", i), f.area_ids_in[i]);
  }
  if (f.state != 0) q.bind(":state", f.state);
  if (!f.session_date_from.empty()) q.bind(":from", f.session_date_from);
  if (!f.session_date_to.empty()) q.bind(":to", f.session_date_to);
}

// Runs `fn` over every row of `q`, stopping at the first error.
absl::Status EachClaim(SQLite::Statement& q,
                       const std::function<absl::Status(const ClaimRow&)>& fn) {
  while (q.executeStep()) {
    absl::Status s = fn(ReadClaim(q));
    if (!s.ok()) return s;
  }
  return absl::OkStatus();
}

BatchRow ReadBatch(SQLite::Statement& q) {
  BatchRow r;
  r.id = q.getColumn(0).getInt64();
  r.state = q.getColumn(1).getInt();
  r.created_by = q.getColumn(2).getString();
  r.involved = q.getColumn(3).getString();
  r.create_time_micros = q.getColumn(4).getInt64();
  r.update_time_micros = q.getColumn(5).getInt64();
  r.body = q.getColumn(6).getString();
  return r;
}

void BindBatch(SQLite::Statement& q, const BatchRow& r) {
  q.bind(":state", r.state);
  q.bind(":created_by", r.created_by);
  q.bind(":involved", r.involved);
  q.bind(":create_time", r.create_time_micros);
  q.bind(":update_time", r.update_time_micros);
  q.bind(":body", r.body.data(), static_cast<int>(r.body.size()));
}
}  // namespace reciprocity::store
