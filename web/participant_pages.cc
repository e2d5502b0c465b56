// Participant pages: pick the meeting to claim for, my claims, one claim
// (withdraw, appeal). The claim form is in claim_form.cc; my statement and
// how I am paid in my_record_pages.cc.
#include "web/participant_pages.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "client/connection.h"
#include "client/output.h"
#include "reciprocity/v1/claims.grpc.pb.h"
#include "reciprocity/v1/policy_service.grpc.pb.h"
#include "reciprocity/v1/programme.grpc.pb.h"

namespace reciprocity::web {
namespace {

void ClaimPage(Call& call) {
  auto stub = v1::ClaimService::NewStub(call.app().channel());
  v1::GetClaimRequest request;
  request.set_name(absl::StrCat("claims/", call.Match(1)));
  v1::Claim claim;
  grpc::Status s = stub->GetClaim(call.Context().get(), request, &claim);
  if (!s.ok()) return call.Failed(s, "Your claim");
  Data page;
  page.set("claim_id", call.Match(1));
  page.set("state_label", client::StateLabel(claim.state()));
  page.set("state_sentence", client::ClaimStateSentence(claim.state()));
  page.set("date", claim.session_date());
  page.set("project", ProjectNameFor(call, claim.project()));
  page.set("method", client::PaymentLabel(claim.payment_method()));
  page.set("lines", LineRows(claim, claim.decision()));
  page.set("total", Money(claim.decision().allowed_total_pence()));
  const bool open = claim.state() == v1::CLAIM_STATE_SUBMITTED ||
                    claim.state() == v1::CLAIM_STATE_NEEDS_REVIEW ||
                    claim.state() == v1::CLAIM_STATE_APPROVED;
  page.set("can_withdraw", open);
  // The participant, or an officer for them (the service checks which).
  page.set("can_amend", (claim.state() == v1::CLAIM_STATE_SUBMITTED ||
                         claim.state() == v1::CLAIM_STATE_NEEDS_REVIEW) &&
                            (call.visitor().Has(v1::ROLE_PARTICIPANT) ||
                             call.visitor().Has(v1::ROLE_OFFICER)));
  call.Page(absl::StrCat("Claim ", call.Match(1)), tmpl::kClaimPage, page);
}

}  // namespace

client::ProjectNames ProjectNamesFor(Call& call,
                                     const std::vector<std::string>& projects) {
  auto stub = v1::PolicyService::NewStub(call.app().channel());
  return client::LookUpProjectNames(
      projects, [&](const v1::ListProjectsRequest& request,
                    v1::ListProjectsResponse* response) {
        return stub->ListProjects(call.Context().get(), request, response);
      });
}

std::string ProjectNameFor(Call& call, const std::string& project) {
  return client::ProjectLabel(ProjectNamesFor(call, {project}), project);
}

void AddParticipantPages(WebApp& app) {
  using A = WebApp::Access;
  app.Get("/claim", A::kParticipant, [](Call& call) {
    auto stub = v1::ProgrammeService::NewStub(call.app().channel());
    v1::ListSessionsRequest request;
    request.set_page_size(50);
    v1::ListSessionsResponse response;
    grpc::Status s =
        stub->ListSessions(call.Context().get(), request, &response);
    if (!s.ok()) return call.Failed(s, "Claim for a meeting");
    std::vector<std::string> projects;
    for (const v1::Session& m : response.sessions()) {
      projects.push_back(m.project());
    }
    const client::ProjectNames names = ProjectNamesFor(call, projects);
    Data meetings = List();
    // Newest first: the meeting just gone is the likely one.
    for (int i = response.sessions_size() - 1; i >= 0; --i) {
      const v1::Session& m = response.sessions(i);
      Data row;
      row.set("name", m.name());
      row.set("date", m.date());
      row.set("project", client::ProjectLabel(names, m.project()));
      row.set("venue", m.venue());
      row.set("first", i == response.sessions_size() - 1);
      meetings.push_back(row);
    }
    Data page;
    page.set("meetings", meetings);
    call.Page("Claim for a meeting", tmpl::kPickMeeting, page);
  });
  AddClaimFormPages(app);
  app.Get("/claims", A::kParticipant, [](Call& call) {
    auto stub = v1::ClaimService::NewStub(call.app().channel());
    // Every claim of theirs, newest first, page after page.
    v1::ListClaimsRequest request;
    request.set_page_size(500);
    request.set_order_by("submit_time desc");
    v1::ListClaimsResponse response;
    grpc::Status s = ForEachPage<v1::ListClaimsResponse>(
        request,
        [&](const v1::ListClaimsRequest& r, v1::ListClaimsResponse& page) {
          return stub->ListClaims(call.Context().get(), r, &page);
        },
        [&](const v1::ListClaimsResponse& page) {
          response.mutable_claims()->MergeFrom(page.claims());
        });
    if (!s.ok()) return call.Failed(s, "My claims");
    std::vector<std::string> projects;
    for (const v1::Claim& c : response.claims())
      projects.push_back(c.project());
    const client::ProjectNames names = ProjectNamesFor(call, projects);
    Data claims = List();
    for (const v1::Claim& c : response.claims()) {
      Data row;
      row.set("id", IdOf(c.name()));
      row.set("date", c.session_date());
      row.set("project", client::ProjectLabel(names, c.project()));
      row.set("allowed", Money(c.decision().allowed_total_pence()));
      row.set("state", client::ClaimStateSentence(c.state()));
      claims.push_back(row);
    }
    Data page;
    page.set("claims", claims);
    call.Page("My claims", tmpl::kMyClaims, page);
  });
  app.Get(R"(/claims/(\d+))", A::kSignedIn, ClaimPage);
  app.Post(R"(/claims/(\d+)/withdraw)", A::kSignedIn, [](Call& call) {
    auto stub = v1::ClaimService::NewStub(call.app().channel());
    v1::WithdrawClaimRequest request;
    request.set_name(absl::StrCat("claims/", call.Match(1)));
    request.set_request_id(client::NewRequestId());
    v1::Claim claim;
    grpc::Status s = stub->WithdrawClaim(call.Context().get(), request, &claim);
    if (!s.ok()) return call.Failed(s, "Take back a claim");
    call.Redirect(absl::StrCat("/claims/", call.Match(1)),
                  "You took back this claim.");
  });
  app.Post(R"(/claims/(\d+)/appeal)", A::kParticipant, [](Call& call) {
    auto stub = v1::ClaimService::NewStub(call.app().channel());
    v1::AppealClaimLineRequest request;
    request.set_name(absl::StrCat("claims/", call.Match(1)));
    int line = 0;
    (void)absl::SimpleAtoi(call.Param("line"), &line);
    request.set_line_index(line);
    request.set_comment(call.Param("comment"));
    request.set_request_id(client::NewRequestId());
    v1::Claim claim;
    grpc::Status s =
        stub->AppealClaimLine(call.Context().get(), request, &claim);
    if (!s.ok()) return call.Failed(s, "Ask us to look again");
    call.Redirect(absl::StrCat("/claims/", call.Match(1)),
                  "Thank you. An officer will look at it again.");
  });
  AddMyRecordPages(app);
}

}  // namespace reciprocity::web
