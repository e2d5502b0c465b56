// recip report spend|participants|timeliness [--csv FILE] [--svg FILE]
// Each report prints as a terminal table; --csv writes CSV (RFC 4180) and
// --svg (spend only) draws spend by month as a bar chart.
#include <algorithm>
#include <fstream>
#include <iostream>
#include <memory>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "client/call.h"
#include "client/commands.h"
#include "client/money.h"
#include "client/output.h"
#include "client/spend_chart.h"
#include "reciprocity/v1/finance.grpc.pb.h"

namespace reciprocity::client {
namespace {

struct ReportArgs {
  std::string area, date, csv, svg;
  int target_days = 0;
};

using Row = std::vector<std::string>;

std::string CsvCell(const std::string& v) {
  if (v.find_first_of(",\"\r\n") == std::string::npos) return v;
  std::string out = "\"";
  for (char c : v) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

// A table as CSV text, CRLF line ends.
std::string ToCsv(const Row& header, const std::vector<Row>& rows) {
  std::string out;
  auto add = [&](const Row& r) {
    std::vector<std::string> cells;
    for (const auto& c : r) cells.push_back(CsvCell(c));
    absl::StrAppend(&out, absl::StrJoin(cells, ","), "\r\n");
  };
  add(header);
  for (const auto& r : rows) add(r);
  return out;
}

// "12.50", "-3", "40%": right-aligned in tables. "2026-11" is not.
bool IsNumber(const std::string& cell) {
  const size_t start = !cell.empty() && cell[0] == '-' ? 1 : 0;
  return start < cell.size() &&
         cell.find_first_not_of("0123456789.%", start) == std::string::npos;
}

// A table with columns as wide as their widest cell; numbers right-aligned.
void PrintTable(std::ostream& out, const Row& header,
                const std::vector<Row>& rows) {
  std::vector<size_t> width(header.size());
  auto measure = [&](const Row& r) {
    for (size_t i = 0; i < r.size(); ++i)
      width[i] = std::max(width[i], r[i].size());
  };
  measure(header);
  for (const auto& r : rows) measure(r);
  auto print = [&](const Row& r) {
    for (size_t i = 0; i < r.size(); ++i) {
      const bool numeric = IsNumber(r[i]);
      out << (i ? "  " : "")
          << (numeric ? std::string(width[i] - r[i].size(), ' ') + r[i]
                      : r[i] + std::string(width[i] - r[i].size(), ' '));
    }
    out << "\n";
  };
  print(header);
  for (const auto& r : rows) print(r);
}

bool WriteFile(const std::string& path, const std::string& content) {
  if (path == "-") {
    std::cout << content;
    return true;
  }
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << content;
  if (!out) std::cerr << "recip: cannot write " << path << "\n";
  return static_cast<bool>(out);
}

// Prints the table, or writes the CSV when asked.
void Emit(Globals& g, const ReportArgs& a, const std::string& title,
          const Row& header, const std::vector<Row>& rows) {
  if (!a.csv.empty()) {
    if (!WriteFile(a.csv, ToCsv(header, rows))) g.exit_code = kExitFailure;
    return;
  }
  std::cout << title << "\n";
  PrintTable(std::cout, header, rows);
}

std::string AreaName(const std::string& area) {
  if (area.empty() || absl::StartsWith(area, "serviceAreas/")) return area;
  return absl::StrCat("serviceAreas/", area);
}

template <typename Request, typename Response>
bool Call(Globals& g, const Request& request, Response& response,
          grpc::Status (v1::FinanceService::Stub::*method)(grpc::ClientContext*,
                                                           const Request&,
                                                           Response*)) {
  Calls<v1::FinanceService> calls(g);
  if (!calls.Make<Response>(
          [&](v1::FinanceService::Stub& stub, grpc::ClientContext& c,
              Response* out) { return (stub.*method)(&c, request, out); },
          &response)) {
    return false;
  }
  if (g.json) std::cout << ToJson(response) << "\n";
  return !g.json;
}

void Spend(Globals& g, const ReportArgs& a) {
  v1::GetSpendReportRequest request;
  request.set_date(a.date);
  request.set_service_area(AreaName(a.area));
  v1::SpendReport r;
  if (!Call(g, request, r, &v1::FinanceService::Stub::GetSpendReport)) return;
  if (!a.svg.empty() && !WriteFile(a.svg, SpendChartSvg(r)))
    g.exit_code = kExitFailure;
  std::vector<Row> rows;
  for (const auto& p : r.projects()) {
    const std::string used =
        p.budget_pence() > 0
            ? absl::StrFormat("%d%%",
                              p.committed_pence() * 100 / p.budget_pence())
            : "no budget";
    rows.push_back({"project", p.project(), p.cost_centre(),
                    PenceToPounds(p.committed_pence()),
                    PenceToPounds(p.paid_pence()),
                    PenceToPounds(p.budget_pence()), used});
  }
  auto add = [&](const char* kind,
                 const google::protobuf::RepeatedPtrField<v1::SpendRow>& in) {
    for (const auto& s : in) {
      rows.push_back(
          {kind, s.key(), "", PenceToPounds(s.amount_pence()), "", "", ""});
    }
  };
  add("service_area", r.by_service_area());
  add("cost_centre", r.by_cost_centre());
  add("category", r.by_category());
  add("month", r.by_month());
  rows.push_back({"total", "", "", PenceToPounds(r.total_committed_pence()), "",
                  PenceToPounds(r.total_budget_pence()), ""});
  Emit(g, a,
       absl::StrCat("Spend, financial year ", r.financial_year_start(), " to ",
                    r.financial_year_end(), " (approved, batched or paid)"),
       {"breakdown", "key", "cost_centre", "spent", "paid", "budget",
        "budget_used"},
       rows);
}

void Participants(Globals& g, const ReportArgs& a) {
  v1::GetParticipantTotalsReportRequest request;
  request.set_date(a.date);
  request.set_service_area(AreaName(a.area));
  v1::ParticipantTotalsReport r;
  if (!Call(g, request, r,
            &v1::FinanceService::Stub::GetParticipantTotalsReport)) {
    return;
  }
  std::vector<Row> rows;
  for (const auto& p : r.participants()) {
    rows.push_back({p.participant(), absl::StrCat(p.claim_count()),
                    PenceToPounds(p.committed_pence()),
                    PenceToPounds(p.paid_pence()),
                    PenceToPounds(p.voucher_pence()),
                    absl::StrCat(p.attendance_voucher_count()),
                    PenceToPounds(p.attendance_voucher_pence()),
                    PenceToPounds(p.third_party_committed_pence()),
                    PenceToPounds(p.third_party_paid_pence())});
  }
  Emit(g, a,
       absl::StrCat("Participants' totals, tax year ", r.tax_year_start(),
                    " to ", r.tax_year_end(),
                    ". Expenses are disregarded for benefits; vouchers for "
                    "attending may count as earnings. Money paid straight to "
                    "a childminder or other provider is not the "
                    "participant's: it is shown apart."),
       {"participant", "claims", "approved", "paid", "vouchers",
        "attended_vouchers", "attended_voucher_value", "approved_to_others",
        "paid_to_others"},
       rows);
}

void Timeliness(Globals& g, const ReportArgs& a) {
  v1::GetTimelinessReportRequest request;
  request.set_target_days(a.target_days);
  request.set_service_area(AreaName(a.area));
  v1::TimelinessReport r;
  if (!Call(g, request, r, &v1::FinanceService::Stub::GetTimelinessReport)) {
    return;
  }
  Emit(g, a,
       absl::StrCat("Time from submission to payment (target ", r.target_days(),
                    " days)"),
       {"paid_claims", "within_target", "median_days", "max_days",
        "waiting_claims", "waiting_past_target"},
       {{absl::StrCat(r.paid_claim_count()),
         absl::StrCat(r.within_target_count()), absl::StrCat(r.median_days()),
         absl::StrCat(r.max_days()), absl::StrCat(r.waiting_claim_count()),
         absl::StrCat(r.waiting_past_target_count())}});
}

}  // namespace

void AddReportCommands(CLI::App& app, Globals& g) {
  auto a = std::make_shared<ReportArgs>();
  CLI::App* report = app.add_subcommand(
      "report", "spend, participants' totals and payment times");
  report->require_subcommand(1);

  CLI::App* spend = report->add_subcommand(
      "spend",
      "spend against budget by area, project, cost centre, "
      "category and month");
  spend->add_option("--date", a->date,
                    "any day in the financial year (default today)");
  spend->add_option("--svg", a->svg, "also draw spend by month to this file");
  CLI::App* participants = report->add_subcommand(
      "participants", "each participant's totals for the tax year");
  participants->add_option("--date", a->date,
                           "any day in the tax year (default today)");
  CLI::App* timeliness = report->add_subcommand(
      "timeliness", "days from submission to payment against a target");
  timeliness->add_option("--target", a->target_days,
                         "target in days (default 14)");
  for (CLI::App* cmd : {spend, participants, timeliness}) {
    cmd->add_option("--area", a->area, "only this service area");
    cmd->add_option("--csv", a->csv, "write CSV to this file ('-': stdout)");
  }
  spend->callback([&g, a] { Spend(g, *a); });
  participants->callback([&g, a] { Participants(g, *a); });
  timeliness->callback([&g, a] { Timeliness(g, *a); });
}

}  // namespace reciprocity::client
