// recip claim preview|submit|get|list|review|withdraw|appeal
#include <iostream>
#include <memory>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "client/call.h"
#include "client/claim_args.h"
#include "client/commands.h"
#include "client/money.h"
#include "client/output.h"
#include "reciprocity/v1/claims.grpc.pb.h"

namespace reciprocity::client {
namespace {

std::string WithPrefix(absl::string_view value, absl::string_view prefix) {
  if (value.empty() || absl::StartsWith(value, prefix))
    return std::string(value);
  return absl::StrCat(prefix, value);
}

// Splits "AMOUNT[:receipt]".
absl::StatusOr<v1::ClaimLine> AmountLine(absl::string_view flag,
                                         absl::string_view value,
                                         v1::ExpenseCategory category) {
  std::vector<absl::string_view> parts = absl::StrSplit(value, ':');
  v1::ClaimLine line;
  line.set_category(category);
  auto pence = ParsePounds(parts[0]);
  if (!pence.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(flag, ": ", pence.status().message()));
  }
  line.set_amount_pence(*pence);
  for (size_t i = 1; i < parts.size(); ++i) {
    if (parts[i] != "receipt") {
      return absl::InvalidArgumentError(
          absl::StrCat(flag, ": unexpected '", parts[i],
                       "' (write AMOUNT or AMOUNT:receipt)"));
    }
    line.set_receipt_provided(true);
  }
  return line;
}

absl::StatusOr<v1::ClaimLine> MileageLine(absl::string_view value) {
  std::vector<absl::string_view> parts = absl::StrSplit(value, ':');
  if (parts.size() < 2 || parts.size() > 3) {
    return absl::InvalidArgumentError(
        "--miles: write VEHICLE:MILES[:PASSENGERS], e.g. car:12.5 or car:12:1");
  }
  v1::ClaimLine line;
  line.set_category(v1::EXPENSE_CATEGORY_MILEAGE);
  if (parts[0] == "car") {
    line.set_vehicle(v1::VEHICLE_TYPE_CAR);
  } else if (parts[0] == "motorcycle") {
    line.set_vehicle(v1::VEHICLE_TYPE_MOTORCYCLE);
  } else if (parts[0] == "bicycle") {
    line.set_vehicle(v1::VEHICLE_TYPE_BICYCLE);
  } else {
    return absl::InvalidArgumentError(absl::StrCat(
        "--miles: vehicle '", parts[0], "' is not car, motorcycle or bicycle"));
  }
  auto tenths = ParseTenths(parts[1]);
  if (!tenths.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("--miles: ", tenths.status().message()));
  }
  line.set_distance_tenths_of_mile(*tenths);
  if (parts.size() == 3) {
    int passengers = 0;
    if (!absl::SimpleAtoi(parts[2], &passengers) || passengers < 0) {
      return absl::InvalidArgumentError(
          "--miles: passengers must be a whole number");
    }
    line.set_passengers(passengers);
  }
  return line;
}

// "HOURS:CHILDREN:AMOUNT" for childcare, "HOURS:AMOUNT" for carer.
absl::StatusOr<v1::ClaimLine> CareLine(absl::string_view flag,
                                       absl::string_view value,
                                       v1::ExpenseCategory category) {
  const bool childcare = category == v1::EXPENSE_CATEGORY_CHILDCARE;
  std::vector<absl::string_view> parts = absl::StrSplit(value, ':');
  if (parts.size() != (childcare ? 3u : 2u)) {
    return absl::InvalidArgumentError(absl::StrCat(
        flag, childcare ? ": write HOURS:CHILDREN:AMOUNT, e.g. 3:2:30.00"
                        : ": write HOURS:AMOUNT, e.g. 3:36.00"));
  }
  v1::ClaimLine line;
  line.set_category(category);
  auto minutes = ParseHoursToMinutes(parts[0]);
  if (!minutes.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(flag, ": ", minutes.status().message()));
  }
  line.set_care_minutes(*minutes);
  if (childcare) {
    int children = 0;
    if (!absl::SimpleAtoi(parts[1], &children) || children < 1) {
      return absl::InvalidArgumentError(
          absl::StrCat(flag, ": children must be 1 or more"));
    }
    line.set_children(children);
  }
  auto pence = ParsePounds(parts.back());
  if (!pence.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(flag, ": ", pence.status().message()));
  }
  line.set_amount_pence(*pence);
  line.set_receipt_provided(true);  // care is claimed on the carer's invoice
  return line;
}

}  // namespace

