// What the finance reports share: which service areas a caller may report
// on, and the days a claim has waited.
#ifndef RECIPROCITY_SERVER_DOMAIN_REPORT_SCOPE_H_
#define RECIPROCITY_SERVER_DOMAIN_REPORT_SCOPE_H_

#include <cstdint>
#include <functional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "server/domain/principal.h"
#include "server/store/store.h"

namespace reciprocity {

// The claim filter for the areas the caller may report on: the one named
// ("serviceAreas/{area}"; PERMISSION_DENIED when the caller does not act
// in it), or all of theirs when `area_name` is empty.
absl::StatusOr<store::ClaimFilter> ReportScope(const Principal& caller,
                                               const std::string& area_name);

// Whether `area_id` is within the scope ReportScope gave.
bool InReportScope(const store::ClaimFilter& scope, const std::string& area_id);

// Calls `fn` for each voucher entitlement matching `filter` (after_id and
// limit ignored), by ascending id, a page at a time on `tx`. Stops at the
// first error.
absl::Status ScanVoucherEntitlements(
    store::ReadTransaction& tx, store::ProgrammeFilter filter,
    const std::function<absl::Status(const store::VoucherEntitlementRow&)>& fn);

// Whole days from the London day of `from_micros` to `to`.
int64_t DaysSince(int64_t from_micros, absl::CivilDay to);

}  // namespace reciprocity

#endif  // RECIPROCITY_SERVER_DOMAIN_REPORT_SCOPE_H_
