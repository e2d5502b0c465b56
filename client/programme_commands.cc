// recip participant create|get|list|update|deactivate, session
// create|get|list, agreement record|list, attendance record, voucher
// list|issue.
#include <iostream>
#include <memory>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/strip.h"
#include "client/call.h"
#include "client/commands.h"
#include "client/money.h"
#include "client/output.h"
#include "client/programme_output.h"
#include "client/terminal_text.h"
#include "reciprocity/v1/programme.grpc.pb.h"

namespace reciprocity::client {
namespace {

using Programme = v1::ProgrammeService;

// "bank-transfer" -> PAYMENT_METHOD_BANK_TRANSFER, for any of our enums.
template <typename Enum>
bool ParseEnumArg(const google::protobuf::EnumDescriptor* descriptor,
                  absl::string_view prefix, const std::string& text,
                  Enum* out) {
  const std::string name = absl::StrCat(
      prefix, absl::AsciiStrToUpper(absl::StrReplaceAll(text, {{"-", "_"}})));
  const auto* value = descriptor->FindValueByName(name);
  if (value == nullptr || value->number() == 0) return false;
  *out = static_cast<Enum>(value->number());
  return true;
}

int Usage(const std::string& message) {
  std::cerr << "recip: " << message << "\n";
  return kExitUsage;
}

std::string RequestIdOrNew(const std::string& id) {
  return id.empty() ? NewRequestId() : id;
}

void PrintNextPage(std::ostream& out, const std::string& token) {
  if (!token.empty()) out << "More: --page-token " << token << "\n";
}

// Options shared by participant create and update.
struct ParticipantArgs {
  std::string id, type, pay, name, contact, state, request_id, page_token;
  int page_size = 0;
};

absl::Status FillParticipant(const ParticipantArgs& args, v1::Participant* p,
                             google::protobuf::FieldMask* mask) {
  if (!args.type.empty()) {
    v1::ParticipantType type;
    if (!ParseEnumArg(v1::ParticipantType_descriptor(), "PARTICIPANT_TYPE_",
                      args.type, &type)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "--type: '", args.type,
          "' is not resident, parent-or-carer, organisation-representative, "
          "staff or young-person"));
    }
    p->set_participant_type(type);
    if (mask) mask->add_paths("participant_type");
  }
  if (!args.pay.empty()) {
    v1::PaymentMethod pay;
    if (!ParseEnumArg(v1::PaymentMethod_descriptor(), "PAYMENT_METHOD_",
                      args.pay, &pay)) {
      return absl::InvalidArgumentError(
          absl::StrCat("--pay: '", args.pay,
                       "' is not bank-transfer, voucher, cash-on-the-day or "
                       "decline"));
    }
    p->set_payment_preference(pay);
    if (mask) mask->add_paths("payment_preference");
  }
  if (!args.name.empty()) {
    p->set_display_name(args.name);
    if (mask) mask->add_paths("display_name");
  }
  if (!args.contact.empty()) {
    p->set_contact(args.contact);
    if (mask) mask->add_paths("contact");
  }
  return absl::OkStatus();
}

