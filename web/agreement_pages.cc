// Record a standing agreement for one person: what is agreed (a taxi, say,
// up to an amount for each meeting) for every meeting of a project from one
// day to another. One that starts before today is kept as agreed after the
// meeting (retrospective): the form says so plainly and asks once more
// before it is saved. Ending one early is on the person's record page.
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "base/clock.h"
#include "client/connection.h"
#include "client/money.h"
#include "client/output.h"
#include "reciprocity/v1/programme.grpc.pb.h"
#include "web/form_problems.h"
#include "web/people_pages.h"
#include "web/staff_pages.h"

namespace reciprocity::web {
namespace {

constexpr char kTitle[] = "Add a standing agreement";

// What may be agreed, taxi first: it is what agreements are mostly for.
constexpr v1::ExpenseCategory kAgreedCategories[] = {
    v1::EXPENSE_CATEGORY_TAXI,      v1::EXPENSE_CATEGORY_PUBLIC_TRANSPORT,
    v1::EXPENSE_CATEGORY_MILEAGE,   v1::EXPENSE_CATEGORY_PARKING,
    v1::EXPENSE_CATEGORY_CHILDCARE, v1::EXPENSE_CATEGORY_CARER};

// The form's fields, kept as typed when it is shown again.
constexpr const char* kFields[] = {"project",   "category", "up_to",
                                   "date_from", "date_to",  "note"};

void AgreementForm(Call& call, Data page, const v1::Participant& person,
                   const grpc::Status& refused = grpc::Status::OK,
                   int http_status = 200) {
  std::vector<v1::ServiceAreaProject> all;
  grpc::Status s = AllProjects(call, &all);
  if (!s.ok()) return call.Failed(s, kTitle);
  const bool posted = call.request().method == "POST";
  Data projects = List();
  for (const v1::ServiceAreaProject& p : all) {
    Data row;
    row.set("name", p.name());
    row.set("label", p.display_name());
    row.set("selected", p.name() == call.Param("project"));
    projects.push_back(row);
  }
  Data categories = List();
  for (v1::ExpenseCategory c : kAgreedCategories) {
    Data row;
    row.set("value", v1::ExpenseCategory_Name(c));
    row.set("label", client::CategoryLabel(c));
    row.set("selected", v1::ExpenseCategory_Name(c) == call.Param("category"));
    categories.push_back(row);
  }
  page.set("projects", projects);
  page.set("categories", categories);
  for (const char* f : kFields) page.set(f, call.Param(f));
  if (!posted) {
    const absl::CivilDay today = SystemClock().TodayInLondon();
    page.set("date_from", absl::FormatCivilTime(today));
    page.set("date_to", absl::FormatCivilTime(today + 90));
  }
  page.set("person", IdOf(person.name()));
  page.set("name", PersonLabel(person));
  page.set("today", TodayText());
  page.set("request_id", call.Param("request_id").empty()
                             ? client::NewRequestId()
                             : call.Param("request_id"));
  ShowForm(call, kTitle, tmpl::kNewAgreement, page, refused, http_status);
}

void NewAgreement(Call& call) {
  v1::Participant person;
  grpc::Status s = GetPerson(call, &person);
  if (!s.ok()) return call.Failed(s, kTitle);
  AgreementForm(call, Data(), person);
}

// Reads the form into `agreement`, adding a problem for each field that is
// wrong.
void ReadAgreement(Call& call, v1::Agreement& agreement,
                   FormProblems& problems) {
  agreement.set_project(call.Param("project"));
  v1::ExpenseCategory category = v1::EXPENSE_CATEGORY_UNSPECIFIED;
  if (!v1::ExpenseCategory_Parse(call.Param("category"), &category)) {
    problems.Add("category", "Choose what you agreed to pay for.");
  }
  agreement.set_category(category);
  if (!call.Param("up_to").empty()) {
    auto pence = client::ParsePounds(call.Param("up_to"));
    if (pence.ok()) {
      agreement.set_up_to_pence(*pence);
    } else {
      problems.Add("up_to", "Type the most we pay in pounds, like 15.00.");
    }
  }
  problems.CheckDay("date_from", call.Param("date_from"),
                    "Type the first day, like 2027-01-04.");
  problems.CheckDay("date_to", call.Param("date_to"),
                    "Type the last day, like 2027-03-31.");
  agreement.set_date_from(call.Param("date_from"));
  agreement.set_date_to(call.Param("date_to"));
  agreement.set_note(call.Param("note"));
}

void CreateAgreement(Call& call) {
  v1::Participant person;
  grpc::Status s = GetPerson(call, &person);
  if (!s.ok()) return call.Failed(s, kTitle);
  v1::CreateAgreementRequest request;
  v1::Agreement& agreement = *request.mutable_agreement();
  agreement.set_participant(person.name());
  FormProblems problems;
  ReadAgreement(call, agreement, problems);
  Data page;
  if (!problems.empty()) {
    problems.Into(page, "The agreement is not saved yet.");
    return AgreementForm(call, page, person, grpc::Status::OK, 422);
  }
  // ISO dates compare as text. The service keeps one that starts before
  // today as agreed after the meeting; say so, and ask once more.
  const bool retrospective = agreement.date_from() < TodayText();
  if (retrospective && call.Param("after_the_meeting") != "yes") {
    page.set("confirm_retrospective", true);
    return AgreementForm(call, page, person);
  }
  request.set_request_id(call.Param("request_id"));
  auto stub = v1::ProgrammeService::NewStub(call.app().channel());
  v1::Agreement created;
  s = stub->CreateAgreement(call.Context().get(), request, &created);
  if (s.ok()) {
    return call.Redirect(
        PersonPath(person),
        created.retrospective()
            ? "The agreement is saved. It started before today, so it is "
              "kept as agreed after the meeting. Claims for meetings "
              "already held will say so."
            : "The agreement is saved.");
  }
  if (problems.AddRefusal(s, {{"agreement.project", "project"},
                              {"agreement.category", "category"},
                              {"agreement.up_to_pence", "up_to"},
                              {"agreement.date_from", "date_from"},
                              {"agreement.date_to", "date_to"},
                              {"agreement.note", "note"}})) {
    problems.Into(page, "The agreement is not saved yet.");
    return AgreementForm(call, page, person, grpc::Status::OK, 422);
  }
  AgreementForm(call, page, person, s);
}

}  // namespace

void AddAgreementPages(WebApp& app) {
  using A = WebApp::Access;
  const std::string person = kPersonPath;
  app.Get(person + "/agreements/new", A::kOfficer, NewAgreement);
  app.Post(person + "/agreements", A::kOfficer, CreateAgreement);
}

}  // namespace reciprocity::web
