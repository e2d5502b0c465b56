// Participant pages: claim for a meeting (pick, fill in, check, send), my
// claims, one claim (withdraw, appeal), my statement. The claim form also
// serves officers claiming on someone's behalf.
#include <sstream>

#include "absl/status/statusor.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "client/connection.h"
#include "client/money.h"
#include "client/output.h"
#include "client/statement.h"
#include "reciprocity/v1/claims.grpc.pb.h"
#include "reciprocity/v1/programme.grpc.pb.h"
#include "web/app.h"

namespace reciprocity::web {
namespace {

std::string ProjectLabel(const std::string& project) { return IdOf(project); }

// Fills the claim form's fields from what was typed; returns the claim, or
// nothing when a field is wrong (the errors are then set on `form`).
std::optional<v1::Claim> ReadClaimForm(Call& call, Data& form,
                                       const v1::Session& meeting) {
  const bool for_officer = !call.visitor().Has(v1::ROLE_PARTICIPANT) ||
                           !call.Param("participant").empty();
  for (const char* field : {"fare", "miles", "parking", "participant"}) {
    form.set(field, call.Param(field));
  }
  form.set("receipt", call.Param("receipt") == "yes");
  form.set("for_officer", for_officer);
  form.set("session", meeting.name());
  form.set("date", meeting.date());
  form.set("project_label", ProjectLabel(meeting.project()));
  form.set("request_id", call.Param("request_id").empty()
                             ? client::NewRequestId()
                             : call.Param("request_id"));
  Data errors = List();
  auto fail = [&](const std::string& field, const std::string& words) {
    form.set(field + "_error", words);
    Data e;
    e.set("field", field);
    e.set("message", words);
    errors.push_back(e);
  };
  v1::Claim claim;
  claim.set_session(meeting.name());
  claim.set_project(meeting.project());
  claim.set_session_date(meeting.date());
  const std::string participant = call.Param("participant");
  if (for_officer) {
    if (participant.empty()) {
      fail("participant", "Say who the claim is for, for example p-0001");
    }
    claim.set_participant(absl::StartsWith(participant, "participants/")
                              ? participant
                              : absl::StrCat("participants/", participant));
  } else {
    claim.set_participant(call.visitor().participant);
  }
  const bool receipt = call.Param("receipt") == "yes";
  auto money_line = [&](const char* field, v1::ExpenseCategory category,
                        const char* words) {
    if (call.Param(field).empty()) return;
    auto pence = client::ParsePounds(call.Param(field));
    if (!pence.ok()) {
      fail(field, absl::StrCat(words, ": type pounds and pence, like 3.20"));
      return;
    }
    v1::ClaimLine* line = claim.add_lines();
    line->set_category(category);
    line->set_amount_pence(*pence);
    line->set_receipt_provided(receipt);
  };
  money_line("fare", v1::EXPENSE_CATEGORY_PUBLIC_TRANSPORT, "Fares");
  if (!call.Param("miles").empty()) {
    auto tenths = client::ParseTenths(call.Param("miles"));
    if (!tenths.ok()) {
      fail("miles", "Miles: type a number, like 12 or 12.5");
    } else {
      v1::ClaimLine* line = claim.add_lines();
      line->set_category(v1::EXPENSE_CATEGORY_MILEAGE);
      line->set_vehicle(v1::VEHICLE_TYPE_CAR);
      line->set_distance_tenths_of_mile(*tenths);
    }
  }
  money_line("parking", v1::EXPENSE_CATEGORY_PARKING, "Parking");
  if (claim.lines().empty() && errors.is_empty_list()) {
    fail("fare", "Fill in at least one cost");
  }
  form.set("errors", errors);
  if (!errors.is_empty_list()) {
    form.set("problem_title", "There is a problem");
    form.set("problem", "Please put right the things below.");
    return std::nullopt;
  }
  return claim;
}

// Each line with what was asked, what we pay and why.
Data LineRows(const v1::Claim& claim, const v1::Decision& decision) {
  Data lines = List();
  for (int i = 0; i < claim.lines_size(); ++i) {
    const v1::ClaimLine& line = claim.lines(i);
    Data row;
    row.set("index", absl::StrCat(i));
    std::string what = client::CategoryLabel(line.category());
    if (line.category() == v1::EXPENSE_CATEGORY_MILEAGE) {
      absl::StrAppend(&what, ", ", line.distance_tenths_of_mile() / 10, ".",
                      line.distance_tenths_of_mile() % 10, " miles");
    }
    row.set("what", what);
    row.set("claimed", line.amount_pence() > 0 ? Money(line.amount_pence())
                                               : std::string("-"));
    row.set("claimed_plain", client::PenceToPounds(line.amount_pence()));
    if (i < decision.lines_size()) {
      const v1::LineDecision& d = decision.lines(i);
      row.set("allowed", Money(d.allowed_pence()));
      row.set("reason", d.reason());
      row.set("outcome", client::OutcomeLabel(d.outcome()));
      row.set("can_appeal", d.outcome() == v1::LINE_OUTCOME_REFUSED ||
                                d.outcome() == v1::LINE_OUTCOME_REDUCED);
      row.set("open", d.outcome() == v1::LINE_OUTCOME_NEEDS_REVIEW);
    }
    lines.push_back(row);
  }
  return lines;
}

absl::StatusOr<v1::Session> GetMeeting(Call& call, grpc::Status* status) {
  auto stub = v1::ProgrammeService::NewStub(call.app().channel());
  v1::GetSessionRequest request;
  request.set_name(call.Param("session"));
  v1::Session meeting;
  *status = stub->GetSession(call.Context().get(), request, &meeting);
  if (!status->ok()) return absl::UnknownError("");
  return meeting;
}

void ClaimDetails(Call& call) {
  grpc::Status s;
  auto meeting = GetMeeting(call, &s);
  if (!meeting.ok()) return call.Failed(s, "Claim for a meeting");
  Data form;
  form.set("for_officer", !call.visitor().Has(v1::ROLE_PARTICIPANT));
  form.set("session", meeting->name());
  form.set("date", meeting->date());
  form.set("project_label", ProjectLabel(meeting->project()));
  form.set("request_id", client::NewRequestId());
  form.set("participant", call.Param("participant"));
  call.Page("Your costs", tmpl::kClaimForm, form);
}

void PreviewOrSend(Call& call, bool send) {
  grpc::Status s;
  auto meeting = GetMeeting(call, &s);
  if (!meeting.ok()) return call.Failed(s, "Claim for a meeting");
  Data form;
  std::optional<v1::Claim> claim = ReadClaimForm(call, form, *meeting);
  if (!claim.has_value()) {
    return call.Page("Your costs", tmpl::kClaimForm, form, 422);
  }
  auto stub = v1::ClaimService::NewStub(call.app().channel());
  if (send) {
    v1::SubmitClaimRequest request;
    *request.mutable_claim() = *claim;
    request.set_request_id(call.Param("request_id"));
    v1::Claim sent;
    s = stub->SubmitClaim(call.Context().get(), request, &sent);
    if (!s.ok()) return call.Failed(s, "Your costs", tmpl::kClaimForm, form);
    return call.Redirect(
        absl::StrCat("/claims/", IdOf(sent.name())),
        "Your claim is sent. We will tell you here when it is paid.");
  }
  v1::PreviewClaimRequest request;
  *request.mutable_claim() = *claim;
  v1::PreviewClaimResponse preview;
  s = stub->PreviewClaim(call.Context().get(), request, &preview);
  if (!s.ok()) return call.Failed(s, "Your costs", tmpl::kClaimForm, form);
  form.set("preview", true);
  form.set("lines", LineRows(*claim, preview.decision()));
  form.set("total", Money(preview.decision().allowed_total_pence()));
  form.set("summary", preview.decision().summary());
  call.Page("Check your claim", tmpl::kClaimForm, form);
}

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
  page.set("project", ProjectLabel(claim.project()));
  page.set("method", client::PaymentLabel(claim.payment_method()));
  page.set("lines", LineRows(claim, claim.decision()));
  page.set("total", Money(claim.decision().allowed_total_pence()));
  const bool open = claim.state() == v1::CLAIM_STATE_SUBMITTED ||
                    claim.state() == v1::CLAIM_STATE_NEEDS_REVIEW ||
                    claim.state() == v1::CLAIM_STATE_APPROVED;
  page.set("can_withdraw", open);
  call.Page(absl::StrCat("Claim ", call.Match(1)), tmpl::kClaimPage, page);
}

}  // namespace

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
    Data meetings = List();
    // Newest first: the meeting just gone is the likely one.
    for (int i = response.sessions_size() - 1; i >= 0; --i) {
      const v1::Session& m = response.sessions(i);
      Data row;
      row.set("name", m.name());
      row.set("date", m.date());
      row.set("project", ProjectLabel(m.project()));
      row.set("venue", m.venue());
      row.set("first", i == response.sessions_size() - 1);
      meetings.push_back(row);
    }
    Data page;
    page.set("meetings", meetings);
    call.Page("Claim for a meeting", tmpl::kPickMeeting, page);
  });
  app.Get("/claim/details", A::kSignedIn, ClaimDetails);
  app.Get("/officer/claim", A::kOfficer, ClaimDetails);
  app.Post("/claim/preview", A::kSignedIn,
           [](Call& call) { PreviewOrSend(call, false); });
  app.Post("/claim/send", A::kSignedIn,
           [](Call& call) { PreviewOrSend(call, true); });
  app.Get("/claims", A::kParticipant, [](Call& call) {
    auto stub = v1::ClaimService::NewStub(call.app().channel());
    v1::ListClaimsRequest request;
    request.set_page_size(100);
    v1::ListClaimsResponse response;
    grpc::Status s = stub->ListClaims(call.Context().get(), request, &response);
    if (!s.ok()) return call.Failed(s, "My claims");
    Data claims = List();
    for (const v1::Claim& c : response.claims()) {
      Data row;
      row.set("id", IdOf(c.name()));
      row.set("date", c.session_date());
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
  app.Get("/statement", A::kParticipant, [](Call& call) {
    auto programme = v1::ProgrammeService::NewStub(call.app().channel());
    auto claims_stub = v1::ClaimService::NewStub(call.app().channel());
    v1::GetParticipantRequest who;
    who.set_name(call.visitor().participant);
    v1::Participant participant;
    grpc::Status s =
        programme->GetParticipant(call.Context().get(), who, &participant);
    v1::ListClaimsResponse claims;
    if (s.ok()) {
      v1::ListClaimsRequest request;
      request.set_page_size(1000);
      s = claims_stub->ListClaims(call.Context().get(), request, &claims);
    }
    v1::ListVoucherEntitlementsResponse vouchers;
    if (s.ok()) {
      v1::ListVoucherEntitlementsRequest request;
      request.set_page_size(1000);
      s = programme->ListVoucherEntitlements(call.Context().get(), request,
                                             &vouchers);
    }
    if (!s.ok()) return call.Failed(s, "My statement");
    std::ostringstream text;
    client::PrintStatement(text, participant,
                           {claims.claims().begin(), claims.claims().end()},
                           {vouchers.voucher_entitlements().begin(),
                            vouchers.voucher_entitlements().end()},
                           {});
    Data page;
    page.set("statement", text.str());
    call.Page("My statement", tmpl::kStatement, page);
  });
}

}  // namespace reciprocity::web
