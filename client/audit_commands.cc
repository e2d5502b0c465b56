// recip audit list|verify
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "client/call.h"
#include "client/commands.h"
#include "client/output.h"
#include "google/protobuf/util/time_util.h"
#include "reciprocity/v1/audit.grpc.pb.h"

namespace reciprocity::client {
namespace {

// The fields of a line exactly as the server logs them, "ts=... level=...
// event=... key=value ...", with values quoted and escaped as
// server/logging.cc does; std::nullopt when the line is anything else (so
// also a journal's line with its prefix: read `journalctl -o cat`).
std::optional<std::map<std::string, std::string>> ServerLogFields(
    absl::string_view line) {
  if (!absl::StartsWith(line, "ts=")) return std::nullopt;
  std::map<std::string, std::string> fields;
  size_t i = 0;
  while (i < line.size()) {
    const size_t key_start = i;
    while (i < line.size() &&
           (absl::ascii_islower(line[i]) || absl::ascii_isdigit(line[i]) ||
            line[i] == '_')) {
      ++i;
    }
    if (i == key_start || i == line.size() || line[i] != '=') {
      return std::nullopt;
    }
    std::string key(line.substr(key_start, i - key_start));
    ++i;
    std::string value;
    if (i < line.size() && line[i] == '"') {
      ++i;
      bool closed = false;
      while (i < line.size() && !closed) {
        const char c = line[i++];
        if (c == '"') {
          closed = true;
        } else if (c != '\\') {
          value += c;
        } else if (i < line.size()) {
          const char escaped = line[i++];
          value += escaped == 'n'   ? '\n'
                   : escaped == 'r' ? '\r'
                   : escaped == 't' ? '\t'
                                    : escaped;
        }
      }
      if (!closed) return std::nullopt;
    } else {
      while (i < line.size() && line[i] != ' ') {
        if (line[i] == '"' || line[i] == '=') return std::nullopt;
        value += line[i++];
      }
    }
    // A key twice is not a line the server wrote.
    if (!fields.emplace(std::move(key), std::move(value)).second) {
      return std::nullopt;
    }
    if (i < line.size() && line[i++] != ' ') return std::nullopt;
  }
  return fields;
}

// The audit chain head recorded in a file: the last field of the
// "AUDIT CHAIN HEAD" row of a payment file or voucher list, or else the
// "head" field of the last server log line whose event is exactly
// audit_head (text in other fields, such as a request id, never counts).
// Empty when none.
std::string HeadFromFile(std::istream& in) {
  std::string head, line;
  while (std::getline(in, line)) {
    absl::string_view text = absl::StripSuffix(line, "\r");
    const std::vector<absl::string_view> fields = absl::StrSplit(text, ',');
    if (fields.size() >= 2 && fields[1] == "AUDIT CHAIN HEAD") {
      return std::string(fields.back());
    }
    const auto logged = ServerLogFields(text);
    if (!logged.has_value()) continue;
    const auto event = logged->find("event");
    const auto logged_head = logged->find("head");
    if (event != logged->end() && event->second == "audit_head" &&
        logged_head != logged->end()) {
      head = logged_head->second;
    }
  }
  return head;
}

// What `recip audit verify` prints.
void PrintVerification(std::ostream& out,
                       const v1::VerifyAuditLogResponse& response) {
  if (response.intact()) {
    out << "Audit log intact: " << response.events_checked() << " events, head "
        << response.head() << "; " << response.records_checked()
        << " records match the events that last wrote them\n";
  } else if (response.first_broken_sequence() > 0) {
    out << "Audit log BROKEN at event " << response.first_broken_sequence()
        << ": " << response.problem() << "\n";
  } else {
    out << "Audit log BROKEN: " << response.problem() << "\n";
  }
  for (const std::string& record : response.changed_records()) {
    out << "  changed outside the service: " << record << "\n";
  }
  if (response.events_without_content() > 0) {
    out << response.events_without_content()
        << " events from before schema version 8 recorded no "
           "content; "
        << response.records_unchecked()
        << " records no later event wrote could not be checked\n";
  }
}

}  // namespace

void AddAuditCommands(CLI::App& app, Globals& g) {
  CLI::App* audit =
      app.add_subcommand("audit", "auditors: read and verify the audit log");
  audit->require_subcommand(1);

  auto list_request = std::make_shared<v1::ListAuditEventsRequest>();
  CLI::App* list =
      audit->add_subcommand("list", "list audit events, oldest first");
  list->add_option("--record", *list_request->mutable_record(),
                   "only events about this record, e.g. claims/12");
  list->add_option("--principal", *list_request->mutable_principal(),
                   "only events by this principal id");
  list->callback([&g, list_request] {
    Calls<v1::AuditService> calls(g);
    calls.EachPage<v1::ListAuditEventsResponse, v1::ListAuditEventsRequest>(
        *list_request,
        [](v1::AuditService::Stub& stub, grpc::ClientContext& c,
           const v1::ListAuditEventsRequest& request,
           v1::ListAuditEventsResponse* out) {
          return stub.ListAuditEvents(&c, request, out);
        },
        [&g](const v1::ListAuditEventsResponse& page) {
          for (const auto& e : page.audit_events()) {
            if (g.json) {
              std::cout << ToJson(e) << "\n";
              continue;
            }
            std::cout << absl::StrFormat(
                "%6d  %s  %-16s %-18s %-24s %s\n", e.sequence(),
                google::protobuf::util::TimeUtil::ToString(e.time()),
                e.principal(), e.action(), e.record(), e.request_id());
          }
        });
  });

  auto head = std::make_shared<std::string>();
  CLI::App* verify =
      audit->add_subcommand("verify",
                            "check the hash chain; exit 1 and name the first "
                            "broken link if not intact");
  verify->add_option(
      "--head", *head,
      "SEQUENCE:HASH recorded outside the database (server log "
      "'event=audit_head' or an export), to catch a cut-off tail");
  auto head_file = std::make_shared<std::string>();
  verify
      ->add_option("--head-from", *head_file,
                   "read the head from a file: a payment file or voucher list "
                   "(its AUDIT CHAIN HEAD row) or a server log")
      ->excludes("--head");
  verify->callback([&g, head, head_file] {
    if (!head_file->empty()) {
      std::ifstream in(*head_file);
      if (!in) {
        std::cerr << "recip: cannot read " << *head_file << "\n";
        g.exit_code = kExitUsage;
        return;
      }
      *head = HeadFromFile(in);
      if (head->empty()) {
        std::cerr << "recip: " << *head_file
                  << " holds no audit chain head (no AUDIT CHAIN HEAD row "
                     "or event=audit_head line)\n";
        g.exit_code = kExitUsage;
        return;
      }
    }
    v1::VerifyAuditLogRequest request;
    request.set_expected_head(*head);
    Calls<v1::AuditService> calls(g);
    v1::VerifyAuditLogResponse response;
    if (!calls.Make<v1::VerifyAuditLogResponse>(
            [&](v1::AuditService::Stub& stub, grpc::ClientContext& c,
                v1::VerifyAuditLogResponse* out) {
              return stub.VerifyAuditLog(&c, request, out);
            },
            &response)) {
      return;
    }
    PrintAnswer<v1::VerifyAuditLogResponse>(g, response, PrintVerification);
    // A broken chain fails the command, with --json too.
    if (!response.intact()) g.exit_code = kExitFailure;
  });
}

}  // namespace reciprocity::client
