// recip audit list|verify
#include <iostream>
#include <memory>

#include "absl/strings/str_format.h"
#include "client/commands.h"
#include "client/output.h"
#include "google/protobuf/util/time_util.h"
#include "reciprocity/v1/audit.grpc.pb.h"

namespace reciprocity::client {

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
    Connection connection(g.connection);
    auto stub = v1::AuditService::NewStub(connection.channel());
    v1::ListAuditEventsRequest request = *list_request;
    request.set_page_size(1000);
    do {
      v1::ListAuditEventsResponse response;
      grpc::Status s = CallWithRetry(connection, [&](grpc::ClientContext& c) {
        return stub->ListAuditEvents(&c, request, &response);
      });
      if (!s.ok()) {
        g.exit_code = ReportError(s);
        return;
      }
      for (const auto& e : response.audit_events()) {
        if (g.json) {
          std::cout << ToJson(e) << "\n";
          continue;
        }
        std::cout << absl::StrFormat(
            "%6d  %s  %-16s %-18s %-24s %s\n", e.sequence(),
            google::protobuf::util::TimeUtil::ToString(e.time()), e.principal(),
            e.action(), e.record(), e.request_id());
      }
      request.set_page_token(response.next_page_token());
    } while (!request.page_token().empty());
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
  verify->callback([&g, head] {
    Connection connection(g.connection);
    auto stub = v1::AuditService::NewStub(connection.channel());
    v1::VerifyAuditLogRequest request;
    request.set_expected_head(*head);
    v1::VerifyAuditLogResponse response;
    grpc::Status s = CallWithRetry(connection, [&](grpc::ClientContext& c) {
      return stub->VerifyAuditLog(&c, request, &response);
    });
    if (!s.ok()) {
      g.exit_code = ReportError(s);
      return;
    }
    if (g.json) {
      std::cout << ToJson(response) << "\n";
    } else if (response.intact()) {
      std::cout << "Audit log intact: " << response.events_checked()
                << " events, head " << response.head() << "\n";
    } else {
      std::cout << "Audit log BROKEN at event "
                << response.first_broken_sequence() << ": "
                << response.problem() << "\n";
    }
    if (!response.intact()) g.exit_code = 1;
  });
}

}  // namespace reciprocity::client
