// recip agreement end (a standing agreement's last day, moved earlier) and
// recip participant appointee add|remove (who may act for a participant):
// the commands for acting for someone over time. Attach to the agreement
// and participant command groups.
#include <iostream>
#include <memory>

#include "client/call.h"
#include "client/commands.h"
#include "client/programme_output.h"
#include "reciprocity/v1/programme.grpc.pb.h"

namespace reciprocity::client {
namespace {

using Programme = v1::ProgrammeService;

struct ActingForArgs {
  std::string agreement, last_day, participant, appointee, request_id;
};

std::string RequestIdOrNew(const std::string& id) {
  return id.empty() ? NewRequestId() : id;
}

void AddEndAgreement(CLI::App& agreement, Globals& g) {
  auto a = std::make_shared<ActingForArgs>();
  CLI::App* end = agreement.add_subcommand(
      "end",
      "officers: end a standing agreement early; it still covers sessions "
      "up to and including --last-day (today or later)");
  end->add_option("agreement", a->agreement, "agreement number")->required();
  end->add_option("--last-day", a->last_day,
                  "the last day it covers, YYYY-MM-DD")
      ->required();
  end->add_option("--request-id", a->request_id, "reuse an id to retry safely");
  end->callback([&g, a] {
    v1::EndAgreementRequest request;
    request.set_name(WithCollection(a->agreement, "agreements/"));
    request.set_last_day(a->last_day);
    request.set_request_id(RequestIdOrNew(a->request_id));
    CallAndPrint<Programme, v1::Agreement>(
        g,
        [&](Programme::Stub& stub, grpc::ClientContext& c, v1::Agreement* out) {
          return stub.EndAgreement(&c, request, out);
        },
        PrintAgreement);
  });
}

void AddAppointeeCommands(CLI::App& participant, Globals& g) {
  auto a = std::make_shared<ActingForArgs>();
  CLI::App* appointee = participant.add_subcommand(
      "appointee",
      "officers: who may act for a participant (ask for a refused line to "
      "be looked at again, change how they are paid)");
  appointee->require_subcommand(1);
  CLI::App* add = appointee->add_subcommand(
      "add", "name a principal (with their own sign-in) to act for them");
  CLI::App* remove =
      appointee->add_subcommand("remove", "stop a principal acting for them");
  for (CLI::App* cmd : {add, remove}) {
    cmd->add_option("participant", a->participant, "participant id")
        ->required();
    cmd->add_option("principal", a->appointee,
                    "the appointee's principal id, e.g. carer-0007")
        ->required();
    cmd->add_option("--request-id", a->request_id,
                    "reuse an id to retry safely");
  }
  for (const bool adding : {true, false}) {
    (adding ? add : remove)->callback([&g, a, adding] {
      // The two requests carry the same fields; the id is chosen once, so
      // that a retry repeats the same request.
      v1::AddAppointeeRequest request;
      request.set_participant(WithCollection(a->participant, "participants/"));
      request.set_appointee(a->appointee);
      request.set_request_id(RequestIdOrNew(a->request_id));
      v1::RemoveAppointeeRequest removal;
      removal.ParseFromString(request.SerializeAsString());
      CallAndPrint<Programme, v1::Participant>(
          g,
          [&](Programme::Stub& stub, grpc::ClientContext& c,
              v1::Participant* out) {
            return adding ? stub.AddAppointee(&c, request, out)
                          : stub.RemoveAppointee(&c, removal, out);
          },
          PrintParticipant);
    });
  }
}

}  // namespace

void AddActingForCommands(CLI::App& app, Globals& g) {
  AddEndAgreement(*app.get_subcommand("agreement"), g);
  AddAppointeeCommands(*app.get_subcommand("participant"), g);
}

}  // namespace reciprocity::client
