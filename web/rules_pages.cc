// The rules of each service area, and "try a change to the rules": the
// area's claims judged again under a draft rule file (pasted, or chosen as
// a file in a multipart form that needs no JavaScript), saving nothing.
// Officers of the area, finance and administrators (PolicyService checks
// the area). A draft with a mistake is shown again with its
// file:line:column next to the box.
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "base/clock.h"
#include "client/money.h"
#include "client/output.h"
#include "google/protobuf/descriptor.h"
#include "reciprocity/v1/policy_service.grpc.pb.h"
#include "web/form_problems.h"
#include "web/participant_pages.h"
#include "web/staff_pages.h"

namespace reciprocity::web {
namespace {

constexpr char kTitle[] = "Try a change to the rules";

void RulesPage(Call& call) {
  Data rows = List();
  grpc::Status s = AreaRows(call, &rows);
  if (!s.ok()) return call.Failed(s, "Rules");
  Data page;
  page.set("areas", rows);
  call.Page("Rules", tmpl::kRules, page);
}

// 1 April of the financial year holding today.
std::string YearStart() {
  const absl::CivilDay today = SystemClock().TodayInLondon();
  return absl::FormatCivilTime(absl::CivilDay(
      today.month() >= 4 ? today.year() : today.year() - 1, 4, 1));
}

// An uploaded file's name as the service takes it (letters, digits, '.',
// '-' and '_'; at most 128): positions in the draft then name the file
// the person chose.
std::string PlainFileName(const std::string& name) {
  std::string plain;
  for (char c : name.substr(name.find_last_of("/\\") + 1)) {
    const bool ok = absl::ascii_isalnum(static_cast<unsigned char>(c)) ||
                    c == '.' || c == '-' || c == '_';
    plain += ok ? c : '-';
  }
  return plain.substr(0, 128);
}

// "+£0.60", "-£1.20", "£0.00".
std::string Change(int64_t pence) {
  if (pence == 0) return Money(0);
  return pence > 0 ? absl::StrCat("+", Money(pence))
                   : absl::StrCat("-£", client::PenceToPounds(pence).substr(1));
}

// A budget's optional amount: "£6500.00", or "None set".
std::string Budget(bool has, int64_t pence) {
  return has ? Money(pence) : "None set";
}

// Numbers a newer service may add to a project's budget effect (vouchers,
// say): every number field of WhatIfBudget not shown by name, as a column
// named after the field ("voucher_pence" -> "Voucher"), money when its
// name ends in _pence.
bool IsShownByName(const std::string& field) {
  for (const char* known :
       {"project", "financial_year_start", "budget_pence", "draft_budget_pence",
        "committed_pence", "draft_committed_pence", "claims_changed"}) {
    if (field == known) return true;
  }
  return false;
}

std::vector<const google::protobuf::FieldDescriptor*> MoreBudgetFields() {
  std::vector<const google::protobuf::FieldDescriptor*> more;
  const google::protobuf::Descriptor* d = v1::WhatIfBudget::descriptor();
  for (int i = 0; i < d->field_count(); ++i) {
    const google::protobuf::FieldDescriptor* f = d->field(i);
    const auto type = f->cpp_type();
    if (IsShownByName(f->name()) || f->is_repeated() ||
        (type != google::protobuf::FieldDescriptor::CPPTYPE_INT64 &&
         type != google::protobuf::FieldDescriptor::CPPTYPE_INT32)) {
      continue;
    }
    more.push_back(f);
  }
  return more;
}

std::string FieldLabel(const google::protobuf::FieldDescriptor* f) {
  std::string label = f->name();
  if (absl::EndsWith(label, "_pence")) label.resize(label.size() - 6);
  for (char& c : label) {
    if (c == '_') c = ' ';
  }
  label[0] = absl::ascii_toupper(label[0]);
  return label;
}

Data BudgetRows(const v1::WhatIfReport& report,
                const client::ProjectNames& names, Data& page) {
  const auto more = MoreBudgetFields();
  Data headers = List();
  for (const auto* f : more) headers.push_back(Data(FieldLabel(f)));
  page.set("more_headers", headers);
  Data rows = List();
  for (const v1::WhatIfBudget& b : report.budgets()) {
    Data row;
    row.set("project", client::ProjectLabel(names, b.project()));
    row.set("year", b.financial_year_start());
    row.set("budget", Budget(b.has_budget_pence(), b.budget_pence()));
    row.set("draft_budget",
            Budget(b.has_draft_budget_pence(), b.draft_budget_pence()));
    row.set("committed", Money(b.committed_pence()));
    row.set("draft_committed", Money(b.draft_committed_pence()));
    row.set("changed", absl::StrCat(b.claims_changed()));
    Data cells = List();
    const auto* reflection = b.GetReflection();
    for (const auto* f : more) {
      Data cell;
      cell.set("label", FieldLabel(f));
      const int64_t value =
          f->cpp_type() == google::protobuf::FieldDescriptor::CPPTYPE_INT64
              ? reflection->GetInt64(b, f)
              : reflection->GetInt32(b, f);
      const bool set = !f->has_presence() || reflection->HasField(b, f);
      cell.set("value", !set ? std::string("-")
                        : absl::EndsWith(f->name(), "_pence")
                            ? Money(value)
                            : absl::StrCat(value));
      cells.push_back(cell);
    }
    row.set("more", cells);
    rows.push_back(row);
  }
  return rows;
}

// "£6.60, Paid in full. We pay 55p a mile ..."
std::string LineWords(int64_t pence, v1::LineOutcome outcome,
                      const std::string& reason) {
  return absl::StrCat(Money(pence), ", ", client::OutcomeLabel(outcome), ". ",
                      reason);
}

Data ClaimRows(const v1::WhatIfReport& report,
               const client::ProjectNames& names) {
  Data claims = List();
  for (const v1::WhatIfClaimChange& c : report.changed_claims()) {
    Data card;
    card.set("id", IdOf(c.claim()));
    card.set("project", client::ProjectLabel(names, c.project()));
    card.set("date", c.session_date());
    card.set("stored", client::StateLabel(c.stored_state()));
    card.set("now", Money(c.allowed_pence()));
    card.set("state", client::StateLabel(c.state()));
    card.set("draft", Money(c.draft_allowed_pence()));
    card.set("draft_state", client::StateLabel(c.draft_state()));
    card.set("budget_change", Change(c.committed_change_pence()));
    Data lines = List();
    for (const v1::WhatIfLineChange& l : c.lines()) {
      Data line;
      line.set("number", absl::StrCat(l.line_index() + 1));
      line.set("what", client::CategoryLabel(l.category()));
      line.set("now", LineWords(l.allowed_pence(), l.outcome(), l.reason()));
      line.set("draft", LineWords(l.draft_allowed_pence(), l.draft_outcome(),
                                  l.draft_reason()));
      lines.push_back(line);
    }
    card.set("lines", lines);
    claims.push_back(card);
  }
  return claims;
}

// The report under the form.
void AddReport(Call& call, const v1::WhatIfReport& r, Data& page) {
  std::vector<std::string> projects;
  for (const auto& b : r.budgets()) projects.push_back(b.project());
  for (const auto& c : r.changed_claims()) projects.push_back(c.project());
  const client::ProjectNames names = ProjectNamesFor(call, projects);
  Data report;
  report.set("from", r.date_from());
  report.set("to", r.date_to());
  report.set("version", r.policy_version());
  report.set("draft_version", r.draft_version());
  report.set("same_rules", r.policy_version() == r.draft_version());
  report.set("replayed", absl::StrCat(r.claims_replayed()));
  report.set("changed", absl::StrCat(r.claims_changed()));
  report.set("lines",
             absl::StrCat(r.lines_changed(),
                          r.lines_changed() == 1 ? " line" : " lines"));
  report.set("allowed", Money(r.allowed_pence()));
  report.set("draft_allowed", Money(r.draft_allowed_pence()));
  report.set("difference", Change(r.draft_allowed_pence() - r.allowed_pence()));
  report.set("committed_change", Change(r.committed_change_pence()));
  report.set("budgets", BudgetRows(r, names, page));
  report.set("claims", ClaimRows(r, names));
  report.set("has_changes", r.changed_claims_size() > 0);
  if (r.changed_claims_not_listed() > 0) {
    report.set("not_listed", absl::StrCat(r.changed_claims_not_listed()));
  }
  page.set("report", report);
}

void WhatIfForm(Call& call, Data page,
                const grpc::Status& refused = grpc::Status::OK,
                int http_status = 200) {
  Data rows = List();
  grpc::Status s = AreaRows(call, &rows);
  if (!s.ok()) return call.Failed(s, kTitle);
  page.set("areas", rows);
  const bool posted = call.request().method == "POST";
  page.set("date_from", posted ? call.Param("date_from") : YearStart());
  page.set("date_to", posted ? call.Param("date_to") : TodayText());
  ShowForm(call, kTitle, tmpl::kWhatIf, page, refused, http_status);
}

void TryDraft(Call& call) {
  Data page;
  // A chosen file wins over the box; the box then shows the file, so
  // that what was sent is kept and its line numbers match.
  std::string text = call.Upload("rules_file");
  std::string file_name;
  if (!text.empty()) {
    file_name =
        PlainFileName(call.request().get_file_value("rules_file").filename);
    page.set("from_file", true);
  } else {
    text = call.Upload("rules");
  }
  page.set("rules", text);
  FormProblems problems;
  if (absl::StripAsciiWhitespace(text).empty()) {
    problems.Add("rules",
                 "Paste the draft rules in the box, or choose the "
                 "file.");
  }
  problems.CheckDay("date_from", call.Param("date_from"),
                    "Type the first day, like 2026-04-01.");
  problems.CheckDay("date_to", call.Param("date_to"),
                    "Type the last day, like 2026-12-31.");
  if (!problems.empty()) {
    problems.Into(page, "We did not try the draft yet.");
    return WhatIfForm(call, page, grpc::Status::OK, 422);
  }
  auto stub = v1::PolicyService::NewStub(call.app().channel());
  v1::WhatIfPolicyRequest request;
  request.set_service_area(absl::StrCat("serviceAreas/", call.Param("area")));
  request.set_rule_file_text(text);
  request.set_rule_file_name(file_name);
  request.set_date_from(call.Param("date_from"));
  request.set_date_to(call.Param("date_to"));
  request.set_page_size(100);
  v1::WhatIfReport report;
  grpc::Status s = stub->WhatIfPolicy(call.Context().get(), request, &report);
  if (s.ok()) {
    AddReport(call, report, page);
    return WhatIfForm(call, page);
  }
  if (problems.AddRefusal(s, {{"rule_file_text", "rules"}},
                          "There is a mistake in the draft at ")) {
    QuoteMistakenLine(page, "rules", text, s.error_message());
  } else if (!problems.AddRefusal(s, {{"rule_file_name", "rules_file"},
                                      {"date_from", "date_from"},
                                      {"date_to", "date_to"},
                                      {"service_area", "area"}})) {
    return WhatIfForm(call, page, s);
  }
  problems.Into(page, "We could not try the draft.");
  WhatIfForm(call, page, grpc::Status::OK, 422);
}

}  // namespace

void AddRulePages(WebApp& app) {
  using A = WebApp::Access;
  app.Get("/rules", A::kStaff, RulesPage);
  app.Get("/rules/whatif", A::kStaff,
          [](Call& call) { WhatIfForm(call, Data()); });
  app.Post("/rules/whatif", A::kStaff, TryDraft);
}

}  // namespace reciprocity::web
