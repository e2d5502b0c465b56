// Finance reports: spend against budget, each participant's totals for the
// tax year, and time from submission to payment. Read-only. Finance and
// auditors see every area they act in; officers see their own areas.
#ifndef RECIPROCITY_SERVER_DOMAIN_REPORT_SERVICE_H_
#define RECIPROCITY_SERVER_DOMAIN_REPORT_SERVICE_H_

#include "absl/status/statusor.h"
#include "base/clock.h"
#include "policy/registry.h"
#include "reciprocity/v1/finance.pb.h"
#include "server/domain/principal.h"
#include "server/store/store.h"

namespace reciprocity {

class ReportService {
 public:
  // The payment target when the request names none: good practice promises
  // payment within two weeks.
  static constexpr int kDefaultTargetDays = 14;

  ReportService(store::Store& store, policy::PolicyRegistry& policies,
                const Clock& clock)
      : store_(store), policies_(policies), clock_(clock) {}

  absl::StatusOr<v1::SpendReport> Spend(
      const Principal& caller, const v1::GetSpendReportRequest& request);
  absl::StatusOr<v1::ParticipantTotalsReport> ParticipantTotals(
      const Principal& caller,
      const v1::GetParticipantTotalsReportRequest& request);
  absl::StatusOr<v1::TimelinessReport> Timeliness(
      const Principal& caller, const v1::GetTimelinessReportRequest& request);

 private:
  store::Store& store_;
  policy::PolicyRegistry& policies_;
  const Clock& clock_;
};

}  // namespace reciprocity

#endif  // RECIPROCITY_SERVER_DOMAIN_REPORT_SERVICE_H_
