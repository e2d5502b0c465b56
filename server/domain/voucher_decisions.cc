// A person's decision on a voucher given and then flagged by a correction
// of the register (needs_decision): kept, or taken back. The correction
// never decides this itself (attendance_corrections.cc).
#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "server/domain/idempotency.h"
#include "server/domain/names.h"
#include "server/domain/programme_service.h"
#include "server/domain/session_rules.h"

namespace reciprocity {
namespace {

// Read by the participant on their statement.
constexpr char kTakenBackReason[] =
    "The register was put right and an officer took this voucher back.";

// Records `decision` (checked) on the flagged voucher `e`.
void ApplyDecision(v1::VoucherDecision decision, const std::string& reason,
                   const std::string& officer, v1::VoucherEntitlement& e) {
  const std::string note = e.correction_note();
  if (decision == v1::VOUCHER_DECISION_KEEP) {
    e.set_correction_note(absl::StrCat(note, " Decided by ", officer,
                                       ": the person keeps the voucher (",
                                       reason, ")."));
  } else {
    e.set_state(v1::VOUCHER_ENTITLEMENT_STATE_CANCELLED);
    e.set_rule("register.corrected");
    e.set_reason(kTakenBackReason);
    e.set_correction_note(absl::StrCat(note, " Decided by ", officer,
                                       ": the voucher is taken back (", reason,
                                       ")."));
  }
  e.set_needs_decision(false);
}

}  // namespace

absl::StatusOr<v1::VoucherEntitlement> ProgrammeService::DecideVoucher(
    const Principal& caller, const v1::DecideVoucherRequest& request) {
  RECIP_RETURN_IF_ERROR(ValidateRequestId("request_id", request.request_id()));
  RECIP_ASSIGN_OR_RETURN(int64_t id,
                         ParseVoucherEntitlementName("name", request.name()));
  if (request.decision() != v1::VOUCHER_DECISION_KEEP &&
      request.decision() != v1::VOUCHER_DECISION_TAKE_BACK) {
    return absl::InvalidArgumentError(
        "decision: say KEEP (the person keeps it) or TAKE_BACK");
  }
  RECIP_RETURN_IF_ERROR(ValidateCorrectionReason("reason", request.reason()));
  const int64_t now = absl::ToUnixMicros(clock_.Now());
  return RunIdempotent<v1::VoucherEntitlement>(
      store_, caller, "DecideVoucher", request, request.request_id(), now,
      [&](store::WriteTransaction& tx)
          -> absl::StatusOr<v1::VoucherEntitlement> {
        auto row = FindVoucherForOfficer(tx, caller, request.name(), id);
        if (!row.ok()) return row.status();
        RECIP_ASSIGN_OR_RETURN(v1::VoucherEntitlement e,
                               EntitlementFromRow(*row));
        if (!e.needs_decision()) {
          return absl::FailedPreconditionError(absl::StrCat(
              request.name(),
              " does not need a decision: only a voucher given and then "
              "changed by a correction of the register does"));
        }
        ApplyDecision(request.decision(), request.reason(), caller.id, e);
        // The value stays: it is what was given, and a voucher taken back
        // no longer counts (its state says so).
        RECIP_RETURN_IF_ERROR(SaveEntitlement(tx, e, *row, now));
        return e;
      });
}

}  // namespace reciprocity
