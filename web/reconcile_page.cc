// Finance: check a voucher provider's bill. The bill (CSV: serial, value,
// date) is pasted or chosen as a file; the service compares it with the
// vouchers given out and the page lists each difference in plain words. A
// bill with a mistake is shown again with the line and column next to the
// box. Nothing is saved.
#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/time/civil_time.h"
#include "client/invoice_parts.h"
#include "reciprocity/v1/finance.grpc.pb.h"
#include "reciprocity/v1/programme.grpc.pb.h"
#include "web/form_problems.h"
#include "web/staff_pages.h"

namespace reciprocity::web {
namespace {

constexpr char kTitle[] = "Check a voucher bill";
constexpr char kBillPrefix[] = "invoice_csv: ";

// What is wrong with one voucher, in words that do not rely on colour.
std::string KindWords(v1::VoucherDifferenceKind kind) {
  switch (kind) {
    case v1::VOUCHER_DIFFERENCE_KIND_NOT_ISSUED:
      return "Extra: on the bill, but we did not give it out";
    case v1::VOUCHER_DIFFERENCE_KIND_NOT_INVOICED:
      return "Missing: we gave it out, but it is not on the bill";
    case v1::VOUCHER_DIFFERENCE_KIND_VALUE_DIFFERS:
      return "Different value";
    case v1::VOUCHER_DIFFERENCE_KIND_DUPLICATE_ON_INVOICE:
      return "On the bill more than once";
    case v1::VOUCHER_DIFFERENCE_KIND_DUPLICATE_ISSUED:
      return "We noted it as given out more than once";
    case v1::VOUCHER_DIFFERENCE_KIND_PROVIDER_DIFFERS:
      return "We gave it out for another shop";
    default:
      return "Does not match";
  }
}

// The shops named on vouchers given out so far, to help fill the form.
std::string ProvidersSeen(Call& call) {
  auto stub = v1::ProgrammeService::NewStub(call.app().channel());
  v1::ListVoucherEntitlementsRequest request;
  request.set_page_size(1000);
  request.set_state(v1::VOUCHER_ENTITLEMENT_STATE_ISSUED);
  v1::ListVoucherEntitlementsResponse response;
  std::set<std::string> providers;
  if (stub->ListVoucherEntitlements(call.Context().get(), request, &response)
          .ok()) {
    for (const auto& v : response.voucher_entitlements()) {
      if (!v.provider().empty()) providers.insert(v.provider());
    }
  }
  return absl::StrJoin(providers, ", ");
}

// "invoice_csv: 3:9: expected 3 fields, found 4" -> "Line 3, column 9
// (3:9): expected 3 fields, found 4."; false when the refusal is not about
// a place in the bill.
bool BillMistake(const grpc::Status& s, FormProblems& problems) {
  const std::string whole = s.error_message();  // returned by value
  absl::string_view message = whole;
  if (s.error_code() != grpc::StatusCode::INVALID_ARGUMENT ||
      !absl::ConsumePrefix(&message, kBillPrefix)) {
    return false;
  }
  std::vector<absl::string_view> parts =
      absl::StrSplit(message, absl::MaxSplits(':', 2));
  int line = 0, column = 0;
  std::string words;
  if (parts.size() == 3 && absl::SimpleAtoi(parts[0], &line) &&
      absl::SimpleAtoi(parts[1], &column)) {
    words = absl::StrCat("Line ", line, ", column ", column, " (", line, ":",
                         column, "):", parts[2]);
  } else {
    words = absl::StrCat("The bill: ", message);
  }
  if (!absl::EndsWith(words, ".")) words += ".";
  problems.Add("bill", words);
  return true;
}

Data Differences(const v1::VoucherReconciliation& r) {
  Data rows = List();
  for (const v1::VoucherDifference& d : r.differences()) {
    Data row;
    row.set("serial", d.serial());
    row.set("kind", KindWords(d.kind()));
    row.set("billed", d.invoiced_pence() > 0 ? Money(d.invoiced_pence())
                                             : std::string("-"));
    row.set("given",
            d.issued_pence() > 0 ? Money(d.issued_pence()) : std::string("-"));
    row.set("lines", d.invoice_lines().empty()
                         ? std::string("-")
                         : absl::StrJoin(d.invoice_lines(), ", "));
    row.set("description", d.description());
    rows.push_back(row);
  }
  return rows;
}

void AddResult(const v1::VoucherReconciliation& r, Data& page) {
  Data result;
  result.set("provider", r.provider());
  const auto vouchers = [](int n) {
    return absl::StrCat(n, n == 1 ? " voucher" : " vouchers");
  };
  result.set("rows", vouchers(r.invoice_row_count()));
  result.set("billed", Money(r.invoiced_total_pence()));
  result.set("issued", vouchers(r.issued_count()));
  result.set("issued_total", Money(r.issued_total_pence()));
  result.set("matched", absl::StrCat(r.matched_count()));
  result.set("differences", Differences(r));
  result.set("has_differences", r.differences_size() > 0);
  result.set("count", absl::StrCat(r.differences_size()));
  page.set("result", result);
}

void BillForm(Call& call, Data page,
              const grpc::Status& refused = grpc::Status::OK,
              int http_status = 200) {
  Data rows = List();
  grpc::Status s = AreaRows(call, &rows);
  if (!s.ok()) return call.Failed(s, kTitle);
  page.set("areas", rows);
  for (const char* f : {"provider", "issued_from", "issued_to"}) {
    page.set(f, call.Param(f));
  }
  SetIfAny(page, "providers", ProvidersSeen(call));
  ShowForm(call, kTitle, tmpl::kVoucherBill, page, refused, http_status);
}

void CheckBill(Call& call) {
  Data page;
  // A chosen file wins over the box; the box then shows it, so that line
  // numbers in a mistake match what is shown.
  std::string bill = call.Upload("bill_file");
  if (!bill.empty()) {
    page.set("from_file", true);
  } else {
    bill = call.Upload("bill");
  }
  page.set("bill", bill);
  FormProblems problems;
  if (call.Param("provider").empty()) {
    problems.Add("provider", "Type the name of the shop, like Tesco.");
  }
  if (absl::StripAsciiWhitespace(bill).empty()) {
    problems.Add("bill", "Paste the bill in the box, or choose the file.");
  }
  for (const char* field : {"issued_from", "issued_to"}) {
    problems.CheckDay(field, call.Param(field),
                      "Type a day like 2026-11-30, or leave it empty.",
                      /*may_be_empty=*/true);
  }
  if (!problems.empty()) {
    problems.Into(page, "We did not check the bill yet.");
    return BillForm(call, page, grpc::Status::OK, 422);
  }
  auto finance = v1::FinanceService::NewStub(call.app().channel());
  v1::ReconcileVouchersRequest request;
  request.set_provider(call.Param("provider"));
  request.set_invoice_csv(bill);
  request.set_issued_from(call.Param("issued_from"));
  request.set_issued_to(call.Param("issued_to"));
  if (!call.Param("area").empty()) {
    request.set_service_area(absl::StrCat("serviceAreas/", call.Param("area")));
  }
  v1::VoucherReconciliation result;
  grpc::Status s = client::ReconcileInParts(*finance, call.Context().get(),
                                            request, &result);
  if (s.ok()) {
    AddResult(result, page);
    return BillForm(call, page);
  }
  if (BillMistake(s, problems)) {
    QuoteMistakenLine(page, "bill", bill, s.error_message());
  }
  if (!problems.empty() ||
      problems.AddRefusal(s, {{"provider", "provider"},
                              {"issued_from", "issued_from"},
                              {"issued_to", "issued_to"},
                              {"service_area", "area"}})) {
    problems.Into(page, "We could not check the bill.");
    return BillForm(call, page, grpc::Status::OK, 422);
  }
  BillForm(call, page, s);
}

}  // namespace

void AddReconcilePages(WebApp& app) {
  using A = WebApp::Access;
  app.Get("/finance/vouchers/bill", A::kFinance,
          [](Call& call) { BillForm(call, Data()); });
  app.Post("/finance/vouchers/bill", A::kFinance, CheckBill);
}

}  // namespace reciprocity::web
