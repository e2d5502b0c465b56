// Putting the register right: each person on it with what they earned,
// their minutes and crèche corrected or their attendance removed, always
// with a reason (UpdateAttendance, DeleteAttendance); and the vouchers
// given out that a correction has changed since, kept or taken back
// (DecideVoucher).
#include <cstdio>
#include <map>
#include <optional>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "client/connection.h"
#include "reciprocity/v1/programme.grpc.pb.h"
#include "web/correction_forms.h"
#include "web/participant_pages.h"
#include "web/people_pages.h"

namespace reciprocity::web {
namespace {

// Minutes from "10:00" to "12:00"; 0 when unclear.
int LengthOf(const v1::Session& m) {
  int h1 = 0, m1 = 0, h2 = 0, m2 = 0;
  if (std::sscanf(m.start_time().c_str(), "%d:%d", &h1, &m1) != 2 ||
      std::sscanf(m.end_time().c_str(), "%d:%d", &h2, &m2) != 2) {
    return 0;
  }
  return (h2 * 60 + m2) - (h1 * 60 + m1);
}

// "£15 voucher, given out (number TESCO-42)." in a few words.
std::string VoucherWords(const v1::VoucherEntitlement& e) {
  switch (e.state()) {
    case v1::VOUCHER_ENTITLEMENT_STATE_EARNED:
      return absl::StrCat(Money(e.value_pence()), ", not given out yet.");
    case v1::VOUCHER_ENTITLEMENT_STATE_ISSUED:
      return absl::StrCat(Money(e.value_pence()), ", given out (number ",
                          e.serial(), ").",
                          e.needs_decision() ? " It needs a decision." : "");
    case v1::VOUCHER_ENTITLEMENT_STATE_CANCELLED:
      return "Cancelled.";
    default:
      return absl::StrCat("None. ", e.reason());
  }
}

// One form as the officer typed it, with its errors.
struct Typed {
  std::string id;  // "p-0001", or a voucher's number
  Data fields;
};

// What the form just sent shows instead of the record's values.
constexpr const char* kTypedKeys[] = {
    "minutes",        "reason",       "request_id",
    "creche_unknown", "creche_yes",   "creche_no",
    "minutes_error",  "creche_error", "reason_error"};

void ShowTyped(const std::optional<Typed>& typed, const std::string& id,
               Data& row) {
  if (!typed.has_value() || typed->id != id) return;
  for (const char* key : kTypedKeys) {
    const Data* value = typed->fields.get(key);
    row.set(key, value != nullptr ? *value : Data(false));
  }
}

// The register of the meeting in the route, one card per person; `typed`
// replaces what the form shows for the person just sent.
void ShowRegister(Call& call, Data page,
                  const std::optional<Typed>& typed = std::nullopt,
                  const grpc::Status& refused = grpc::Status::OK,
                  int http_status = 200) {
  auto stub = v1::ProgrammeService::NewStub(call.app().channel());
  v1::GetSessionRequest get;
  get.set_name(absl::StrCat("sessions/", call.Match(1)));
  v1::Session m;
  grpc::Status s = stub->GetSession(call.Context().get(), get, &m);
  v1::ListAttendancesRequest list;
  list.set_parent(get.name());
  v1::ListAttendancesResponse register_now;
  if (s.ok()) {
    s = stub->ListAttendances(call.Context().get(), list, &register_now);
  }
  v1::ListParticipantsRequest people_request;
  people_request.set_page_size(500);
  v1::ListParticipantsResponse everyone;
  if (s.ok()) {
    s = stub->ListParticipants(call.Context().get(), people_request, &everyone);
  }
  if (!s.ok() && typed.has_value()) {
    // Only the form just sent, as typed, under the explanation.
    Data row;
    row.set("id", typed->id);
    row.set("name", typed->id);
    row.set("label", typed->id);
    row.set("session_id", call.Match(1));
    ShowTyped(typed, typed->id, row);
    Data people = List();
    people.push_back(row);
    page.set("id", call.Match(1));
    page.set("people", people);
    page.set("has_people", true);
    page.set("has_creche", !call.Param("creche").empty());
    return call.Failed(s, "Put the register right", tmpl::kCorrectRegister,
                       page);
  }
  if (!s.ok()) return call.Failed(s, "Put the register right");
  std::map<std::string, std::string> names;
  for (const v1::Participant& p : everyone.participants()) {
    if (!p.display_name().empty()) names[IdOf(p.name())] = p.display_name();
  }
  page.set("id", call.Match(1));
  page.set("project", ProjectNameFor(call, m.project()));
  page.set("date", m.date());
  page.set("start_time", m.start_time());
  page.set("end_time", m.end_time());
  page.set("length", absl::StrCat(LengthOf(m)));
  page.set("cancelled", m.state() == v1::SESSION_STATE_CANCELLED);
  page.set("has_creche", m.creche_provided());
  Data people = List();
  for (const v1::Attendance& a : register_now.attendances()) {
    Data row;
    const std::string id = IdOf(a.participant());
    const auto named = names.find(id);
    const std::string name = named == names.end() ? id : named->second;
    row.set("id", id);
    row.set("name", name);
    row.set("label", name == id ? id : absl::StrCat(name, " (", id, ")"));
    row.set("session_id", call.Match(1));
    row.set("minutes_now", absl::StrCat(a.minutes()));
    if (a.has_creche_used()) {
      row.set("creche_now", a.creche_used() ? "Their child used the crèche"
                                            : "No child used the crèche");
    }
    row.set("voucher", VoucherWords(a.voucher_entitlement()));
    if (!a.voucher_entitlement().correction_note().empty()) {
      row.set("note", a.voucher_entitlement().correction_note());
    }
    row.set("request_id", client::NewRequestId());
    row.set("minutes", absl::StrCat(a.minutes()));
    const std::string creche = !a.has_creche_used() ? "unknown"
                               : a.creche_used()    ? "yes"
                                                    : "no";
    row.set(absl::StrCat("creche_", creche), true);
    ShowTyped(typed, id, row);
    people.push_back(row);
  }
  page.set("people", people);
  page.set("has_people", !register_now.attendances().empty());
  if (!refused.ok()) {
    return call.Failed(refused, "Put the register right",
                       tmpl::kCorrectRegister, page);
  }
  call.Page("Put the register right", tmpl::kCorrectRegister, page,
            http_status);
}

void RegisterPage(Call& call) { ShowRegister(call, Data()); }

// Corrects or removes one person's attendance, as the form says.
void CorrectAttendance(Call& call) {
  const std::string id = call.Match(2);
  const std::string name =
      absl::StrCat("sessions/", call.Match(1), "/attendances/", id);
  const bool remove = call.Param("action") == "remove";
  Typed typed{id, Data()};
  Data& row = typed.fields;
  row.set("request_id", call.Param("request_id"));
  row.set("minutes", call.Param("minutes"));
  row.set("reason", call.Param("reason"));
  const std::string creche = call.Param("creche");
  row.set(absl::StrCat("creche_", creche.empty() ? "unknown" : creche), true);

  Data page;
  FormErrors errors(page);
  int minutes = 0;
  if (!remove &&
      (!absl::SimpleAtoi(call.Param("minutes"), &minutes) || minutes < 0)) {
    errors.Add(row, "minutes", absl::StrCat("minutes-", id),
               absl::StrCat("Type how many minutes ", id,
                            " stayed, as a whole number like 90."));
  }
  if (call.Param("reason").empty()) {
    errors.Add(row, "reason", absl::StrCat("reason-", id),
               "Say why it was wrong.");
  }
  if (!errors.empty()) {
    errors.Finish("Nothing is changed yet.");
    return ShowRegister(call, page, typed, grpc::Status::OK, 422);
  }
  auto stub = v1::ProgrammeService::NewStub(call.app().channel());
  v1::Attendance saved;
  grpc::Status s;
  if (remove) {
    v1::DeleteAttendanceRequest request;
    request.set_name(name);
    request.set_reason(call.Param("reason"));
    request.set_request_id(call.Param("request_id"));
    s = stub->DeleteAttendance(call.Context().get(), request, &saved);
  } else {
    v1::UpdateAttendanceRequest request;
    request.mutable_attendance()->set_name(name);
    request.mutable_attendance()->set_minutes(minutes);
    request.mutable_update_mask()->add_paths("minutes");
    if (!creche.empty()) {
      if (creche != "unknown") {
        request.mutable_attendance()->set_creche_used(creche == "yes");
      }
      request.mutable_update_mask()->add_paths("creche_used");
    }
    request.set_reason(call.Param("reason"));
    request.set_request_id(call.Param("request_id"));
    s = stub->UpdateAttendance(call.Context().get(), request, &saved);
  }
  if (!s.ok()) {
    for (const auto& [api, key] :
         {std::pair{"attendance.minutes", "minutes"},
          std::pair{"attendance.creche_used", "creche"},
          std::pair{"reason", "reason"}}) {
      errors.AddRefusal(s, api, row, key, absl::StrCat(key, "-", id));
    }
    if (errors.empty()) return ShowRegister(call, page, typed, s);
    errors.Finish("Nothing is changed yet.");
    return ShowRegister(call, page, typed, grpc::Status::OK, 422);
  }
  const v1::VoucherEntitlement& e = saved.voucher_entitlement();
  std::string notice = remove ? absl::StrCat(id, " is off the register.")
                              : absl::StrCat(id, " is now on the register for ",
                                             minutes, " minutes.");
  absl::StrAppend(&notice, " Voucher: ", VoucherWords(e));
  call.Redirect(
      absl::StrCat("/officer/sessions/", call.Match(1), "/attendance"), notice);
}

// The vouchers that need a decision; `typed` is the card just sent.
void ShowDecisions(Call& call, Data page,
                   const std::optional<Typed>& typed = std::nullopt,
                   const grpc::Status& refused = grpc::Status::OK,
                   int http_status = 200) {
  auto stub = v1::ProgrammeService::NewStub(call.app().channel());
  v1::ListVoucherEntitlementsRequest request;
  request.set_page_size(100);
  request.set_needs_decision(true);
  v1::ListVoucherEntitlementsResponse response;
  grpc::Status s =
      stub->ListVoucherEntitlements(call.Context().get(), request, &response);
  if (!s.ok() && typed.has_value()) {
    // Only the form just sent, as typed, under the explanation.
    Data row;
    row.set("id", typed->id);
    ShowTyped(typed, typed->id, row);
    Data vouchers = List();
    vouchers.push_back(row);
    page.set("vouchers", vouchers);
    return call.Failed(s, "Vouchers to decide", tmpl::kDecideVouchers, page);
  }
  if (!s.ok()) return call.Failed(s, "Vouchers to decide");
  Data vouchers = List();
  std::map<std::string, std::string> people;
  for (const v1::VoucherEntitlement& v : response.voucher_entitlements()) {
    Data row;
    const std::string id = IdOf(v.name());
    row.set("request_id", client::NewRequestId());
    ShowTyped(typed, id, row);
    row.set("id", id);
    row.set("participant", PersonLabelOf(call, v.participant(), people));
    row.set("date", v.session_date());
    row.set("value", Money(v.value_pence()));
    row.set("serial", v.serial());
    row.set("note", v.correction_note());
    vouchers.push_back(row);
  }
  page.set("vouchers", vouchers);
  if (!refused.ok()) {
    return call.Failed(refused, "Vouchers to decide", tmpl::kDecideVouchers,
                       page);
  }
  call.Page("Vouchers to decide", tmpl::kDecideVouchers, page, http_status);
}

void DecisionsPage(Call& call) { ShowDecisions(call, Data()); }

void DecideVoucher(Call& call) {
  const std::string id = call.Match(1);
  Typed typed{id, Data()};
  typed.fields.set("reason", call.Param("reason"));
  typed.fields.set("request_id", call.Param("request_id"));
  Data page;
  FormErrors errors(page);
  if (call.Param("reason").empty()) {
    errors.Add(typed.fields, "reason", absl::StrCat("reason-", id),
               "Say why you decided this.");
    errors.Finish("Nothing is decided yet.");
    return ShowDecisions(call, page, typed, grpc::Status::OK, 422);
  }
  const bool keep = call.Param("decision") != "take-back";
  auto stub = v1::ProgrammeService::NewStub(call.app().channel());
  v1::DecideVoucherRequest request;
  request.set_name(absl::StrCat("voucherEntitlements/", id));
  request.set_decision(keep ? v1::VOUCHER_DECISION_KEEP
                            : v1::VOUCHER_DECISION_TAKE_BACK);
  request.set_reason(call.Param("reason"));
  request.set_request_id(call.Param("request_id"));
  v1::VoucherEntitlement decided;
  grpc::Status s = stub->DecideVoucher(call.Context().get(), request, &decided);
  if (!s.ok()) {
    if (!errors.AddRefusal(s, "reason", typed.fields, "reason",
                           absl::StrCat("reason-", id))) {
      return ShowDecisions(call, page, typed, s);
    }
    errors.Finish("Nothing is decided yet.");
    return ShowDecisions(call, page, typed, grpc::Status::OK, 422);
  }
  call.Redirect(
      "/officer/vouchers/decide",
      keep ? absl::StrCat(IdOf(decided.participant()), " keeps the voucher.")
           : absl::StrCat("The voucher of ", IdOf(decided.participant()),
                          " is taken back."));
}

}  // namespace

void AddAttendanceCorrectionPages(WebApp& app) {
  using A = WebApp::Access;
  app.Get(R"(/officer/sessions/(\d+)/attendance)", A::kOfficer, RegisterPage);
  app.Post(R"(/officer/sessions/(\d+)/attendance/([a-z0-9-]+))", A::kOfficer,
           CorrectAttendance);
  app.Get("/officer/vouchers/decide", A::kOfficer, DecisionsPage);
  app.Post(R"(/officer/vouchers/(\d+)/decide)", A::kOfficer, DecideVoucher);
}

}  // namespace reciprocity::web
