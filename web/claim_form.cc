// Claim for a meeting: the form (travel, taxi and care costs, all
// optional), its check against the rules (preview) and sending it. Also
// serves officers claiming on someone's behalf. Amounts are read with the
// client's exact parser: pounds to integer pence, never floating point.
#include "absl/status/statusor.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "client/connection.h"
#include "client/money.h"
#include "client/output.h"
#include "reciprocity/v1/claims.grpc.pb.h"
#include "reciprocity/v1/programme.grpc.pb.h"
#include "web/participant_pages.h"

namespace reciprocity::web {
namespace {

// Every field of the form, kept as typed when it is shown again.
constexpr const char* kFormFields[] = {
    "participant", "fare",     "miles",      "parking",    "taxi",
    "child_hours", "children", "child_cost", "care_hours", "care_cost"};

// "2 hours", "1 hour 30 minutes".
std::string HoursWords(int minutes) {
  std::string words;
  if (minutes >= 60) {
    absl::StrAppend(&words, minutes / 60, minutes < 120 ? " hour" : " hours");
  }
  if (minutes % 60 != 0) {
    absl::StrAppend(&words, words.empty() ? "" : " ", minutes % 60, " minutes");
  }
  return words;
}

// Reads the form into a claim, collecting a plain message for each field
// that is wrong.
class ClaimFormReader {
 public:
  ClaimFormReader(Call& call, Data& form) : call_(call), form_(form) {}

  void Fail(const std::string& field, const std::string& words) {
    form_.set(field + "_error", words);
    Data e;
    e.set("field", field);
    e.set("message", words);
    errors_.push_back(e);
    ok_ = false;
  }

  // A cost in pounds, when given.
  void Money(const char* field, v1::ExpenseCategory category, const char* words,
             bool receipt) {
    if (call_.Param(field).empty()) return;
    auto pence = client::ParsePounds(call_.Param(field));
    if (!pence.ok()) {
      return Fail(field,
                  absl::StrCat(words, ": type pounds and pence, like 3.20"));
    }
    v1::ClaimLine* line = claim_.add_lines();
    line->set_category(category);
    line->set_amount_pence(*pence);
    line->set_receipt_provided(receipt);
  }

  void Miles() {
    if (call_.Param("miles").empty()) return;
    auto tenths = client::ParseTenths(call_.Param("miles"));
    if (!tenths.ok())
      return Fail("miles", "Miles: type a number, like 12 or 12.5");
    v1::ClaimLine* line = claim_.add_lines();
    line->set_category(v1::EXPENSE_CATEGORY_MILEAGE);
    line->set_vehicle(v1::VEHICLE_TYPE_CAR);
    line->set_distance_tenths_of_mile(*tenths);
  }

  // Care while the participant was at the meeting: hours, (for childcare)
  // how many children, and the cost. Claimed on the carer's bill, as recip
  // does.
  void Care(v1::ExpenseCategory category, const char* hours_field,
            const char* children_field, const char* cost_field,
            const char* words) {
    const bool children_asked = children_field != nullptr;
    if (call_.Param(hours_field).empty() && call_.Param(cost_field).empty() &&
        (!children_asked || call_.Param(children_field).empty())) {
      return;
    }
    v1::ClaimLine line;
    line.set_category(category);
    line.set_receipt_provided(true);
    auto minutes = client::ParseHoursToMinutes(call_.Param(hours_field));
    if (!minutes.ok() || *minutes <= 0) {
      Fail(hours_field, absl::StrCat(words, ": type the hours, like 3 or 2.5"));
    } else {
      line.set_care_minutes(*minutes);
    }
    if (children_asked) {
      int children = 0;
      if (!absl::SimpleAtoi(call_.Param(children_field), &children) ||
          children < 1 || children > 20) {
        Fail(children_field, "Children: type how many, like 1 or 2");
      } else {
        line.set_children(children);
      }
    }
    auto pence = client::ParsePounds(call_.Param(cost_field));
    if (!pence.ok()) {
      Fail(cost_field, absl::StrCat(words, ": type what it cost, like 30"));
    } else {
      line.set_amount_pence(*pence);
    }
    if (ok_) *claim_.add_lines() = line;
  }

