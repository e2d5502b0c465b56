// Changing a claim that is still waiting (SUBMITTED or NEEDS_REVIEW): what
// each line asks for, by the participant or an officer of the claim's area
// for them (AmendClaim). The new version is judged afresh; the old one is
// kept. Amounts are read with the client's exact parser, never floating
// point.
#include "absl/strings/str_cat.h"
#include "client/connection.h"
#include "client/money.h"
#include "client/output.h"
#include "client/statement.h"
#include "reciprocity/v1/claims.grpc.pb.h"
#include "web/correction_forms.h"

namespace reciprocity::web {
namespace {

bool IsMileage(const v1::ClaimLine& line) {
  return line.category() == v1::EXPENSE_CATEGORY_MILEAGE;
}

// "12.3" miles from tenths of a mile.
std::string MilesText(int64_t tenths) {
  return tenths % 10 == 0 ? absl::StrCat(tenths / 10)
                          : absl::StrCat(tenths / 10, ".", tenths % 10);
}

grpc::Status LoadClaim(Call& call, v1::Claim& out) {
  auto stub = v1::ClaimService::NewStub(call.app().channel());
  v1::GetClaimRequest get;
  get.set_name(absl::StrCat("claims/", call.Match(1)));
  return stub->GetClaim(call.Context().get(), get, &out);
}

bool Waiting(const v1::Claim& claim) {
  return claim.state() == v1::CLAIM_STATE_SUBMITTED ||
         claim.state() == v1::CLAIM_STATE_NEEDS_REVIEW;
}

// Line `i` of the form; on a POST with what was typed.
Data LineRow(Call& call, const v1::ClaimLine& line, int i) {
  Data row;
  row.set("index", absl::StrCat(i));
  row.set("what", client::CategoryLabel(line.category()));
  row.set("hint", IsMileage(line) ? "Miles, for example 12.5"
                                  : "Pounds and pence, for example 3.20");
  const std::string now = IsMileage(line)
                              ? MilesText(line.distance_tenths_of_mile())
                              : client::PenceToPounds(line.amount_pence());
  row.set("value", call.request().method == "POST"
                       ? call.Param(absl::StrCat("line-", i))
                       : now);
  return row;
}

// The form for `claim`, without its lines.
Data AmendForm(Call& call, const v1::Claim& claim) {
  Data page;
  page.set("claim_id", call.Match(1));
  if (!claim.session_date().empty()) page.set("date", claim.session_date());
  page.set("reason", call.Param("reason"));
  page.set("request_id", call.request().method == "POST"
                             ? call.Param("request_id")
                             : client::NewRequestId());
  return page;
}

void AmendPage(Call& call) {
  v1::Claim claim;
  grpc::Status s = LoadClaim(call, claim);
  if (!s.ok()) return call.Failed(s, "Change a claim");
  if (!Waiting(claim)) {
    Data page;
    page.set("problem_title", "This claim cannot be changed now");
    page.set("problem",
             absl::StrCat(client::ClaimStateSentence(claim.state()),
                          " Only a claim that is still waiting to be checked "
                          "can be changed."));
    return call.Page("Change a claim", tmpl::kMessage, page);
  }
  Data page = AmendForm(call, claim);
  Data lines = List();
  for (int i = 0; i < claim.lines_size(); ++i) {
    lines.push_back(LineRow(call, claim.lines(i), i));
  }
  page.set("lines", lines);
  call.Page("Change a claim", tmpl::kAmendClaim, page);
}

// The form as typed, for when the claim cannot be read (the service is
// down): what was typed is kept under the explanation.
Data TypedAmendment(Call& call) {
  Data page = AmendForm(call, v1::Claim());
  Data lines = List();
  for (int i = 0; call.request().has_param(absl::StrCat("line-", i)); ++i) {
    Data row;
    row.set("index", absl::StrCat(i));
    row.set("what", absl::StrCat("Line ", i + 1));
    row.set("value", call.Param(absl::StrCat("line-", i)));
    lines.push_back(row);
  }
  page.set("lines", lines);
  return page;
}

void SaveAmendment(Call& call) {
  v1::Claim claim;
  grpc::Status s = LoadClaim(call, claim);
  if (!s.ok()) {
    return call.Failed(s, "Change a claim", tmpl::kAmendClaim,
                       TypedAmendment(call));
  }
  Data page = AmendForm(call, claim);
  FormErrors errors(page);
  // The lines as they were, each with its new amount or miles; the rest
  // of the claim stays as it is.
  v1::Claim amended;
  amended.set_name(claim.name());
  amended.set_payment_method(claim.payment_method());
  *amended.mutable_lines() = claim.lines();
  Data lines = List();
  for (int i = 0; i < claim.lines_size(); ++i) {
    v1::ClaimLine* line = amended.mutable_lines(i);
    const std::string typed = call.Param(absl::StrCat("line-", i));
    Data row = LineRow(call, claim.lines(i), i);
    // Miles are read as pounds are: to two places, then to tenths.
    auto number = client::ParsePounds(typed);
    if (!number.ok() || (IsMileage(*line) && *number % 10 != 0)) {
      errors.Add(row, "line", absl::StrCat("line-", i),
                 absl::StrCat(client::CategoryLabel(line->category()),
                              IsMileage(*line)
                                  ? ": type the miles as a number, like 12.5."
                                  : ": type pounds and pence, like 3.20."));
    } else if (IsMileage(*line)) {
      line->set_distance_tenths_of_mile(*number / 10);
    } else {
      line->set_amount_pence(*number);
    }
    lines.push_back(row);
  }
  page.set("lines", lines);
  if (!errors.empty()) {
    return errors.Show(call, "Change a claim", tmpl::kAmendClaim,
                       "The claim is not changed yet.");
  }
  auto stub = v1::ClaimService::NewStub(call.app().channel());
  v1::AmendClaimRequest request;
  *request.mutable_claim() = amended;
  request.set_reason(call.Param("reason"));
  request.set_request_id(call.Param("request_id"));
  v1::Claim saved;
  s = stub->AmendClaim(call.Context().get(), request, &saved);
  if (!s.ok()) {
    if (!errors.AddRefusal(s, "reason", page, "reason", "reason")) {
      return call.Failed(s, "Change a claim", tmpl::kAmendClaim, page);
    }
    return errors.Show(call, "Change a claim", tmpl::kAmendClaim,
                       "The claim is not changed yet.");
  }
  call.Redirect(absl::StrCat("/claims/", call.Match(1)),
                absl::StrCat("The claim is changed. We checked it again. ",
                             client::ClaimStateSentence(saved.state())));
}

}  // namespace

void AddClaimAmendPages(WebApp& app) {
  using A = WebApp::Access;
  // The participant, or an officer for them: the service checks which.
  app.Get(R"(/claims/(\d+)/amend)", A::kSignedIn, AmendPage);
  app.Post(R"(/claims/(\d+)/amend)", A::kSignedIn, SaveAmendment);
}

}  // namespace reciprocity::web
