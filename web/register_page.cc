// The register of one meeting: per person whether they came, how many
// minutes they stayed and, when the meeting has a crèche, whether their
// child used it. Saving records each attendance (which earns any voucher).
#include <map>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "client/connection.h"
#include "reciprocity/v1/programme.grpc.pb.h"
#include "web/app.h"
#include "web/participant_pages.h"

namespace reciprocity::web {
namespace {

constexpr int kMaxMinutes = 24 * 60;
constexpr int kDefaultMinutes = 120;

// One person on the register and what the officer typed for them.
struct RegisterRow {
  std::string id;    // "p-0001"
  std::string name;  // display name, or the id when there is none
  bool came = false;
  std::string minutes;  // as typed
  bool creche_used = false;
  std::string came_error;  // empty when fine
  std::string minutes_error;
};

// The meeting and everyone who may be on its register.
struct Register {
  v1::Session meeting;
  std::vector<RegisterRow> rows;
};

// Minutes from "10:00" to "12:00"; kDefaultMinutes when unclear.
int MeetingMinutes(const v1::Session& meeting) {
  auto minutes_of = [](const std::string& hh_mm) {
    std::vector<std::string> parts = absl::StrSplit(hh_mm, ':');
    int h = 0, m = 0;
    if (parts.size() != 2 || !absl::SimpleAtoi(parts[0], &h) ||
        !absl::SimpleAtoi(parts[1], &m)) {
      return -1;
    }
    return h * 60 + m;
  };
  const int start = minutes_of(meeting.start_time());
  const int end = minutes_of(meeting.end_time());
  if (start < 0 || end <= start) return kDefaultMinutes;
  return end - start;
}

// Reads the meeting and its people; on a POST also what was typed.
grpc::Status LoadRegister(Call& call, Register& out) {
  auto stub = v1::ProgrammeService::NewStub(call.app().channel());
  v1::GetSessionRequest get;
  get.set_name(absl::StrCat("sessions/", call.Match(1)));
  grpc::Status s = stub->GetSession(call.Context().get(), get, &out.meeting);
  if (!s.ok()) return s;
  // Every active person, page after page: anyone may have come.
  v1::ListParticipantsRequest list;
  list.set_page_size(500);
  list.set_state(v1::PARTICIPANT_STATE_ACTIVE);
  std::vector<v1::Participant> people;
  s = ForEachPage<v1::ListParticipantsResponse>(
      list,
      [&](const v1::ListParticipantsRequest& r,
          v1::ListParticipantsResponse& page) {
        return stub->ListParticipants(call.Context().get(), r, &page);
      },
      [&](v1::ListParticipantsResponse& page) {
        for (v1::Participant& p : *page.mutable_participants()) {
          people.push_back(std::move(p));
        }
      });
  if (!s.ok()) return s;
  const bool posted = call.request().method == "POST";
  std::map<std::string, bool> ticked;
  for (size_t i = 0; i < call.request().get_param_value_count("came"); ++i) {
    ticked[call.request().get_param_value("came", i)] = true;
  }
  const std::string length = absl::StrCat(MeetingMinutes(out.meeting));
  for (const v1::Participant& p : people) {
    RegisterRow row;
    row.id = IdOf(p.name());
    row.name = p.display_name().empty() ? row.id : p.display_name();
    row.came = ticked.count(row.id) > 0;
    row.minutes =
        posted ? call.Param(absl::StrCat("minutes-", row.id)) : length;
    row.creche_used = out.meeting.creche_provided() &&
                      call.Param(absl::StrCat("creche-", row.id)) == "yes";
    out.rows.push_back(std::move(row));
  }
  return grpc::Status::OK;
}

// Sets the errors on the rows; returns how many there are.
int CheckRegister(Register& reg) {
  int errors = 0;
  for (RegisterRow& row : reg.rows) {
    if (row.creche_used && !row.came) {
      row.came_error = absl::StrCat("You ticked the crèche for ", row.name,
                                    ". Tick that they came too, or untick "
                                    "the crèche.");
      ++errors;
    }
    int minutes = 0;
    if (row.came && (!absl::SimpleAtoi(row.minutes, &minutes) || minutes < 1 ||
                     minutes > kMaxMinutes)) {
      row.minutes_error = absl::StrCat("Type how many minutes ", row.name,
                                       " stayed, as a whole number like 90.");
      ++errors;
    }
  }
  return errors;
}

void ShowRegister(Call& call, const Register& reg, Data page,
                  const grpc::Status& failure = grpc::Status::OK,
                  int http_status = 200) {
  Data rows = List();
  Data errors = List();
  for (const RegisterRow& r : reg.rows) {
    Data row;
    row.set("id", r.id);
    row.set("name", r.name);
    row.set("label",
            r.name == r.id ? r.id : absl::StrCat(r.name, " (", r.id, ")"));
    row.set("came", r.came);
    row.set("minutes", r.minutes);
    row.set("creche_ticked", r.creche_used);
    for (const auto& [field, message] :
         {std::pair{"came", &r.came_error},
          std::pair{"minutes", &r.minutes_error}}) {
      if (message->empty()) continue;
      row.set(absl::StrCat(field, "_error"), *message);
      Data e;
      e.set("field", absl::StrCat(field, "-", r.id));
      e.set("message", *message);
      errors.push_back(e);
    }
    rows.push_back(row);
  }
  page.set("errors", errors);
  page.set("id", call.Match(1));
  page.set("project", ProjectNameFor(call, reg.meeting.project()));
  page.set("date", reg.meeting.date());
  page.set("start_time", reg.meeting.start_time());
  page.set("end_time", reg.meeting.end_time());
  page.set("creche", reg.meeting.creche_provided());
  page.set("people", rows);
  if (page.get("request_id") == nullptr) {
    // Kept while the same register is saved again, so that a retry replays.
    page.set("request_id", call.Param("request_id").empty()
                               ? client::NewRequestId()
                               : call.Param("request_id"));
  }
  if (!failure.ok())
    return call.Failed(failure, "Register", tmpl::kRegister, page);
  call.Page("Register", tmpl::kRegister, page, http_status);
}

void RegisterPage(Call& call) {
  Register reg;
  grpc::Status s = LoadRegister(call, reg);
  if (!s.ok()) return call.Failed(s, "Register");
  ShowRegister(call, reg, Data());
}

// "Sam Smith came for 120 minutes. Their child used the crèche. They
// earned a £10 voucher."
std::string SavedLine(const RegisterRow& row, const v1::Attendance& saved) {
  std::string line =
      absl::StrCat(row.name, " came for ", saved.minutes(), " minutes.");
  if (saved.has_creche_used() && saved.creche_used()) {
    absl::StrAppend(&line, " Their child used the crèche.");
  }
  if (saved.voucher_entitlement().value_pence() > 0) {
    absl::StrAppend(&line, " They earned a ",
                    Money(saved.voucher_entitlement().value_pence()),
                    " voucher.");
  }
  return line;
}

void SaveRegister(Call& call) {
  Register reg;
  grpc::Status s = LoadRegister(call, reg);
  if (!s.ok()) return call.Failed(s, "Register");
  Data page;
  const int errors = CheckRegister(reg);
  bool anyone = false;
  for (const RegisterRow& row : reg.rows) anyone |= row.came;
  if (errors > 0 || !anyone) {
    page.set("problem_title", "There is a problem");
    page.set("problem", errors > 0 ? "Nothing is saved yet. Please put right "
                                     "the things below."
                                   : "Tick each person who came.");
    return ShowRegister(call, reg, page, grpc::Status::OK, 422);
  }
  auto stub = v1::ProgrammeService::NewStub(call.app().channel());
  Data recorded = List();
  for (const RegisterRow& row : reg.rows) {
    if (!row.came) continue;
    v1::RecordAttendanceRequest request;
    request.set_session(reg.meeting.name());
    request.set_participant(absl::StrCat("participants/", row.id));
    int minutes = 0;
    (void)absl::SimpleAtoi(row.minutes, &minutes);  // checked above
    request.set_minutes(minutes);
    if (reg.meeting.creche_provided()) request.set_creche_used(row.creche_used);
    // One id per person, so that saving again after a failure records only
    // the people not yet saved and replays the rest.
    request.set_request_id(absl::StrCat(call.Param("request_id"), "-", row.id));
    v1::Attendance saved;
    s = stub->RecordAttendance(call.Context().get(), request, &saved);
    if (s.error_code() == grpc::StatusCode::ALREADY_EXISTS) {
      recorded.push_back(
          Data(absl::StrCat(row.name, " was already on the register.")));
      continue;
    }
    if (!s.ok()) {
      page.set("recorded", recorded);
      return ShowRegister(call, reg, page, s);
    }
    recorded.push_back(Data(SavedLine(row, saved)));
  }
  page.set("recorded", recorded);
  page.set("notice", "The register is saved.");
  page.set("request_id", client::NewRequestId());
  // The boxes are cleared: what was saved is listed under the form.
  for (RegisterRow& row : reg.rows) {
    row.came = false;
    row.creche_used = false;
    row.minutes = absl::StrCat(MeetingMinutes(reg.meeting));
  }
  ShowRegister(call, reg, page);
}

}  // namespace

void AddRegisterPages(WebApp& app) {
  using A = WebApp::Access;
  app.Get(R"(/officer/sessions/(\d+)/register)", A::kOfficer, RegisterPage);
  app.Post(R"(/officer/sessions/(\d+)/register)", A::kOfficer, SaveRegister);
}

}  // namespace reciprocity::web
