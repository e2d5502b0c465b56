// A participant's own record: my statement (the same words as `recip
// statement`, laid out as headings and tables, fit to print) and how I am
// paid (the one field of their record a participant may change).
#include "client/connection.h"
#include "client/statement.h"
#include "reciprocity/v1/claims.grpc.pb.h"
#include "reciprocity/v1/programme.grpc.pb.h"
#include "web/participant_pages.h"
#include "web/payment_choice.h"

namespace reciprocity::web {
namespace {

grpc::Status GetMe(Call& call, v1::Participant* me) {
  auto stub = v1::ProgrammeService::NewStub(call.app().channel());
  v1::GetParticipantRequest request;
  request.set_name(call.visitor().participant);
  return stub->GetParticipant(call.Context().get(), request, me);
}

void PaymentPage(Call& call, v1::PaymentMethod current, Data page,
                 int http_status = 200) {
  const PaymentChoice* now = PaymentChoiceFor(current);
  page.set("current", now == nullptr ? "Not chosen yet" : now->label);
  Data choices = List();
  for (const PaymentChoice& choice : PaymentChoices()) {
    Data row;
    row.set("value", choice.value);
    row.set("label", choice.label);
    row.set("hint", choice.hint);
    row.set("checked", choice.method == current);
    choices.push_back(row);
  }
  page.set("choices", choices);
  page.set("request_id", client::NewRequestId());
  call.Page("How you are paid", tmpl::kPaymentPreference, page, http_status);
}

void ShowPayment(Call& call) {
  v1::Participant me;
  grpc::Status s = GetMe(call, &me);
  if (!s.ok()) return call.Failed(s, "How you are paid");
  PaymentPage(call, me.payment_preference(), Data());
}

void ChangePayment(Call& call) {
  const PaymentChoice* chosen = ChosenPayment(call);
  if (chosen == nullptr) {
    v1::Participant me;
    grpc::Status s = GetMe(call, &me);
    if (!s.ok()) return call.Failed(s, "How you are paid");
    Data page;
    page.set("problem_title", "There is a problem");
    page.set("problem", "Please choose one.");
    page.set("pay_error", "Choose how you want to be paid");
    Data errors = List();
    Data e;
    e.set("field", "pay-bank");
    e.set("message", "Choose how you want to be paid");
    errors.push_back(e);
    page.set("errors", errors);
    return PaymentPage(call, me.payment_preference(), page, 422);
  }
  v1::Participant updated;
  grpc::Status s = SetPaymentPreference(call, call.visitor().participant,
                                        chosen->method, &updated);
  if (!s.ok()) return call.Failed(s, "How you are paid");
  call.Redirect("/payment", "We saved your choice.");
}

// The statement's sentences as the template's data.
Data StatementData(const client::Statement& statement) {
  Data page;
  page.set("heading", client::kStatementTitle);
  page.set("for_whom", statement.for_whom);
  Data claims = List();
  for (const client::StatementClaim& claim : statement.claims) {
    Data c;
    c.set("id", claim.id);
    c.set("heading", claim.heading);
    Data lines = List();
    for (const client::StatementLine& line : claim.lines) {
      Data l;
      l.set("what", line.what);
      l.set("claimed", line.claimed);
      l.set("allowed", line.allowed.empty() ? line.status : line.allowed);
      l.set("allowed_is_money", !line.allowed.empty());
      l.set("reason", line.reason);
      lines.push_back(l);
    }
    c.set("lines", lines);
    c.set("state_sentence", claim.state_sentence);
    c.set("money_sentence", claim.money_sentence);
    claims.push_back(c);
  }
  page.set("claims", claims);
  Data vouchers = List();
  for (const std::string& v : statement.vouchers) vouchers.push_back(v);
  page.set("vouchers", vouchers);
  page.set("has_vouchers", !statement.vouchers.empty());
  page.set("voucher_total", statement.voucher_total);
  Data totals = List();
  for (const std::string& t : statement.totals) totals.push_back(t);
  page.set("totals", totals);
  page.set("has_totals", !statement.totals.empty());
  return page;
}

void ShowStatement(Call& call) {
  auto programme = v1::ProgrammeService::NewStub(call.app().channel());
  auto claims_stub = v1::ClaimService::NewStub(call.app().channel());
  v1::Participant participant;
  grpc::Status s = GetMe(call, &participant);
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
  std::vector<std::string> projects;
  for (const auto& c : claims.claims()) projects.push_back(c.project());
  for (const auto& v : vouchers.voucher_entitlements()) {
    projects.push_back(v.project());
  }
  const client::Statement statement = client::BuildStatement(
      participant, {claims.claims().begin(), claims.claims().end()},
      {vouchers.voucher_entitlements().begin(),
       vouchers.voucher_entitlements().end()},
      ProjectNamesFor(call, projects));
  call.Page("My statement", tmpl::kStatement, StatementData(statement));
}

}  // namespace

void AddMyRecordPages(WebApp& app) {
  using A = WebApp::Access;
  app.Get("/statement", A::kParticipant, ShowStatement);
  app.Get("/payment", A::kParticipant, ShowPayment);
  app.Post("/payment", A::kParticipant, ChangePayment);
}

}  // namespace reciprocity::web
