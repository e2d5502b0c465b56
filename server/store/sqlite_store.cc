// The SQLite implementation of Store: the only file that includes SQLiteCpp.
//
// Durability: WAL mode with synchronous=FULL, so a commit is on disk before
// Write returns (or WriteAsync calls back). To keep throughput under
// concurrency, writes use group commit: callers queue their work, one writer
// thread runs everything queued in one transaction (each piece inside its own
// SAVEPOINT, so one piece failing does not undo another), commits once (one
// fsync) and then tells every caller in the group its own result.
#include <SQLiteCpp/SQLiteCpp.h>
#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <deque>
#include <exception>
#include <iterator>
#include <new>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "server/store/record_contents.h"
#include "server/store/schema.h"
#include "server/store/sqlite_connection.h"
#include "server/store/store.h"

namespace reciprocity::store {
namespace {

absl::Status FromSqlite(const SQLite::Exception& e) {
  // The primary code: extended codes (SQLITE_IOERR_FSYNC, ...) share its
  // low byte.
  const int code = e.getErrorCode() & 0xff;
  switch (code) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return absl::UnavailableError(
          absl::StrCat("database is busy, try again: ", e.what()));
    case SQLITE_FULL:
      return absl::ResourceExhaustedError(
          absl::StrCat("database disk is full: ", e.what()));
    case SQLITE_IOERR:
    case SQLITE_CANTOPEN:
    case SQLITE_READONLY:
      return absl::UnavailableError(
          absl::StrCat("database storage error: ", e.what()));
    case SQLITE_CONSTRAINT:
      return absl::FailedPreconditionError(
          absl::StrCat("database constraint: ", e.what()));
    default:
      return absl::InternalError(absl::StrCat("database error: ", e.what()));
  }
}

// Runs `fn`, turning SQLite exceptions into a Status.
template <typename Fn>
absl::Status Guard(Fn&& fn) {
  try {
    return fn();
  } catch (const SQLite::Exception& e) {
    return FromSqlite(e);
  } catch (const std::bad_alloc&) {
    return absl::ResourceExhaustedError("out of memory");
  }
}

std::string StatesList(const std::vector<int>& states) {
  std::string out;
  for (int s : states) absl::StrAppend(&out, out.empty() ? "" : ",", s);
  return out.empty() ? "-1" : out;
}

constexpr char kAttendanceColumns[] =
    "session_id, participant_id, minutes, entitlement_id, recorded_by, "
    "create_time_micros";

AttendanceRow ReadAttendance(SQLite::Statement& q) {
  AttendanceRow r;
  r.session_id = q.getColumn(0).getInt64();
  r.participant_id = q.getColumn(1).getString();
  r.minutes = q.getColumn(2).getInt();
  r.entitlement_id = q.getColumn(3).getInt64();
  r.recorded_by = q.getColumn(4).getString();
  r.create_time_micros = q.getColumn(5).getInt64();
  return r;
}

constexpr char kClaimColumns[] =
    "id, participant_id, area_id, project_id, session_id, session_date, "
    "state, claimed_total_pence, allowed_total_pence, car_tenths, entered_by, "
    "request_id, create_time_micros, update_time_micros, body";

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

constexpr char kAuditColumns[] =
    "sequence, time_micros, principal_id, action, record, request_id, "
    "prev_hash, hash, content_hash";

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

// `lhs = value of expr` or return its status; the store's own copy of the
// server macro, so that the store does not depend on the server.
#define RECIP_STORE_CONCAT_INNER_(a, b) a##b
#define RECIP_STORE_CONCAT_(a, b) RECIP_STORE_CONCAT_INNER_(a, b)
#define RECIP_STORE_ASSIGN_OR_RETURN(lhs, expr) \
  RECIP_STORE_ASSIGN_OR_RETURN_IMPL_(           \
      RECIP_STORE_CONCAT_(recip_store_or_, __LINE__), lhs, expr)
#define RECIP_STORE_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                                       \
  if (!tmp.ok()) return tmp.status();                      \
  lhs = std::move(tmp).value()

constexpr char kParticipantColumns[] =
    "id, participant_type, payment_preference, state, create_time_micros, "
    "update_time_micros, body";

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

constexpr char kSessionColumns[] =
    "id, area_id, project_id, session_date, creche_provided, "
    "create_time_micros, body";

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

constexpr char kAgreementColumns[] =
    "id, participant_id, session_id, area_id, category, up_to_pence, "
    "create_time_micros, body";

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

constexpr char kEntitlementColumns[] =
    "id, participant_id, session_id, area_id, project_id, session_date, "
    "value_pence, state, create_time_micros, update_time_micros, body";

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

// Reads and writes on one connection that is already inside a transaction.
class SqliteTransaction final : public WriteTransaction {
 public:
  explicit SqliteTransaction(Connection& connection)
      : db_(connection.db()), connection_(connection) {}

