// ReportService::ReconcileVouchers: the attendance vouchers issued (serial,
// provider, value) against what the provider invoices, every difference
// listed by serial.
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"
#include "base/clock.h"
#include "base/status_macros.h"
#include "google/protobuf/util/time_util.h"
#include "policy/dates.h"
#include "policy/policy.h"
#include "reciprocity/v1/programme.pb.h"
#include "server/domain/export.h"
#include "server/domain/invoice_csv.h"
#include "server/domain/names.h"
#include "server/domain/programme_service.h"
#include "server/domain/report_scope.h"
#include "server/domain/report_service.h"

namespace reciprocity {
namespace {

using google::protobuf::util::TimeUtil;

constexpr size_t kMaxProviderBytes = 200;

// Money on a bill is read to the penny: "£12.00", never "£12".
std::string Money(int64_t pence) {
  return absl::StrCat("£", PoundsText(pence));
}

// A voucher issued, as the reconciliation needs it.
struct Issued {
  std::string entitlement;  // "voucherEntitlements/{id}"
  std::string provider;
  int64_t value_pence = 0;
  absl::CivilDay issue_day;
};

// What one serial has on each side.
struct SerialRecord {
  std::vector<Issued> issued;  // any provider
  std::vector<const InvoiceRow*> invoiced;
};

struct Period {
  std::optional<absl::CivilDay> from, to;
  bool Contains(absl::CivilDay day) const {
    return (!from.has_value() || day >= *from) &&
           (!to.has_value() || day <= *to);
  }
};

absl::StatusOr<std::optional<absl::CivilDay>> OptionalDate(
    const char* field, const std::string& text) {
  if (text.empty()) return std::nullopt;
  RECIP_ASSIGN_OR_RETURN(absl::CivilDay day, ParseDateField(field, text));
  return day;
}

std::string Lines(const std::vector<const InvoiceRow*>& rows) {
  return absl::StrJoin(rows, ", ", [](std::string* out, const InvoiceRow* r) {
    absl::StrAppend(out, r->line);
  });
}

std::string Entitlements(const std::vector<Issued>& issued) {
  return absl::StrJoin(issued, ", ", [](std::string* out, const Issued& i) {
    absl::StrAppend(out, i.entitlement);
  });
}

v1::VoucherDifference Difference(v1::VoucherDifferenceKind kind,
                                 const std::string& serial,
                                 const SerialRecord& record,
                                 const std::vector<Issued>& issued) {
  v1::VoucherDifference d;
  d.set_kind(kind);
  d.set_serial(serial);
  for (const Issued& i : issued) d.add_voucher_entitlements(i.entitlement);
  if (!issued.empty()) {
    d.set_issued_pence(issued.front().value_pence);
    d.set_issued_provider(issued.front().provider);
  }
  if (!record.invoiced.empty()) {
    d.set_invoiced_pence(record.invoiced.front()->value_pence);
  }
  for (const InvoiceRow* row : record.invoiced) d.add_invoice_lines(row->line);
  return d;
}

// Every difference for one serial, in kind order.
void Compare(const std::string& provider, const Period& period,
             const std::string& serial, const SerialRecord& record,
             v1::VoucherReconciliation* report) {
  std::vector<Issued> mine, in_period;
  for (const Issued& i : record.issued) {
    if (i.provider != provider) continue;
    mine.push_back(i);
    if (period.Contains(i.issue_day)) in_period.push_back(i);
  }
  const auto& invoiced = record.invoiced;
  auto add = [&](v1::VoucherDifferenceKind kind,
                 const std::vector<Issued>& issued, std::string words) {
    v1::VoucherDifference d = Difference(kind, serial, record, issued);
    d.set_description(std::move(words));
    *report->add_differences() = std::move(d);
  };
  if (invoiced.empty()) {
    if (in_period.empty()) return;  // issued at another time: not this bill
    add(v1::VOUCHER_DIFFERENCE_KIND_NOT_INVOICED, in_period,
        absl::StrCat("We issued this ", Money(in_period.front().value_pence),
                     " voucher on ",
                     policy::FormatIsoDate(in_period.front().issue_day), " (",
                     in_period.front().entitlement,
                     "), but it is not on the invoice."));
  } else if (record.issued.empty()) {
    add(v1::VOUCHER_DIFFERENCE_KIND_NOT_ISSUED, {},
        absl::StrCat("On the invoice (line ", Lines(invoiced), ") at ",
                     Money(invoiced.front()->value_pence),
                     ", but we issued no voucher with this serial."));
  } else if (mine.empty()) {
    add(v1::VOUCHER_DIFFERENCE_KIND_PROVIDER_DIFFERS, record.issued,
        absl::StrCat("On the invoice (line ", Lines(invoiced),
                     "), but we issued it as a ",
                     record.issued.front().provider, " voucher (",
                     record.issued.front().entitlement, ")."));
  } else {
    for (const InvoiceRow* row : invoiced) {
      if (row->value_pence == mine.front().value_pence) continue;
      v1::VoucherDifference d = Difference(
          v1::VOUCHER_DIFFERENCE_KIND_VALUE_DIFFERS, serial, record, mine);
      d.set_invoiced_pence(row->value_pence);
      d.set_description(absl::StrCat(
          "Invoiced at ", Money(row->value_pence), " (line ", row->line,
          "), but we issued it at ", Money(mine.front().value_pence), " (",
          mine.front().entitlement, ")."));
      *report->add_differences() = std::move(d);
      break;
    }
  }
  if (invoiced.size() > 1) {
    add(v1::VOUCHER_DIFFERENCE_KIND_DUPLICATE_ON_INVOICE, mine,
        absl::StrCat("On the invoice ", invoiced.size(), " times (lines ",
                     Lines(invoiced), ")."));
  }
  if (mine.size() > 1 && (!invoiced.empty() || !in_period.empty())) {
    add(v1::VOUCHER_DIFFERENCE_KIND_DUPLICATE_ISSUED, mine,
        absl::StrCat("We recorded this serial on ", mine.size(),
                     " vouchers issued (", Entitlements(mine), ")."));
  }
  if (invoiced.size() == 1 && record.issued.size() == 1 && mine.size() == 1 &&
      invoiced.front()->value_pence == mine.front().value_pence) {
    report->set_matched_count(report->matched_count() + 1);
  }
}

}  // namespace

absl::StatusOr<v1::VoucherReconciliation>
ReportService::ReconcileVoucherInvoice(
    const Principal& caller,
    const std::function<bool(v1::ReconcileVoucherInvoiceRequest&)>& next) {
  v1::ReconcileVouchersRequest whole;
  v1::ReconcileVoucherInvoiceRequest part;
  for (bool first = true; next(part); first = false) {
    if (first != part.has_head()) {
      return absl::InvalidArgumentError(
          first ? "head: the first part names the provider, the period and "
                  "the area"
                : "invoice_csv_piece: after the first part, each part is the "
                  "next piece of the invoice");
    }
    if (first) {
      whole = std::move(*part.mutable_head());
    } else {
      whole.mutable_invoice_csv()->append(part.invoice_csv_piece());
    }
    if (whole.invoice_csv().size() > kMaxInvoiceBytes) {
      return absl::InvalidArgumentError(
          "invoice_csv: at most 4 MiB; split the invoice");
    }
    part.Clear();
  }
  return ReconcileVouchers(caller, whole);
}

absl::StatusOr<v1::VoucherReconciliation> ReportService::ReconcileVouchers(
    const Principal& caller, const v1::ReconcileVouchersRequest& request) {
  const std::string& provider = request.provider();
  if (provider.empty() || provider.size() > kMaxProviderBytes) {
    return absl::InvalidArgumentError(
        "provider: required, as the vouchers name it (e.g. \"Tesco\")");
  }
  Period period;
  RECIP_ASSIGN_OR_RETURN(period.from,
                         OptionalDate("issued_from", request.issued_from()));
  RECIP_ASSIGN_OR_RETURN(period.to,
                         OptionalDate("issued_to", request.issued_to()));
  if (period.from.has_value() && period.to.has_value() &&
      *period.from > *period.to) {
    return absl::InvalidArgumentError(
        "issued_to: must not be before issued_from");
  }
  RECIP_ASSIGN_OR_RETURN(store::ClaimFilter scope,
                         ReportScope(caller, request.service_area()));
  RECIP_ASSIGN_OR_RETURN(std::vector<InvoiceRow> invoice,
                         ParseVoucherInvoice(request.invoice_csv()));

  v1::VoucherReconciliation report;
  report.set_provider(provider);
  report.set_issued_from(request.issued_from());
  report.set_issued_to(request.issued_to());
  std::map<std::string, SerialRecord> serials;  // sorted by serial
  for (const InvoiceRow& row : invoice) {
    serials[row.serial].invoiced.push_back(&row);
    report.set_invoice_row_count(report.invoice_row_count() + 1);
    report.set_invoiced_total_pence(report.invoiced_total_pence() +
                                    row.value_pence);
  }

  store::ProgrammeFilter issued_filter;
  issued_filter.state = v1::VOUCHER_ENTITLEMENT_STATE_ISSUED;
  issued_filter.area_id = scope.area_id;
  issued_filter.area_ids_in = scope.area_ids_in;
  RECIP_RETURN_IF_ERROR(store_.Read([&](store::ReadTransaction& tx) {
    return ScanVoucherEntitlements(
        tx, issued_filter,
        [&](const store::VoucherEntitlementRow& row) -> absl::Status {
          RECIP_ASSIGN_OR_RETURN(v1::VoucherEntitlement e,
                                 EntitlementFromRow(row));
          const absl::Time issued_at = absl::FromUnixMicros(
              TimeUtil::TimestampToMicroseconds(e.issue_time()));
          Issued issued{e.name(), e.provider(), row.value_pence,
                        absl::ToCivilDay(issued_at, LondonTimeZone())};
          if (issued.provider == provider &&
              period.Contains(issued.issue_day)) {
            report.set_issued_count(report.issued_count() + 1);
            report.set_issued_total_pence(report.issued_total_pence() +
                                          issued.value_pence);
          }
          serials[e.serial()].issued.push_back(std::move(issued));
          return absl::OkStatus();
        });
  }));
  for (const auto& [serial, record] : serials) {
    Compare(provider, period, serial, record, &report);
  }
  return report;
}

}  // namespace reciprocity
