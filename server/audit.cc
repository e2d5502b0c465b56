#include "server/audit.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "google/protobuf/util/time_util.h"
#include "server/logging.h"
#include "server/status_macros.h"

namespace reciprocity {
namespace {

constexpr int kDefaultPageSize = 100;
constexpr int kMaxPageSize = 1000;
constexpr int kVerifyChunk = 1000;

// Length-prefixed so that no two different events hash the same text.
void Field(std::string& out, absl::string_view value) {
  absl::StrAppend(&out, value.size(), ":", value, ";");
}

}  // namespace

std::string AuditHash(const store::AuditRow& row) {
  std::string text;
  Field(text, absl::StrCat(row.sequence));
  Field(text, absl::StrCat(row.time_micros));
  Field(text, row.principal_id);
  Field(text, row.action);
  Field(text, row.record);
  Field(text, row.request_id);
  Field(text, row.prev_hash);
  return Sha256Hex(text);
}

std::string FormatAuditHead(const store::AuditRow& row) {
  return absl::StrCat(row.sequence, ":", row.hash);
}

absl::StatusOr<store::AuditRow> AppendAudit(store::WriteTransaction& tx,
                                            const AuditEntry& entry) {
  RECIP_ASSIGN_OR_RETURN(std::optional<store::AuditRow> head, tx.AuditHead());
  store::AuditRow row;
  row.sequence = head.has_value() ? head->sequence + 1 : 1;
  row.time_micros = entry.time_micros;
  row.principal_id = entry.principal_id;
  row.action = entry.action;
  row.record = entry.record;
  row.request_id = entry.request_id;
  row.prev_hash = head.has_value() ? head->hash : "";
  row.hash = AuditHash(row);
  RECIP_RETURN_IF_ERROR(tx.AppendAuditEvent(row));
  return row;
}

v1::AuditEvent AuditEventFromRow(const store::AuditRow& row) {
  v1::AuditEvent e;
  e.set_sequence(row.sequence);
  *e.mutable_time() = google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(
      row.time_micros);
  e.set_principal(row.principal_id);
  e.set_action(row.action);
  e.set_record(row.record);
  e.set_request_id(row.request_id);
  e.set_prev_hash(row.prev_hash);
  e.set_hash(row.hash);
  return e;
}

void LogAuditHead(const store::AuditRow& row) {
  LogInfo("audit_head", {{"head", FormatAuditHead(row)}});
}

absl::StatusOr<v1::ListAuditEventsResponse> AuditService::List(
    const Principal& caller, const v1::ListAuditEventsRequest& request) {
  store::AuditFilter filter;
  if (request.page_size() < 0) {
    return absl::InvalidArgumentError("page_size: must not be negative");
  }
  filter.limit = request.page_size() == 0
                     ? kDefaultPageSize
                     : std::min(request.page_size(), kMaxPageSize);
  if (!request.page_token().empty() &&
      (!absl::SimpleAtoi(request.page_token(), &filter.after_sequence) ||
       filter.after_sequence <= 0)) {
    return absl::InvalidArgumentError(
        "page_token: not a token this server gave out");
  }
  filter.record = request.record();
  filter.principal_id = request.principal();
  v1::ListAuditEventsResponse response;
  RECIP_RETURN_IF_ERROR(
      store_.Read([&](store::ReadTransaction& tx) -> absl::Status {
        RECIP_ASSIGN_OR_RETURN(std::vector<store::AuditRow> rows,
                               tx.ListAuditEvents(filter));
        for (const auto& row : rows) {
          *response.add_audit_events() = AuditEventFromRow(row);
        }
        if (static_cast<int>(rows.size()) == filter.limit) {
          response.set_next_page_token(absl::StrCat(rows.back().sequence));
        }
        return absl::OkStatus();
      }));
  return response;
}

absl::StatusOr<v1::VerifyAuditLogResponse> AuditService::Verify(
    const Principal& caller, const v1::VerifyAuditLogRequest& request) {
  int64_t expected_sequence = 0;
  std::string expected_hash;
  if (!request.expected_head().empty()) {
    std::vector<std::string> parts =
        absl::StrSplit(request.expected_head(), ':');
    if (parts.size() != 2 || !absl::SimpleAtoi(parts[0], &expected_sequence) ||
        expected_sequence <= 0 || parts[1].size() != 64) {
      return absl::InvalidArgumentError(
          "expected_head: write SEQUENCE:HASH as the log or an export shows "
          "it");
    }
    expected_hash = parts[1];
  }
  v1::VerifyAuditLogResponse response;
  auto broken = [&](int64_t sequence, std::string problem) {
    response.set_intact(false);
    response.set_first_broken_sequence(sequence);
    response.set_problem(std::move(problem));
  };
  response.set_intact(true);
  RECIP_RETURN_IF_ERROR(store_.Read([&](store::ReadTransaction& tx)
                                        -> absl::Status {
    store::AuditFilter filter;
    filter.limit = kVerifyChunk;
    store::AuditRow previous;
    int64_t checked = 0;
    for (;;) {
      RECIP_ASSIGN_OR_RETURN(std::vector<store::AuditRow> rows,
                             tx.ListAuditEvents(filter));
      for (const auto& row : rows) {
        const int64_t want = previous.sequence + 1;
        if (row.sequence != want) {
          broken(want, absl::StrCat("event ", want, " is missing (the next is ",
                                    row.sequence, ")"));
          return absl::OkStatus();
        }
        if (row.prev_hash != previous.hash) {
          broken(row.sequence, absl::StrCat("event ", row.sequence,
                                            " does not follow from event ",
                                            previous.sequence));
          return absl::OkStatus();
        }
        if (AuditHash(row) != row.hash) {
          broken(row.sequence,
                 absl::StrCat("event ", row.sequence,
                              " was changed after it was written"));
          return absl::OkStatus();
        }
        if (row.sequence == expected_sequence && row.hash != expected_hash) {
          broken(row.sequence, absl::StrCat("event ", row.sequence,
                                            " differs from the expected head"));
          return absl::OkStatus();
        }
        previous = row;
        ++checked;
      }
      response.set_events_checked(checked);
      if (static_cast<int>(rows.size()) < filter.limit) break;
      filter.after_sequence = rows.back().sequence;
    }
    if (previous.sequence > 0) response.set_head(FormatAuditHead(previous));
    if (expected_sequence > previous.sequence) {
      broken(
          previous.sequence + 1,
          absl::StrCat(
              "the log ends at event ", previous.sequence, " but event ",
              expected_sequence,
              " was recorded outside the database: newer events were cut off"));
    }
    return absl::OkStatus();
  }));
  return response;
}

}  // namespace reciprocity
