// recip statement PARTICIPANT: a plain-English statement of a participant's
// claims, what was allowed and why, and the totals. Short sentences, pounds,
// fit to print and hand over.
#include <iostream>
#include <memory>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/strip.h"
#include "client/call.h"
#include "client/commands.h"
#include "client/output.h"
#include "client/terminal_text.h"
#include "reciprocity/v1/claims.grpc.pb.h"
#include "reciprocity/v1/policy_service.grpc.pb.h"
#include "reciprocity/v1/programme.grpc.pb.h"

namespace reciprocity::client {
namespace {

// "2026-11-18" -> "18 November 2026"; anything else is shown as it is.
std::string LongDate(const std::string& date) {
  static constexpr const char* kMonths[] = {
      "January", "February", "March",     "April",   "May",      "June",
      "July",    "August",   "September", "October", "November", "December"};
  int y = 0, m = 0, d = 0;
  if (date.size() == 10 && absl::SimpleAtoi(date.substr(0, 4), &y) &&
      absl::SimpleAtoi(date.substr(5, 2), &m) &&
      absl::SimpleAtoi(date.substr(8, 2), &d) && m >= 1 && m <= 12) {
    return absl::StrCat(d, " ", kMonths[m - 1], " ", y);
  }
  return date;
}

// Project resource name -> what people call it, e.g. "Learning Disability
// user voice group".
using ProjectNames = absl::flat_hash_map<std::string, std::string>;

// "serviceAreas/a/projects/ld-user-voice" -> "serviceAreas/a".
std::string AreaOf(const std::string& project) {
  const size_t at = project.find("/projects/");
  return at == std::string::npos ? project : project.substr(0, at);
}

// The display names of the projects the claims name. A project whose name
// cannot be looked up is shown by its id.
ProjectNames LookUpProjectNames(const Connection& connection,
                                const std::vector<v1::Claim>& claims) {
  auto stub = v1::PolicyService::NewStub(connection.channel());
  ProjectNames names;
  absl::flat_hash_set<std::string> areas;
  for (const v1::Claim& claim : claims) areas.insert(AreaOf(claim.project()));
  for (const std::string& area : areas) {
    v1::ListProjectsRequest request;
    request.set_parent(area);
    v1::ListProjectsResponse response;
    if (CallWithRetry(connection, [&](grpc::ClientContext& c) {
          return stub->ListProjects(&c, request, &response);
        }).ok()) {
      for (const auto& project : response.projects()) {
        names[project.name()] = OneLine(project.display_name());
      }
    }
  }
  return names;
}

std::string ProjectLabel(const ProjectNames& names,
                         const std::string& project) {
  auto it = names.find(project);
  if (it != names.end()) return it->second;
  const size_t slash = project.rfind('/');
  return slash == std::string::npos ? project : project.substr(slash + 1);
}

bool Counts(v1::ClaimState state) {
  return state == v1::CLAIM_STATE_APPROVED ||
         state == v1::CLAIM_STATE_BATCHED || state == v1::CLAIM_STATE_PAID;
}

void PrintLine(std::ostream& out, const v1::ClaimLine& line,
               const v1::LineDecision& decision) {
  out << "  " << CategoryLabel(line.category()) << ": ";
  if (line.category() == v1::EXPENSE_CATEGORY_MILEAGE) {
    out << absl::StrFormat("you travelled %d.%d miles. ",
                           line.distance_tenths_of_mile() / 10,
                           line.distance_tenths_of_mile() % 10);
  } else {
    out << "you claimed " << Pounds(line.amount_pence()) << ". ";
  }
  if (decision.outcome() == v1::LINE_OUTCOME_NEEDS_REVIEW) {
    out << "We are still checking this.\n";
  } else {
    out << "We allowed " << Pounds(decision.allowed_pence()) << ".\n";
  }
  if (!decision.reason().empty()) out << "    " << decision.reason() << "\n";
}

// Prints the statement for `participant` from its claims.
void PrintStatement(std::ostream& out, const v1::Participant& participant,
                    const std::vector<v1::Claim>& claims,
                    const ProjectNames& projects) {
  out << "Statement of expenses claims\n";
  out << "For: " << OneLine(participant.display_name()) << " ("
      << participant.name() << ")\n\n";
  if (claims.empty()) {
    out << "There are no claims yet.\n";
    return;
  }
  int64_t claimed = 0, allowed = 0, paid = 0, checking = 0;
  for (const v1::Claim& claim : claims) {
    out << "Claim " << std::string(absl::StripPrefix(claim.name(), "claims/"))
        << ", for the " << ProjectLabel(projects, claim.project())
        << " session on " << LongDate(claim.session_date()) << ". It is "
        << StateLabel(claim.state()) << ".\n";
    for (int i = 0; i < claim.lines_size(); ++i) {
      const v1::LineDecision decision = i < claim.decision().lines_size()
                                            ? claim.decision().lines(i)
                                            : v1::LineDecision();
      PrintLine(out, claim.lines(i), decision);
    }
    claimed += claim.claimed_total_pence();
    if (Counts(claim.state())) {
      allowed += claim.decision().allowed_total_pence();
      out << "  For this claim we allowed "
          << Pounds(claim.decision().allowed_total_pence()) << ".\n";
    } else if (claim.state() == v1::CLAIM_STATE_NEEDS_REVIEW) {
      checking += claim.decision().allowed_total_pence();
      out << "  A person is checking this claim.\n";
    } else if (claim.state() == v1::CLAIM_STATE_WITHDRAWN) {
      out << "  This claim was withdrawn, so we will not pay it.\n";
    } else if (claim.state() == v1::CLAIM_STATE_DECLINED) {
      out << "  You chose not to be paid, so we will not pay this claim. We "
             "keep it as a record.\n";
    } else {
      out << "  We cannot pay this claim.\n";
    }
    if (claim.state() == v1::CLAIM_STATE_PAID) {
      paid += claim.decision().allowed_total_pence();
    }
    out << "\n";
  }
  out << "Totals\n";
  out << "  You made " << claims.size()
      << (claims.size() == 1 ? " claim" : " claims") << ". You claimed "
      << Pounds(claimed) << " in all.\n";
  out << "  In total we allowed " << Pounds(allowed) << ".\n";
  out << "  Of that, we have paid " << Pounds(paid) << ".\n";
  if (checking > 0) {
    out << "  We are still checking claims worth up to " << Pounds(checking)
        << ".\n";
  }
}

}  // namespace

void AddStatementCommand(CLI::App& app, Globals& g) {
  auto id = std::make_shared<std::string>();
  CLI::App* cmd = app.add_subcommand(
      "statement",
      "print a plain-English statement of a participant's claims, what was "
      "allowed and why, with totals");
  cmd->add_option("participant", *id, "participant id, e.g. p-0001")
      ->required();
  cmd->callback([&g, id] {
    Connection connection(g.connection);
    auto programme = v1::ProgrammeService::NewStub(connection.channel());
    auto claims_stub = v1::ClaimService::NewStub(connection.channel());
    v1::GetParticipantRequest get;
    get.set_name(WithCollection(*id, "participants/"));
    v1::Participant participant;
    grpc::Status s = CallWithRetry(connection, [&](grpc::ClientContext& c) {
      return programme->GetParticipant(&c, get, &participant);
    });
    if (!s.ok()) {
      g.exit_code = ReportError(s);
      return;
    }
    std::vector<v1::Claim> claims;
    v1::ListClaimsRequest list;
    list.set_participant(participant.name());
    list.set_page_size(1000);
    do {
      v1::ListClaimsResponse page;
      s = CallWithRetry(connection, [&](grpc::ClientContext& c) {
        return claims_stub->ListClaims(&c, list, &page);
      });
      if (!s.ok()) {
        g.exit_code = ReportError(s);
        return;
      }
      claims.insert(claims.end(), page.claims().begin(), page.claims().end());
      list.set_page_token(page.next_page_token());
    } while (!list.page_token().empty());
    PrintStatement(std::cout, participant, claims,
                   LookUpProjectNames(connection, claims));
    g.exit_code = 0;
  });
}

}  // namespace reciprocity::client
