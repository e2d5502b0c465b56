// Officers' pages about the people on the register: the list, and one
// person's record with who may act for them (appointees: add, remove) and
// their standing agreements (end one early here; record one in
// agreement_pages.cc). Acting for them is in act_for_pages.cc.
#include "web/people_pages.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "base/clock.h"
#include "client/connection.h"
#include "client/output.h"
#include "reciprocity/v1/policy_service.grpc.pb.h"
#include "reciprocity/v1/programme.grpc.pb.h"
#include "web/form_problems.h"
#include "web/participant_pages.h"
#include "web/staff_pages.h"

namespace reciprocity::web {
namespace {

std::string DayOf(const google::protobuf::Timestamp& time) {
  return absl::FormatTime("%e %B %Y", absl::FromUnixSeconds(time.seconds()),
                          LondonTimeZone());
}

// "Taxi, up to £15.00 for each meeting".
std::string AgreedWords(const v1::Agreement& a) {
  const std::string what = client::CategoryLabel(a.category());
  const std::string each =
      a.session().empty() ? " for each meeting" : " for the meeting";
  return a.up_to_pence() > 0
             ? absl::StrCat(what, ", up to ", Money(a.up_to_pence()), each)
             : absl::StrCat(what, ", no limit set", each);
}

Data AgreementRow(const v1::Agreement& a, const client::ProjectNames& names,
                  const Data& page) {
  const std::string id = IdOf(a.name());
  Data row;
  row.set("agreement", id);
  row.set("what", AgreedWords(a));
  row.set("standing", a.session().empty());
  row.set("project", client::ProjectLabel(names, a.project()));
  row.set("from", a.date_from());
  row.set("to", a.date_to());
  row.set("session", IdOf(a.session()));
  SetIfAny(row, "note", a.note());
  row.set("agreed_by", a.agreed_by());
  row.set("recorded", DayOf(a.create_time()));
  row.set("retrospective", a.retrospective());
  SetIfAny(row, "ended_by", a.ended_by());
  row.set("original_to", a.original_date_to());
  row.set("ended_before_start",
          !a.ended_by().empty() && a.date_to() < a.date_from());
  const bool can_end = a.session().empty() && a.date_to() >= TodayText();
  row.set("can_end", can_end);
  if (can_end) {
    // What was typed for this agreement, and its problem, when the last
    // form sent was this one's.
    const std::string field = absl::StrCat("last_day-", id);
    const Data* error = page.get(field + "_error");
    const Data* typed = page.get("ended");
    const bool this_one = typed != nullptr && typed->string_value() == id;
    row.set("last_day",
            this_one ? page.get("last_day")->string_value() : TodayText());
    if (error != nullptr) row.set("last_day_error", error->string_value());
    row.set("request_id", client::NewRequestId());
  }
  return row;
}

void PeopleList(Call& call) {
  auto stub = v1::ProgrammeService::NewStub(call.app().channel());
  v1::ListParticipantsRequest request;
  request.set_page_size(1000);
  request.set_state(v1::PARTICIPANT_STATE_ACTIVE);
  v1::ListParticipantsResponse response;
  grpc::Status s =
      stub->ListParticipants(call.Context().get(), request, &response);
  if (!s.ok()) return call.Failed(s, "People");
  Data people = List();
  for (const v1::Participant& p : response.participants()) {
    Data row;
    row.set("id", IdOf(p.name()));
    row.set("label", PersonLabel(p));
    row.set("paid", client::PaymentLabel(p.payment_preference()));
    row.set("appointees", absl::StrCat(p.appointees_size()));
    people.push_back(row);
  }
  Data page;
  page.set("people", people);
  page.set("has_people", !response.participants().empty());
  call.Page("People", tmpl::kPeople, page);
}

// Add or remove an appointee, then the record again.
void ChangeAppointee(Call& call, bool adding) {
  auto stub = v1::ProgrammeService::NewStub(call.app().channel());
  const std::string participant = absl::StrCat("participants/", call.Match(1));
  v1::Participant updated;
  grpc::Status s;
  if (adding) {
    v1::AddAppointeeRequest request;
    request.set_participant(participant);
    request.set_appointee(call.Param("appointee"));
    request.set_request_id(call.Param("request_id"));
    s = stub->AddAppointee(call.Context().get(), request, &updated);
  } else {
    v1::RemoveAppointeeRequest request;
    request.set_participant(participant);
    request.set_appointee(call.Param("appointee"));
    request.set_request_id(call.Param("request_id"));
    s = stub->RemoveAppointee(call.Context().get(), request, &updated);
  }
  if (s.ok()) {
    return call.Redirect(
        absl::StrCat("/officer/people/", call.Match(1)),
        adding ? absl::StrCat(call.Param("appointee"),
                              " can now act for this person.")
               : absl::StrCat(call.Param("appointee"),
                              " can no longer act for this person."));
  }
  Data page;
  if (adding) page.set("appointee", call.Param("appointee"));
  FormProblems problems;
  if (adding && problems.AddRefusal(s, {{"appointee", "appointee"}})) {
    problems.Into(page, "No one was added.");
    return ShowPerson(call, page, grpc::Status::OK, 422);
  }
  ShowPerson(call, page, s);
}

void EndAgreement(Call& call) {
  auto stub = v1::ProgrammeService::NewStub(call.app().channel());
  v1::EndAgreementRequest request;
  request.set_name(absl::StrCat("agreements/", call.Match(2)));
  request.set_last_day(call.Param("last_day"));
  request.set_request_id(call.Param("request_id"));
  v1::Agreement ended;
  grpc::Status s = stub->EndAgreement(call.Context().get(), request, &ended);
  if (s.ok()) {
    return call.Redirect(
        absl::StrCat("/officer/people/", call.Match(1)),
        absl::StrCat("The agreement now ends on ", ended.date_to(),
                     ". Meetings up to then are still covered."));
  }
  Data page;
  page.set("ended", call.Match(2));
  page.set("last_day", call.Param("last_day"));
  FormProblems problems;
  if (problems.AddRefusal(
          s, {{"last_day", absl::StrCat("last_day-", call.Match(2)).c_str()}},
          "The last day: ")) {
    problems.Into(page, "The agreement is not changed.");
    return ShowPerson(call, page, grpc::Status::OK, 422);
  }
  ShowPerson(call, page, s);
}

}  // namespace

grpc::Status GetPerson(Call& call, v1::Participant* person) {
  auto stub = v1::ProgrammeService::NewStub(call.app().channel());
  v1::GetParticipantRequest request;
  request.set_name(absl::StrCat("participants/", call.Match(1)));
  return stub->GetParticipant(call.Context().get(), request, person);
}

std::string PersonLabel(const v1::Participant& person) {
  const std::string id = IdOf(person.name());
  return person.display_name().empty()
             ? id
             : absl::StrCat(person.display_name(), " (", id, ")");
}

std::string PersonLabelOf(Call& call, const std::string& name,
                          std::map<std::string, std::string>& known) {
  auto [it, added] = known.try_emplace(name, IdOf(name));
  if (added) {
    auto stub = v1::ProgrammeService::NewStub(call.app().channel());
    v1::GetParticipantRequest request;
    request.set_name(name);
    v1::Participant person;
    if (stub->GetParticipant(call.Context().get(), request, &person).ok()) {
      it->second = PersonLabel(person);
    }
  }
  return it->second;
}

std::string PersonPath(const v1::Participant& person) {
  return absl::StrCat("/officer/people/", IdOf(person.name()));
}

grpc::Status AllProjects(Call& call,
                         std::vector<v1::ServiceAreaProject>* projects) {
  auto stub = v1::PolicyService::NewStub(call.app().channel());
  v1::ListServiceAreasRequest areas_request;
  areas_request.set_page_size(100);
  v1::ListServiceAreasResponse areas;
  grpc::Status s =
      stub->ListServiceAreas(call.Context().get(), areas_request, &areas);
  for (int a = 0; s.ok() && a < areas.service_areas_size(); ++a) {
    v1::ListProjectsRequest request;
    request.set_parent(areas.service_areas(a).name());
    request.set_page_size(200);
    v1::ListProjectsResponse response;
    s = stub->ListProjects(call.Context().get(), request, &response);
    projects->insert(projects->end(), response.projects().begin(),
                     response.projects().end());
  }
  return s;
}

void ShowPerson(Call& call, Data page, const grpc::Status& refused,
                int http_status) {
  v1::Participant person;
  grpc::Status s = GetPerson(call, &person);
  v1::ListAgreementsResponse agreements;
  if (s.ok()) {
    auto stub = v1::ProgrammeService::NewStub(call.app().channel());
    v1::ListAgreementsRequest request;
    request.set_participant(person.name());
    request.set_page_size(200);
    s = stub->ListAgreements(call.Context().get(), request, &agreements);
  }
  if (!s.ok()) return call.Failed(s, "A person");
  std::vector<std::string> projects;
  for (const v1::Agreement& a : agreements.agreements()) {
    if (!a.project().empty()) projects.push_back(a.project());
  }
  const client::ProjectNames names = ProjectNamesFor(call, projects);
  Data rows = List();
  for (const v1::Agreement& a : agreements.agreements()) {
    rows.push_back(AgreementRow(a, names, page));
  }
  page.set("agreements", rows);
  page.set("has_agreements", !agreements.agreements().empty());
  page.set("person", IdOf(person.name()));
  page.set("name", PersonLabel(person));
  std::string type =
      client::EnumLabel(v1::ParticipantType_descriptor(),
                        person.participant_type(), "PARTICIPANT_TYPE_");
  type[0] = absl::ascii_toupper(type[0]);
  page.set("type", type);
  page.set("paid", client::PaymentLabel(person.payment_preference()));
  SetIfAny(page, "updated_by", person.updated_by());
  page.set("updated_on", DayOf(person.update_time()));
  SetIfAny(page, "for_whom", IdOf(person.updated_on_behalf_of()));
  Data appointees = List();
  for (const std::string& a : person.appointees()) {
    Data row;
    row.set("appointee", a);
    row.set("request_id", client::NewRequestId());
    appointees.push_back(row);
  }
  page.set("appointees", appointees);
  page.set("has_appointees", !person.appointees().empty());
  page.set("request_id", client::NewRequestId());
  ShowForm(call, PersonLabel(person), tmpl::kPerson, page, refused,
           http_status);
}

void AddPeoplePages(WebApp& app) {
  using A = WebApp::Access;
  const std::string person = kPersonPath;
  app.Get("/officer/people", A::kOfficer, PeopleList);
  app.Get(person, A::kOfficer, [](Call& call) { ShowPerson(call, Data()); });
  app.Post(person + "/appointees", A::kOfficer,
           [](Call& call) { ChangeAppointee(call, /*adding=*/true); });
  app.Post(person + "/appointees/remove", A::kOfficer,
           [](Call& call) { ChangeAppointee(call, /*adding=*/false); });
  app.Post(person + R"(/agreements/(\d+)/end)", A::kOfficer, EndAgreement);
  AddAgreementPages(app);
  AddActForPages(app);
}

}  // namespace reciprocity::web