void AddParticipantCommands(CLI::App& app, Globals& g) {
  CLI::App* cmd = app.add_subcommand(
      "participant", "officers: the council-wide register of participants");
  cmd->require_subcommand(1);
  auto a = std::make_shared<ParticipantArgs>();

  CLI::App* create = cmd->add_subcommand("create", "register a participant");
  create->add_option("id", a->id,
                     "participant id, e.g. p-0001 (default: the next free)");
  create
      ->add_option("--type", a->type,
                   "resident, parent-or-carer, organisation-representative, "
                   "staff or young-person")
      ->required();
  create->add_option(
      "--pay", a->pay,
      "bank-transfer (default), voucher, cash-on-the-day or decline");
  create->add_option("--name", a->name, "what to call them")->required();
  create->add_option("--contact", a->contact, "a phone number or email");
  create->add_option("--request-id", a->request_id,
                     "reuse an id to retry safely");
  create->callback([&g, a] {
    v1::CreateParticipantRequest request;
    request.set_participant_id(
        std::string(absl::StripPrefix(a->id, "participants/")));
    ParticipantArgs filled = *a;
    if (filled.pay.empty()) filled.pay = "bank-transfer";
    if (auto s =
            FillParticipant(filled, request.mutable_participant(), nullptr);
        !s.ok()) {
      g.exit_code = Usage(std::string(s.message()));
      return;
    }
    request.set_request_id(RequestIdOrNew(a->request_id));
    CallAndPrint<Programme, v1::Participant>(
        g,
        [&](Programme::Stub& stub, grpc::ClientContext& c,
            v1::Participant* out) {
          return stub.CreateParticipant(&c, request, out);
        },
        PrintParticipant);
  });

  CLI::App* get = cmd->add_subcommand("get", "show one participant");
  get->add_option("id", a->id, "participant id")->required();
  get->callback([&g, a] {
    v1::GetParticipantRequest request;
    request.set_name(WithCollection(a->id, "participants/"));
    CallAndPrint<Programme, v1::Participant>(
        g,
        [&](Programme::Stub& stub, grpc::ClientContext& c,
            v1::Participant* out) {
          return stub.GetParticipant(&c, request, out);
        },
        PrintParticipant);
  });

  CLI::App* list = cmd->add_subcommand("list", "list participants by id");
  list->add_option("--state", a->state, "active or inactive");
  list->add_option("--page-size", a->page_size, "rows per page (default 50)");
  list->add_option("--page-token", a->page_token, "from the previous page");
  list->callback([&g, a] {
    v1::ListParticipantsRequest request;
    if (!a->state.empty()) {
      v1::ParticipantState state;
      if (!ParseEnumArg(v1::ParticipantState_descriptor(), "PARTICIPANT_STATE_",
                        a->state, &state)) {
        g.exit_code = Usage("--state: active or inactive");
        return;
      }
      request.set_state(state);
    }
    request.set_page_size(a->page_size);
    request.set_page_token(a->page_token);
    CallAndPrint<Programme, v1::ListParticipantsResponse>(
        g,
        [&](Programme::Stub& stub, grpc::ClientContext& c,
            v1::ListParticipantsResponse* out) {
          return stub.ListParticipants(&c, request, out);
        },
        [](std::ostream& out, const v1::ListParticipantsResponse& r) {
          if (r.participants().empty()) out << "No participants found.\n";
          for (const auto& p : r.participants()) {
            out << absl::StrFormat("%-24s %-30s %-16s %s\n", p.name(),
                                   TypeLabel(p.participant_type()),
                                   PaymentLabel(p.payment_preference()),
                                   p.state() == v1::PARTICIPANT_STATE_ACTIVE
                                       ? "active"
                                       : "inactive");
          }
          PrintNextPage(out, r.next_page_token());
        });
  });

  CLI::App* update =
      cmd->add_subcommand("update",
                          "change a participant's details (participants may "
                          "change only their own --pay)");
  update->add_option("id", a->id, "participant id")->required();
  update->add_option("--type", a->type, "new participant type");
  update->add_option("--pay", a->pay, "new payment preference");
  update->add_option("--name", a->name, "new display name");
  update->add_option("--contact", a->contact, "new contact");
  update->add_option("--request-id", a->request_id,
                     "reuse an id to retry safely");
  update->callback([&g, a] {
    v1::UpdateParticipantRequest request;
    if (auto s = FillParticipant(*a, request.mutable_participant(),
                                 request.mutable_update_mask());
        !s.ok()) {
      g.exit_code = Usage(std::string(s.message()));
      return;
    }
    request.mutable_participant()->set_name(
        WithCollection(a->id, "participants/"));
    request.set_request_id(RequestIdOrNew(a->request_id));
    CallAndPrint<Programme, v1::Participant>(
        g,
        [&](Programme::Stub& stub, grpc::ClientContext& c,
            v1::Participant* out) {
          return stub.UpdateParticipant(&c, request, out);
        },
        PrintParticipant);
  });

  CLI::App* deactivate = cmd->add_subcommand(
      "deactivate", "mark a participant inactive (records are kept)");
  deactivate->add_option("id", a->id, "participant id")->required();
  deactivate->add_option("--request-id", a->request_id,
                         "reuse an id to retry safely");
  deactivate->callback([&g, a] {
    v1::DeactivateParticipantRequest request;
    request.set_name(WithCollection(a->id, "participants/"));
    request.set_request_id(RequestIdOrNew(a->request_id));
    CallAndPrint<Programme, v1::Participant>(
        g,
        [&](Programme::Stub& stub, grpc::ClientContext& c,
            v1::Participant* out) {
          return stub.DeactivateParticipant(&c, request, out);
        },
        PrintParticipant);
  });
}

