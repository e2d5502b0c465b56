// Finance reports: spend against budget (claims and attendance vouchers),
// each participant's totals for the tax year, time from submission to
// payment against each area's promise, and the reconciliation of vouchers
// issued with a provider's invoice. Read-only. Finance and
// auditors see every area they act in; officers see their own areas.
#ifndef RECIPROCITY_SERVER_DOMAIN_REPORT_SERVICE_H_
#define RECIPROCITY_SERVER_DOMAIN_REPORT_SERVICE_H_

#include <functional>

#include "absl/status/statusor.h"
#include "base/clock.h"
#include "policy/registry.h"
#include "reciprocity/v1/finance.pb.h"
#include "server/domain/principal.h"
#include "server/store/store.h"

namespace reciprocity {

class ReportService {
 public:
  ReportService(store::Store& store, policy::PolicyRegistry& policies,
                const Clock& clock)
      : store_(store), policies_(policies), clock_(clock) {}

  absl::StatusOr<v1::SpendReport> Spend(
      const Principal& caller, const v1::GetSpendReportRequest& request);
  absl::StatusOr<v1::ParticipantTotalsReport> ParticipantTotals(
      const Principal& caller,
      const v1::GetParticipantTotalsReportRequest& request);
  // In timeliness_report.cc.
  absl::StatusOr<v1::TimelinessReport> Timeliness(
      const Principal& caller, const v1::GetTimelinessReportRequest& request);
  // In voucher_reconciliation.cc.
  absl::StatusOr<v1::VoucherReconciliation> ReconcileVouchers(
      const Principal& caller, const v1::ReconcileVouchersRequest& request);
  // The same for an invoice sent in parts: `next` fills in the next part
  // and returns false after the last. Stops reading at the first part that
  // is refused or that takes the invoice past kMaxInvoiceBytes.
  absl::StatusOr<v1::VoucherReconciliation> ReconcileVoucherInvoice(
      const Principal& caller,
      const std::function<bool(v1::ReconcileVoucherInvoiceRequest&)>& next);

 private:
  // Calls `fn` for each attendance voucher earned or issued in `scope`'s
  // areas with session dates in its range, on one snapshot.
  absl::Status ScanCommittedVouchers(
      const store::ClaimFilter& scope,
      const std::function<void(const store::VoucherEntitlementRow&)>& fn);

  store::Store& store_;
  policy::PolicyRegistry& policies_;
  const Clock& clock_;
};

}  // namespace reciprocity

#endif  // RECIPROCITY_SERVER_DOMAIN_REPORT_SERVICE_H_
