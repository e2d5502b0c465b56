// Officer pages: today's meetings, a new meeting, the review queue,
// vouchers to hand out and sign-in codes for participants (the register is
// in web/register_page.cc).
#include <map>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "base/clock.h"
#include "client/connection.h"
#include "client/money.h"
#include "client/output.h"
#include "reciprocity/v1/claims.grpc.pb.h"
#include "reciprocity/v1/policy_service.grpc.pb.h"
#include "reciprocity/v1/programme.grpc.pb.h"
#include "reciprocity/v1/sign_in.grpc.pb.h"
#include "web/app.h"
#include "web/participant_pages.h"
#include "web/people_pages.h"
#include "web/qr_code.h"

namespace reciprocity::web {
namespace {

std::string Today() {
  return absl::FormatCivilTime(SystemClock().TodayInLondon());
}

std::string WithCollection(const std::string& id, absl::string_view prefix) {
  return absl::StartsWith(id, prefix) ? id : absl::StrCat(prefix, id);
}

void TodayPage(Call& call) {
  // Another day's meetings (?date=YYYY-MM-DD), to put a past one right.
  absl::CivilDay asked;
  const std::string day = absl::ParseCivilTime(call.Param("date"), &asked)
                              ? absl::FormatCivilTime(asked)
                              : Today();
  auto stub = v1::ProgrammeService::NewStub(call.app().channel());
  v1::ListSessionsRequest request;
  request.set_page_size(100);
  request.set_date_from(day);
  request.set_date_to(day);
  v1::ListSessionsResponse response;
  grpc::Status s = stub->ListSessions(call.Context().get(), request, &response);
  if (!s.ok()) return call.Failed(s, "Today");
  std::vector<std::string> projects;
  for (const v1::Session& m : response.sessions()) {
    projects.push_back(m.project());
  }
  const client::ProjectNames names = ProjectNamesFor(call, projects);
  Data sessions = List();
  for (const v1::Session& m : response.sessions()) {
    Data row;
    row.set("id", IdOf(m.name()));
    row.set("name", m.name());
    row.set("project", client::ProjectLabel(names, m.project()));
    row.set("venue", m.venue());
    sessions.push_back(row);
  }
  Data page;
  page.set("today", day);
  page.set("sessions", sessions);
  call.Page("Today", tmpl::kOfficerToday, page);
}

// "10:00" or "9:30", a time of day.
bool IsClockTime(const std::string& text) {
  const size_t colon = text.find(':');
  int hours = -1, minutes = -1;
  return colon != std::string::npos && text.size() - colon == 3 &&
         absl::SimpleAtoi(text.substr(0, colon), &hours) &&
         absl::SimpleAtoi(text.substr(colon + 1), &minutes) && hours >= 0 &&
         hours < 24 && minutes >= 0 && minutes < 60;
}

// The form, with what was typed and `form`'s errors; with `refused`, under
// the plain-English reason (Call::Failed).
void NewSessionForm(Call& call, Data form = Data(),
                    const grpc::Status& refused = grpc::Status::OK,
                    int http_status = 200) {
  auto stub = v1::PolicyService::NewStub(call.app().channel());
  v1::ListServiceAreasRequest areas_request;
  areas_request.set_page_size(100);
  v1::ListServiceAreasResponse areas;
  grpc::Status s =
      stub->ListServiceAreas(call.Context().get(), areas_request, &areas);
  Data projects = List();
  for (int a = 0; s.ok() && a < areas.service_areas_size(); ++a) {
    v1::ListProjectsRequest request;
    request.set_parent(areas.service_areas(a).name());
    request.set_page_size(200);
    v1::ListProjectsResponse response;
    s = stub->ListProjects(call.Context().get(), request, &response);
    for (const auto& p : response.projects()) {
      Data row;
      row.set("name", p.name());
      row.set("label", p.display_name());
      row.set("selected", p.name() == call.Param("project"));
      projects.push_back(row);
    }
  }
  if (!s.ok()) return call.Failed(s, "Add a meeting");
  form.set("projects", projects);
  form.set("request_id", client::NewRequestId());
  for (const char* f : {"date", "venue", "start_time", "end_time"}) {
    form.set(f, call.Param(f));
  }
  if (call.Param("date").empty()) form.set("date", Today());
  if (call.Param("start_time").empty()) form.set("start_time", "10:00");
  if (call.Param("end_time").empty()) form.set("end_time", "12:00");
  form.set("creche", call.Param("creche") == "yes");
  if (!refused.ok()) {
    return call.Failed(refused, "Add a meeting", tmpl::kNewSession, form);
  }
  call.Page("Add a meeting", tmpl::kNewSession, form, http_status);
}

// A work list shows one page, the longest waiting first; when there is a
// next page the page says so, and how many it shows.
template <typename Response>
void SayIfThereAreMore(const Response& response, int shown, Data& page) {
  if (response.next_page_token().empty()) return;
  page.set("more", true);
  page.set("shown", absl::StrCat(shown));
}

void ReviewQueue(Call& call) {
  auto stub = v1::ClaimService::NewStub(call.app().channel());
  v1::ListClaimsRequest request;
  request.set_page_size(50);
  request.set_state(v1::CLAIM_STATE_NEEDS_REVIEW);
  request.set_order_by("submit_time");  // oldest first: longest waiting
  v1::ListClaimsResponse response;
  grpc::Status s = stub->ListClaims(call.Context().get(), request, &response);
  if (!s.ok()) return call.Failed(s, "Claims to check");
  Data claims = List();
  std::map<std::string, std::string> people;
  for (const v1::Claim& c : response.claims()) {
    Data card;
    card.set("id", IdOf(c.name()));
    card.set("participant", PersonLabelOf(call, c.participant(), people));
    card.set("date", c.session_date());
    const absl::CivilDay sent = absl::ToCivilDay(
        absl::FromUnixSeconds(c.create_time().seconds()), LondonTimeZone());
    const int64_t waited = SystemClock().TodayInLondon() - sent;
    card.set("sent", absl::FormatCivilTime(sent));
    card.set("waiting", waited == 0   ? std::string("today")
                        : waited == 1 ? std::string("1 day ago")
                                      : absl::StrCat(waited, " days ago"));
    Data lines = List();
    for (int i = 0; i < c.lines_size(); ++i) {
      const v1::ClaimLine& line = c.lines(i);
      const v1::LineDecision d = i < c.decision().lines_size()
                                     ? c.decision().lines(i)
                                     : v1::LineDecision();
      Data row;
      row.set("claim_id", IdOf(c.name()));
      row.set("index", absl::StrCat(i));
      row.set("what", client::CategoryLabel(line.category()));
      row.set("claimed", Money(line.amount_pence()));
      row.set("claimed_plain", client::PenceToPounds(line.amount_pence()));
      row.set("reason", d.reason());
      row.set("open", d.outcome() == v1::LINE_OUTCOME_NEEDS_REVIEW);
      row.set("request_id", client::NewRequestId());
      lines.push_back(row);
    }
    card.set("lines", lines);
    claims.push_back(card);
  }
  Data page;
  page.set("claims", claims);
  SayIfThereAreMore(response, response.claims_size(), page);
  call.Page("Claims to check", tmpl::kReviewQueue, page);
}

void Vouchers(Call& call) {
  auto stub = v1::ProgrammeService::NewStub(call.app().channel());
  v1::ListVoucherEntitlementsRequest request;
  request.set_page_size(100);
  request.set_state(v1::VOUCHER_ENTITLEMENT_STATE_EARNED);
  v1::ListVoucherEntitlementsResponse response;
  grpc::Status s =
      stub->ListVoucherEntitlements(call.Context().get(), request, &response);
  if (!s.ok()) return call.Failed(s, "Vouchers");
  Data vouchers = List();
  std::map<std::string, std::string> people;
  for (const auto& v : response.voucher_entitlements()) {
    Data row;
    row.set("id", IdOf(v.name()));
    row.set("participant", PersonLabelOf(call, v.participant(), people));
    row.set("date", v.session_date());
    row.set("value", Money(v.value_pence()));
    row.set("request_id", client::NewRequestId());
    vouchers.push_back(row);
  }
  Data page;
  page.set("vouchers", vouchers);
  SayIfThereAreMore(response, response.voucher_entitlements_size(), page);
  call.Page("Vouchers to hand out", tmpl::kVouchers, page);
}

}  // namespace

void AddOfficerPages(WebApp& app) {
  using A = WebApp::Access;
  app.Get("/officer", A::kOfficer, TodayPage);
  AddRegisterPages(app);
  app.Get("/officer/sessions/new", A::kOfficer,
          [](Call& call) { NewSessionForm(call); });
  app.Post("/officer/sessions/new", A::kOfficer, [](Call& call) {
    Data form;
    Data errors = List();
    for (const auto& [field, words] :
         {std::pair{"start_time", "Type the time it starts, like 10:00."},
          std::pair{"end_time", "Type the time it ends, like 12:00."}}) {
      if (IsClockTime(call.Param(field))) continue;
      form.set(absl::StrCat(field, "_error"), words);
      Data e;
      e.set("field", field);
      e.set("message", words);
      errors.push_back(e);
    }
    if (!errors.is_empty_list()) {
      form.set("errors", errors);
      form.set("problem_title", "There is a problem");
      form.set("problem",
               "The meeting is not added yet. Please put right the things "
               "below.");
      return NewSessionForm(call, form, grpc::Status::OK, 422);
    }
    auto stub = v1::ProgrammeService::NewStub(call.app().channel());
    v1::CreateSessionRequest request;
    request.mutable_session()->set_project(call.Param("project"));
    request.mutable_session()->set_date(call.Param("date"));
    request.mutable_session()->set_venue(call.Param("venue"));
    request.mutable_session()->set_start_time(call.Param("start_time"));
    request.mutable_session()->set_end_time(call.Param("end_time"));
    request.mutable_session()->set_creche_provided(call.Param("creche") ==
                                                   "yes");
    request.set_request_id(call.Param("request_id"));
    v1::Session created;
    grpc::Status s =
        stub->CreateSession(call.Context().get(), request, &created);
    if (!s.ok()) return NewSessionForm(call, Data(), s);
    call.Redirect(
        absl::StrCat("/officer/sessions/", IdOf(created.name()), "/register"),
        "The meeting is added.");
  });
  app.Get("/officer/review", A::kOfficer, ReviewQueue);
  app.Post(R"(/officer/claims/(\d+)/lines/(\d+))", A::kOfficer, [](Call& call) {
    auto stub = v1::ClaimService::NewStub(call.app().channel());
    v1::ReviewClaimLineRequest request;
    request.set_name(absl::StrCat("claims/", call.Match(1)));
    int line = 0;
    (void)absl::SimpleAtoi(call.Match(2), &line);
    request.set_line_index(line);
    request.set_approve(call.Param("decision") == "approve");
    if (request.approve()) {
      auto pence = client::ParsePounds(call.Param("amount"));
      if (!pence.ok()) {
        return call.Failed(grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                                        "The amount must be pounds and pence, "
                                        "like 3.20"),
                           "Claims to check");
      }
      request.set_allowed_pence(*pence);
    }
    request.set_reason(call.Param("reason"));
    request.set_receipt_seen(call.Param("receipt_seen") == "yes");
    request.set_request_id(call.Param("request_id"));
    v1::Claim claim;
    grpc::Status s =
        stub->ReviewClaimLine(call.Context().get(), request, &claim);
    if (!s.ok()) return call.Failed(s, "Claims to check");
    call.Redirect("/officer/review", "Your decision is saved.");
  });
  app.Get("/officer/vouchers", A::kOfficer, Vouchers);
  app.Post(R"(/officer/vouchers/(\d+))", A::kOfficer, [](Call& call) {
    auto stub = v1::ProgrammeService::NewStub(call.app().channel());
    v1::IssueVoucherRequest request;
    request.set_name(absl::StrCat("voucherEntitlements/", call.Match(1)));
    request.set_serial(call.Param("serial"));
    request.set_request_id(call.Param("request_id"));
    v1::VoucherEntitlement voucher;
    grpc::Status s =
        stub->IssueVoucher(call.Context().get(), request, &voucher);
    if (!s.ok()) return call.Failed(s, "Vouchers to hand out");
    call.Redirect("/officer/vouchers", "The voucher is marked as handed out.");
  });
  app.Get("/officer/codes", A::kOfficer, [](Call& call) {
    call.Page("Sign-in codes", tmpl::kSignInCode, Data());
  });
  app.Post("/officer/codes", A::kOfficer, [](Call& call) {
    auto stub = v1::SignInService::NewStub(call.app().channel());
    v1::IssueSignInCodeRequest request;
    request.set_principal(
        WithCollection(call.Param("participant"), "participants/"));
    v1::SignInCode code;
    grpc::Status s =
        stub->IssueSignInCode(call.Context().get(), request, &code);
    Data page;
    page.set("participant", call.Param("participant"));
    if (!s.ok())
      return call.Failed(s, "Sign-in codes", tmpl::kSignInCode, page);
    page.set("code", code.code());
    page.set("principal", IdOf(code.principal()));
    page.set("qr", QrCodeSvgBase64(code.code()));
    page.set("expires", absl::FormatTime(
                            "%e %B %Y at %H:%M",
                            absl::FromUnixSeconds(code.expire_time().seconds()),
                            LondonTimeZone()));
    call.Page("Sign-in codes", tmpl::kSignInCode, page);
  });
}

}  // namespace reciprocity::web