struct SessionArgs {
  std::string id, project, date, start, end, venue, from, to, request_id,
      page_token;
  bool online = false, creche = false, no_creche = false;
  int page_size = 0;
};

// "adult-social-care/ld-user-voice" is accepted for the full name.
std::string ProjectName(const std::string& value) {
  if (value.empty() || absl::StartsWith(value, "serviceAreas/")) return value;
  const size_t slash = value.find('/');
  if (slash == std::string::npos) return value;
  return absl::StrCat("serviceAreas/", value.substr(0, slash), "/projects/",
                      value.substr(slash + 1));
}

void AddSessionCommands(CLI::App& app, Globals& g) {
  CLI::App* cmd =
      app.add_subcommand("session", "officers: the sessions of a project");
  cmd->require_subcommand(1);
  auto a = std::make_shared<SessionArgs>();

  CLI::App* create = cmd->add_subcommand(
      "create",
      "create a session; it has a crèche if the project's rule file says so "
      "(creche_by_default), unless --creche or --no-creche says otherwise");
  create->add_option("--project", a->project, "AREA/PROJECT")->required();
  create->add_option("--date", a->date, "YYYY-MM-DD")->required();
  create->add_option("--start", a->start, "start time HH:MM")->required();
  create->add_option("--end", a->end, "end time HH:MM")->required();
  create->add_option("--venue", a->venue, "where it is held");
  create->add_flag("--online", a->online, "held online");
  CLI::Option* creche =
      create->add_flag("--creche", a->creche,
                       "a crèche is provided, whatever the project's default");
  CLI::Option* no_creche =
      create->add_flag("--no-creche", a->no_creche,
                       "no crèche is provided, whatever the project's default");
  creche->excludes(no_creche);
  create->add_option("--request-id", a->request_id,
                     "reuse an id to retry safely");
  create->callback([&g, a] {
    v1::CreateSessionRequest request;
    v1::Session* s = request.mutable_session();
    s->set_project(ProjectName(a->project));
    s->set_date(a->date);
    s->set_start_time(a->start);
    s->set_end_time(a->end);
    s->set_venue(a->venue);
    s->set_online(a->online);
    // Neither flag: left unset, so the server uses the project's default.
    if (a->creche) s->set_creche_provided(true);
    if (a->no_creche) s->set_creche_provided(false);
    request.set_request_id(RequestIdOrNew(a->request_id));
    CallAndPrint<Programme, v1::Session>(
        g,
        [&](Programme::Stub& stub, grpc::ClientContext& c, v1::Session* out) {
          return stub.CreateSession(&c, request, out);
        },
        PrintSession);
  });

  CLI::App* get = cmd->add_subcommand("get", "show one session");
  get->add_option("id", a->id, "session number")->required();
  get->callback([&g, a] {
    v1::GetSessionRequest request;
    request.set_name(WithCollection(a->id, "sessions/"));
    CallAndPrint<Programme, v1::Session>(
        g,
        [&](Programme::Stub& stub, grpc::ClientContext& c, v1::Session* out) {
          return stub.GetSession(&c, request, out);
        },
        PrintSession);
  });

  CLI::App* list = cmd->add_subcommand("list", "list sessions, oldest first");
  list->add_option("--project", a->project, "AREA/PROJECT");
  list->add_option("--from", a->from, "on or after YYYY-MM-DD");
  list->add_option("--to", a->to, "on or before YYYY-MM-DD");
  list->add_option("--page-size", a->page_size, "rows per page (default 50)");
  list->add_option("--page-token", a->page_token, "from the previous page");
  list->callback([&g, a] {
    v1::ListSessionsRequest request;
    request.set_project(ProjectName(a->project));
    request.set_date_from(a->from);
    request.set_date_to(a->to);
    request.set_page_size(a->page_size);
    request.set_page_token(a->page_token);
    CallAndPrint<Programme, v1::ListSessionsResponse>(
        g,
        [&](Programme::Stub& stub, grpc::ClientContext& c,
            v1::ListSessionsResponse* out) {
          return stub.ListSessions(&c, request, out);
        },
        [](std::ostream& out, const v1::ListSessionsResponse& r) {
          if (r.sessions().empty()) out << "No sessions found.\n";
          for (const auto& s : r.sessions()) PrintSession(out, s);
          PrintNextPage(out, r.next_page_token());
        });
  });
}

