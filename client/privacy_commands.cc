// recip participant export|anonymise and recip admin retention show|set:
// personal data. Attaches to the participant and admin command groups.
#include <fstream>
#include <iostream>
#include <memory>

#include "client/call.h"
#include "client/commands.h"
#include "client/output.h"
#include "google/protobuf/util/time_util.h"
#include "reciprocity/v1/admin.grpc.pb.h"
#include "reciprocity/v1/programme.grpc.pb.h"

namespace reciprocity::client {
namespace {

using Admin = v1::AdminService;
using Programme = v1::ProgrammeService;

struct PrivacyArgs {
  std::string id, out, request_id;
  int retention_days = 0;
};

void PrintRetention(std::ostream& out, const v1::RetentionPolicy& p) {
  if (p.retention_days() == 0) {
    out << "No retention period is set: nobody can be anonymised.\n";
    return;
  }
  out << "Personal data is kept " << p.retention_days()
      << " days after a participant's last activity (set by " << p.updated_by()
      << " at " << google::protobuf::util::TimeUtil::ToString(p.update_time())
      << ").\nFinancial records are kept six years whatever this says.\n";
}

void AddParticipantPrivacy(CLI::App& participant, Globals& g) {
  auto a = std::make_shared<PrivacyArgs>();
  CLI::App* exp = participant.add_subcommand(
      "export",
      "everything held about a participant (subject-access request), as JSON");
  exp->add_option("id", a->id, "participant id")->required();
  exp->add_option("--out", a->out, "write to this file instead of stdout");
  exp->callback([&g, a] {
    v1::ExportParticipantDataRequest request;
    request.set_name(WithCollection(a->id, "participants/"));
    v1::ExportParticipantDataResponse response;
    Calls<Programme> calls(g);
    if (!calls.Make<v1::ExportParticipantDataResponse>(
            [&](Programme::Stub& stub, grpc::ClientContext& c,
                v1::ExportParticipantDataResponse* out) {
              return stub.ExportParticipantData(&c, request, out);
            },
            &response)) {
      return;
    }
    // JSON whatever --json says: the export is for handing over.
    if (a->out.empty()) {
      std::cout << ToJson(response) << "\n";
    } else {
      std::ofstream file(a->out, std::ios::binary);
      file << ToJson(response) << "\n";
      if (!file.flush()) {
        std::cerr << "recip: cannot write " << a->out << "\n";
        g.exit_code = kExitFailure;
        return;
      }
      std::cerr << request.name() << ": " << response.claims_size()
                << " claims, " << response.attendances_size()
                << " attendances, " << response.agreements_size()
                << " agreements, " << response.audit_events_size()
                << " audit events written to " << a->out << "\n";
    }
    g.exit_code = kExitOk;
  });

  CLI::App* anonymise = participant.add_subcommand(
      "anonymise",
      "administrators: remove a participant's personal data once the "
      "retention period has passed (financial records stay); cannot be "
      "undone");
  anonymise->add_option("id", a->id, "participant id")->required();
  anonymise->add_option("--request-id", a->request_id,
                        "reuse an id to retry safely");
  anonymise->callback([&g, a] {
    v1::AnonymiseParticipantRequest request;
    request.set_name(WithCollection(a->id, "participants/"));
    request.set_request_id(a->request_id.empty() ? NewRequestId()
                                                 : a->request_id);
    CallAndPrint<Programme, v1::Participant>(
        g,
        [&](Programme::Stub& stub, grpc::ClientContext& c,
            v1::Participant* out) {
          return stub.AnonymiseParticipant(&c, request, out);
        },
        [](std::ostream& out, const v1::Participant& p) {
          out << p.name() << " anonymised: name and contact removed, free "
              << "text cleared; claims and payments kept.\n";
        });
  });
}

void AddRetention(CLI::App& admin, Globals& g) {
  auto a = std::make_shared<PrivacyArgs>();
  CLI::App* retention = admin.add_subcommand(
      "retention", "how long personal data is kept after last activity");
  retention->require_subcommand(1);
  CLI::App* show = retention->add_subcommand("show", "print the period");
  show->callback([&g] {
    v1::GetRetentionPolicyRequest request;
    request.set_name("retentionPolicy");
    CallAndPrint<Admin, v1::RetentionPolicy>(
        g,
        [&](Admin::Stub& stub, grpc::ClientContext& c,
            v1::RetentionPolicy* out) {
          return stub.GetRetentionPolicy(&c, request, out);
        },
        PrintRetention);
  });
  CLI::App* set = retention->add_subcommand(
      "set", "administrators: set the period in days (1 to 36500)");
  set->add_option("days", a->retention_days, "days")->required();
  set->add_option("--request-id", a->request_id, "reuse an id to retry safely");
  set->callback([&g, a] {
    v1::UpdateRetentionPolicyRequest request;
    request.mutable_retention_policy()->set_name("retentionPolicy");
    request.mutable_retention_policy()->set_retention_days(a->retention_days);
    request.set_request_id(a->request_id.empty() ? NewRequestId()
                                                 : a->request_id);
    CallAndPrint<Admin, v1::RetentionPolicy>(
        g,
        [&](Admin::Stub& stub, grpc::ClientContext& c,
            v1::RetentionPolicy* out) {
          return stub.UpdateRetentionPolicy(&c, request, out);
        },
        PrintRetention);
  });
}

}  // namespace

void AddPrivacyCommands(CLI::App& app, Globals& g) {
  AddParticipantPrivacy(*app.get_subcommand("participant"), g);
  AddRetention(*app.get_subcommand("admin"), g);
}

}  // namespace reciprocity::client
