// Putting a meeting right: change its day, times, place or crèche
// (UpdateSession, only the fields that changed), or cancel it with a
// reason after saying plainly what happens to what was already made.
#include "absl/strings/str_cat.h"
#include "client/connection.h"
#include "google/protobuf/field_mask.pb.h"
#include "reciprocity/v1/programme.grpc.pb.h"
#include "web/correction_forms.h"
#include "web/participant_pages.h"

namespace reciprocity::web {
namespace {

// The meeting named by the route, as the service has it.
grpc::Status LoadSession(Call& call, v1::Session& out) {
  auto stub = v1::ProgrammeService::NewStub(call.app().channel());
  v1::GetSessionRequest get;
  get.set_name(absl::StrCat("sessions/", call.Match(1)));
  return stub->GetSession(call.Context().get(), get, &out);
}

// What the page says about the meeting as it stands.
Data AboutSession(Call& call, const v1::Session& m) {
  Data page;
  page.set("id", call.Match(1));
  page.set("project", ProjectNameFor(call, m.project()));
  page.set("was_date", m.date());
  page.set("was_start", m.start_time());
  page.set("was_end", m.end_time());
  page.set("date", m.date());
  page.set("start_time", m.start_time());
  page.set("end_time", m.end_time());
  page.set("venue", m.venue());
  page.set("creche", m.creche_provided());
  // Kept while the same form is sent again, so that a retry replays.
  page.set("request_id", call.Param("request_id").empty()
                             ? client::NewRequestId()
                             : call.Param("request_id"));
  return page;
}

// The form as typed, for when the meeting cannot be read (the service is
// down): what was typed is kept under the explanation.
Data TypedSession(Call& call) {
  Data page;
  page.set("id", call.Match(1));
  for (const char* field :
       {"date", "start_time", "end_time", "venue", "reason", "request_id"}) {
    if (!call.Param(field).empty()) page.set(field, call.Param(field));
  }
  page.set("creche", call.Param("creche") == "yes");
  page.set("on_register", "The list of who came stays as it is.");
  return page;
}

// Reads the meeting into `out`. When it cannot be read, shows why and
// returns false: on a form sent, with the form as typed (`form_template`).
bool LoadSessionOrSayWhy(Call& call, v1::Session& out, const std::string& title,
                         const char* form_template) {
  grpc::Status s = LoadSession(call, out);
  if (s.ok()) return true;
  if (call.request().method == "POST") {
    call.Failed(s, title, form_template, TypedSession(call));
  } else {
    call.Failed(s, title);
  }
  return false;
}

void EditSessionPage(Call& call) {
  v1::Session m;
  if (!LoadSessionOrSayWhy(call, m, "Change a meeting", tmpl::kEditSession)) {
    return;
  }
  call.Page("Change a meeting", tmpl::kEditSession, AboutSession(call, m));
}

void SaveSession(Call& call) {
  v1::Session m;
  if (!LoadSessionOrSayWhy(call, m, "Change a meeting", tmpl::kEditSession)) {
    return;
  }
  Data page = AboutSession(call, m);
  v1::UpdateSessionRequest request;
  v1::Session* in = request.mutable_session();
  in->set_name(m.name());
  for (const auto& [field, now] :
       {std::pair{"date", m.date()}, std::pair{"start_time", m.start_time()},
        std::pair{"end_time", m.end_time()}, std::pair{"venue", m.venue()}}) {
    const std::string typed = call.Param(field);
    page.set(field, typed);
    if (typed == now) continue;
    request.mutable_update_mask()->add_paths(field);
    const google::protobuf::FieldDescriptor* f =
        v1::Session::descriptor()->FindFieldByName(field);
    in->GetReflection()->SetString(in, f, typed);
  }
  const bool creche = call.Param("creche") == "yes";
  page.set("creche", creche);
  if (creche != m.creche_provided()) {
    in->set_creche_provided(creche);
    request.mutable_update_mask()->add_paths("creche_provided");
  }
  if (request.update_mask().paths().empty()) {
    page.set("problem_title", "Nothing was changed");
    page.set("problem", "Everything is as it was. Change a box, then save.");
    return call.Page("Change a meeting", tmpl::kEditSession, page, 422);
  }
  request.set_request_id(call.Param("request_id"));
  auto stub = v1::ProgrammeService::NewStub(call.app().channel());
  v1::Session saved;
  grpc::Status s = stub->UpdateSession(call.Context().get(), request, &saved);
  if (!s.ok()) {
    FormErrors errors(page);
    for (const char* field : {"date", "start_time", "end_time", "venue"}) {
      errors.AddRefusal(s, absl::StrCat("session.", field), page, field, field);
    }
    errors.AddRefusal(s, "session.creche_provided", page, "creche", "creche");
    if (errors.empty()) {
      return call.Failed(s, "Change a meeting", tmpl::kEditSession, page);
    }
    return errors.Show(call, "Change a meeting", tmpl::kEditSession,
                       "Nothing is changed yet.");
  }
  call.Redirect(absl::StrCat("/officer/sessions/", call.Match(1), "/edit"),
                "The meeting is changed.");
}

// "3 people are on the register." from the register as it stands.
std::string OnRegister(Call& call, const v1::Session& m) {
  auto stub = v1::ProgrammeService::NewStub(call.app().channel());
  v1::ListAttendancesRequest request;
  request.set_parent(m.name());
  v1::ListAttendancesResponse response;
  if (!stub->ListAttendances(call.Context().get(), request, &response).ok()) {
    return "The register stays as it is.";
  }
  const int n = response.attendances_size();
  if (n == 0) return "No one is on the list of who came yet.";
  return absl::StrCat(n == 1 ? "1 person is" : absl::StrCat(n, " people are"),
                      " on the list of who came. They stay on it.");
}

Data CancelPageData(Call& call, const v1::Session& m) {
  Data page = AboutSession(call, m);
  page.set("on_register", OnRegister(call, m));
  page.set("reason", call.Param("reason"));
  return page;
}

void CancelSessionPage(Call& call) {
  v1::Session m;
  if (!LoadSessionOrSayWhy(call, m, "Cancel a meeting", tmpl::kCancelSession)) {
    return;
  }
  if (m.state() == v1::SESSION_STATE_CANCELLED) {
    Data page;
    page.set("problem_title", "This meeting is already cancelled");
    page.set("problem", m.cancellation_note());
    return call.Page("Cancel a meeting", tmpl::kMessage, page);
  }
  call.Page("Cancel a meeting", tmpl::kCancelSession, CancelPageData(call, m));
}

void CancelSession(Call& call) {
  v1::Session m;
  if (!LoadSessionOrSayWhy(call, m, "Cancel a meeting", tmpl::kCancelSession)) {
    return;
  }
  Data page = CancelPageData(call, m);
  FormErrors errors(page);
  if (call.Param("reason").empty()) {
    errors.Add(page, "reason", "reason",
               "Say why the meeting is cancelled. People will see it.");
    return errors.Show(call, "Cancel a meeting", tmpl::kCancelSession,
                       "The meeting is not cancelled yet.");
  }
  auto stub = v1::ProgrammeService::NewStub(call.app().channel());
  v1::CancelSessionRequest request;
  request.set_name(m.name());
  request.set_reason(call.Param("reason"));
  request.set_request_id(call.Param("request_id"));
  v1::Session cancelled;
  grpc::Status s =
      stub->CancelSession(call.Context().get(), request, &cancelled);
  if (!s.ok()) {
    if (!errors.AddRefusal(s, "reason", page, "reason", "reason")) {
      return call.Failed(s, "Cancel a meeting", tmpl::kCancelSession, page);
    }
    return errors.Show(call, "Cancel a meeting", tmpl::kCancelSession,
                       "The meeting is not cancelled yet.");
  }
  call.Redirect(
      absl::StrCat("/officer/sessions/", call.Match(1), "/attendance"),
      absl::StrCat("The meeting is cancelled. ",
                   cancelled.cancellation_note()));
}

}  // namespace

void AddSessionCorrectionPages(WebApp& app) {
  using A = WebApp::Access;
  app.Get(R"(/officer/sessions/(\d+)/edit)", A::kOfficer, EditSessionPage);
  app.Post(R"(/officer/sessions/(\d+)/edit)", A::kOfficer, SaveSession);
  app.Get(R"(/officer/sessions/(\d+)/cancel)", A::kOfficer, CancelSessionPage);
  app.Post(R"(/officer/sessions/(\d+)/cancel)", A::kOfficer, CancelSession);
}

}  // namespace reciprocity::web
