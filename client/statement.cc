// recip statement PARTICIPANT: a plain-English statement of a participant's
// claims, what was allowed and why, the vouchers they earned, and the
// totals. Short sentences, pounds, fit to print and hand over.
#include "client/statement.h"

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

// Calls `call` for each page of a listing, from `request` on, and `add` with
// each page; stops at the first error.
template <typename Response, typename Request, typename Call, typename Add>
grpc::Status ForEachPage(const Connection& connection, Request request,
                         Call call, Add add) {
  request.set_page_size(1000);
  do {
    Response page;
    grpc::Status s = CallWithRetry(connection, [&](grpc::ClientContext& c) {
      return call(c, request, &page);
    });
    if (!s.ok()) return s;
    add(page);
    request.set_page_token(page.next_page_token());
  } while (!request.page_token().empty());
  return grpc::Status::OK;
}

// "serviceAreas/a/projects/ld-user-voice" -> "serviceAreas/a".
std::string AreaOf(const std::string& project) {
  const size_t at = project.find("/projects/");
  return at == std::string::npos ? project : project.substr(0, at);
}

// The display names of the projects the claims and vouchers name. A project
// whose name cannot be looked up is shown by its id.
ProjectNames LookUpProjectNames(
    const Connection& connection, const std::vector<v1::Claim>& claims,
    const std::vector<v1::VoucherEntitlement>& vouchers) {
  auto stub = v1::PolicyService::NewStub(connection.channel());
  ProjectNames names;
  absl::flat_hash_set<std::string> areas;
  for (const v1::Claim& claim : claims) areas.insert(AreaOf(claim.project()));
  for (const auto& voucher : vouchers) areas.insert(AreaOf(voucher.project()));
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

// Claims whose money we allowed.
bool Counts(v1::ClaimState state) {
  return state == v1::CLAIM_STATE_APPROVED ||
         state == v1::CLAIM_STATE_BATCHED || state == v1::CLAIM_STATE_PAID;
}

void PrintLine(std::ostream& out, const v1::ClaimLine& line,
               const v1::LineDecision& decision, v1::ClaimState state) {
  out << "  " << CategoryLabel(line.category()) << ": ";
  if (line.category() == v1::EXPENSE_CATEGORY_MILEAGE) {
    out << absl::StrFormat("you travelled %d.%d miles. ",
                           line.distance_tenths_of_mile() / 10,
                           line.distance_tenths_of_mile() % 10);
  } else {
    out << "you claimed " << Pounds(line.amount_pence()) << ". ";
  }
  if (state == v1::CLAIM_STATE_WITHDRAWN) {
    // What the line was waiting for no longer matters.
    out << "The claim was withdrawn.\n";
    return;
  }
  if (decision.outcome() == v1::LINE_OUTCOME_NEEDS_REVIEW) {
    out << "We are still checking this.\n";
  } else {
    out << "We allowed " << Pounds(decision.allowed_pence()) << ".\n";
  }
  if (!decision.reason().empty()) out << "    " << decision.reason() << "\n";
}

// What the claim means in money, after ClaimStateSentence; empty when it
// means none.
std::string MoneySentence(const v1::Claim& claim) {
  const int64_t allowed = claim.decision().allowed_total_pence();
  if (Counts(claim.state())) {
    return absl::StrCat("For this claim we allowed ", Pounds(allowed), ".");
  }
  if ((claim.state() == v1::CLAIM_STATE_NEEDS_REVIEW ||
       claim.state() == v1::CLAIM_STATE_SUBMITTED) &&
      allowed > 0) {
    return absl::StrCat("We can pay up to ", Pounds(allowed),
                        " once it is checked.");
  }
  return "";
}

// "1 was withdrawn." / "2 were withdrawn."; empty for none.
std::string CountSentence(int64_t count, const char* one, const char* many) {
  if (count == 0) return "";
  return absl::StrCat(" ", count, " ", count == 1 ? one : many, ".");
}

void PrintVouchers(std::ostream& out,
                   const std::vector<v1::VoucherEntitlement>& vouchers,
                   const ProjectNames& projects) {
  int64_t earned = 0, given = 0;
  bool any = false;
  for (const auto& voucher : vouchers) {
    const bool issued = voucher.state() == v1::VOUCHER_ENTITLEMENT_STATE_ISSUED;
    if (!issued && voucher.state() != v1::VOUCHER_ENTITLEMENT_STATE_EARNED) {
      continue;  // nothing was earned; the attendance says why
    }
    if (!any) out << "Vouchers for coming to sessions\n";
    any = true;
    out << "  " << LongDate(voucher.session_date()) << ", "
        << ProjectLabel(projects, voucher.project()) << ": a "
        << Pounds(voucher.value_pence()) << " "
        << (voucher.provider().empty() ? "" : voucher.provider() + " ")
        << "voucher. "
        << (issued ? "We gave it to you." : "We have not given it to you yet.")
        << "\n";
    earned += voucher.value_pence();
    if (issued) given += voucher.value_pence();
  }
  if (!any) return;
  out << "  You earned vouchers worth " << Pounds(earned)
      << ". We have given you " << Pounds(given) << " of them.\n\n";
}

}  // namespace

