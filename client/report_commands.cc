// recip report spend|participants|timeliness [--csv FILE] [--svg FILE]
// Each report prints as a terminal table; --csv writes CSV (RFC 4180) and
// --svg (spend only) draws spend by month as a bar chart. recip report
// vouchers is in voucher_report_command.cc.
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
#include "client/report_table.h"
#include "client/spend_chart.h"
#include "reciprocity/v1/finance.grpc.pb.h"

namespace reciprocity::client {
namespace {

struct ReportArgs {
  std::string area, date, csv, svg;
  int target_days = 0;
  int at_risk_days = 0;
};

void Spend(Globals& g, const ReportArgs& a) {
  v1::GetSpendReportRequest request;
  request.set_date(a.date);
  request.set_service_area(AreaName(a.area));
  v1::SpendReport r;
  if (!CallFinance(g, request, r, &v1::FinanceService::Stub::GetSpendReport))
    return;
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
                    PenceToPounds(p.budget_pence()), used,
                    PenceToPounds(p.voucher_pence())});
  }
  auto add = [&](const char* kind,
                 const google::protobuf::RepeatedPtrField<v1::SpendRow>& in) {
    for (const auto& s : in) {
      rows.push_back(
          {kind, s.key(), "", PenceToPounds(s.amount_pence()), "", "", "", ""});
    }
  };
  add("service_area", r.by_service_area());
  add("cost_centre", r.by_cost_centre());
  add("category", r.by_category());
  const size_t first_month = rows.size();
  add("month", r.by_month());
  // The vouchers' part of each month, beside it.
  for (int i = 0;
       i < r.vouchers_by_month_size() && first_month + i < rows.size(); ++i) {
    rows[first_month + i].back() =
        PenceToPounds(r.vouchers_by_month(i).amount_pence());
  }
  rows.push_back({"total", "", "", PenceToPounds(r.total_committed_pence()), "",
                  PenceToPounds(r.total_budget_pence()), "",
                  PenceToPounds(r.total_voucher_pence())});
  Emit(g, a.csv,
       absl::StrCat("Spend, financial year ", r.financial_year_start(), " to ",
                    r.financial_year_end(),
                    " (claims approved, batched or paid, and vouchers earned "
                    "by attending; \"vouchers\" is their part)"),
       {"breakdown", "key", "cost_centre", "spent", "paid", "budget",
        "budget_used", "vouchers"},
       rows);
}

void Participants(Globals& g, const ReportArgs& a) {
  v1::GetParticipantTotalsReportRequest request;
  request.set_date(a.date);
  request.set_service_area(AreaName(a.area));
  v1::ParticipantTotalsReport r;
  if (!CallFinance(g, request, r,
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
  Emit(g, a.csv,
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

const char* PromiseWords(v1::PromiseStatus status) {
  return status == v1::PROMISE_STATUS_LATE ? "late" : "at risk";
}

const char* WaitWords(v1::ClaimWait wait) {
  switch (wait) {
    case v1::CLAIM_WAIT_REVIEW:
      return "review";
    case v1::CLAIM_WAIT_BATCH:
      return "batch";
    case v1::CLAIM_WAIT_PAYMENT:
      return "payment";
    default:
      return "";
  }
}

// The summary, then every claim late or at risk, oldest first; --csv writes
// those claims.
void Timeliness(Globals& g, const ReportArgs& a) {
  v1::GetTimelinessReportRequest request;
  request.set_target_days(a.target_days);
  request.set_at_risk_days(a.at_risk_days);
  request.set_service_area(AreaName(a.area));
  v1::TimelinessReport r;
  if (!CallFinance(g, request, r,
                   &v1::FinanceService::Stub::GetTimelinessReport)) {
    return;
  }
  std::vector<Row> claims;
  for (const auto& c : r.claims()) {
    claims.push_back(
        {c.claim(), c.submit_date(), absl::StrCat(c.days_waiting()),
         absl::StrCat(c.target_days()), absl::StrCat(c.days_left()),
         PromiseWords(c.status()), WaitWords(c.waiting_for()), c.project(),
         c.participant(), PenceToPounds(c.allowed_total_pence()), c.reason()});
  }
  const Row claims_header = {"claim",       "submitted", "days_waiting",
                             "target",      "days_left", "status",
                             "waiting_for", "project",   "participant",
                             "allowed",     "why"};
  if (!a.csv.empty()) {
    Emit(g, a.csv, "", claims_header, claims);
    return;
  }
  const std::string target = r.target_days() > 0
                                 ? absl::StrCat(r.target_days(), " days")
                                 : "each area's promise";
  Emit(g, "",
       absl::StrCat("Time from submission to payment (target ", target, ")"),
       {"paid_claims", "within_target", "median_days", "max_days",
        "waiting_claims", "waiting_past_target", "late", "at_risk"},
       {{absl::StrCat(r.paid_claim_count()),
         absl::StrCat(r.within_target_count()), absl::StrCat(r.median_days()),
         absl::StrCat(r.max_days()), absl::StrCat(r.waiting_claim_count()),
         absl::StrCat(r.waiting_past_target_count()),
         absl::StrCat(r.late_count()), absl::StrCat(r.at_risk_count())}});
  std::cout << "\n";
  if (claims.empty()) {
    std::cout << "No claim waiting to be paid is late or within "
              << r.at_risk_days() << " days of its target.\n";
    return;
  }
  Emit(g, "",
       absl::StrCat("Claims not yet paid that are late or within ",
                    r.at_risk_days(), " days of their target, oldest first"),
       claims_header, claims);
}

}  // namespace

void AddReportCommands(CLI::App& app, Globals& g) {
  auto a = std::make_shared<ReportArgs>();
  CLI::App* report = app.add_subcommand(
      "report",
      "spend, participants' totals, payment times and voucher invoices");
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
      "timeliness",
      "days from submission to payment against the payment promise, and "
      "the claims late or at risk, oldest first");
  timeliness->add_option(
      "--target", a->target_days,
      "target in days (default: each area's payment promise)");
  timeliness->add_option("--at-risk", a->at_risk_days,
                         "list claims with this many days or fewer left "
                         "(default 3)");
  for (CLI::App* cmd : {spend, participants, timeliness}) {
    cmd->add_option("--area", a->area, "only this service area");
    cmd->add_option("--csv", a->csv, "write CSV to this file ('-': stdout)");
  }
  spend->callback([&g, a] { Spend(g, *a); });
  participants->callback([&g, a] { Participants(g, *a); });
  timeliness->callback([&g, a] { Timeliness(g, *a); });
  AddVoucherReportCommand(*report, g);
}

}  // namespace reciprocity::client