absl::StatusOr<v1::Claim> BuildClaim(const ClaimArgs& args) {
  v1::Claim claim;
  claim.set_participant(WithPrefix(args.participant, "participants/"));
  claim.set_project(ProjectArg(args.project));
  claim.set_session_date(args.date);
  claim.set_session(WithPrefix(args.session, "sessions/"));
  if (args.creche == "yes") claim.set_creche_provided(true);
  if (args.creche == "no") claim.set_creche_provided(false);
  // --payee names who looks after the children or the person cared for:
  // it belongs to the care lines only. Fares are always the participant's.
  auto add = [&](absl::StatusOr<v1::ClaimLine> line) -> absl::Status {
    if (!line.ok()) return line.status();
    if (line->category() == v1::EXPENSE_CATEGORY_CHILDCARE ||
        line->category() == v1::EXPENSE_CATEGORY_CARER) {
      line->set_payee_reference(args.payee);
    }
    *claim.add_lines() = *std::move(line);
    return absl::OkStatus();
  };
  for (const auto& v : args.fares) {
    if (auto s =
            add(AmountLine("--fare", v, v1::EXPENSE_CATEGORY_PUBLIC_TRANSPORT));
        !s.ok())
      return s;
  }
  for (const auto& v : args.miles) {
    if (auto s = add(MileageLine(v)); !s.ok()) return s;
  }
  for (const auto& v : args.taxis) {
    if (auto s = add(AmountLine("--taxi", v, v1::EXPENSE_CATEGORY_TAXI));
        !s.ok())
      return s;
  }
  for (const auto& v : args.parking) {
    if (auto s = add(AmountLine("--parking", v, v1::EXPENSE_CATEGORY_PARKING));
        !s.ok())
      return s;
  }
  for (const auto& v : args.childcare) {
    if (auto s =
            add(CareLine("--childcare", v, v1::EXPENSE_CATEGORY_CHILDCARE));
        !s.ok())
      return s;
  }
  for (const auto& v : args.carer) {
    if (auto s = add(CareLine("--carer", v, v1::EXPENSE_CATEGORY_CARER));
        !s.ok())
      return s;
  }
  return claim;
}

void AddClaimLineOptions(CLI::App* cmd, ClaimArgs& args) {
  cmd->add_option("--creche", args.creche, "was a crèche provided? yes or no")
      ->check(CLI::IsMember({"yes", "no"}));
  cmd->add_option("--fare", args.fares,
                  "bus or train fare in pounds; add :receipt if you have one, "
                  "e.g. 3.20 or 14.50:receipt");
  cmd->add_option(
      "--miles", args.miles,
      "VEHICLE:MILES[:PASSENGERS], vehicle car, motorcycle or bicycle, "
      "e.g. car:12.5");
  cmd->add_option("--taxi", args.taxis,
                  "taxi fare in pounds (needs an agreement)");
  cmd->add_option("--parking", args.parking, "parking in pounds");
  cmd->add_option("--childcare", args.childcare,
                  "HOURS:CHILDREN:AMOUNT, e.g. 3:2:30.00");
  cmd->add_option("--carer", args.carer,
                  "replacement care HOURS:AMOUNT, e.g. 3:36.00");
  cmd->add_option(
      "--payee", args.payee,
      "pay the --childcare and --carer lines straight to the provider "
      "(e.g. a childminder), by their finance reference, where the "
      "project's rules allow it; fares and mileage are always paid to the "
      "participant");
}

namespace {

void AddClaimOptions(CLI::App* cmd, ClaimArgs& args) {
  cmd->add_option("--participant", args.participant,
                  "participant id, e.g. p-0001")
      ->required();
  cmd->add_option("--project", args.project,
                  "AREA/PROJECT, e.g. adult-social-care/ld-user-voice")
      ->required();
  cmd->add_option("--date", args.date, "session date, YYYY-MM-DD");
  cmd->add_option("--session", args.session,
                  "session id, if the session is recorded");
  AddClaimLineOptions(cmd, args);
}

template <typename Fn>
void Run(Globals& g, Fn&& fn) {
  g.exit_code = fn();
}

int Fail(const absl::Status& status) {
  std::cerr << "recip: " << status.message() << "\n";
  return kExitUsage;
}

}  // namespace

