#include <algorithm>

#include <sqlite3.h>

#include "absl/strings/str_cat.h"
#include "server/store/record_contents.h"

namespace reciprocity::store {
namespace {

struct TableSpec {
  AuditedTable table;
  const char* prefix;  // of the record name; the key follows
  const char* sql_table;
  // Every column that makes up a record's content, its key first. Never
  // change a list: records written before would no longer verify (a new
  // column needs a new kind of content, told apart by its events).
  const char* columns;
};

constexpr TableSpec kTables[] = {
    {AuditedTable::kClaims, "claims/", "claims",
     "id, participant_id, area_id, project_id, session_id, session_date, "
     "state, claimed_total_pence, allowed_total_pence, car_tenths, "
     "entered_by, request_id, create_time_micros, update_time_micros, "
     "batch_id, body"},
    {AuditedTable::kParticipants, "participants/", "participants",
     "id, participant_type, payment_preference, state, create_time_micros, "
     "update_time_micros, body"},
    {AuditedTable::kSessions, "sessions/", "sessions",
     "id, area_id, project_id, session_date, creche_provided, "
     "create_time_micros, body"},
    {AuditedTable::kAgreements, "agreements/", "agreements",
     "id, participant_id, session_id, area_id, category, up_to_pence, "
     "create_time_micros, body"},
    {AuditedTable::kVoucherEntitlements, "voucherEntitlements/",
     "voucher_entitlements",
     "id, participant_id, session_id, area_id, project_id, session_date, "
     "value_pence, state, create_time_micros, update_time_micros, body"},
    {AuditedTable::kBatches, "batches/", "batches",
     "id, state, created_by, involved, create_time_micros, "
     "update_time_micros, body"},
};

// A batch's payment rows, in the payment file's order.
constexpr char kPaymentColumns[] =
    "batch_id, payment_method, payee, cost_centre, provider, claim_id, "
    "amount_pence";
constexpr char kPaymentOrder[] =
    "payment_method, payee, cost_centre, provider, claim_id";

const TableSpec& SpecOf(AuditedTable table) {
  for (const TableSpec& spec : kTables) {
    if (spec.table == table) return spec;
  }
  return kTables[0];  // not reached: every table but payments is listed
}

// Appends the statement's current row: each column's type, length and
// bytes, so that different rows never give the same content.
void AppendRow(SQLite::Statement& q, std::string& out) {
  for (int i = 0; i < q.getColumnCount(); ++i) {
    const SQLite::Column column = q.getColumn(i);
    switch (column.getType()) {
      case SQLITE_INTEGER:
        absl::StrAppend(&out, "i", column.getInt64(), ";");
        break;
      case SQLITE_NULL:
        out += "n;";
        break;
      default: {
        const char tag = column.getType() == SQLITE_FLOAT  ? 'f'
                         : column.getType() == SQLITE_TEXT ? 't'
                                                           : 'b';
        const std::string bytes = column.getString();
        absl::StrAppend(&out, std::string(1, tag), bytes.size(), ":", bytes,
                        ";");
      }
    }
  }
}

std::string PaymentsName(int64_t batch_id) {
  return absl::StrCat("batches/", batch_id, "/payments");
}

}  // namespace

absl::Status WrittenRecords::Take(
    Connection& connection,
    const std::function<absl::Status(const RecordContent&)>& fn) {
  std::sort(numbered_.begin(), numbered_.end());
  numbered_.erase(std::unique(numbered_.begin(), numbered_.end()),
                  numbered_.end());
  absl::Status status;
  for (const auto& [table, id] : numbered_) {
    RecordContent record;
    if (table == AuditedTable::kBatchPayments) {
      Prepared prepared = connection.Prepare(absl::StrCat(
          "SELECT ", kPaymentColumns,
          " FROM batch_payments WHERE batch_id = ? ORDER BY ", kPaymentOrder));
      SQLite::Statement& q = *prepared;
      q.bind(1, id);
      while (q.executeStep()) AppendRow(q, record.content);
      if (record.content.empty()) continue;
      record.record = PaymentsName(id);
    } else {
      const TableSpec& spec = SpecOf(table);
      Prepared prepared = connection.Prepare(absl::StrCat(
          "SELECT ", spec.columns, " FROM ", spec.sql_table, " WHERE id = ?"));
      SQLite::Statement& q = *prepared;
      q.bind(1, id);
      if (!q.executeStep()) continue;
      AppendRow(q, record.content);
      record.record = absl::StrCat(spec.prefix, id);
    }
    status = fn(record);
    if (!status.ok()) break;
  }
  if (status.ok()) {
    const TableSpec& spec = SpecOf(AuditedTable::kParticipants);
    for (const std::string& id : participants_) {
      Prepared prepared = connection.Prepare(absl::StrCat(
          "SELECT ", spec.columns, " FROM ", spec.sql_table, " WHERE id = ?"));
      SQLite::Statement& q = *prepared;
      q.bind(1, id);
      if (!q.executeStep()) continue;
      RecordContent record;
      AppendRow(q, record.content);
      record.record = absl::StrCat(spec.prefix, id);
      status = fn(record);
      if (!status.ok()) break;
    }
  }
  Clear();
  return status;
}

absl::Status ScanAllRecordContents(
    Connection& connection,
    const std::function<absl::Status(const RecordContent&)>& fn) {
  for (const TableSpec& spec : kTables) {
    Prepared prepared = connection.Prepare(absl::StrCat(
        "SELECT ", spec.columns, " FROM ", spec.sql_table, " ORDER BY id"));
    SQLite::Statement& q = *prepared;
    while (q.executeStep()) {
      RecordContent record;
      AppendRow(q, record.content);
      // After AppendRow: reading the key as text converts an integer key,
      // after which SQLite no longer reports the column's type.
      record.record = absl::StrCat(spec.prefix, q.getColumn(0).getString());
      absl::Status status = fn(record);
      if (!status.ok()) return status;
    }
  }
  Prepared prepared = connection.Prepare(
      absl::StrCat("SELECT ", kPaymentColumns,
                   " FROM batch_payments ORDER BY batch_id, ", kPaymentOrder));
  SQLite::Statement& q = *prepared;
  RecordContent record;
  int64_t batch_id = 0;
  while (q.executeStep()) {
    const int64_t row_batch = q.getColumn(0).getInt64();
    if (!record.content.empty() && row_batch != batch_id) {
      absl::Status status = fn(record);
      if (!status.ok()) return status;
      record.content.clear();
    }
    batch_id = row_batch;
    record.record = PaymentsName(batch_id);
    AppendRow(q, record.content);
  }
  if (!record.content.empty()) return fn(record);
  return absl::OkStatus();
}

}  // namespace reciprocity::store
