// recip report vouchers --provider NAME --invoice FILE [--from D] [--to D]
// [--area A] [--csv FILE]: the vouchers issued against a provider's invoice,
// every difference listed (FinanceService.ReconcileVoucherInvoice, the
// invoice sent in parts).
#include <fstream>
#include <iostream>
#include <iterator>
#include <memory>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "client/invoice_parts.h"
#include "client/money.h"
#include "client/report_table.h"

namespace reciprocity::client {
namespace {

struct VoucherReportArgs {
  std::string provider, invoice, from, to, area, csv;
};

const char* KindWords(v1::VoucherDifferenceKind kind) {
  switch (kind) {
    case v1::VOUCHER_DIFFERENCE_KIND_NOT_ISSUED:
      return "not issued";
    case v1::VOUCHER_DIFFERENCE_KIND_NOT_INVOICED:
      return "not invoiced";
    case v1::VOUCHER_DIFFERENCE_KIND_VALUE_DIFFERS:
      return "value differs";
    case v1::VOUCHER_DIFFERENCE_KIND_DUPLICATE_ON_INVOICE:
      return "invoiced twice";
    case v1::VOUCHER_DIFFERENCE_KIND_DUPLICATE_ISSUED:
      return "issued twice";
    case v1::VOUCHER_DIFFERENCE_KIND_PROVIDER_DIFFERS:
      return "other provider";
    default:
      return "";
  }
}

void Reconcile(Globals& g, const VoucherReportArgs& a) {
  std::ifstream in(a.invoice, std::ios::binary);
  if (!in) {
    std::cerr << "recip: cannot read " << a.invoice << "\n";
    g.exit_code = kExitUsage;
    return;
  }
  v1::ReconcileVouchersRequest request;
  request.set_provider(a.provider);
  request.set_invoice_csv(std::string(std::istreambuf_iterator<char>(in),
                                      std::istreambuf_iterator<char>()));
  request.set_issued_from(a.from);
  request.set_issued_to(a.to);
  request.set_service_area(AreaName(a.area));
  v1::VoucherReconciliation r;
  Calls<v1::FinanceService> calls(g);
  if (!calls.Make<v1::VoucherReconciliation>(
          [&](v1::FinanceService::Stub& stub, grpc::ClientContext& c,
              v1::VoucherReconciliation* out) {
            return ReconcileInParts(stub, &c, request, out);
          },
          &r)) {
    return;
  }
  if (g.json) {
    std::cout << ToJson(r) << "\n";
    return;
  }
  std::vector<Row> rows;
  for (const auto& d : r.differences()) {
    rows.push_back(
        {KindWords(d.kind()), d.serial(),
         d.voucher_entitlements().empty() ? ""
                                          : PenceToPounds(d.issued_pence()),
         d.invoice_lines().empty() ? "" : PenceToPounds(d.invoiced_pence()),
         absl::StrJoin(d.invoice_lines(), " "),
         absl::StrJoin(d.voucher_entitlements(), " "), d.description()});
  }
  const Row header = {"difference",    "serial",    "issued", "invoiced",
                      "invoice_lines", "issued_as", "why"};
  if (!a.csv.empty()) {
    Emit(g, a.csv, "", header, rows);
    return;
  }
  const std::string period =
      a.from.empty() && a.to.empty()
          ? "whenever issued"
          : absl::StrCat("issued ", a.from.empty() ? "" : "from " + a.from,
                         a.from.empty() || a.to.empty() ? "" : " ",
                         a.to.empty() ? "" : "to " + a.to);
  std::cout << "Vouchers of " << r.provider() << ", " << period << "\n"
            << "  On the invoice: " << r.invoice_row_count() << " (£"
            << PenceToPounds(r.invoiced_total_pence()) << ")\n"
            << "  Issued by us:   " << r.issued_count() << " (£"
            << PenceToPounds(r.issued_total_pence()) << ")\n"
            << "  Matched:        " << r.matched_count() << "\n\n";
  if (rows.empty()) {
    std::cout << "No differences.\n";
    return;
  }
  Emit(g, "", absl::StrCat(r.differences_size(), " differences"), header, rows);
}

}  // namespace

void AddVoucherReportCommand(CLI::App& report, Globals& g) {
  auto a = std::make_shared<VoucherReportArgs>();
  CLI::App* cmd = report.add_subcommand(
      "vouchers",
      "compare the vouchers issued with a provider's invoice (CSV with the "
      "columns serial,value,date) and list every difference");
  cmd->add_option("--provider", a->provider,
                  "whose invoice, as the vouchers name it (e.g. Tesco)")
      ->required();
  cmd->add_option("--invoice", a->invoice,
                  "the invoice: CSV with a header serial,value,date; value "
                  "in pounds (10.00), date YYYY-MM-DD")
      ->required();
  cmd->add_option("--from", a->from,
                  "the period it covers: vouchers issued on or after "
                  "YYYY-MM-DD");
  cmd->add_option("--to", a->to, "vouchers issued on or before YYYY-MM-DD");
  cmd->add_option("--area", a->area, "only this service area");
  cmd->add_option("--csv", a->csv,
                  "write the differences as CSV to this file ('-': stdout)");
  cmd->callback([&g, a] { Reconcile(g, *a); });
}

}  // namespace reciprocity::client