  v1::Claim& claim() { return claim_; }
  const Data& errors() const { return errors_; }
  bool ok() const { return ok_; }

 private:
  Call& call_;
  Data& form_;
  v1::Claim claim_;
  Data errors_ = List();
  bool ok_ = true;
};

// What the form shows about the meeting, and the fields as typed.
void SetMeeting(Call& call, Data& form, const v1::Session& meeting) {
  form.set("session", meeting.name());
  form.set("date", meeting.date());
  form.set("project_label", ProjectNameFor(call, meeting.project()));
}

// Fills the claim form's fields from what was typed; returns the claim, or
// nothing when a field is wrong (the errors are then set on `form`).
std::optional<v1::Claim> ReadClaimForm(Call& call, Data& form,
                                       const v1::Session& meeting) {
  const bool for_officer = !call.visitor().Has(v1::ROLE_PARTICIPANT) ||
                           !call.Param("participant").empty();
  for (const char* field : kFormFields) form.set(field, call.Param(field));
  const bool receipt = call.Param("receipt") == "yes";
  form.set("receipt", receipt);
  form.set("for_officer", for_officer);
  SetMeeting(call, form, meeting);
  form.set("request_id", call.Param("request_id").empty()
                             ? client::NewRequestId()
                             : call.Param("request_id"));
  ClaimFormReader reader(call, form);
  v1::Claim& claim = reader.claim();
  claim.set_session(meeting.name());
  claim.set_project(meeting.project());
  claim.set_session_date(meeting.date());
  const std::string participant = call.Param("participant");
  if (for_officer) {
    if (participant.empty()) {
      reader.Fail("participant",
                  "Say who the claim is for, for example p-0001");
    }
    claim.set_participant(absl::StartsWith(participant, "participants/")
                              ? participant
                              : absl::StrCat("participants/", participant));
  } else {
    claim.set_participant(call.visitor().participant);
  }
  reader.Money("fare", v1::EXPENSE_CATEGORY_PUBLIC_TRANSPORT, "Fares", receipt);
  reader.Miles();
  reader.Money("parking", v1::EXPENSE_CATEGORY_PARKING, "Parking", receipt);
  reader.Money("taxi", v1::EXPENSE_CATEGORY_TAXI, "Taxi", receipt);
  reader.Care(v1::EXPENSE_CATEGORY_CHILDCARE, "child_hours", "children",
              "child_cost", "Care for your children");
  reader.Care(v1::EXPENSE_CATEGORY_CARER, "care_hours", nullptr, "care_cost",
              "Care for a person you look after");
  if (claim.lines().empty() && reader.ok()) {
    reader.Fail("fare", "Fill in at least one cost");
  }
  form.set("errors", reader.errors());
  if (!reader.ok()) {
    form.set("problem_title", "There is a problem");
    form.set("problem", "Please put right the things below.");
    return std::nullopt;
  }
  return claim;
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
  SetMeeting(call, form, *meeting);
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

}  // namespace

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
    if (line.care_minutes() > 0) {
      absl::StrAppend(&what, ", ", HoursWords(line.care_minutes()));
    }
    if (line.children() > 0) {
      absl::StrAppend(&what, ", ", line.children(),
                      line.children() == 1 ? " child" : " children");
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

void AddClaimFormPages(WebApp& app) {
  using A = WebApp::Access;
  app.Get("/claim/details", A::kSignedIn, ClaimDetails);
  app.Get("/officer/claim", A::kOfficer, ClaimDetails);
  app.Post("/claim/preview", A::kSignedIn,
           [](Call& call) { PreviewOrSend(call, false); });
  app.Post("/claim/send", A::kSignedIn,
           [](Call& call) { PreviewOrSend(call, true); });
}

}  // namespace reciprocity::web