  absl::StatusOr<ClaimRow> GetClaim(int64_t id) override {
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

  absl::StatusOr<std::vector<ClaimRow>> ListClaims(
      const ClaimFilter& f) override {
    if (f.area_id.empty() && f.area_ids_in.size() > 1) {
      // One walk of the (area_id, id) index per area, merged: with an IN
      // list SQLite would sort every claim of every area to find one page.
      std::vector<ClaimRow> merged;
      for (const std::string& area : f.area_ids_in) {
        ClaimFilter one = f;
        one.area_id = area;
        one.area_ids_in.clear();
        RECIP_STORE_ASSIGN_OR_RETURN(std::vector<ClaimRow> rows,
                                     ListClaims(one));
        for (ClaimRow& row : rows) merged.push_back(std::move(row));
      }
      std::sort(
          merged.begin(), merged.end(),
          [](const ClaimRow& a, const ClaimRow& b) { return a.id < b.id; });
      const size_t limit = static_cast<size_t>(std::max(f.limit, 0));
      if (merged.size() > limit) merged.resize(limit);
      return merged;
    }
    std::vector<ClaimRow> rows;
    absl::Status s = Guard([&] {
      Prepared prepared = connection_.Prepare(absl::StrCat(
          "SELECT ", kClaimColumns, " FROM claims WHERE id > :after",
          FilterConditions(f), " ORDER BY id LIMIT :limit"));
      SQLite::Statement& q = *prepared;
      q.bind(":after", f.after_id);
      BindFilterConditions(q, f);
      q.bind(":limit", f.limit);
      while (q.executeStep()) rows.push_back(ReadClaim(q));
      return absl::OkStatus();
    });
    if (!s.ok()) return s;
    return rows;
  }

  absl::StatusOr<int64_t> SumCarTenths(
      const std::string& participant_id, const std::string& from,
      const std::string& to, const std::vector<int>& states) override {
    return SumColumn("participant_day_totals", "car_tenths",
                     "participant_id = :key", participant_id, "", from, to,
                     states);
  }

  absl::StatusOr<int64_t> SumAllowedPence(
      const std::string& area_id, const std::string& project_id,
      const std::string& from, const std::string& to,
      const std::vector<int>& states) override {
    return SumColumn("project_day_totals", "allowed_total_pence",
                     "area_id = :key AND project_id = :key2", area_id,
                     project_id, from, to, states);
  }

  absl::StatusOr<std::optional<RequestRow>> FindRequest(
      const std::string& request_id) override {
    std::optional<RequestRow> found;
    absl::Status s = Guard([&] {
      Prepared prepared = connection_.Prepare(
          "SELECT principal_id, method, request_hash, response, "
          "create_time_micros FROM requests WHERE request_id = ?");
      SQLite::Statement& q = *prepared;
      q.bind(1, request_id);
      if (q.executeStep()) {
        RequestRow r;
        r.request_id = request_id;
        r.principal_id = q.getColumn(0).getString();
        r.method = q.getColumn(1).getString();
        r.request_hash = q.getColumn(2).getString();
        r.response = q.getColumn(3).getString();
        r.create_time_micros = q.getColumn(4).getInt64();
        found = std::move(r);
      }
      return absl::OkStatus();
    });
    if (!s.ok()) return s;
    return found;
  }

  absl::StatusOr<std::optional<AuditRow>> AuditHead() override {
    std::optional<AuditRow> head;
    absl::Status s = Guard([&] {
      Prepared prepared =
          connection_.Prepare(absl::StrCat("SELECT ", kAuditColumns,
                                           " FROM audit_events ORDER BY "
                                           "sequence DESC LIMIT 1"));
      SQLite::Statement& q = *prepared;
      if (q.executeStep()) head = ReadAudit(q);
      return absl::OkStatus();
    });
    if (!s.ok()) return s;
    return head;
  }

  absl::StatusOr<std::vector<AuditRow>> ListAuditEvents(
      const AuditFilter& f) override {
    std::vector<AuditRow> rows;
    absl::Status s = Guard([&] {
      std::string sql =
          absl::StrCat("SELECT ", kAuditColumns,
                       " FROM audit_events WHERE sequence > :after");
      if (!f.record.empty()) sql += " AND record = :record";
      if (!f.principal_id.empty()) sql += " AND principal_id = :principal";
      sql += " ORDER BY sequence LIMIT :limit";
      Prepared prepared = connection_.Prepare(sql);
      SQLite::Statement& q = *prepared;
      q.bind(":after", f.after_sequence);
      if (!f.record.empty()) q.bind(":record", f.record);
      if (!f.principal_id.empty()) q.bind(":principal", f.principal_id);
      q.bind(":limit", f.limit);
      while (q.executeStep()) rows.push_back(ReadAudit(q));
      return absl::OkStatus();
    });
    if (!s.ok()) return s;
    return rows;
  }

  absl::Status ScanAuditContents(
      int64_t after_sequence, int64_t up_to_sequence,
      const std::function<absl::Status(const AuditContentRow&)>& fn) override {
    return Guard([&] {
      Prepared prepared = connection_.Prepare(
          "SELECT sequence, record, content_hash FROM audit_contents WHERE "
          "sequence > ? AND sequence <= ? ORDER BY sequence, record");
      SQLite::Statement& q = *prepared;
      q.bind(1, after_sequence);
      q.bind(2, up_to_sequence);
      while (q.executeStep()) {
        absl::Status s = fn(AuditContentRow{q.getColumn(0).getInt64(),
                                            q.getColumn(1).getString(),
                                            q.getColumn(2).getString()});
        if (!s.ok()) return s;
      }
      return absl::OkStatus();
    });
  }

  absl::Status ScanRecordContents(
      const std::function<absl::Status(const RecordContent&)>& fn) override {
    return Guard([&] { return ScanAllRecordContents(connection_, fn); });
  }

  absl::Status TakeWrittenRecords(
      const std::function<absl::Status(const RecordContent&)>& fn) override {
    return Guard([&] { return written_.Take(connection_, fn); });
  }

  // Forgets the records written so far: the group commit calls it before
  // each piece of work, so that each sees only its own (a failed piece's
  // writes are undone).
  void ForgetWrittenRecords() { written_.Clear(); }

  absl::Status AppendAuditEvent(
      const AuditRow& row,
      const std::vector<AuditContentRow>& contents) override {
    return Guard([&] {
      Prepared prepared = connection_.Prepare(
          "INSERT INTO audit_events (sequence, time_micros, "
          "principal_id, action, record, request_id, prev_hash, "
          "hash, content_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
      SQLite::Statement& q = *prepared;
      q.bind(1, row.sequence);
      q.bind(2, row.time_micros);
      q.bind(3, row.principal_id);
      q.bind(4, row.action);
      q.bind(5, row.record);
      q.bind(6, row.request_id);
      q.bind(7, row.prev_hash);
      q.bind(8, row.hash);
      q.bind(9, row.content_hash);
      q.exec();
      Prepared content = connection_.Prepare(
          "INSERT INTO audit_contents (sequence, record, content_hash) "
          "VALUES (?, ?, ?)");
      SQLite::Statement& c = *content;
      for (const AuditContentRow& written : contents) {
        c.bind(1, written.sequence);
        c.bind(2, written.record);
        c.bind(3, written.content_hash);
        c.exec();
        c.reset();
      }
      return absl::OkStatus();
    });
  }

  absl::StatusOr<int64_t> InsertClaim(const ClaimRow& row) override {
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

  absl::Status UpdateClaim(const ClaimRow& row) override {
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
        return absl::NotFoundError(
            absl::StrCat("claims/", row.id, " not found"));
      }
      written_.Add(AuditedTable::kClaims, row.id);
      return absl::OkStatus();
    });
  }

  absl::Status SaveRequest(const RequestRow& row) override {
    return Guard([&] {
      Prepared prepared = connection_.Prepare(
          "INSERT OR IGNORE INTO requests (request_id, principal_id, method, "
          "request_hash, response, create_time_micros) VALUES (?, ?, ?, ?, ?, "
          "?)");
      SQLite::Statement& q = *prepared;
      q.bind(1, row.request_id);
      q.bind(2, row.principal_id);
      q.bind(3, row.method);
      q.bind(4, row.request_hash);
      q.bind(5, row.response.data(), static_cast<int>(row.response.size()));
      q.bind(6, row.create_time_micros);
      if (q.exec() != 1) {
        return absl::AlreadyExistsError(
            absl::StrCat("request_id ", row.request_id, " was already used"));
      }
      return absl::OkStatus();
    });
  }

