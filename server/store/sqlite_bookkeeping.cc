// Bookkeeping: remembered requests, the audit log and what it covers,
// rule-file versions, settings and the audit heads of batch exports.
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

absl::StatusOr<std::optional<RequestRow>> SqliteTransaction::FindRequest(
    const std::string& request_id) {
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

absl::StatusOr<std::optional<AuditRow>> SqliteTransaction::AuditHead() {
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

absl::StatusOr<std::vector<AuditRow>> SqliteTransaction::ListAuditEvents(
    const AuditFilter& f) {
  std::vector<AuditRow> rows;
  absl::Status s = Guard([&] {
    std::string sql = absl::StrCat(
        "SELECT ", kAuditColumns, " FROM audit_events WHERE sequence > :after");
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

absl::Status SqliteTransaction::ScanAuditContents(
    int64_t after_sequence, int64_t up_to_sequence,
    const std::function<absl::Status(const AuditContentRow&)>& fn) {
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

absl::Status SqliteTransaction::ScanRecordContents(
    const std::function<absl::Status(const RecordContent&)>& fn) {
  return Guard([&] { return ScanAllRecordContents(connection_, fn); });
}

absl::Status SqliteTransaction::TakeWrittenRecords(
    const std::function<absl::Status(const RecordContent&)>& fn) {
  return Guard([&] { return written_.Take(connection_, fn); });
}

absl::Status SqliteTransaction::AppendAuditEvent(
    const AuditRow& row, const std::vector<AuditContentRow>& contents) {
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
    for (const AuditContentRow& written : contents) {
      RECIP_RETURN_IF_ERROR(AppendAuditContent(written));
    }
    return absl::OkStatus();
  });
}

absl::Status SqliteTransaction::AppendAuditContent(const AuditContentRow& row) {
  return Guard([&] {
    Prepared prepared = connection_.Prepare(
        "INSERT INTO audit_contents (sequence, record, content_hash) "
        "VALUES (?, ?, ?)");
    SQLite::Statement& q = *prepared;
    q.bind(1, row.sequence);
    q.bind(2, row.record);
    q.bind(3, row.content_hash);
    q.exec();
    return absl::OkStatus();
  });
}

absl::Status SqliteTransaction::SaveRequest(const RequestRow& row) {
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

absl::Status SqliteTransaction::SavePolicyVersion(const std::string& version,
                                                  const std::string& area_id,
                                                  const std::string& content,
                                                  int64_t loaded_time_micros) {
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

absl::StatusOr<std::string> SqliteTransaction::GetBatchAuditHead(
    int64_t batch_id) {
  RECIP_ASSIGN_OR_RETURN(
      std::vector<std::string> heads,
      Select<std::string>(
          "SELECT audit_head FROM batch_audit_heads WHERE batch_id = ?",
          [&](SQLite::Statement& q) { q.bind(1, batch_id); },
          [](SQLite::Statement& q) { return q.getColumn(0).getString(); }));
  return heads.empty() ? std::string() : heads.front();
}

absl::StatusOr<std::optional<std::string>> SqliteTransaction::GetSetting(
    const std::string& name) {
  RECIP_ASSIGN_OR_RETURN(
      std::vector<std::string> values,
      Select<std::string>(
          "SELECT value FROM settings WHERE name = ?",
          [&](SQLite::Statement& q) { q.bind(1, name); },
          [](SQLite::Statement& q) { return q.getColumn(0).getString(); }));
  if (values.empty()) return std::optional<std::string>();
  return std::optional<std::string>(values.front());
}

absl::Status SqliteTransaction::SaveBatchAuditHead(
    int64_t batch_id, const std::string& audit_head, int64_t now_micros) {
  RECIP_ASSIGN_OR_RETURN(
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

absl::Status SqliteTransaction::ClearRequestResponse(
    const std::string& request_id) {
  return Exec("UPDATE requests SET response = x'' WHERE request_id = ?",
              [&](SQLite::Statement& q) { q.bind(1, request_id); })
      .status();
}
}  // namespace reciprocity::store
