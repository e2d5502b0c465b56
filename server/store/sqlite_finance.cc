// The finance tables: payment batches, their payments, and claims moving
// into and out of batches.
#include <SQLiteCpp/SQLiteCpp.h>

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "server/store/rows.h"
#include "server/store/sqlite_errors.h"
#include "server/store/transaction.h"

namespace reciprocity::store {

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
}  // namespace reciprocity::store