  absl::Status SavePolicyVersion(const std::string& version,
                                 const std::string& area_id,
                                 const std::string& content,
                                 int64_t loaded_time_micros) override {
    return Guard([&] {
      Prepared prepared = connection_.Prepare(
          "INSERT OR IGNORE INTO policy_versions (version, "
          "area_id, content, loaded_time_micros) VALUES (?, ?, ?, ?)");
      SQLite::Statement& q = *prepared;
      q.bind(1, version);
      q.bind(2, area_id);
      q.bind(3, content);
      q.bind(4, loaded_time_micros);
      q.exec();
      return absl::OkStatus();
    });
  }

  absl::StatusOr<std::vector<ClaimRow>> ListClaimsOnDay(
      const std::string& participant_id,
      const std::string& session_date) override {
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

  absl::StatusOr<ParticipantRow> GetParticipant(
      const std::string& id) override {
    RECIP_STORE_ASSIGN_OR_RETURN(
        std::vector<ParticipantRow> rows,
        Select<ParticipantRow>(
            absl::StrCat("SELECT ", kParticipantColumns,
                         " FROM participants WHERE id = :id"),
            [&](SQLite::Statement& q) { q.bind(":id", id); }, ReadParticipant));
    if (rows.empty()) {
      return absl::NotFoundError(
          absl::StrCat("participants/", id, " not found"));
    }
    return rows.front();
  }

  absl::StatusOr<std::vector<ParticipantRow>> ListParticipants(
      const ProgrammeFilter& f) override {
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

  absl::StatusOr<int64_t> CountParticipants() override {
    return Scalar("SELECT COUNT(*) FROM participants",
                  [](SQLite::Statement&) {});
  }

  absl::StatusOr<SessionRow> GetSession(int64_t id) override {
    RECIP_STORE_ASSIGN_OR_RETURN(
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

  absl::StatusOr<std::vector<SessionRow>> ListSessions(
      const ProgrammeFilter& f) override {
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

  absl::StatusOr<std::vector<AgreementRow>> ListAgreements(
      const ProgrammeFilter& f) override {
    std::string sql = absl::StrCat("SELECT ", kAgreementColumns,
                                   " FROM agreements WHERE id > :after");
    if (!f.participant_id.empty()) sql += " AND participant_id = :participant";
    if (f.session_id != 0) sql += " AND session_id = :session";
    sql += AreaInClause(f);
    sql += " ORDER BY id LIMIT :limit";
    return Select<AgreementRow>(
        sql,
        [&](SQLite::Statement& q) {
          q.bind(":after", f.after_id);
          if (!f.participant_id.empty())
            q.bind(":participant", f.participant_id);
          if (f.session_id != 0) q.bind(":session", f.session_id);
          BindAreaIn(q, f);
          q.bind(":limit", f.limit);
        },
        ReadAgreement);
  }

  absl::StatusOr<std::optional<AttendanceRow>> FindAttendance(
      int64_t session_id, const std::string& participant_id) override {
    RECIP_STORE_ASSIGN_OR_RETURN(
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

  absl::StatusOr<VoucherEntitlementRow> GetVoucherEntitlement(
      int64_t id) override {
    RECIP_STORE_ASSIGN_OR_RETURN(
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

  absl::StatusOr<std::vector<VoucherEntitlementRow>> ListVoucherEntitlements(
      const ProgrammeFilter& f) override {
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
          if (!f.participant_id.empty())
            q.bind(":participant", f.participant_id);
          if (!f.area_id.empty()) q.bind(":area", f.area_id);
          if (f.state != 0) q.bind(":state", f.state);
          if (!f.date_from.empty()) q.bind(":from", f.date_from);
          if (!f.date_to.empty()) q.bind(":to", f.date_to);
          BindAreaIn(q, f);
          q.bind(":limit", f.limit);
        },
        ReadEntitlement);
  }

  absl::StatusOr<int64_t> SumVoucherPence(
      const std::string& participant_id, const std::string& area_id,
      const std::string& from, const std::string& to,
      const std::vector<int>& states) override {
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

  absl::Status InsertParticipant(const ParticipantRow& row) override {
    // Checked first rather than with INSERT OR IGNORE, which would also
    // swallow a CHECK failure.
    RECIP_STORE_ASSIGN_OR_RETURN(
        int64_t taken,
        Scalar("SELECT COUNT(*) FROM participants WHERE id = :id",
               [&](SQLite::Statement& q) { q.bind(":id", row.id); }));
    if (taken != 0) {
      return absl::AlreadyExistsError(
          absl::StrCat("participants/", row.id, " already exists"));
    }
    RECIP_STORE_ASSIGN_OR_RETURN(
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

  absl::Status UpdateParticipant(const ParticipantRow& row) override {
    RECIP_STORE_ASSIGN_OR_RETURN(
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

  absl::StatusOr<int64_t> InsertSession(const SessionRow& row) override {
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

  absl::StatusOr<int64_t> InsertAgreement(const AgreementRow& row) override {
    return InsertReturningId(
        AuditedTable::kAgreements,
        "INSERT INTO agreements (participant_id, session_id, area_id, "
        "category, up_to_pence, create_time_micros, body) VALUES (?, ?, ?, ?, "
        "?, ?, ?)",
        [&](SQLite::Statement& q) {
          q.bind(1, row.participant_id);
          q.bind(2, row.session_id);
          q.bind(3, row.area_id);
          q.bind(4, row.category);
          q.bind(5, row.up_to_pence);
          q.bind(6, row.create_time_micros);
          q.bind(7, row.body.data(), static_cast<int>(row.body.size()));
        });
  }

  absl::StatusOr<int64_t> InsertVoucherEntitlement(
      const VoucherEntitlementRow& row) override {
    return InsertReturningId(
        AuditedTable::kVoucherEntitlements,
        "INSERT INTO voucher_entitlements (participant_id, session_id, "
        "area_id, project_id, session_date, value_pence, state, "
        "create_time_micros, update_time_micros, body) VALUES (:participant, "
        ":session, :area, :project, :date, :value, :state, :create_time, "
        ":update_time, :body)",
        [&](SQLite::Statement& q) { BindEntitlement(q, row); });
  }

  absl::Status UpdateVoucherEntitlement(
      const VoucherEntitlementRow& row) override {
    RECIP_STORE_ASSIGN_OR_RETURN(
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

  absl::Status InsertAttendance(const AttendanceRow& row) override {
    RECIP_STORE_ASSIGN_OR_RETURN(
        std::optional<AttendanceRow> existing,
        FindAttendance(row.session_id, row.participant_id));
    if (existing.has_value()) {
      return absl::AlreadyExistsError(absl::StrCat(
          "attendance at sessions/", row.session_id,
          " is already recorded for participants/", row.participant_id));
    }
    RECIP_STORE_ASSIGN_OR_RETURN(
        int64_t changed,
        Exec("INSERT INTO attendances (session_id, participant_id, "
             "minutes, entitlement_id, recorded_by, create_time_micros) "
             "VALUES (?, ?, ?, ?, ?, ?)",
             [&](SQLite::Statement& q) {
               q.bind(1, row.session_id);
               q.bind(2, row.participant_id);
               q.bind(3, row.minutes);
               q.bind(4, row.entitlement_id);
               q.bind(5, row.recorded_by);
               q.bind(6, row.create_time_micros);
             }));
    if (changed != 1) {
      return absl::AlreadyExistsError(absl::StrCat(
          "attendance at sessions/", row.session_id,
          " is already recorded for participants/", row.participant_id));
    }
    return absl::OkStatus();
  }
  // ---- Finance: payment batches (defined below the class) ----
  absl::Status ScanClaims(
      const ClaimFilter& filter,
      const std::function<absl::Status(const ClaimRow&)>& fn) override;
  absl::Status ScanBatchClaims(
      int64_t batch_id,
      const std::function<absl::Status(const ClaimRow&)>& fn) override;
  absl::StatusOr<BatchRow> GetBatch(int64_t id) override;
  absl::StatusOr<std::vector<BatchRow>> ListBatches(int64_t before_id,
                                                    int limit) override;
  absl::Status ScanBatchPayments(
      int64_t batch_id, int payment_method,
      const std::function<absl::Status(const BatchPaymentRow&)>& fn) override;
  absl::StatusOr<int64_t> InsertBatch(const BatchRow& row) override;
  absl::Status UpdateBatch(const BatchRow& row) override;
  absl::Status InsertBatchPayment(const BatchPaymentRow& row) override;
  absl::StatusOr<int64_t> MoveClaimsIntoBatch(
      const ClaimFilter& filter, int from_state, int64_t batch_id, int to_state,
      int64_t now_micros, const std::string& body_suffix) override;
  absl::StatusOr<int64_t> MoveClaimsIntoBatchById(
      const std::vector<int64_t>& claim_ids, int from_state, int64_t batch_id,
      int to_state, int64_t now_micros,
      const std::string& body_suffix) override;
  absl::StatusOr<int64_t> SetBatchClaimsState(
      int64_t batch_id, int to_state, bool release, int64_t now_micros,
      const std::string& body_suffix) override;

  // ---- Security and personal data (defined below the class) ----
  absl::StatusOr<std::string> GetBatchAuditHead(int64_t batch_id) override;
  absl::StatusOr<std::optional<std::string>> GetSetting(
      const std::string& name) override;
  absl::StatusOr<std::vector<AttendanceRow>> ListAttendancesOfParticipant(
      const std::string& participant_id) override;
  absl::Status SaveBatchAuditHead(int64_t batch_id,
                                  const std::string& audit_head,
                                  int64_t now_micros) override;
  absl::Status PutSetting(const std::string& name, const std::string& value,
                          int64_t now_micros) override;
  absl::Status UpdateAgreementBody(int64_t id,
                                   const std::string& body) override;
  absl::Status ClearRequestResponse(const std::string& request_id) override;

 private:
  // Runs a query and reads every row with `read`.
  template <typename Row, typename Bind, typename ReadFn>
  absl::StatusOr<std::vector<Row>> Select(const std::string& sql, Bind&& bind,
                                          ReadFn&& read) {
    std::vector<Row> rows;
    absl::Status s = Guard([&] {
      Prepared prepared = connection_.Prepare(sql);
      SQLite::Statement& q = *prepared;
      bind(q);
      while (q.executeStep()) rows.push_back(read(q));
      return absl::OkStatus();
    });
    if (!s.ok()) return s;
    return rows;
  }

  // The first column of the first row of a query that always has one.
  template <typename Bind>
  absl::StatusOr<int64_t> Scalar(const std::string& sql, Bind&& bind) {
    int64_t value = 0;
    absl::Status s = Guard([&] {
      Prepared prepared = connection_.Prepare(sql);
      SQLite::Statement& q = *prepared;
      bind(q);
      q.executeStep();
      value = q.getColumn(0).getInt64();
      return absl::OkStatus();
    });
    if (!s.ok()) return s;
    return value;
  }

  // Runs a statement; returns how many rows it changed.
  template <typename Bind>
  absl::StatusOr<int64_t> Exec(const std::string& sql, Bind&& bind) {
    int64_t changed = 0;
    absl::Status s = Guard([&] {
      Prepared prepared = connection_.Prepare(sql);
      SQLite::Statement& q = *prepared;
      bind(q);
      changed = q.exec();
      return absl::OkStatus();
    });
    if (!s.ok()) return s;
    return changed;
  }

  // Inserts a row of an audited table; returns its id.
  template <typename Bind>
  absl::StatusOr<int64_t> InsertReturningId(AuditedTable table,
                                            const std::string& sql,
                                            Bind&& bind) {
    RECIP_STORE_ASSIGN_OR_RETURN(int64_t changed,
                                 Exec(sql, std::forward<Bind>(bind)));
    (void)changed;
    const int64_t id = db_.getLastInsertRowid();
    written_.Add(table, id);
    return id;
  }

  // Sums `column` of a running-totals table (see schema.h) over a range of
  // session dates: at most a year of rows per state, however many claims.
  absl::StatusOr<int64_t> SumColumn(
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

  SQLite::Database& db_;
  Connection& connection_;
  // The audited records written since the last TakeWrittenRecords.
  WrittenRecords written_;
};

// ---- Finance: payment batches ----

// Runs `fn` over every row of `q`, stopping at the first error.
absl::Status EachClaim(SQLite::Statement& q,
                       const std::function<absl::Status(const ClaimRow&)>& fn) {
  while (q.executeStep()) {
    absl::Status s = fn(ReadClaim(q));
    if (!s.ok()) return s;
  }
  return absl::OkStatus();
}

constexpr char kBatchColumns[] =
    "id, state, created_by, involved, create_time_micros, "
    "update_time_micros, body";

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

absl::Status SqliteTransaction::ScanBatchClaims(
    int64_t batch_id, const std::function<absl::Status(const ClaimRow&)>& fn) {
  return Guard([&] {
    Prepared prepared =
        connection_.Prepare(absl::StrCat("SELECT ", kClaimColumns,
                                         " FROM claims WHERE batch_id = ? "
                                         "ORDER BY id"));
    SQLite::Statement& q = *prepared;
    q.bind(1, batch_id);
    return EachClaim(q, fn);
  });
}

absl::StatusOr<BatchRow> SqliteTransaction::GetBatch(int64_t id) {
  BatchRow row;
  absl::Status s = Guard([&] {
    Prepared prepared = connection_.Prepare(
        absl::StrCat("SELECT ", kBatchColumns, " FROM batches WHERE id = ?"));
    SQLite::Statement& q = *prepared;
    q.bind(1, id);
    if (!q.executeStep()) {
      return absl::NotFoundError(absl::StrCat("batches/", id, " not found"));
    }
    row = ReadBatch(q);
    return absl::OkStatus();
  });
  if (!s.ok()) return s;
  return row;
}

absl::StatusOr<std::vector<BatchRow>> SqliteTransaction::ListBatches(
    int64_t before_id, int limit) {
  std::vector<BatchRow> rows;
  absl::Status s = Guard([&] {
    Prepared prepared = connection_.Prepare(
        absl::StrCat("SELECT ", kBatchColumns,
                     " FROM batches WHERE (:before = 0 OR id < :before) "
                     "ORDER BY id DESC LIMIT :limit"));
    SQLite::Statement& q = *prepared;
    q.bind(":before", before_id);
    q.bind(":limit", limit);
    while (q.executeStep()) rows.push_back(ReadBatch(q));
    return absl::OkStatus();
  });
  if (!s.ok()) return s;
  return rows;
}

absl::Status SqliteTransaction::ScanBatchPayments(
    int64_t batch_id, int payment_method,
    const std::function<absl::Status(const BatchPaymentRow&)>& fn) {
  return Guard([&] {
    Prepared prepared = connection_.Prepare(
        "SELECT payee, cost_centre, provider, claim_id, amount_pence FROM "
        "batch_payments WHERE batch_id = ? AND payment_method = ? ORDER BY "
        "payee, cost_centre, provider, claim_id");
    SQLite::Statement& q = *prepared;
    q.bind(1, batch_id);
    q.bind(2, payment_method);
    BatchPaymentRow r;
    r.batch_id = batch_id;
    r.payment_method = payment_method;
    while (q.executeStep()) {
      r.payee = q.getColumn(0).getString();
      r.cost_centre = q.getColumn(1).getString();
      r.provider = q.getColumn(2).getString();
      r.claim_id = q.getColumn(3).getInt64();
      r.amount_pence = q.getColumn(4).getInt64();
      absl::Status s = fn(r);
      if (!s.ok()) return s;
    }
    return absl::OkStatus();
  });
}

absl::StatusOr<int64_t> SqliteTransaction::InsertBatch(const BatchRow& row) {
  int64_t id = 0;
  absl::Status s = Guard([&] {
    Prepared prepared = connection_.Prepare(
        "INSERT INTO batches (state, created_by, involved, "
        "create_time_micros, update_time_micros, body) VALUES (:state, "
        ":created_by, :involved, :create_time, :update_time, :body)");
    SQLite::Statement& q = *prepared;
    BindBatch(q, row);
    q.exec();
    id = db_.getLastInsertRowid();
    return absl::OkStatus();
  });
  if (!s.ok()) return s;
  written_.Add(AuditedTable::kBatches, id);
  return id;
}

absl::Status SqliteTransaction::UpdateBatch(const BatchRow& row) {
  return Guard([&] {
    Prepared prepared = connection_.Prepare(
        "UPDATE batches SET state = :state, created_by = :created_by, "
        "involved = :involved, create_time_micros = :create_time, "
        "update_time_micros = :update_time, body = :body WHERE id = :id");
    SQLite::Statement& q = *prepared;
    BindBatch(q, row);
    q.bind(":id", row.id);
    if (q.exec() != 1) {
      return absl::NotFoundError(
          absl::StrCat("batches/", row.id, " not found"));
    }
    written_.Add(AuditedTable::kBatches, row.id);
    return absl::OkStatus();
  });
}

absl::Status SqliteTransaction::InsertBatchPayment(const BatchPaymentRow& r) {
  return Guard([&] {
    // Prepared once per connection: a batch of 100,000 claims inserts as
    // many rows.
    Prepared prepared = connection_.Prepare(
        "INSERT INTO batch_payments (batch_id, payment_method, payee, "
        "cost_centre, provider, claim_id, amount_pence) VALUES (?, ?, ?, ?, "
        "?, ?, ?)");
    SQLite::Statement& q = *prepared;
    q.bind(1, r.batch_id);
    q.bind(2, r.payment_method);
    q.bind(3, r.payee);
    q.bind(4, r.cost_centre);
    q.bind(5, r.provider);
    q.bind(6, r.claim_id);
    q.bind(7, r.amount_pence);
    q.exec();
    written_.Add(AuditedTable::kBatchPayments, r.batch_id);
    return absl::OkStatus();
  });
}

absl::StatusOr<int64_t> SqliteTransaction::MoveClaimsIntoBatch(
    const ClaimFilter& filter, int from_state, int64_t batch_id, int to_state,
    int64_t now_micros, const std::string& body_suffix) {
  int64_t moved = 0;
  absl::Status s = Guard([&] {
    ClaimFilter f = filter;
    f.state = 0;
    // Concatenation keeps the bytes; CAST keeps the column a BLOB.
    Prepared prepared = connection_.Prepare(
        absl::StrCat("UPDATE claims SET state = :to_state, batch_id = "
                     ":batch, update_time_micros = :now, body = "
                     "CAST(body || :suffix AS BLOB) WHERE state = "
                     ":from_state AND batch_id = 0",
                     FilterConditions(f), " RETURNING id"));
    SQLite::Statement& q = *prepared;
    BindFilterConditions(q, f);
    q.bind(":to_state", to_state);
    q.bind(":from_state", from_state);
    q.bind(":batch", batch_id);
    q.bind(":now", now_micros);
    q.bind(":suffix", body_suffix.data(), static_cast<int>(body_suffix.size()));
    while (q.executeStep()) {
      written_.Add(AuditedTable::kClaims, q.getColumn(0).getInt64());
      ++moved;
    }
    return absl::OkStatus();
  });
  if (!s.ok()) return s;
  return moved;
}

absl::StatusOr<int64_t> SqliteTransaction::MoveClaimsIntoBatchById(
    const std::vector<int64_t>& claim_ids, int from_state, int64_t batch_id,
    int to_state, int64_t now_micros, const std::string& body_suffix) {
  int64_t moved = 0;
  absl::Status s = Guard([&] {
    Prepared prepared = connection_.Prepare(
        "UPDATE claims SET state = :to_state, batch_id = :batch, "
        "update_time_micros = :now, body = CAST(body || :suffix AS BLOB) "
        "WHERE id = :id AND state = :from_state AND batch_id = 0");
    SQLite::Statement& q = *prepared;
    q.bind(":to_state", to_state);
    q.bind(":from_state", from_state);
    q.bind(":batch", batch_id);
    q.bind(":now", now_micros);
    q.bind(":suffix", body_suffix.data(), static_cast<int>(body_suffix.size()));
    for (int64_t id : claim_ids) {
      q.bind(":id", id);
      if (q.exec() == 1) {
        written_.Add(AuditedTable::kClaims, id);
        ++moved;
      }
      q.reset();
    }
    return absl::OkStatus();
  });
  if (!s.ok()) return s;
  return moved;
}

absl::StatusOr<int64_t> SqliteTransaction::SetBatchClaimsState(
    int64_t batch_id, int to_state, bool release, int64_t now_micros,
    const std::string& body_suffix) {
  int64_t changed = 0;
  absl::Status s = Guard([&] {
    Prepared prepared = connection_.Prepare(
        "UPDATE claims SET state = :to_state, batch_id = CASE WHEN :release "
        "THEN 0 ELSE batch_id END, update_time_micros = :now, body = "
        "CAST(body || :suffix AS BLOB) WHERE batch_id = :batch RETURNING id");
    SQLite::Statement& q = *prepared;
    q.bind(":to_state", to_state);
    q.bind(":release", release ? 1 : 0);
    q.bind(":now", now_micros);
    q.bind(":suffix", body_suffix.data(), static_cast<int>(body_suffix.size()));
    q.bind(":batch", batch_id);
    while (q.executeStep()) {
      written_.Add(AuditedTable::kClaims, q.getColumn(0).getInt64());
      ++changed;
    }
    return absl::OkStatus();
  });
  if (!s.ok()) return s;
  return changed;
}

// ---- end of Finance ----

void Configure(SQLite::Database& db) {
  db.exec("PRAGMA journal_mode = WAL");
  // FULL: a commit reaches the disk before it is acknowledged, so an
  // acknowledged claim survives power loss, not only a crash.
  db.exec("PRAGMA synchronous = FULL");
  db.exec("PRAGMA foreign_keys = ON");
  // Deleted and overwritten content is zeroed, not left in free space, so
  // that anonymising a participant removes their data from the file.
  db.exec("PRAGMA secure_delete = ON");
}

// ---- Security and personal data ----

absl::StatusOr<std::string> SqliteTransaction::GetBatchAuditHead(
    int64_t batch_id) {
  RECIP_STORE_ASSIGN_OR_RETURN(
      std::vector<std::string> heads,
      Select<std::string>(
          "SELECT audit_head FROM batch_audit_heads WHERE batch_id = ?",
          [&](SQLite::Statement& q) { q.bind(1, batch_id); },
          [](SQLite::Statement& q) { return q.getColumn(0).getString(); }));
  return heads.empty() ? std::string() : heads.front();
}

absl::StatusOr<std::optional<std::string>> SqliteTransaction::GetSetting(
    const std::string& name) {
  RECIP_STORE_ASSIGN_OR_RETURN(
      std::vector<std::string> values,
      Select<std::string>(
          "SELECT value FROM settings WHERE name = ?",
          [&](SQLite::Statement& q) { q.bind(1, name); },
          [](SQLite::Statement& q) { return q.getColumn(0).getString(); }));
  if (values.empty()) return std::optional<std::string>();
  return std::optional<std::string>(values.front());
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

absl::Status SqliteTransaction::SaveBatchAuditHead(
    int64_t batch_id, const std::string& audit_head, int64_t now_micros) {
  RECIP_STORE_ASSIGN_OR_RETURN(
      int64_t changed,
      Exec("INSERT OR IGNORE INTO batch_audit_heads (batch_id, audit_head, "
           "record_time_micros) VALUES (?, ?, ?)",
           [&](SQLite::Statement& q) {
             q.bind(1, batch_id);
             q.bind(2, audit_head);
             q.bind(3, now_micros);
           }));
  if (changed != 1) {
    return absl::AlreadyExistsError(absl::StrCat(
        "batches/", batch_id, " already has its audit head recorded"));
  }
  return absl::OkStatus();
}

absl::Status SqliteTransaction::PutSetting(const std::string& name,
                                           const std::string& value,
                                           int64_t now_micros) {
  return Exec(
             "INSERT INTO settings (name, value, update_time_micros) VALUES "
             "(?, ?, ?) ON CONFLICT (name) DO UPDATE SET value = "
             "excluded.value, update_time_micros = excluded.update_time_micros",
             [&](SQLite::Statement& q) {
               q.bind(1, name);
               q.bind(2, value.data(), static_cast<int>(value.size()));
               q.bind(3, now_micros);
             })
      .status();
}

absl::Status SqliteTransaction::UpdateAgreementBody(int64_t id,
                                                    const std::string& body) {
  RECIP_STORE_ASSIGN_OR_RETURN(
      int64_t changed, Exec("UPDATE agreements SET body = ? WHERE id = ?",
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

absl::Status SqliteTransaction::ClearRequestResponse(
    const std::string& request_id) {
  return Exec("UPDATE requests SET response = x'' WHERE request_id = ?",
              [&](SQLite::Statement& q) { q.bind(1, request_id); })
      .status();
}

absl::Status Migrate(SQLite::Database& db) {
  const auto& migrations = Migrations();
  const int target = static_cast<int>(migrations.size());
  int version = db.execAndGet("PRAGMA user_version").getInt();
  if (version > target) {
    return absl::FailedPreconditionError(absl::StrCat(
        "the database has schema version ", version,
        " but this reciprocityd understands up to ", target,
        ": it was written by a newer Reciprocity; use that version or "
        "restore a backup"));
  }
  while (version < target) {
    SQLite::Transaction tx(db, SQLite::TransactionBehavior::IMMEDIATE);
    db.exec(std::string(migrations[version]));
    ++version;
    db.exec(absl::StrCat("PRAGMA user_version = ", version));
    tx.commit();
  }
  return absl::OkStatus();
}

class SqliteStore final : public Store {
 public:
  explicit SqliteStore(const StoreOptions& options) : options_(options) {}

  absl::Status Init() {
    return Guard([&] {
      OpenWriter();
      absl::Status s = Migrate(writer_->db());
      if (!s.ok()) return s;
      for (int i = 0; i < std::max(1, options_.read_connections); ++i) {
        auto reader =
            std::make_unique<Connection>(std::make_unique<SQLite::Database>(
                options_.path, SQLite::OPEN_READONLY | SQLite::OPEN_NOMUTEX,
                options_.busy_timeout_ms, options_.vfs_name));
        absl::MutexLock lock(&readers_mu_);  // no reader yet: uncontended
        idle_readers_.push_back(reader.get());
        readers_.push_back(std::move(reader));
      }
      finisher_thread_ = std::thread([this] { FinisherLoop(); });
      writer_thread_ = std::thread([this] { WriterLoop(); });
      return absl::OkStatus();
    });
  }

  ~SqliteStore() override {
    {
      absl::MutexLock lock(&queue_mu_);
      stopping_ = true;
    }
    if (writer_thread_.joinable()) writer_thread_.join();
    {
      absl::MutexLock lock(&finished_mu_);
      finisher_stopping_ = true;
    }
    if (finisher_thread_.joinable()) finisher_thread_.join();
  }

  absl::Status Write(
      const std::function<absl::Status(WriteTransaction&)>& fn) override {
    absl::Status result;
    absl::Notification committed;
    WriteAsync(std::cref(fn), [&](absl::Status s) {
      result = std::move(s);
      committed.Notify();
    });
    committed.WaitForNotification();
    return result;
  }

  void WriteAsync(std::function<absl::Status(WriteTransaction&)> fn,
                  std::function<void(absl::Status)> done) override {
    {
      absl::MutexLock lock(&queue_mu_);
      if (queue_.size() < static_cast<size_t>(options_.max_queued_writes)) {
        queue_.push_back(
            Writer{std::move(fn), std::move(done), absl::OkStatus()});
        return;
      }
      ++refused_;
    }
    // Operators see how often in reciprocity_store_refused_writes_total.
    done(absl::UnavailableError(
        "the server is busy right now: try again with the same request id "
        "in a moment"));
  }

  absl::StatusOr<WriteStats> GetWriteStats() override {
    WriteStats stats;
    {
      absl::MutexLock lock(&stats_mu_);
      stats.commit_seconds = commit_seconds_;
      stats.writes_per_commit = writes_per_commit_;
      stats.storage_failures = storage_failures_;
    }
    absl::MutexLock lock(&queue_mu_);
    stats.refused = refused_;
    stats.waiting = static_cast<int64_t>(queue_.size());
    return stats;
  }

  absl::Status Read(
      const std::function<absl::Status(ReadTransaction&)>& fn) override {
    Connection* reader = AcquireReader();
    absl::Status s = Guard([&] {
      reader->Exec("BEGIN");
      SqliteTransaction tx(*reader);
      absl::Status inner = fn(tx);
      reader->Exec("COMMIT");
      return inner;
    });
    if (!s.ok() && !sqlite3_get_autocommit(reader->db().getHandle())) {
      (void)Guard([&] {
        reader->Exec("ROLLBACK");
        return absl::OkStatus();
      });
    }
    ReleaseReader(reader);
    return s;
  }

  absl::StatusOr<DatabaseInfo> Backup(const std::string& dest_path) override {
    return BackupDatabase(options_.path, dest_path);
  }

  absl::Status EraseOverwrittenPages() override {
    // A connection of its own: the writer may be in a transaction, and a
    // checkpoint cannot run inside one. TRUNCATE waits (busy timeout) for
    // the writer and for readers of older snapshots, copies every page into
    // the file and cuts the WAL to nothing.
    return Guard([&] {
      SQLite::Database db(options_.path,
                          SQLite::OPEN_READWRITE | SQLite::OPEN_NOMUTEX,
                          options_.busy_timeout_ms, options_.vfs_name);
      Configure(db);
      SQLite::Statement q(db, "PRAGMA wal_checkpoint(TRUNCATE)");
      q.executeStep();
      if (q.getColumn(0).getInt() != 0) {
        return absl::UnavailableError(
            "the database is busy: old copies of overwritten pages remain "
            "in the write-ahead log until the next checkpoint");
      }
      return absl::OkStatus();
    });
  }

  absl::StatusOr<std::map<int, int64_t>> CountClaimsByState() override {
    std::map<int, int64_t> counts;
    Connection* reader = AcquireReader();
    absl::Status s = Guard([&] {
      Prepared prepared =
          reader->Prepare("SELECT state, COUNT(*) FROM claims GROUP BY state");
      SQLite::Statement& q = *prepared;
      while (q.executeStep()) {
        counts[q.getColumn(0).getInt()] = q.getColumn(1).getInt64();
      }
      return absl::OkStatus();
    });
    ReleaseReader(reader);
    if (!s.ok()) return s;
    return counts;
  }

  absl::StatusOr<std::map<int, BatchTotals>> CountBatchesByState() override {
    std::map<int, BatchTotals> totals;
    Connection* reader = AcquireReader();
    absl::Status s = Guard([&] {
      Prepared prepared = reader->Prepare(
          "SELECT b.state, COUNT(*), COALESCE(SUM(p.pence), 0) FROM batches b "
          "LEFT JOIN (SELECT batch_id, SUM(amount_pence) AS pence "
          "FROM batch_payments GROUP BY batch_id) p ON p.batch_id = b.id "
          "GROUP BY b.state");
      SQLite::Statement& q = *prepared;
      while (q.executeStep()) {
        totals[q.getColumn(0).getInt()] = {q.getColumn(1).getInt64(),
                                           q.getColumn(2).getInt64()};
      }
      return absl::OkStatus();
    });
    ReleaseReader(reader);
    if (!s.ok()) return s;
    return totals;
  }

 private:
  struct Writer {
    std::function<absl::Status(WriteTransaction&)> fn;
    std::function<void(absl::Status)> done;
    absl::Status status;
  };
  static constexpr size_t kMaxBatch = 256;

  // With `mu` held, waits until `pending` has work or `stopping` is set;
  // false when stopping with nothing left to do.
  template <typename Container>
  static bool AwaitWork(absl::Mutex& mu, const bool& stopping,
                        const Container& pending) {
    struct Watched {
      const bool* stopping;
      const Container* pending;
      bool Ready() const { return *stopping || !pending->empty(); }
    } watched{&stopping, &pending};
    mu.Await(absl::Condition(&watched, &Watched::Ready));
    return !pending.empty();
  }

  // The writer thread: takes everything queued (up to a limit) as one
  // group, commits it once and hands it to the finisher. Callers queue
  // while a group commits, so the next group is as large as the load: the
  // fsync is shared by more claims as the load grows.
  void WriterLoop() {
    std::vector<Writer> batch;
    while (true) {
      {
        absl::MutexLock lock(&queue_mu_);
        if (!AwaitWork(queue_mu_, stopping_, queue_)) return;
        const size_t n = std::min(queue_.size(), kMaxBatch);
        batch.assign(std::make_move_iterator(queue_.begin()),
                     std::make_move_iterator(queue_.begin() + n));
        queue_.erase(queue_.begin(), queue_.begin() + n);
      }
      const auto start = std::chrono::steady_clock::now();
      const bool stored = RunBatch(batch);
      const double seconds = std::chrono::duration<double>(
                                 std::chrono::steady_clock::now() - start)
                                 .count();
      {
        absl::MutexLock lock(&stats_mu_);
        commit_seconds_.Add(seconds);
        writes_per_commit_.Add(static_cast<double>(batch.size()));
        if (!stored) ++storage_failures_;
      }
      absl::MutexLock lock(&finished_mu_);
      std::move(batch.begin(), batch.end(), std::back_inserter(finished_));
      batch.clear();
    }
  }

  // The finisher thread: tells each caller of a committed group its result
  // and frees the group's work, while the writer runs the next group.
  // Answering a gRPC call and freeing a claim's messages took a fifth of
  // the writer's time.
  void FinisherLoop() {
    std::vector<Writer> group;
    while (true) {
      {
        absl::MutexLock lock(&finished_mu_);
        if (!AwaitWork(finished_mu_, finisher_stopping_, finished_)) return;
        group.swap(finished_);
      }
      for (Writer& w : group) w.done(std::move(w.status));
      group.clear();
    }
  }

  // Throws SQLite::Exception when the database cannot be opened.
  void OpenWriter() {
    writer_ = std::make_unique<Connection>(std::make_unique<SQLite::Database>(
        options_.path,
        SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE | SQLite::OPEN_NOMUTEX,
        options_.busy_timeout_ms, options_.vfs_name));
    Configure(writer_->db());
  }

  // Runs each writer's work in its own savepoint inside one transaction and
  // commits once. If the storage itself fails, every writer in the batch gets
  // the failure: nobody is told OK for work that was not committed. False
  // after such a failure.
  bool RunBatch(std::vector<Writer>& batch) {
    if (writer_ == nullptr) {
      // The last batch failed in storage: start again on a fresh connection
      // (a full disk may have room again).
      absl::Status reopened = Guard([&] {
        OpenWriter();
        return absl::OkStatus();
      });
      if (!reopened.ok()) {
        writer_.reset();
        for (Writer& w : batch) w.status = reopened;
        return false;
      }
    }
    Connection& connection = *writer_;
    SQLite::Database& db = connection.db();
    // A piece of work alone in its transaction needs no savepoint: if it
    // fails, the transaction is rolled back. In a group, each piece has a
    // savepoint, and SQLite journals the pages a savepoint may have to undo.
    // That journal spills to a temporary file past 64 KiB, which a claim's
    // savepoint just passes: 30 write system calls a claim, more than its
    // commit. Groups keep it in memory; work alone keeps the default, so a
    // batch of 100,000 claims still spills rather than holding its pages.
    const bool alone = batch.size() == 1;
    absl::Status storage = Guard([&] {
      connection.Exec(alone ? "PRAGMA temp_store = DEFAULT"
                            : "PRAGMA temp_store = MEMORY");
      connection.Exec("BEGIN IMMEDIATE");
      SqliteTransaction tx(connection);
      for (Writer& w : batch) {
        if (!alone) connection.Exec("SAVEPOINT work");
        tx.ForgetWrittenRecords();
        try {
          w.status = w.fn(tx);
        } catch (const SQLite::Exception& e) {
          w.status = FromSqlite(e);
        } catch (const std::bad_alloc&) {
          throw;  // a storage failure for the whole group (Guard)
        } catch (const std::exception&) {
          // A bug in this piece of work: fail it alone (its savepoint is
          // rolled back) rather than end the writer thread.
          w.status =
              absl::InternalError("an internal error stopped this write");
        }
        if (sqlite3_get_autocommit(db.getHandle())) {
          // SQLite rolled back the whole transaction (e.g. disk full).
          return w.status.ok() ? absl::UnavailableError("transaction lost")
                               : w.status;
        }
        if (alone) {
          connection.Exec(w.status.ok() ? "COMMIT" : "ROLLBACK");
          return absl::OkStatus();
        }
        if (!w.status.ok()) connection.Exec("ROLLBACK TO work");
        connection.Exec("RELEASE work");
      }
      connection.Exec("COMMIT");
      return absl::OkStatus();
    });
    if (!storage.ok()) {
      if (!sqlite3_get_autocommit(db.getHandle())) {
        (void)Guard([&] {
          connection.Exec("ROLLBACK");
          return absl::OkStatus();
        });
      }
      for (Writer& w : batch) w.status = storage;
      // After an I/O error SQLite may keep the connection in an error state
      // or holding locks; a fresh connection is the sure way back.
      writer_.reset();
    }
    return storage.ok();
  }

  Connection* AcquireReader() {
    absl::MutexLock lock(&readers_mu_);
    readers_mu_.Await(absl::Condition(
        +[](std::vector<Connection*>* idle) { return !idle->empty(); },
        &idle_readers_));
    Connection* reader = idle_readers_.back();
    idle_readers_.pop_back();
    return reader;
  }

  void ReleaseReader(Connection* reader) {
    absl::MutexLock lock(&readers_mu_);
    idle_readers_.push_back(reader);
  }

  const StoreOptions options_;
  // Only the writer thread touches writer_ once it has started; null after a
  // storage failure until the next batch reopens it.
  std::unique_ptr<Connection> writer_;

  absl::Mutex queue_mu_;
  std::deque<Writer> queue_ ABSL_GUARDED_BY(queue_mu_);
  bool stopping_ ABSL_GUARDED_BY(queue_mu_) = false;
  int64_t refused_ ABSL_GUARDED_BY(queue_mu_) = 0;  // queue full
  // Committed (or failed) work whose callers have not been told yet.
  absl::Mutex finished_mu_;
  std::vector<Writer> finished_ ABSL_GUARDED_BY(finished_mu_);
  bool finisher_stopping_ ABSL_GUARDED_BY(finished_mu_) = false;
  // Write statistics (GetWriteStats).
  absl::Mutex stats_mu_;
  Histogram commit_seconds_ ABSL_GUARDED_BY(stats_mu_){
      {0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5}};
  Histogram writes_per_commit_ ABSL_GUARDED_BY(stats_mu_){
      {1, 2, 4, 8, 16, 32, 64, 128, 256}};
  int64_t storage_failures_ ABSL_GUARDED_BY(stats_mu_) = 0;
  // Declared last: started when Init succeeds, joined by the destructor
  // (writer first, then finisher) before anything they use goes away.
  std::thread finisher_thread_;
  std::thread writer_thread_;

  absl::Mutex readers_mu_;
  std::vector<std::unique_ptr<Connection>> readers_;
  std::vector<Connection*> idle_readers_ ABSL_GUARDED_BY(readers_mu_);
};

}  // namespace

absl::StatusOr<std::unique_ptr<Store>> Store::Open(
    const StoreOptions& options) {
  auto store = std::make_unique<SqliteStore>(options);
  absl::Status s = store->Init();
  if (!s.ok()) return s;
  return store;
}

int Store::CurrentSchemaVersion() {
  return static_cast<int>(Migrations().size());
}

}  // namespace reciprocity::store
