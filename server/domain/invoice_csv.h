// A voucher provider's invoice, imported as CSV for the reconciliation
// (FinanceService.ReconcileVouchers): parsed strictly, every amount to whole
// pence exactly, every mistake placed at its line and column.
#ifndef RECIPROCITY_SERVER_DOMAIN_INVOICE_CSV_H_
#define RECIPROCITY_SERVER_DOMAIN_INVOICE_CSV_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace reciprocity {

// The most an invoice may hold.
inline constexpr size_t kMaxInvoiceBytes = 4 * 1024 * 1024;
inline constexpr int kMaxInvoiceRows = 100'000;

// One voucher the provider invoices.
struct InvoiceRow {
  int line = 0;        // in the file, 1-based (the header is line 1)
  std::string serial;  // as printed on the voucher
  int64_t value_pence = 0;
  std::string date;  // YYYY-MM-DD
};

// Parses `csv` (RFC 4180; LF or CRLF line ends; a UTF-8 byte-order mark is
// allowed): a header naming the columns serial, value and date (in any
// order, each once), then one row per voucher. Blank lines are skipped.
// INVALID_ARGUMENT "invoice_csv: LINE:COLUMN: reason" for the first mistake,
// the column being the 1-based byte position in the line where the field
// starts.
absl::StatusOr<std::vector<InvoiceRow>> ParseVoucherInvoice(
    absl::string_view csv);

}  // namespace reciprocity

#endif  // RECIPROCITY_SERVER_DOMAIN_INVOICE_CSV_H_
