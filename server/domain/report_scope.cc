#include "server/domain/report_scope.h"

#include <algorithm>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "base/clock.h"
#include "base/status_macros.h"
#include "server/domain/names.h"

namespace reciprocity {

absl::StatusOr<store::ClaimFilter> ReportScope(const Principal& caller,
                                               const std::string& area_name) {
  store::ClaimFilter filter;
  if (!area_name.empty()) {
    RECIP_ASSIGN_OR_RETURN(filter.area_id,
                           ParseServiceAreaName("service_area", area_name));
    if (!caller.ActsIn(filter.area_id)) {
      return absl::PermissionDeniedError(
          absl::StrCat("you do not act in service area ", filter.area_id));
    }
  } else if (!caller.ActsIn("*")) {
    filter.area_ids_in = caller.service_areas;
    if (filter.area_ids_in.empty()) {
      return absl::PermissionDeniedError("you act in no service area");
    }
  }
  return filter;
}

bool InReportScope(const store::ClaimFilter& scope,
                   const std::string& area_id) {
  if (!scope.area_id.empty()) return scope.area_id == area_id;
  if (scope.area_ids_in.empty()) return true;
  return std::find(scope.area_ids_in.begin(), scope.area_ids_in.end(),
                   area_id) != scope.area_ids_in.end();
}

absl::Status ScanVoucherEntitlements(
    store::ReadTransaction& tx, store::ProgrammeFilter filter,
    const std::function<absl::Status(const store::VoucherEntitlementRow&)>&
        fn) {
  filter.after_id = 0;
  filter.limit = 1000;
  for (bool more = true; more;) {
    RECIP_ASSIGN_OR_RETURN(std::vector<store::VoucherEntitlementRow> rows,
                           tx.ListVoucherEntitlements(filter));
    more = static_cast<int>(rows.size()) == filter.limit;
    for (const auto& row : rows) {
      filter.after_id = row.id;
      RECIP_RETURN_IF_ERROR(fn(row));
    }
  }
  return absl::OkStatus();
}

int64_t DaysSince(int64_t from_micros, absl::CivilDay to) {
  const absl::CivilDay from =
      absl::ToCivilDay(absl::FromUnixMicros(from_micros), LondonTimeZone());
  return to - from;
}

}  // namespace reciprocity