std::string ClaimStateSentence(v1::ClaimState state) {
  switch (state) {
    case v1::CLAIM_STATE_SUBMITTED:
      return "We have this claim and will check it soon.";
    case v1::CLAIM_STATE_NEEDS_REVIEW:
      return "We are still checking this claim.";
    case v1::CLAIM_STATE_APPROVED:
      return "We will pay this claim.";
    case v1::CLAIM_STATE_REJECTED:
      return "We cannot pay this claim.";
    case v1::CLAIM_STATE_WITHDRAWN:
      return "This claim was withdrawn, so we will not pay it.";
    case v1::CLAIM_STATE_BATCHED:
      return "We will pay this claim soon.";
    case v1::CLAIM_STATE_PAID:
      return "We have paid this claim.";
    case v1::CLAIM_STATE_DECLINED:
      return "You chose not to be paid, so we will not pay this claim. We "
             "keep it as a record.";
    default:
      return "Ask us where this claim is up to.";
  }
}

void PrintStatement(std::ostream& out, const v1::Participant& participant,
                    const std::vector<v1::Claim>& claims,
                    const std::vector<v1::VoucherEntitlement>& vouchers,
                    const ProjectNames& projects) {
  out << "Statement of expenses claims\n";
  out << "For: " << OneLine(participant.display_name()) << " ("
      << participant.name() << ")\n\n";
  if (claims.empty()) {
    out << "There are no claims yet.\n\n";
    PrintVouchers(out, vouchers, projects);
    return;
  }
  int64_t claimed = 0, allowed = 0, paid = 0, checking = 0;
  int64_t withdrawn = 0, refused = 0, declined = 0;
  for (const v1::Claim& claim : claims) {
    out << "Claim " << std::string(absl::StripPrefix(claim.name(), "claims/"))
        << ", for the " << ProjectLabel(projects, claim.project())
        << " session on " << LongDate(claim.session_date()) << ".\n";
    for (int i = 0; i < claim.lines_size(); ++i) {
      const v1::LineDecision decision = i < claim.decision().lines_size()
                                            ? claim.decision().lines(i)
                                            : v1::LineDecision();
      PrintLine(out, claim.lines(i), decision, claim.state());
    }
    out << "  " << ClaimStateSentence(claim.state());
    const std::string money = MoneySentence(claim);
    if (!money.empty()) out << " " << money;
    out << "\n\n";
    // What was asked for counts only claims that may still be paid.
    switch (claim.state()) {
      case v1::CLAIM_STATE_WITHDRAWN:
        ++withdrawn;
        continue;
      case v1::CLAIM_STATE_REJECTED:
        ++refused;
        continue;
      case v1::CLAIM_STATE_DECLINED:
        ++declined;
        continue;
      default:
        break;
    }
    claimed += claim.claimed_total_pence();
    if (Counts(claim.state())) {
      allowed += claim.decision().allowed_total_pence();
    } else {
      checking += claim.decision().allowed_total_pence();
    }
    if (claim.state() == v1::CLAIM_STATE_PAID) {
      paid += claim.decision().allowed_total_pence();
    }
  }
  PrintVouchers(out, vouchers, projects);
  out << "Totals\n";
  out << "  You made " << claims.size()
      << (claims.size() == 1 ? " claim." : " claims.")
      << CountSentence(withdrawn, "was withdrawn", "were withdrawn")
      << (refused > 0 ? absl::StrCat(" We could not pay ", refused, ".") : "")
      << (declined > 0
              ? absl::StrCat(" You chose not to be paid for ", declined, ".")
              : "")
      << (withdrawn + refused + declined > 0 ? " Leaving those out, you"
                                             : " You")
      << " claimed " << Pounds(claimed) << " in all.\n";
  out << "  In total we allowed " << Pounds(allowed) << ".\n";
  out << "  Of that, we have paid " << Pounds(paid) << ".\n";
  if (checking > 0) {
    out << "  We are still checking claims worth up to " << Pounds(checking)
        << ".\n";
  }
}
void AddStatementCommand(CLI::App& app, Globals& g) {
  auto id = std::make_shared<std::string>();
  CLI::App* cmd = app.add_subcommand(
      "statement",
      "print a plain-English statement of a participant's claims, what was "
      "allowed and why, and the vouchers they earned, with totals");
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
    v1::ListClaimsRequest list_claims;
    list_claims.set_participant(participant.name());
    s = ForEachPage<v1::ListClaimsResponse>(
        connection, list_claims,
        [&](grpc::ClientContext& c, const v1::ListClaimsRequest& request,
            v1::ListClaimsResponse* page) {
          return claims_stub->ListClaims(&c, request, page);
        },
        [&](const v1::ListClaimsResponse& page) {
          claims.insert(claims.end(), page.claims().begin(),
                        page.claims().end());
        });
    std::vector<v1::VoucherEntitlement> vouchers;
    v1::ListVoucherEntitlementsRequest list_vouchers;
    list_vouchers.set_participant(participant.name());
    if (s.ok()) {
      s = ForEachPage<v1::ListVoucherEntitlementsResponse>(
          connection, list_vouchers,
          [&](grpc::ClientContext& c,
              const v1::ListVoucherEntitlementsRequest& request,
              v1::ListVoucherEntitlementsResponse* page) {
            return programme->ListVoucherEntitlements(&c, request, page);
          },
          [&](const v1::ListVoucherEntitlementsResponse& page) {
            vouchers.insert(vouchers.end(), page.voucher_entitlements().begin(),
                            page.voucher_entitlements().end());
          });
    }
    if (!s.ok()) {
      g.exit_code = ReportError(s);
      return;
    }
    PrintStatement(std::cout, participant, claims, vouchers,
                   LookUpProjectNames(connection, claims, vouchers));
    g.exit_code = kExitOk;
  });
}

}  // namespace reciprocity::client
