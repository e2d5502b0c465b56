// Act for this person: an officer asks for a refused line of their claim
// to be looked at again, or changes how they are paid, on their behalf.
// The page says who acts for whom; the service records the officer as the
// one who acted on the person's claim or record, and the result names both.
// Help someone (/help): the same two things for a helper signed in as
// themself (an appointee on the person's record), who cannot read the
// person's claims and so types the claim and line from their letter; the
// service decides whether they may.
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "base/clock.h"
#include "client/connection.h"
#include "client/output.h"
#include "policy/claim_summary.h"
#include "reciprocity/v1/claims.grpc.pb.h"
#include "reciprocity/v1/programme.grpc.pb.h"
#include "web/form_problems.h"
#include "web/participant_pages.h"
#include "web/payment_choice.h"
#include "web/people_pages.h"
#include "web/staff_pages.h"

namespace reciprocity::web {
namespace {

// Whether the service would take an appeal of this line now.
bool MayAskAgain(const v1::Claim& claim, const v1::LineDecision& d) {
  return (claim.state() == v1::CLAIM_STATE_APPROVED ||
          claim.state() == v1::CLAIM_STATE_REJECTED) &&
         d.outcome() == v1::LINE_OUTCOME_REFUSED &&
         d.rule() != policy::kDeclinedRule && d.appeal_comment().empty();
}

std::string CommentField(const std::string& claim_id, int line) {
  return absl::StrCat("comment-", claim_id, "-", line);
}

// "demo-officer asked for line 1 to be looked at again, for p-0001".
std::string EventWords(const v1::ClaimEvent& e) {
  return absl::StrCat(
      absl::FormatTime("%e %B %Y", absl::FromUnixSeconds(e.time().seconds()),
                       LondonTimeZone()),
      ": ", e.actor(), " ", e.action(),
      e.on_behalf_of().empty() ? "" : ", for ", IdOf(e.on_behalf_of()));
}

// The form's question how they want to be paid ({{>pay_fieldset}}), with
// `method` checked.
void SetPaymentChoices(Data& page, v1::PaymentMethod method) {
  Data choices = List();
  for (const PaymentChoice& choice : PaymentChoices()) {
    Data row;
    row.set("value", choice.value);
    row.set("label", choice.their_label);
    row.set("checked", choice.method == method);
    choices.push_back(row);
  }
  page.set("choices", choices);
  page.set("pay_fieldset", Data(kainjow::mustache::partial([] {
             return std::string(tmpl::kPayFieldset);
           })));
}

// Asks, as the visitor, for line `line` (from 0) of claims/`claim_id` to be
// looked at again with the form's comment.
grpc::Status AskAgain(Call& call, const std::string& claim_id, int line,
                      v1::Claim* claim) {
  auto stub = v1::ClaimService::NewStub(call.app().channel());
  v1::AppealClaimLineRequest request;
  request.set_name(absl::StrCat("claims/", claim_id));
  request.set_line_index(line);
  request.set_comment(call.Param("comment"));
  request.set_request_id(call.Param("request_id"));
  return stub->AppealClaimLine(call.Context().get(), request, claim);
}

// "You (carer-0007) asked for line 1 of claim 3 to be looked at again, for
// p-0001": whose claim it is, as the service says.
std::string AskedAgainWords(Call& call, const v1::Claim& claim, int line) {
  return absl::StrCat("You (", IdOf(call.visitor().principal),
                      ") asked for line ", line + 1, " of claim ",
                      IdOf(claim.name()), " to be looked at again, for ",
                      IdOf(claim.participant()), ".");
}

// "You (carer-0007) changed how Sam (p-0001) is paid to: Supermarket
// voucher. This is for claims sent from now on."
std::string PayChangedWords(const v1::Participant& updated,
                            const PaymentChoice& chosen) {
  return absl::StrCat("You (", updated.updated_by(), ") changed how ",
                      PersonLabel(updated), " is paid to: ", chosen.their_label,
                      ". This is for claims sent from now on.");
}

// The claims' refused lines with a form each, and what was done for the
// person; `page` holds what was typed and any problem.
Data ClaimCards(const v1::ListClaimsResponse& claims,
                const client::ProjectNames& names, const Data& page) {
  Data cards = List();
  for (const v1::Claim& c : claims.claims()) {
    const std::string id = IdOf(c.name());
    Data lines = List();
    for (int i = 0; i < c.decision().lines_size() && i < c.lines_size(); ++i) {
      const v1::LineDecision& d = c.decision().lines(i);
      if (!MayAskAgain(c, d)) continue;
      const std::string field = CommentField(id, i);
      Data row;
      row.set("claim_id", id);
      row.set("index", absl::StrCat(i));
      row.set("number", absl::StrCat(i + 1));
      row.set("field", field);
      row.set("what", client::CategoryLabel(c.lines(i).category()));
      row.set("claimed", Money(c.lines(i).amount_pence()));
      row.set("reason", d.reason());
      row.set("request_id", client::NewRequestId());
      if (const Data* typed = page.get(field)) row.set("comment", *typed);
      if (const Data* error = page.get(field + "_error")) {
        row.set("comment_error", *error);
      }
      lines.push_back(row);
    }
    Data done = List();
    for (const v1::ClaimEvent& e : c.history()) {
      if (absl::StartsWith(e.action(), "asked for line")) {
        done.push_back(Data(EventWords(e)));
      }
    }
    if (lines.is_empty_list() && done.is_empty_list()) continue;
    Data card;
    card.set("id", id);
    card.set("date", c.session_date());
    card.set("project", client::ProjectLabel(names, c.project()));
    card.set("lines", lines);
    card.set("has_lines", !lines.is_empty_list());
    card.set("done", done);
    card.set("has_done", !done.is_empty_list());
    cards.push_back(card);
  }
  return cards;
}

void ShowActFor(Call& call, Data page,
                const grpc::Status& refused = grpc::Status::OK,
                int http_status = 200) {
  v1::Participant person;
  grpc::Status s = GetPerson(call, &person);
  v1::ListClaimsResponse claims;
  if (s.ok()) {
    auto stub = v1::ClaimService::NewStub(call.app().channel());
    v1::ListClaimsRequest request;
    request.set_participant(person.name());
    request.set_page_size(100);
    request.set_order_by("submit_time desc");
    s = stub->ListClaims(call.Context().get(), request, &claims);
  }
  if (!s.ok()) return call.Failed(s, "Act for someone");
  std::vector<std::string> projects;
  for (const v1::Claim& c : claims.claims()) projects.push_back(c.project());
  const Data cards = ClaimCards(claims, ProjectNamesFor(call, projects), page);
  page.set("cards", cards);
  page.set("has_cards", !cards.is_empty_list());
  // In the words of the choices below.
  const PaymentChoice* paid = PaymentChoiceFor(person.payment_preference());
  page.set("paid", paid == nullptr
                       ? client::PaymentLabel(person.payment_preference())
                       : paid->their_label);
  SetPaymentChoices(page, person.payment_preference());
  SetIfAny(page, "updated_by", person.updated_by());
  SetIfAny(page, "for_whom", IdOf(person.updated_on_behalf_of()));
  page.set("me", IdOf(call.visitor().principal));
  page.set("person", IdOf(person.name()));
  page.set("name", PersonLabel(person));
  page.set("request_id", client::NewRequestId());
  ShowForm(call, absl::StrCat("Act for ", PersonLabel(person)), tmpl::kActFor,
           page, refused, http_status);
}

void Appeal(Call& call) {
  const std::string claim_id = call.Param("claim");
  int line = 0;
  (void)absl::SimpleAtoi(call.Param("line"), &line);
  const std::string field = CommentField(claim_id, line);
  Data page;
  page.set(field, call.Param("comment"));
  FormProblems problems;
  if (call.Param("comment").empty()) {
    problems.Add(field, "Say why we should look at it again.");
  }
  v1::Claim claim;
  grpc::Status s;
  if (problems.empty()) {
    s = AskAgain(call, claim_id, line, &claim);
    if (s.ok()) {
      return call.Redirect(
          absl::StrCat("/officer/people/", call.Match(1), "/act"),
          absl::StrCat(AskedAgainWords(call, claim, line),
                       " Another officer will decide."));
    }
    problems.AddRefusal(s, {{"comment", field.c_str()}});
  }
  if (!problems.empty()) {
    problems.Into(page, "Nothing was sent yet.");
    return ShowActFor(call, page, grpc::Status::OK, 422);
  }
  ShowActFor(call, page, s);
}

void ChangePay(Call& call) {
  const PaymentChoice* chosen = ChosenPayment(call);
  if (chosen == nullptr) {
    Data page;
    FormProblems problems;
    problems.Add("pay-bank", "Choose how they want to be paid.");
    problems.Into(page, "Nothing was changed.");
    page.set("pay_error", "Choose how they want to be paid.");
    return ShowActFor(call, page, grpc::Status::OK, 422);
  }
  v1::Participant updated;
  grpc::Status s =
      SetPaymentPreference(call, absl::StrCat("participants/", call.Match(1)),
                           chosen->method, &updated);
  if (!s.ok()) return ShowActFor(call, Data(), s);
  call.Redirect(absl::StrCat("/officer/people/", call.Match(1), "/act"),
                PayChangedWords(updated, *chosen));
}

// Help someone: the two forms, with what was typed and any problems.
void ShowHelp(Call& call, Data page,
              const grpc::Status& refused = grpc::Status::OK,
              int http_status = 200) {
  const PaymentChoice* chosen = ChosenPayment(call);
  SetPaymentChoices(page, chosen == nullptr ? v1::PAYMENT_METHOD_UNSPECIFIED
                                            : chosen->method);
  page.set("request_id", client::NewRequestId());
  ShowForm(call, "Help someone", tmpl::kHelpSomeone, page, refused,
           http_status);
}

void HelpAppeal(Call& call) {
  Data page;
  for (const char* field : {"claim", "line", "comment"}) {
    page.set(field, call.Param(field));
  }
  FormProblems problems;
  int claim_number = 0, line = 0;
  if (!absl::SimpleAtoi(call.Param("claim"), &claim_number) ||
      claim_number < 1) {
    problems.Add("claim", "Type the claim number, like 12.");
  }
  if (!absl::SimpleAtoi(call.Param("line"), &line) || line < 1) {
    problems.Add("line", "Type the line, like 1.");
  }
  if (call.Param("comment").empty()) {
    problems.Add("comment", "Say why we should look at it again.");
  }
  grpc::Status s;
  if (problems.empty()) {
    v1::Claim claim;
    s = AskAgain(call, absl::StrCat(claim_number), line - 1, &claim);
    if (s.ok()) {
      return call.Redirect("/help",
                           absl::StrCat(AskedAgainWords(call, claim, line - 1),
                                        " An officer will decide."));
    }
    problems.AddRefusal(s, {{"comment", "comment"}, {"line_index", "line"}});
  }
  if (!problems.empty()) {
    problems.Into(page, "Nothing was sent yet.");
    return ShowHelp(call, page, grpc::Status::OK, 422);
  }
  ShowHelp(call, page, s);
}

void HelpPay(Call& call) {
  Data page;
  // "p-0001", or as the service writes it, "participants/p-0001".
  const std::string person =
      IdOf(std::string(absl::StripAsciiWhitespace(call.Param("person"))));
  page.set("person", person);
  FormProblems problems;
  if (person.empty()) problems.Add("person", "Type their number, like p-0001.");
  const PaymentChoice* chosen = ChosenPayment(call);
  if (chosen == nullptr) {
    problems.Add("pay-bank", "Choose how they want to be paid.");
    page.set("pay_error", "Choose how they want to be paid.");
  }
  grpc::Status s;
  if (problems.empty()) {
    v1::Participant updated;
    s = SetPaymentPreference(call, absl::StrCat("participants/", person),
                             chosen->method, &updated);
    if (s.ok()) {
      return call.Redirect("/help", PayChangedWords(updated, *chosen));
    }
    problems.AddRefusal(s, {{"participant.name", "person"}});
  }
  if (!problems.empty()) {
    problems.Into(page, "Nothing was changed.");
    return ShowHelp(call, page, grpc::Status::OK, 422);
  }
  ShowHelp(call, page, s);
}

}  // namespace

void AddActForPages(WebApp& app) {
  using A = WebApp::Access;
  const std::string person = kPersonPath;
  app.Get(person + "/act", A::kOfficer,
          [](Call& call) { ShowActFor(call, Data()); });
  app.Post(person + "/act/appeal", A::kOfficer, Appeal);
  app.Post(person + "/act/payment", A::kOfficer, ChangePay);
  // Anyone signed in may ask: the service says whether they are a helper.
  app.Get("/help", A::kSignedIn, [](Call& call) { ShowHelp(call, Data()); });
  app.Post("/help/appeal", A::kSignedIn, HelpAppeal);
  app.Post("/help/payment", A::kSignedIn, HelpPay);
}

}  // namespace reciprocity::web
