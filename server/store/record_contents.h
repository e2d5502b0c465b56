// What audit events record of the records they cover: which audited rows a
// piece of write work wrote, and the content of each as stored. Internal to
// the SQLite store: only sqlite_*.cc include this header.
#ifndef RECIPROCITY_SERVER_STORE_RECORD_CONTENTS_H_
#define RECIPROCITY_SERVER_STORE_RECORD_CONTENTS_H_

#include <cstdint>
#include <functional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "server/store/sqlite_connection.h"
#include "server/store/store.h"

namespace reciprocity::store {

// The tables whose rows audit events cover. The payment rows of one batch
// are one record, "batches/N/payments".
enum class AuditedTable {
  kClaims,
  kParticipants,
  kSessions,
  kAgreements,
  kVoucherEntitlements,
  kBatches,
  kBatchPayments,
};

// The audited records written since the last Take or Clear.
class WrittenRecords {
 public:
  // `id` is the row's integer key (for kBatchPayments, the batch's).
  void Add(AuditedTable table, int64_t id) { numbered_.emplace_back(table, id); }
  void AddParticipant(const std::string& id) { participants_.insert(id); }
  void Clear() {
    numbered_.clear();
    numbered_.shrink_to_fit();  // one big batch should not pin its memory
    participants_.clear();
  }
  // Calls `fn` with the current content of each record written, once each
  // in (table, key) order (skipping any no longer there), then forgets them
  // all. Stops at the first error.
  // Throws SQLite::Exception.
  absl::Status Take(
      Connection& connection,
      const std::function<absl::Status(const RecordContent&)>& fn);

 private:
  // A batch of 100,000 claims adds 100,000 entries: a vector sorted once in
  // Take costs 16 bytes each where a set node costs about 48.
  std::vector<std::pair<AuditedTable, int64_t>> numbered_;
  std::set<std::string> participants_;
};

// Calls `fn` with the content of every audited record, table by table in
// key order. Stops at the first error. Throws SQLite::Exception.
absl::Status ScanAllRecordContents(
    Connection& connection,
    const std::function<absl::Status(const RecordContent&)>& fn);

}  // namespace reciprocity::store

#endif  // RECIPROCITY_SERVER_STORE_RECORD_CONTENTS_H_
