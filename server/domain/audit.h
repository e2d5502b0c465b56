// The tamper-evident audit log: events appended in the same transaction as
// the change they record, each hash-chained to the one before and covering
// what the change left in every record it wrote.
#ifndef RECIPROCITY_SERVER_DOMAIN_AUDIT_H_
#define RECIPROCITY_SERVER_DOMAIN_AUDIT_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "reciprocity/v1/audit.pb.h"
#include "server/domain/principal.h"
#include "server/store/store.h"

namespace reciprocity {

struct AuditEntry {
  std::string principal_id;
  std::string action;
  std::string record;
  std::string request_id;
  int64_t time_micros = 0;
};

// Appends `entry` after the current head, inside `tx`, with the content of
// every audited record `tx` has written (WriteTransaction::
// TakeWrittenRecords): call it after the change's last write.
absl::StatusOr<store::AuditRow> AppendAudit(store::WriteTransaction& tx,
                                            const AuditEntry& entry);

// The hash an event must carry: SHA-256 over its fields, prev_hash and
// content_hash (left out when empty, as events from before schema version 8
// were hashed).
std::string AuditHash(const store::AuditRow& row);

// "SEQUENCE:HASH", the form the chain head takes outside the database.
std::string FormatAuditHead(const store::AuditRow& row);

// The API's view of a stored event.
v1::AuditEvent AuditEventFromRow(const store::AuditRow& row);

// Writes the chain head to the log, so that cutting off the newest events
// from the database can be detected.
void LogAuditHead(const store::AuditRow& row);

class AuditService {
 public:
  explicit AuditService(store::Store& store) : store_(store) {}

  // Administrators and auditors of every area see every event. Others see
  // the events about participants (the council-wide register) and about
  // records of their service areas; naming any other record, existing or
  // not, is PERMISSION_DENIED. Their pages may be short: follow the token.
  absl::StatusOr<v1::ListAuditEventsResponse> List(
      const Principal& caller, const v1::ListAuditEventsRequest& request);
  // Checks the chain, the expected head if given, and then that every
  // audited record is as the last event with content to write it recorded.
  // Not intact is an answer, not an error.
  absl::StatusOr<v1::VerifyAuditLogResponse> Verify(
      const Principal& caller, const v1::VerifyAuditLogRequest& request);

 private:
  store::Store& store_;
};

}  // namespace reciprocity

#endif  // RECIPROCITY_SERVER_DOMAIN_AUDIT_H_
