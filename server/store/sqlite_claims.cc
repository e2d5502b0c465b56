// The claims table: reads, listings, running totals and writes.
#include <SQLiteCpp/SQLiteCpp.h>

#include <algorithm>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "server/store/rows.h"
#include "server/store/sqlite_errors.h"
#include "server/store/transaction.h"

namespace reciprocity::store {

absl::StatusOr<ClaimRow> SqliteTransaction::GetClaim(int64_t id) {
  ClaimRow row;
  absl::Status s = Guard([&] {
    Prepared prepared = connection_.Prepare(
        absl::StrCat("SELECT ", kClaimColumns, " FROM claims WHERE id = ?"));
    SQLite::Statement& q = *prepared;
    q.bind(1, id);
    if (!q.executeStep()) {
      return absl::NotFoundError(absl::StrCat("claims/", id, " not found"));
    }
    row = ReadClaim(q);
    return absl::OkStatus();
  });
  if (!s.ok()) return s;
  return row;
}

absl::StatusOr<std::vector<ClaimRow>> SqliteTransaction::ListClaims(
    const ClaimFilter& f) {
  if (f.area_id.empty() && f.area_ids_in.size() > 1) {
    // One walk of the (area_id, id) index per area, merged: with an IN
    // list SQLite would sort every claim of every area to find one page.
    std::vector<ClaimRow> merged;
    for (const std::string& area : f.area_ids_in) {
      ClaimFilter one = f;
      one.area_id = area;
      one.area_ids_in.clear();
      RECIP_ASSIGN_OR_RETURN(std::vector<ClaimRow> rows, ListClaims(one));
      for (ClaimRow& row : rows) merged.push_back(std::move(row));
    }
    std::sort(merged.begin(), merged.end(),
              [&f](const ClaimRow& a, const ClaimRow& b) {
                return f.newest_first ? a.id > b.id : a.id < b.id;
              });
    const size_t limit = static_cast<size_t>(std::max(f.limit, 0));
    if (merged.size() > limit) merged.resize(limit);
    return merged;
  }
  std::vector<ClaimRow> rows;
  absl::Status s = Guard([&] {
    Prepared prepared = connection_.Prepare(
        f.newest_first
            ? absl::StrCat("SELECT ", kClaimColumns, " FROM claims WHERE ",
                           f.after_id > 0 ? "id < :after" : "id > 0",
                           FilterConditions(f),
                           " ORDER BY id DESC LIMIT :limit")
            : absl::StrCat("SELECT ", kClaimColumns,
                           " FROM claims WHERE id > :after",
                           FilterConditions(f), " ORDER BY id LIMIT :limit"));
    SQLite::Statement& q = *prepared;
    if (!f.newest_first || f.after_id > 0) q.bind(":after", f.after_id);
    BindFilterConditions(q, f);
    q.bind(":limit", f.limit);
    while (q.executeStep()) rows.push_back(ReadClaim(q));
    return absl::OkStatus();
  });
  if (!s.ok()) return s;
  return rows;
}

absl::StatusOr<int64_t> SqliteTransaction::SumCarTenths(
    const std::string& participant_id, const std::string& from,
    const std::string& to, const std::vector<int>& states) {
  return SumColumn("participant_day_totals", "car_tenths",
                   "participant_id = :key", participant_id, "", from, to,
                   states);
}

absl::StatusOr<int64_t> SqliteTransaction::SumAllowedPence(
    const std::string& area_id, const std::string& project_id,
    const std::string& from, const std::string& to,
    const std::vector<int>& states) {
  return SumColumn("project_day_totals", "allowed_total_pence",
                   "area_id = :key AND project_id = :key2", area_id, project_id,
                   from, to, states);
}

absl::StatusOr<int64_t> SqliteTransaction::InsertClaim(const ClaimRow& row) {
  int64_t id = 0;
  absl::Status s = Guard([&] {
    Prepared prepared = connection_.Prepare(
        "INSERT INTO claims (participant_id, area_id, project_id, "
        "session_id, "
        "session_date, state, claimed_total_pence, allowed_total_pence, "
        "car_tenths, entered_by, request_id, create_time_micros, "
        "update_time_micros, body) VALUES (:participant_id, :area_id, "
        ":project_id, :session_id, :session_date, :state, :claimed, "
        ":allowed, "
        ":car_tenths, :entered_by, :request_id, :create_time, :update_time, "
        ":body)");
    SQLite::Statement& q = *prepared;
    BindClaim(q, row);
    q.exec();
    id = db_.getLastInsertRowid();
    return absl::OkStatus();
  });
  if (!s.ok()) return s;
  written_.Add(AuditedTable::kClaims, id);
  return id;
}

absl::Status SqliteTransaction::UpdateClaim(const ClaimRow& row) {
  return Guard([&] {
    Prepared prepared = connection_.Prepare(
        "UPDATE claims SET participant_id = :participant_id, area_id = "
        ":area_id, project_id = :project_id, session_id = :session_id, "
        "session_date = :session_date, state = :state, claimed_total_pence = "
        ":claimed, allowed_total_pence = :allowed, car_tenths = :car_tenths, "
        "entered_by = :entered_by, request_id = :request_id, "
        "create_time_micros = :create_time, update_time_micros = "
        ":update_time, body = :body WHERE id = :id");
    SQLite::Statement& q = *prepared;
    BindClaim(q, row);
    q.bind(":id", row.id);
    if (q.exec() != 1) {
      return absl::NotFoundError(absl::StrCat("claims/", row.id, " not found"));
    }
    written_.Add(AuditedTable::kClaims, row.id);
    return absl::OkStatus();
  });
}

absl::StatusOr<std::vector<ClaimRow>> SqliteTransaction::ListClaimsOnDay(
    const std::string& participant_id, const std::string& session_date) {
  return Select<ClaimRow>(
      absl::StrCat("SELECT ", kClaimColumns,
                   " FROM claims WHERE participant_id = :participant AND "
                   "session_date = :date ORDER BY id LIMIT 100"),
      [&](SQLite::Statement& q) {
        q.bind(":participant", participant_id);
        q.bind(":date", session_date);
      },
      ReadClaim);
}

absl::StatusOr<int64_t> SqliteTransaction::SumColumn(
    const char* table, const char* column, const char* key_clause,
    const std::string& key, const std::string& key2, const std::string& from,
    const std::string& to, const std::vector<int>& states) {
  int64_t total = 0;
  absl::Status s = Guard([&] {
    Prepared prepared = connection_.Prepare(
        absl::StrCat("SELECT COALESCE(SUM(", column, "), 0) FROM ", table,
                     " WHERE ", key_clause,
                     " AND session_date >= :from AND session_date <= :to"
                     " AND state IN (",
                     StatesList(states), ")"));
    SQLite::Statement& q = *prepared;
    q.bind(":key", key);
    if (!key2.empty()) q.bind(":key2", key2);
    q.bind(":from", from);
    q.bind(":to", to);
    q.executeStep();
    total = q.getColumn(0).getInt64();
    return absl::OkStatus();
  });
  if (!s.ok()) return s;
  return total;
}

absl::Status SqliteTransaction::ScanClaims(
    const ClaimFilter& filter,
    const std::function<absl::Status(const ClaimRow&)>& fn) {
  return Guard([&] {
    Prepared prepared = connection_.Prepare(
        absl::StrCat("SELECT ", kClaimColumns, " FROM claims WHERE id > :after",
                     FilterConditions(filter), " ORDER BY id"));
    SQLite::Statement& q = *prepared;
    q.bind(":after", filter.after_id);
    BindFilterConditions(q, filter);
    return EachClaim(q, fn);
  });
}
}  // namespace reciprocity::store