void AddClaimCommands(CLI::App& app, Globals& g) {
  CLI::App* claim =
      app.add_subcommand("claim", "preview, submit and follow claims");
  claim->require_subcommand(1);
  auto args = std::make_shared<ClaimArgs>();

  CLI::App* preview = claim->add_subcommand(
      "preview", "show what would be paid and why, without saving anything");
  AddClaimOptions(preview, *args);
  preview->callback([&g, args] {
    Run(g, [&] {
      auto claim_msg = BuildClaim(*args);
      if (!claim_msg.ok()) return Fail(claim_msg.status());
      v1::PreviewClaimRequest request;
      *request.mutable_claim() = *claim_msg;
      CallAndPrint<v1::ClaimService, v1::PreviewClaimResponse>(
          g,
          [&](v1::ClaimService::Stub& stub, grpc::ClientContext& c,
              v1::PreviewClaimResponse* out) {
            return stub.PreviewClaim(&c, request, out);
          },
          [&](std::ostream& out, const v1::PreviewClaimResponse& response) {
            out << "Preview (nothing saved): "
                << PreviewVerdict(response.state()) << "\n";
            PrintDecision(out, *claim_msg, response.decision());
          });
      return g.exit_code;
    });
  });

  CLI::App* submit = claim->add_subcommand("submit", "submit a claim");
  AddClaimOptions(submit, *args);
  submit->add_option("--request-id", args->request_id,
                     "reuse an id to retry safely (default: a new one)");
  submit->callback([&g, args] {
    Run(g, [&] {
      auto claim_msg = BuildClaim(*args);
      if (!claim_msg.ok()) return Fail(claim_msg.status());
      v1::SubmitClaimRequest request;
      *request.mutable_claim() = *claim_msg;
      request.set_request_id(args->request_id.empty() ? NewRequestId()
                                                      : args->request_id);
      CallAndPrint<v1::ClaimService, v1::Claim>(
          g,
          [&](v1::ClaimService::Stub& stub, grpc::ClientContext& c,
              v1::Claim* out) { return stub.SubmitClaim(&c, request, out); },
          PrintClaim);
      return g.exit_code;
    });
  });

  auto name = std::make_shared<std::string>();
  CLI::App* get = claim->add_subcommand("get", "show one claim");
  get->add_option("claim", *name, "claim id or claims/ID")->required();
  get->callback([&g, name] {
    Run(g, [&] {
      v1::GetClaimRequest request;
      request.set_name(WithPrefix(*name, "claims/"));
      CallAndPrint<v1::ClaimService, v1::Claim>(
          g,
          [&](v1::ClaimService::Stub& stub, grpc::ClientContext& c,
              v1::Claim* out) { return stub.GetClaim(&c, request, out); },
          PrintClaim);
      return g.exit_code;
    });
  });

  auto list = std::make_shared<v1::ListClaimsRequest>();
  auto list_args = std::make_shared<ClaimArgs>();
  auto state = std::make_shared<std::string>();
  auto page_size = std::make_shared<int>(0);
  auto page_token = std::make_shared<std::string>();
  auto from = std::make_shared<std::string>(),
       to = std::make_shared<std::string>();
  auto area = std::make_shared<std::string>();
  auto order_by = std::make_shared<std::string>();
  CLI::App* list_cmd =
      claim->add_subcommand("list", "list claims, oldest first");
  list_cmd->add_option("--participant", list_args->participant,
                       "participant id");
  list_cmd->add_option("--project", list_args->project, "AREA/PROJECT");
  list_cmd->add_option("--area", *area, "service area id");
  list_cmd->add_option(
      "--state", *state,
      "SUBMITTED, NEEDS_REVIEW, APPROVED, REJECTED, WITHDRAWN, "
      "BATCHED or PAID");
  list_cmd->add_option("--from", *from, "sessions on or after YYYY-MM-DD");
  list_cmd->add_option("--to", *to, "sessions on or before YYYY-MM-DD");
  list_cmd->add_option("--order-by", *order_by,
                       "\"submit_time\" (oldest first, the default) or "
                       "\"submit_time desc\" (newest first)");
  list_cmd->add_option("--page-size", *page_size,
                       "claims per page (default 50)");
  list_cmd->add_option("--page-token", *page_token, "from the previous page");
  list_cmd->callback(
      [&g, list_args, state, page_size, page_token, from, to, area, order_by] {
        Run(g, [&] {
          v1::ListClaimsRequest request;
          request.set_participant(
              WithPrefix(list_args->participant, "participants/"));
          request.set_project(ProjectArg(list_args->project));
          request.set_service_area(WithPrefix(*area, "serviceAreas/"));
          if (!state->empty()) {
            v1::ClaimState parsed;
            if (!v1::ClaimState_Parse("CLAIM_STATE_" + *state, &parsed)) {
              return Fail(absl::InvalidArgumentError(absl::StrCat(
                  "--state: '", *state, "' is not a claim state")));
            }
            request.set_state(parsed);
          }
          request.set_session_date_from(*from);
          request.set_session_date_to(*to);
          request.set_order_by(*order_by);
          request.set_page_size(*page_size);
          request.set_page_token(*page_token);
          CallAndPrint<v1::ClaimService, v1::ListClaimsResponse>(
              g,
              [&](v1::ClaimService::Stub& stub, grpc::ClientContext& c,
                  v1::ListClaimsResponse* out) {
                return stub.ListClaims(&c, request, out);
              },
              PrintClaimTable);
          return g.exit_code;
        });
      });

  // review / withdraw / appeal share: claim id, request id.
  struct LineArgs {
    std::string claim, reason, decision, amount, request_id;
    int line = 0;
    bool receipt_seen = false;
  };
  auto la = std::make_shared<LineArgs>();
  CLI::App* review = claim->add_subcommand(
      "review", "officers: approve or refuse a line that needs review");
  review->add_option("claim", la->claim, "claim id")->required();
  review->add_option("--line", la->line, "line number as printed (1, 2, ...)")
      ->required();
  review->add_option("--decision", la->decision, "approve or refuse")
      ->required()
      ->check(CLI::IsMember({"approve", "refuse"}));
  review
      ->add_option("--reason", la->reason,
                   "why, in words the participant will read")
      ->required();
  review->add_option("--amount", la->amount,
                     "amount to pay in pounds (default: as proposed)");
  review->add_flag("--receipt-seen", la->receipt_seen, "you saw a receipt");
  review->add_option("--request-id", la->request_id,
                     "reuse an id to retry safely");
  review->callback([&g, la] {
    Run(g, [&] {
      v1::ReviewClaimLineRequest request;
      request.set_name(WithPrefix(la->claim, "claims/"));
      request.set_line_index(la->line - 1);
      request.set_approve(la->decision == "approve");
      request.set_reason(la->reason);
      request.set_receipt_seen(la->receipt_seen);
      if (!la->amount.empty()) {
        auto pence = ParsePounds(la->amount);
        if (!pence.ok()) return Fail(pence.status());
        request.set_allowed_pence(*pence);
      }
      request.set_request_id(la->request_id.empty() ? NewRequestId()
                                                    : la->request_id);
      CallAndPrint<v1::ClaimService, v1::Claim>(
          g,
          [&](v1::ClaimService::Stub& stub, grpc::ClientContext& c,
              v1::Claim* out) {
            return stub.ReviewClaimLine(&c, request, out);
          },
          PrintClaim);
      return g.exit_code;
    });
  });

  CLI::App* withdraw =
      claim->add_subcommand("withdraw", "withdraw a claim before approval");
  withdraw->add_option("claim", la->claim, "claim id")->required();
  withdraw->add_option("--request-id", la->request_id,
                       "reuse an id to retry safely");
  withdraw->callback([&g, la] {
    Run(g, [&] {
      v1::WithdrawClaimRequest request;
      request.set_name(WithPrefix(la->claim, "claims/"));
      request.set_request_id(la->request_id.empty() ? NewRequestId()
                                                    : la->request_id);
      CallAndPrint<v1::ClaimService, v1::Claim>(
          g,
          [&](v1::ClaimService::Stub& stub, grpc::ClientContext& c,
              v1::Claim* out) { return stub.WithdrawClaim(&c, request, out); },
          PrintClaim);
      return g.exit_code;
    });
  });

  CLI::App* appeal = claim->add_subcommand(
      "appeal",
      "participants: ask once for a refused line to be looked at again");
  appeal->add_option("claim", la->claim, "claim id")->required();
  appeal->add_option("--line", la->line, "line number as printed (1, 2, ...)")
      ->required();
  appeal->add_option("--comment", la->reason, "what the reviewer should know")
      ->required();
  appeal->add_option("--request-id", la->request_id,
                     "reuse an id to retry safely");
  appeal->callback([&g, la] {
    Run(g, [&] {
      v1::AppealClaimLineRequest request;
      request.set_name(WithPrefix(la->claim, "claims/"));
      request.set_line_index(la->line - 1);
      request.set_comment(la->reason);
      request.set_request_id(la->request_id.empty() ? NewRequestId()
                                                    : la->request_id);
      CallAndPrint<v1::ClaimService, v1::Claim>(
          g,
          [&](v1::ClaimService::Stub& stub, grpc::ClientContext& c,
              v1::Claim* out) {
            return stub.AppealClaimLine(&c, request, out);
          },
          PrintClaim);
      return g.exit_code;
    });
  });
}

}  // namespace reciprocity::client
