// recip session update|cancel, attendance list|correct|remove, voucher
// decide, claim amend: putting right what was recorded, each with a reason.
#include <iostream>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "client/call.h"
#include "client/claim_args.h"
#include "client/commands.h"
#include "client/output.h"
#include "client/programme_output.h"
#include "reciprocity/v1/claims.grpc.pb.h"
#include "reciprocity/v1/programme.grpc.pb.h"

namespace reciprocity::client {
namespace {

using Programme = v1::ProgrammeService;

struct CorrectionArgs {
  std::string session, participant, date, start, end, venue, reason, request_id,
      creche_used;
  std::string online, creche;  // "", "true" or "false"
  int minutes = 0;
};

// "sessions/3/attendances/p-0001" from --session and --participant.
std::string AttendanceArg(const CorrectionArgs& a) {
  return absl::StrCat(WithCollection(a.session, "sessions/"), "/attendances/",
                      a.participant);
}

std::string RequestIdOr(const std::string& id) {
  return id.empty() ? NewRequestId() : id;
}

int Usage(const std::string& message) {
  std::cerr << "recip: " << message << "\n";
  return kExitUsage;
}

void AddRequestId(CLI::App* cmd, std::string& id) {
  cmd->add_option("--request-id", id, "reuse an id to retry safely");
}

void AddSessionCorrections(CLI::App& session, Globals& g) {
  auto a = std::make_shared<CorrectionArgs>();
  CLI::App* update = session.add_subcommand(
      "update",
      "change a session's day, times, place or crèche (give only what "
      "changes)");
  update->add_option("session", a->session, "session number")->required();
  update->add_option("--date", a->date, "new date, YYYY-MM-DD");
  update->add_option("--start", a->start, "new start time, HH:MM");
  update->add_option("--end", a->end, "new end time, HH:MM");
  update->add_option("--venue", a->venue, "new venue (give --online false)");
  update
      ->add_option("--online", a->online,
                   "true: held online (give --venue \"\"); false: in person")
      ->check(CLI::IsMember({"true", "false"}));
  update->add_option("--creche", a->creche, "true or false: a crèche is there")
      ->check(CLI::IsMember({"true", "false"}));
  AddRequestId(update, a->request_id);
  update->callback([&g, a, update] {
    v1::UpdateSessionRequest request;
    v1::Session* s = request.mutable_session();
    s->set_name(WithCollection(a->session, "sessions/"));
    auto* mask = request.mutable_update_mask();
    if (update->count("--date") > 0) {
      s->set_date(a->date);
      mask->add_paths("date");
    }
    if (update->count("--start") > 0) {
      s->set_start_time(a->start);
      mask->add_paths("start_time");
    }
    if (update->count("--end") > 0) {
      s->set_end_time(a->end);
      mask->add_paths("end_time");
    }
    if (update->count("--venue") > 0) {
      s->set_venue(a->venue);
      mask->add_paths("venue");
    }
    if (!a->online.empty()) {
      s->set_online(a->online == "true");
      mask->add_paths("online");
    }
    if (!a->creche.empty()) {
      s->set_creche_provided(a->creche == "true");
      mask->add_paths("creche_provided");
    }
    if (mask->paths().empty()) {
      g.exit_code = Usage(
          "say what changes: --date, --start, --end, --venue, --online or "
          "--creche");
      return;
    }
    request.set_request_id(RequestIdOr(a->request_id));
    CallAndPrint<Programme, v1::Session>(
        g,
        [&](Programme::Stub& stub, grpc::ClientContext& c, v1::Session* out) {
          return stub.UpdateSession(&c, request, out);
        },
        PrintSession);
  });

  CLI::App* cancel = session.add_subcommand(
      "cancel",
      "cancel a session: no new attendance or claims; claims and vouchers "
      "already made stay");
  cancel->add_option("session", a->session, "session number")->required();
  cancel->add_option("--reason", a->reason, "why it is cancelled")->required();
  AddRequestId(cancel, a->request_id);
  cancel->callback([&g, a] {
    v1::CancelSessionRequest request;
    request.set_name(WithCollection(a->session, "sessions/"));
    request.set_reason(a->reason);
    request.set_request_id(RequestIdOr(a->request_id));
    CallAndPrint<Programme, v1::Session>(
        g,
        [&](Programme::Stub& stub, grpc::ClientContext& c, v1::Session* out) {
          return stub.CancelSession(&c, request, out);
        },
        PrintSession);
  });
}

void AddAttendanceCorrections(CLI::App& attendance, Globals& g) {
  auto a = std::make_shared<CorrectionArgs>();
  CLI::App* correct = attendance.add_subcommand(
      "correct",
      "put right minutes or crèche on the register; the voucher is judged "
      "again (one already given is never taken back: it is flagged for a "
      "decision)");
  correct->add_option("--session", a->session, "session number")->required();
  correct->add_option("--participant", a->participant, "participant id")
      ->required();
  correct->add_option("--minutes", a->minutes, "how long they really stayed");
  correct
      ->add_option("--creche-used", a->creche_used,
                   "yes, no or unknown: their child used the crèche")
      ->check(CLI::IsMember({"yes", "no", "unknown"}));
  correct->add_option("--reason", a->reason, "why the register was wrong")
      ->required();
  AddRequestId(correct, a->request_id);
  correct->callback([&g, a, correct] {
    v1::UpdateAttendanceRequest request;
    v1::Attendance* at = request.mutable_attendance();
    at->set_name(AttendanceArg(*a));
    if (correct->count("--minutes") > 0) {
      at->set_minutes(a->minutes);
      request.mutable_update_mask()->add_paths("minutes");
    }
    if (!a->creche_used.empty()) {
      if (a->creche_used != "unknown") {
        at->set_creche_used(a->creche_used == "yes");
      }
      request.mutable_update_mask()->add_paths("creche_used");
    }
    if (request.update_mask().paths().empty()) {
      g.exit_code = Usage("say what changes: --minutes or --creche-used");
      return;
    }
    request.set_reason(a->reason);
    request.set_request_id(RequestIdOr(a->request_id));
    CallAndPrint<Programme, v1::Attendance>(
        g,
        [&](Programme::Stub& stub, grpc::ClientContext& c,
            v1::Attendance* out) {
          return stub.UpdateAttendance(&c, request, out);
        },
        PrintAttendance);
  });

  CLI::App* remove = attendance.add_subcommand(
      "remove",
      "take an attendance recorded in error off the register; a voucher not "
      "yet given is cancelled, one already given is flagged for a decision");
  remove->add_option("--session", a->session, "session number")->required();
  remove->add_option("--participant", a->participant, "participant id")
      ->required();
  remove->add_option("--reason", a->reason, "why it was recorded in error")
      ->required();
  AddRequestId(remove, a->request_id);
  remove->callback([&g, a] {
    v1::DeleteAttendanceRequest request;
    request.set_name(AttendanceArg(*a));
    request.set_reason(a->reason);
    request.set_request_id(RequestIdOr(a->request_id));
    CallAndPrint<Programme, v1::Attendance>(
        g,
        [&](Programme::Stub& stub, grpc::ClientContext& c,
            v1::Attendance* out) {
          return stub.DeleteAttendance(&c, request, out);
        },
        [](std::ostream& out, const v1::Attendance& at) {
          out << "Removed from the register:\n";
          PrintAttendance(out, at);
        });
  });
}

void AddAttendanceList(CLI::App& attendance, Globals& g) {
  auto session = std::make_shared<std::string>();
  CLI::App* list = attendance.add_subcommand(
      "list", "who is on a session's register, with what each earned");
  list->add_option("--session", *session, "session number")->required();
  list->callback([&g, session] {
    v1::ListAttendancesRequest request;
    request.set_parent(WithCollection(*session, "sessions/"));
    CallAndPrint<Programme, v1::ListAttendancesResponse>(
        g,
        [&](Programme::Stub& stub, grpc::ClientContext& c,
            v1::ListAttendancesResponse* out) {
          return stub.ListAttendances(&c, request, out);
        },
        [](std::ostream& out, const v1::ListAttendancesResponse& r) {
          if (r.attendances().empty()) out << "Nobody is on the register.\n";
          for (const v1::Attendance& at : r.attendances()) {
            PrintAttendance(out, at);
          }
        });
  });
}

void AddVoucherDecision(CLI::App& voucher, Globals& g) {
  auto a = std::make_shared<CorrectionArgs>();
  auto name = std::make_shared<std::string>();
  auto keep = std::make_shared<bool>(false);
  auto take_back = std::make_shared<bool>(false);
  CLI::App* decide = voucher.add_subcommand(
      "decide",
      "decide a voucher given and then changed by a correction (voucher "
      "list --needs-decision): the person keeps it, or it is taken back");
  decide->add_option("entitlement", *name, "entitlement number")->required();
  CLI::Option* keep_flag =
      decide->add_flag("--keep", *keep, "the person keeps the voucher");
  decide->add_flag("--take-back", *take_back, "the voucher is taken back")
      ->excludes(keep_flag);
  decide->add_option("--reason", a->reason, "why you decided so")->required();
  AddRequestId(decide, a->request_id);
  decide->callback([&g, a, name, keep, take_back] {
    if (*keep == *take_back) {
      g.exit_code = Usage("say --keep or --take-back");
      return;
    }
    v1::DecideVoucherRequest request;
    request.set_name(WithCollection(*name, "voucherEntitlements/"));
    request.set_decision(*keep ? v1::VOUCHER_DECISION_KEEP
                               : v1::VOUCHER_DECISION_TAKE_BACK);
    request.set_reason(a->reason);
    request.set_request_id(RequestIdOr(a->request_id));
    CallAndPrint<Programme, v1::VoucherEntitlement>(
        g,
        [&](Programme::Stub& stub, grpc::ClientContext& c,
            v1::VoucherEntitlement* out) {
          return stub.DecideVoucher(&c, request, out);
        },
        PrintEntitlement);
  });
}

void AddClaimAmend(CLI::App& claim, Globals& g) {
  auto args = std::make_shared<ClaimArgs>();
  auto name = std::make_shared<std::string>();
  auto reason = std::make_shared<std::string>();
  CLI::App* amend = claim.add_subcommand(
      "amend",
      "replace the lines of a claim not yet approved; the new version is "
      "judged afresh and the old one kept");
  amend->add_option("claim", *name, "claim id")->required();
  amend->add_option("--session", args->session,
                    "session id (default: as before)");
  amend->add_option("--date", args->date, "session date (default: as before)");
  AddClaimLineOptions(amend, *args);
  amend->add_option("--reason", *reason, "why it changed (optional)");
  AddRequestId(amend, args->request_id);
  amend->callback([&g, args, name, reason] {
    auto claim_msg = BuildClaim(*args);
    if (!claim_msg.ok()) {
      g.exit_code = Usage(std::string(claim_msg.status().message()));
      return;
    }
    v1::AmendClaimRequest request;
    *request.mutable_claim() = *claim_msg;
    request.mutable_claim()->set_name(WithCollection(*name, "claims/"));
    request.set_reason(*reason);
    request.set_request_id(RequestIdOr(args->request_id));
    CallAndPrint<v1::ClaimService, v1::Claim>(
        g,
        [&](v1::ClaimService::Stub& stub, grpc::ClientContext& c,
            v1::Claim* out) { return stub.AmendClaim(&c, request, out); },
        PrintClaim);
  });
}

}  // namespace

void AddCorrectionCommands(CLI::App& app, Globals& g) {
  AddSessionCorrections(*app.get_subcommand("session"), g);
  AddAttendanceCorrections(*app.get_subcommand("attendance"), g);
  AddAttendanceList(*app.get_subcommand("attendance"), g);
  AddVoucherDecision(*app.get_subcommand("voucher"), g);
  AddClaimAmend(*app.get_subcommand("claim"), g);
}

}  // namespace reciprocity::client