struct RecordArgs {
  std::string participant, session, category, up_to, note, state, serial, id,
      request_id, page_token, creche_used, project, from, to;
  int minutes = 0, page_size = 0;
  bool needs_decision = false;
};

void AddAgreementAttendanceVoucherCommands(CLI::App& app, Globals& g) {
  auto a = std::make_shared<RecordArgs>();

  CLI::App* agreement = app.add_subcommand(
      "agreement", "officers: what was agreed before a session");
  agreement->require_subcommand(1);
  CLI::App* record = agreement->add_subcommand(
      "record",
      "record an agreement in advance, for one session (--session) or for "
      "every session of a project from one date to another (--project, "
      "--from, --to)");
  record->add_option("--participant", a->participant, "participant id")
      ->required();
  CLI::Option* session =
      record->add_option("--session", a->session, "session number");
  CLI::Option* project = record->add_option(
      "--project", a->project, "standing: AREA/PROJECT, every session of it");
  session->excludes(project);
  record->add_option("--from", a->from, "standing: first day, YYYY-MM-DD")
      ->needs(project);
  record->add_option("--to", a->to, "standing: last day, YYYY-MM-DD")
      ->needs(project);
  record
      ->add_option("--category", a->category,
                   "taxi, childcare, carer, public-transport, mileage or "
                   "parking")
      ->required();
  record->add_option("--up-to", a->up_to,
                     "agreed up to this many pounds (standing: for each "
                     "session; default: no limit)");
  record->add_option("--note", a->note, "why it was agreed");
  record->add_option("--request-id", a->request_id,
                     "reuse an id to retry safely");
  record->callback([&g, a] {
    v1::CreateAgreementRequest request;
    v1::Agreement* ag = request.mutable_agreement();
    ag->set_participant(WithCollection(a->participant, "participants/"));
    ag->set_session(WithCollection(a->session, "sessions/"));
    ag->set_project(ProjectArg(a->project));
    ag->set_date_from(a->from);
    ag->set_date_to(a->to);
    v1::ExpenseCategory category;
    if (!ParseEnumArg(v1::ExpenseCategory_descriptor(), "EXPENSE_CATEGORY_",
                      a->category, &category)) {
      g.exit_code = Usage(absl::StrCat("--category: '", a->category,
                                       "' is not an expense category"));
      return;
    }
    ag->set_category(category);
    if (!a->up_to.empty()) {
      auto pence = ParsePounds(a->up_to);
      if (!pence.ok()) {
        g.exit_code =
            Usage(absl::StrCat("--up-to: ", pence.status().message()));
        return;
      }
      ag->set_up_to_pence(*pence);
    }
    ag->set_note(a->note);
    request.set_request_id(RequestIdOrNew(a->request_id));
    CallAndPrint<Programme, v1::Agreement>(
        g,
        [&](Programme::Stub& stub, grpc::ClientContext& c, v1::Agreement* out) {
          return stub.CreateAgreement(&c, request, out);
        },
        PrintAgreement);
  });
  CLI::App* list = agreement->add_subcommand("list", "list agreements");
  list->add_option("--participant", a->participant, "participant id");
  list->add_option("--session", a->session, "session number");
  list->add_option("--page-size", a->page_size, "rows per page (default 50)");
  list->add_option("--page-token", a->page_token, "from the previous page");
  list->callback([&g, a] {
    v1::ListAgreementsRequest request;
    request.set_participant(WithCollection(a->participant, "participants/"));
    request.set_session(WithCollection(a->session, "sessions/"));
    request.set_page_size(a->page_size);
    request.set_page_token(a->page_token);
    CallAndPrint<Programme, v1::ListAgreementsResponse>(
        g,
        [&](Programme::Stub& stub, grpc::ClientContext& c,
            v1::ListAgreementsResponse* out) {
          return stub.ListAgreements(&c, request, out);
        },
        [](std::ostream& out, const v1::ListAgreementsResponse& r) {
          if (r.agreements().empty()) out << "No agreements found.\n";
          for (const auto& ag : r.agreements()) PrintAgreement(out, ag);
          PrintNextPage(out, r.next_page_token());
        });
  });

  CLI::App* attendance = app.add_subcommand(
      "attendance", "officers: who came to a session (earns vouchers)");
  attendance->require_subcommand(1);
  CLI::App* attend = attendance->add_subcommand(
      "record", "record that a participant attended a session");
  attend->add_option("--session", a->session, "session number")->required();
  attend->add_option("--participant", a->participant, "participant id")
      ->required();
  attend->add_option("--minutes", a->minutes, "how long they took part")
      ->required();
  attend
      ->add_option("--creche-used", a->creche_used,
                   "yes or no: their child used the session's creche "
                   "(leave it out when not known)")
      ->check(CLI::IsMember({"yes", "no"}));
  attend->add_option("--request-id", a->request_id,
                     "reuse an id to retry safely");
  attend->callback([&g, a] {
    v1::RecordAttendanceRequest request;
    request.set_session(WithCollection(a->session, "sessions/"));
    request.set_participant(WithCollection(a->participant, "participants/"));
    request.set_minutes(a->minutes);
    if (!a->creche_used.empty())
      request.set_creche_used(a->creche_used == "yes");
    request.set_request_id(RequestIdOrNew(a->request_id));
    CallAndPrint<Programme, v1::Attendance>(
        g,
        [&](Programme::Stub& stub, grpc::ClientContext& c,
            v1::Attendance* out) {
          return stub.RecordAttendance(&c, request, out);
        },
        PrintAttendance);
  });

  CLI::App* voucher =
      app.add_subcommand("voucher", "vouchers earned by attendance");
  voucher->require_subcommand(1);
  CLI::App* vlist = voucher->add_subcommand(
      "list", "list voucher entitlements (--state earned: not yet issued)");
  vlist->add_option("--participant", a->participant, "participant id");
  vlist->add_option("--state", a->state,
                    "earned, issued, not-earned or cancelled");
  vlist->add_flag("--needs-decision", a->needs_decision,
                  "only vouchers given and then changed by a correction, "
                  "waiting for an officer to decide (voucher decide)");
  vlist->add_option("--page-size", a->page_size, "rows per page (default 50)");
  vlist->add_option("--page-token", a->page_token, "from the previous page");
  vlist->callback([&g, a] {
    v1::ListVoucherEntitlementsRequest request;
    request.set_participant(WithCollection(a->participant, "participants/"));
    request.set_needs_decision(a->needs_decision);
    if (!a->state.empty()) {
      v1::VoucherEntitlementState state;
      if (!ParseEnumArg(v1::VoucherEntitlementState_descriptor(),
                        "VOUCHER_ENTITLEMENT_STATE_", a->state, &state)) {
        g.exit_code = Usage("--state: earned, issued, not-earned or cancelled");
        return;
      }
      request.set_state(state);
    }
    request.set_page_size(a->page_size);
    request.set_page_token(a->page_token);
    CallAndPrint<Programme, v1::ListVoucherEntitlementsResponse>(
        g,
        [&](Programme::Stub& stub, grpc::ClientContext& c,
            v1::ListVoucherEntitlementsResponse* out) {
          return stub.ListVoucherEntitlements(&c, request, out);
        },
        [](std::ostream& out, const v1::ListVoucherEntitlementsResponse& r) {
          if (r.voucher_entitlements().empty()) {
            out << "No voucher entitlements found.\n";
          }
          for (const auto& e : r.voucher_entitlements()) {
            PrintEntitlement(out, e);
          }
          PrintNextPage(out, r.next_page_token());
        });
  });
  CLI::App* issue = voucher->add_subcommand(
      "issue", "record the serial of the voucher given");
  issue->add_option("entitlement", a->id, "entitlement number")->required();
  issue->add_option("--serial", a->serial, "serial number on the voucher")
      ->required();
  issue->add_option("--request-id", a->request_id,
                    "reuse an id to retry safely");
  issue->callback([&g, a] {
    v1::IssueVoucherRequest request;
    request.set_name(WithCollection(a->id, "voucherEntitlements/"));
    request.set_serial(a->serial);
    request.set_request_id(RequestIdOrNew(a->request_id));
    CallAndPrint<Programme, v1::VoucherEntitlement>(
        g,
        [&](Programme::Stub& stub, grpc::ClientContext& c,
            v1::VoucherEntitlement* out) {
          return stub.IssueVoucher(&c, request, out);
        },
        PrintEntitlement);
  });
}

}  // namespace

void AddProgrammeCommands(CLI::App& app, Globals& g) {
  AddParticipantCommands(app, g);
  AddSessionCommands(app, g);
  AddAgreementAttendanceVoucherCommands(app, g);
}

}  // namespace reciprocity::client
