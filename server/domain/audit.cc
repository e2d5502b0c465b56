#include "server/domain/audit.h"

#include <algorithm>
#include <map>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "base/logging.h"
#include "base/status_macros.h"
#include "google/protobuf/util/time_util.h"
#include "reciprocity/v1/finance.pb.h"
#include "server/domain/export.h"
#include "server/domain/names.h"
#include "server/domain/paging.h"

namespace reciprocity {
namespace {

constexpr int kDefaultAuditPageSize = 100;
constexpr int kVerifyChunk = 1000;
// Changed records named in a verify response; the count is always whole.
constexpr int kMaxChangedRecordsListed = 100;
// For callers who see part of the log: events read per query, and at most
// how many one call reads before it returns what it found with a page
// token (so one call never reads the whole log).
constexpr int kScanChunk = 1000;
constexpr int64_t kMaxScanPerCall = 20'000;

// Length-prefixed so that no two different events hash the same text.
void Field(std::string& out, absl::string_view value) {
  absl::StrAppend(&out, value.size(), ":", value, ";");
}

// What an event's content_hash covers: each record it wrote, by name, with
// the hash of its content, in name order.
std::string ContentListHash(
    const std::vector<store::AuditContentRow>& contents) {
  std::string text;
  for (const auto& c : contents) {
    Field(text, c.record);
    Field(text, c.content_hash);
  }
  return Sha256Hex(text);
}

// The last event with content to write each record, while verifying.
struct LastWrite {
  std::string content_hash;
  int64_t sequence = 0;
  bool present = false;  // the record is still in the database
};
// Administrators and staff of every area see the whole log; others only
// the events about records they may see.
bool SeesWholeLog(const Principal& caller) {
  return caller.HasRole(v1::ROLE_ADMINISTRATOR) || caller.ActsIn("*");
}

template <typename Row>
absl::StatusOr<std::string> AreaOf(const absl::StatusOr<Row>& row) {
  if (absl::IsNotFound(row.status())) return std::string();
  if (!row.ok()) return row.status();
  return row->area_id;
}

// The service area of an audited record ("claims/12",
// "sessions/3/attendances/p-0001", ...); empty when it has none (a batch
// across areas, a rule-file reload, a setting) or no longer exists.
absl::StatusOr<std::string> AreaOfRecord(store::ReadTransaction& tx,
                                         absl::string_view record) {
  const std::vector<absl::string_view> parts =
      absl::StrSplit(record, absl::MaxSplits('/', 2));
  int64_t id = 0;
  if (parts.size() < 2 || !absl::SimpleAtoi(parts[1], &id) || id <= 0) {
    return std::string();
  }
  const absl::string_view kind = parts[0];
  if (kind == "claims") return AreaOf(tx.GetClaim(id));
  if (kind == "sessions") return AreaOf(tx.GetSession(id));
  if (kind == "voucherEntitlements") {
    return AreaOf(tx.GetVoucherEntitlement(id));
  }
  if (kind == "agreements") {
    store::ProgrammeFilter filter;
    filter.after_id = id - 1;
    filter.limit = 1;
    RECIP_ASSIGN_OR_RETURN(std::vector<store::AgreementRow> rows,
                           tx.ListAgreements(filter));
    return rows.empty() || rows[0].id != id ? std::string() : rows[0].area_id;
  }
  if (kind == "batches") {
    auto row = tx.GetBatch(id);
    if (absl::IsNotFound(row.status())) return std::string();
    if (!row.ok()) return row.status();
    v1::Batch batch;
    if (!batch.ParseFromString(row->body)) return std::string();
    auto area = ParseServiceAreaName("", batch.selection().service_area());
    return area.ok() ? *area : std::string();
  }
  return std::string();
}

// Same rules as the records themselves: a participant's record is on the
// council-wide register every member of staff may read; anything else
// belongs to a service area the caller must act in.
absl::StatusOr<bool> MaySeeEventsOf(store::ReadTransaction& tx,
                                    const Principal& caller,
                                    absl::string_view record) {
  if (absl::StartsWith(record, "participants/")) return true;
  RECIP_ASSIGN_OR_RETURN(std::string area, AreaOfRecord(tx, record));
  return !area.empty() && caller.ActsIn(area);
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
  // Events from before schema version 8 recorded no content: their hash
  // stays as it was written.
  if (!row.content_hash.empty()) Field(text, row.content_hash);
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
  // Each record goes to the store as it is hashed, and the list hash is
  // taken over the rows read back in name order (ContentListHash, a piece
  // at a time): a batch's 100,000 claims are never all in memory.
  RECIP_RETURN_IF_ERROR(
      tx.TakeWrittenRecords([&](const store::RecordContent& record) {
        return tx.AppendAuditContent(
            {row.sequence, record.record, Sha256Hex(record.content)});
      }));
  Sha256Stream content_list;
  std::string fields;
  RECIP_RETURN_IF_ERROR(
      tx.ScanAuditContents(row.sequence - 1, row.sequence,
                           [&](const store::AuditContentRow& written) {
                             fields.clear();
                             Field(fields, written.record);
                             Field(fields, written.content_hash);
                             content_list.Update(fields);
                             return absl::OkStatus();
                           }));
  row.content_hash = content_list.HexDigest();
  row.time_micros = entry.time_micros;
  row.principal_id = entry.principal_id;
  row.action = entry.action;
  row.record = entry.record;
  row.request_id = entry.request_id;
  row.prev_hash = head.has_value() ? head->hash : "";
  row.hash = AuditHash(row);
  RECIP_RETURN_IF_ERROR(tx.AppendAuditEvent(row, {}));
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
  e.set_content_hash(row.content_hash);
  return e;
}

void LogAuditHead(const store::AuditRow& row) {
  LogInfo("audit_head", {{"head", FormatAuditHead(row)}});
}

namespace {

// Compares every audited record with what the last event with content to
// write it recorded, and fills in the response's record counts; when any
// differs and nothing worse was found, the log is not intact.
absl::Status CheckRecordContents(
    store::ReadTransaction& tx, int64_t events_without_content,
    absl::flat_hash_map<std::string, LastWrite>& last_write,
    v1::VerifyAuditLogResponse& response) {
  std::map<std::string, std::string> changed;  // record -> how
  int64_t checked = 0;
  int64_t unchecked = 0;
  RECIP_RETURN_IF_ERROR(
      tx.ScanRecordContents([&](const store::RecordContent& record) {
        auto it = last_write.find(record.record);
        if (it == last_write.end()) {
          // With events from before content was recorded, the record may
          // have been written by one of them; without, by none.
          if (events_without_content > 0) {
            ++unchecked;
          } else {
            changed.emplace(record.record, "no event wrote it");
          }
          return absl::OkStatus();
        }
        it->second.present = true;
        if (Sha256Hex(record.content) == it->second.content_hash) {
          ++checked;
        } else {
          changed.emplace(
              record.record,
              absl::StrCat("it differs from what event ", it->second.sequence,
                           ", the last to write it, recorded"));
        }
        return absl::OkStatus();
      }));
  for (const auto& [record, write] : last_write) {
    if (!write.present) {
      changed.emplace(record, absl::StrCat("it is gone, though event ",
                                           write.sequence, " wrote it"));
    }
  }
  response.set_records_checked(checked);
  response.set_records_unchecked(unchecked);
  for (const auto& [record, how] : changed) {
    if (response.changed_records_size() == kMaxChangedRecordsListed) break;
    response.add_changed_records(record);
  }
  if (!changed.empty() && response.intact()) {
    const auto& [record, how] = *changed.begin();
    response.set_intact(false);
    response.set_problem(
        changed.size() == 1
            ? absl::StrCat(record, " was changed outside the service: ", how)
            : absl::StrCat(changed.size(),
                           " records were changed outside the service; the "
                           "first, ",
                           record, ": ", how));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<v1::ListAuditEventsResponse> AuditService::List(
    const Principal& caller, const v1::ListAuditEventsRequest& request) {
  store::AuditFilter filter;
  RECIP_ASSIGN_OR_RETURN(filter.limit,
                         PageLimit(request.page_size(), kDefaultAuditPageSize));
  const std::string kind = ListingKind("auditEvents", request);
  RECIP_ASSIGN_OR_RETURN(filter.after_sequence,
                         ParseIdPageToken(kind, request.page_token()));
  filter.record = request.record();
  filter.principal_id = request.principal();
  const bool whole_log = SeesWholeLog(caller);
  v1::ListAuditEventsResponse response;
  RECIP_RETURN_IF_ERROR(
      store_.Read([&](store::ReadTransaction& tx) -> absl::Status {
        // AIP-211: another area's record and a missing one get the same answer.
        if (!whole_log && !filter.record.empty()) {
          RECIP_ASSIGN_OR_RETURN(bool may,
                                 MaySeeEventsOf(tx, caller, filter.record));
          if (!may) {
            return absl::PermissionDeniedError(
                "record: you may not see the events of this record");
          }
        }
        // Without a record named, a partial reader's events are picked out of
        // the log chunk by chunk.
        const bool pick = !whole_log && filter.record.empty();
        store::AuditFilter scan = filter;
        if (pick) scan.limit = kScanChunk;
        absl::flat_hash_map<std::string, bool> visible;  // by record
        int64_t scanned = 0;
        for (;;) {
          RECIP_ASSIGN_OR_RETURN(std::vector<store::AuditRow> rows,
                                 tx.ListAuditEvents(scan));
          for (const auto& row : rows) {
            ++scanned;
            if (pick) {
              auto it = visible.find(row.record);
              if (it == visible.end()) {
                RECIP_ASSIGN_OR_RETURN(bool may,
                                       MaySeeEventsOf(tx, caller, row.record));
                it = visible.emplace(row.record, may).first;
              }
              if (!it->second) continue;
            }
            *response.add_audit_events() = AuditEventFromRow(row);
            if (response.audit_events_size() == filter.limit) {
              response.set_next_page_token(
                  KeyPageToken(kind, absl::StrCat(row.sequence)));
              return absl::OkStatus();
            }
          }
          if (static_cast<int>(rows.size()) < scan.limit)
            return absl::OkStatus();
          if (scanned >= kMaxScanPerCall) {
            // A short (even empty) page; the token carries on from here.
            response.set_next_page_token(
                KeyPageToken(kind, absl::StrCat(rows.back().sequence)));
            return absl::OkStatus();
          }
          scan.after_sequence = rows.back().sequence;
        }
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
    // What the events with content say each record holds.
    absl::flat_hash_map<std::string, LastWrite> last_write;
    int64_t without_content = 0;
    int64_t first_with_content = 0;
    for (;;) {
      RECIP_ASSIGN_OR_RETURN(std::vector<store::AuditRow> rows,
                             tx.ListAuditEvents(filter));
      std::vector<store::AuditContentRow> contents;
      if (!rows.empty()) {
        RECIP_RETURN_IF_ERROR(
            tx.ScanAuditContents(filter.after_sequence, rows.back().sequence,
                                 [&](const store::AuditContentRow& c) {
                                   contents.push_back(c);
                                   return absl::OkStatus();
                                 }));
      }
      auto next_content = contents.begin();
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
        std::vector<store::AuditContentRow> written;
        while (next_content != contents.end() &&
               next_content->sequence <= row.sequence) {
          if (next_content->sequence == row.sequence) {
            written.push_back(*next_content);
          }
          ++next_content;
        }
        if (row.content_hash.empty()) {
          // Written before events recorded content (schema version 8); once
          // they do, every event does.
          if (first_with_content != 0) {
            broken(row.sequence,
                   absl::StrCat("event ", row.sequence,
                                " records no content, yet event ",
                                first_with_content,
                                " before it does: this service did not "
                                "write it"));
            return absl::OkStatus();
          }
          ++without_content;
        } else {
          if (first_with_content == 0) first_with_content = row.sequence;
          if (ContentListHash(written) != row.content_hash) {
            broken(row.sequence,
                   absl::StrCat("the content recorded for event ", row.sequence,
                                " was changed after it was written"));
            return absl::OkStatus();
          }
          for (const auto& c : written) {
            last_write[c.record] = LastWrite{c.content_hash, row.sequence};
          }
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
    response.set_events_without_content(without_content);
    return CheckRecordContents(tx, without_content, last_write, response);
  }));
  return response;
}

}  // namespace reciprocity
