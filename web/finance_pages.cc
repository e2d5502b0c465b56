// Finance pages: approved claims ready to pay by area, payment batches
// (make, approve by a second person, download the CSVs, mark paid), the
// spend report with its chart (claims and vouchers earned by attending) and
// the claims late or at risk against the payment promise.
#include <map>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "base/clock.h"
#include "client/connection.h"
#include "client/output.h"
#include "client/spend_chart.h"
#include "reciprocity/v1/claims.grpc.pb.h"
#include "reciprocity/v1/finance.grpc.pb.h"
#include "web/app.h"
#include "web/form_problems.h"

namespace reciprocity::web {
namespace {

std::string Today() {
  return absl::FormatCivilTime(SystemClock().TodayInLondon());
}

// "serviceAreas/adult-social-care/projects/x" -> "adult-social-care".
std::string AreaOf(const std::string& project) {
  std::vector<std::string> parts = absl::StrSplit(project, '/');
  return parts.size() >= 2 ? parts[1] : project;
}

std::string BatchStateWords(v1::BatchState state) {
  switch (state) {
    case v1::BATCH_STATE_DRAFT:
      return "Waiting for approval";
    case v1::BATCH_STATE_APPROVED:
      return "Approved, ready to download";
    case v1::BATCH_STATE_EXPORTED:
      return "Sent to the bank, not yet paid";
    case v1::BATCH_STATE_PAID:
      return "Paid";
    case v1::BATCH_STATE_CANCELLED:
      return "Cancelled";
    default:
      return "Unknown";
  }
}

void ReadyToPay(Call& call) {
  auto claims_stub = v1::ClaimService::NewStub(call.app().channel());
  auto finance = v1::FinanceService::NewStub(call.app().channel());
  std::map<std::string, std::pair<int, int64_t>> by_area;
  v1::ListClaimsRequest request;
  request.set_page_size(1000);
  request.set_state(v1::CLAIM_STATE_APPROVED);
  grpc::Status s = ForEachPage<v1::ListClaimsResponse>(
      request,
      [&](const v1::ListClaimsRequest& r, v1::ListClaimsResponse& page) {
        return claims_stub->ListClaims(call.Context().get(), r, &page);
      },
      [&](const v1::ListClaimsResponse& page) {
        for (const v1::Claim& c : page.claims()) {
          auto& [count, total] = by_area[AreaOf(c.project())];
          ++count;
          total += c.decision().allowed_total_pence();
        }
      });
  if (!s.ok()) return call.Failed(s, "Ready to pay");
  v1::ListBatchesRequest list;
  list.set_page_size(50);
  v1::ListBatchesResponse batches;
  s = finance->ListBatches(call.Context().get(), list, &batches);
  if (!s.ok()) return call.Failed(s, "Ready to pay");
  Data areas = List();
  for (const auto& [area, totals] : by_area) {
    Data row;
    row.set("area", area);
    row.set("count", absl::StrCat(totals.first));
    row.set("total", Money(totals.second));
    areas.push_back(row);
  }
  Data rows = List();
  for (const v1::Batch& b : batches.batches()) {
    Data row;
    row.set("id", IdOf(b.name()));
    row.set("state", BatchStateWords(b.state()));
    row.set("count", absl::StrCat(b.claim_count()));
    row.set("total", Money(b.total_pence()));
    rows.push_back(row);
  }
  Data page;
  page.set("areas", areas);
  page.set("batches", rows);
  page.set("request_id", client::NewRequestId());
  call.Page("Ready to pay", tmpl::kReadyToPay, page);
}

void BatchPage(Call& call) {
  auto finance = v1::FinanceService::NewStub(call.app().channel());
  v1::GetBatchRequest request;
  request.set_name(absl::StrCat("batches/", call.Match(1)));
  v1::Batch b;
  grpc::Status s = finance->GetBatch(call.Context().get(), request, &b);
  if (!s.ok()) return call.Failed(s, "Batch");
  Data page;
  page.set("id", call.Match(1));
  page.set("state", BatchStateWords(b.state()));
  page.set("count", absl::StrCat(b.claim_count()));
  page.set("total", Money(b.total_pence()));
  page.set("created_by", b.created_by());
  SetIfAny(page, "approved_by", b.approved_by());  // not yet: no words
  Data methods = List();
  for (const auto& m : b.payment_method_totals()) {
    Data row;
    row.set("method", client::PaymentLabel(m.payment_method()));
    row.set("count", absl::StrCat(m.claim_count()));
    row.set("total", Money(m.amount_pence()));
    methods.push_back(row);
  }
  Data projects = List();
  for (const auto& p : b.project_totals()) {
    Data row;
    row.set("project", IdOf(p.project()));
    row.set("cost_centre", p.cost_centre());
    row.set("count", absl::StrCat(p.claim_count()));
    row.set("total", Money(p.amount_pence()));
    projects.push_back(row);
  }
  page.set("methods", methods);
  page.set("projects", projects);
  page.set("can_approve", b.state() == v1::BATCH_STATE_DRAFT);
  page.set("can_export", b.state() == v1::BATCH_STATE_APPROVED ||
                             b.state() == v1::BATCH_STATE_EXPORTED);
  page.set("can_mark_paid", b.state() == v1::BATCH_STATE_EXPORTED);
  page.set("today", Today());
  page.set("request_id", client::NewRequestId());
  call.Page(absl::StrCat("Batch ", call.Match(1)), tmpl::kBatchPage, page);
}

void Export(Call& call) {
  auto finance = v1::FinanceService::NewStub(call.app().channel());
  v1::ExportBatchRequest request;
  request.set_name(absl::StrCat("batches/", call.Match(1)));
  request.set_request_id(call.Param("request_id"));
  auto context = call.Context();
  auto reader = finance->ExportBatch(context.get(), request);
  std::string payments, vouchers;
  v1::ExportBatchResponse chunk;
  while (reader->Read(&chunk)) {
    payments += chunk.payment_file_chunk();
    vouchers += chunk.voucher_file_chunk();
  }
  grpc::Status s = reader->Finish();
  if (!s.ok()) return call.Failed(s, "Download");
  const bool want_vouchers = call.Param("file") == "vouchers";
  call.response().set_header(
      "Content-Disposition",
      absl::StrCat("attachment; filename=\"batch-", call.Match(1),
                   want_vouchers ? "-vouchers" : "-payments", ".csv\""));
  call.response().set_content(want_vouchers ? vouchers : payments,
                              "text/csv; charset=utf-8");
}

absl::StatusOr<v1::SpendReport> Spend(Call& call, grpc::Status* s) {
  auto finance = v1::FinanceService::NewStub(call.app().channel());
  v1::GetSpendReportRequest request;
  request.set_date(Today());
  v1::SpendReport report;
  *s = finance->GetSpendReport(call.Context().get(), request, &report);
  if (!s->ok()) return absl::UnknownError("");
  return report;
}

// The claims not yet paid that are late or at risk against the payment
// promise, oldest first, and why each waits.
void TimelinessPage(Call& call) {
  auto finance = v1::FinanceService::NewStub(call.app().channel());
  v1::TimelinessReport report;
  grpc::Status s = finance->GetTimelinessReport(
      call.Context().get(), v1::GetTimelinessReportRequest(), &report);
  if (!s.ok()) return call.Failed(s, "Paying on time");
  Data page;
  page.set("target", report.target_days() > 0
                         ? absl::StrCat(report.target_days(), " days")
                         : "the time each area promises");
  page.set("at_risk_days", absl::StrCat(report.at_risk_days()));
  page.set("late", absl::StrCat(report.late_count()));
  page.set("at_risk", absl::StrCat(report.at_risk_count()));
  Data claims = List();
  for (const auto& c : report.claims()) {
    Data row;
    row.set("id", IdOf(c.claim()));
    row.set("sent", c.submit_date());
    row.set("days", absl::StrCat(c.days_waiting()));
    row.set("status",
            c.status() == v1::PROMISE_STATUS_LATE
                ? absl::StrCat("Late by ", -c.days_left(),
                               c.days_left() == -1 ? " day" : " days")
                : absl::StrCat(c.days_left(),
                               c.days_left() == 1 ? " day" : " days", " left"));
    row.set("why", c.reason());
    row.set("amount", Money(c.allowed_total_pence()));
    claims.push_back(row);
  }
  page.set("claims", claims);
  page.set("none", report.claims().empty());
  call.Page("Paying on time", tmpl::kTimeliness, page);
}

}  // namespace

void AddFinancePages(WebApp& app) {
  using A = WebApp::Access;
  app.Get("/finance", A::kFinance, ReadyToPay);
  app.Post("/finance/batches", A::kFinance, [](Call& call) {
    auto finance = v1::FinanceService::NewStub(call.app().channel());
    v1::CreateBatchRequest request;
    request.mutable_selection()->set_service_area(
        absl::StrCat("serviceAreas/", call.Param("area")));
    request.set_request_id(call.Param("request_id"));
    v1::Batch batch;
    grpc::Status s =
        finance->CreateBatch(call.Context().get(), request, &batch);
    if (!s.ok()) return call.Failed(s, "Make a batch");
    call.Redirect(absl::StrCat("/finance/batches/", IdOf(batch.name())),
                  "The batch is made. A second person must now approve it.");
  });
  app.Get(R"(/finance/batches/(\d+))", A::kFinance, BatchPage);
  app.Post(R"(/finance/batches/(\d+)/approve)", A::kFinance, [](Call& call) {
    auto finance = v1::FinanceService::NewStub(call.app().channel());
    v1::ApproveBatchRequest request;
    request.set_name(absl::StrCat("batches/", call.Match(1)));
    request.set_request_id(call.Param("request_id"));
    v1::Batch batch;
    grpc::Status s =
        finance->ApproveBatch(call.Context().get(), request, &batch);
    if (!s.ok()) return call.Failed(s, "Approve a batch");
    call.Redirect(absl::StrCat("/finance/batches/", call.Match(1)),
                  "The batch is approved.");
  });
  app.Post(R"(/finance/batches/(\d+)/export)", A::kFinance, Export);
  app.Post(R"(/finance/batches/(\d+)/paid)", A::kFinance, [](Call& call) {
    auto finance = v1::FinanceService::NewStub(call.app().channel());
    v1::MarkBatchPaidRequest request;
    request.set_name(absl::StrCat("batches/", call.Match(1)));
    request.set_payment_date(call.Param("payment_date"));
    request.set_request_id(call.Param("request_id"));
    v1::Batch batch;
    grpc::Status s =
        finance->MarkBatchPaid(call.Context().get(), request, &batch);
    if (!s.ok()) return call.Failed(s, "Mark as paid");
    call.Redirect(absl::StrCat("/finance/batches/", call.Match(1)),
                  "The batch is marked as paid.");
  });
  app.Get("/finance/spend", A::kFinance, [](Call& call) {
    grpc::Status s;
    auto report = Spend(call, &s);
    if (!report.ok()) return call.Failed(s, "Spend report");
    Data page;
    page.set("year_start", report->financial_year_start());
    page.set("year_end", report->financial_year_end());
    page.set("budget", Money(report->total_budget_pence()));
    page.set("committed", Money(report->total_committed_pence()));
    page.set("vouchers", Money(report->total_voucher_pence()));
    std::map<std::string, int64_t> vouchers;
    for (const auto& row : report->vouchers_by_month()) {
      vouchers[row.key()] = row.amount_pence();
    }
    std::string words;
    for (const auto& row : report->by_month()) {
      absl::StrAppend(&words, words.empty() ? "" : ", ", row.key(), " ",
                      Money(row.amount_pence()));
      if (vouchers[row.key()] > 0) {
        absl::StrAppend(&words, " (vouchers ", Money(vouchers[row.key()]), ")");
      }
    }
    page.set("chart_words", words.empty() ? "no spend yet" : words);
    Data projects = List();
    for (const auto& p : report->projects()) {
      Data row;
      row.set("project", p.display_name());
      row.set("budget", Money(p.budget_pence()));
      row.set("committed", Money(p.committed_pence()));
      row.set("paid", Money(p.paid_pence()));
      row.set("vouchers", Money(p.voucher_pence()));
      projects.push_back(row);
    }
    page.set("projects", projects);
    call.Page("Spend report", tmpl::kSpendReport, page);
  });
  app.Get("/finance/timeliness", A::kFinance, TimelinessPage);
  app.Get("/finance/spend.svg", A::kFinance, [](Call& call) {
    grpc::Status s;
    auto report = Spend(call, &s);
    if (!report.ok()) return call.Failed(s, "Spend report");
    call.response().set_content(client::SpendChartSvg(*report),
                                "image/svg+xml");
  });
}

}  // namespace reciprocity::web
