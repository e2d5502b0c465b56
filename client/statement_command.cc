// recip statement PARTICIPANT: fetches the participant, their claims and
// vouchers and the projects' names, and prints the statement
// (client/statement.h).
#include <iostream>
#include <memory>
#include <vector>

#include "client/call.h"
#include "client/commands.h"
#include "client/statement.h"
#include "reciprocity/v1/claims.grpc.pb.h"
#include "reciprocity/v1/policy_service.grpc.pb.h"
#include "reciprocity/v1/programme.grpc.pb.h"

namespace reciprocity::client {
namespace {

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

// The projects the claims and vouchers name.
std::vector<std::string> ProjectsOf(
    const std::vector<v1::Claim>& claims,
    const std::vector<v1::VoucherEntitlement>& vouchers) {
  std::vector<std::string> projects;
  for (const v1::Claim& claim : claims) projects.push_back(claim.project());
  for (const auto& voucher : vouchers) projects.push_back(voucher.project());
  return projects;
}

}  // namespace

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
    auto policy = v1::PolicyService::NewStub(connection.channel());
    const ProjectNames names = LookUpProjectNames(
        ProjectsOf(claims, vouchers),
        [&](const v1::ListProjectsRequest& request,
            v1::ListProjectsResponse* response) {
          return CallWithRetry(connection, [&](grpc::ClientContext& c) {
            return policy->ListProjects(&c, request, response);
          });
        });
    PrintStatement(std::cout, participant, claims, vouchers, names);
    g.exit_code = kExitOk;
  });
}

}  // namespace reciprocity::client
