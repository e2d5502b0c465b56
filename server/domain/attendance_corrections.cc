// Correcting the register: an attendance's minutes or crèche changed, or
// the attendance removed, always with a reason, and the voucher it earned
// judged again. A voucher not yet given follows the register; one already
// given is never taken back here: it is marked for an officer to decide.
#include <optional>
#include <string>

#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "google/protobuf/util/time_util.h"
#include "policy/policy.h"
#include "server/domain/access.h"
#include "server/domain/idempotency.h"
#include "server/domain/names.h"
#include "server/domain/programme_service.h"
#include "server/domain/session_rules.h"

namespace reciprocity {
namespace {

using google::protobuf::util::TimeUtil;

constexpr int kMaxAttendanceMinutes = 24 * 60;

// Read by the participant on their statement.
constexpr char kRemovedReason[] =
    "The register was put right. It says you did not come, so no voucher is "
    "due.";

// What the register should now say; std::nullopt minutes: removed.
struct Correction {
  std::optional<int> minutes;
  std::optional<bool> creche_used;
  std::string reason;
};

// Applies the correction's voucher to `e` (stored as `row`): judged again
// by `decision`, or cancelled when the attendance is removed.
void CorrectEntitlement(const Correction& correction,
                        const policy::VoucherDecision& decision,
                        v1::VoucherEntitlement& e,
                        store::VoucherEntitlementRow& row, int64_t now) {
  const bool removed = !correction.minutes.has_value();
  const int64_t was = e.value_pence();
  const int64_t now_earned = removed ? 0 : decision.value_pence;
  if (e.state() == v1::VOUCHER_ENTITLEMENT_STATE_ISSUED) {
    // Given already: the record of what was given stays as it is.
    e.set_needs_decision(now_earned != was);
    e.set_correction_note(absl::StrCat(
        removed ? "The attendance was removed after this voucher was given"
                : "The attendance was corrected after this voucher was given",
        " (", correction.reason, "). ",
        now_earned == was
            ? "The register still earns this voucher; nothing to decide."
            : absl::StrCat("The register now earns ",
                           policy::FormatMoney(now_earned), ", not ",
                           policy::FormatMoney(was),
                           ". Nothing was taken back: an officer must "
                           "decide what to do.")));
  } else {
    if (removed) {
      e.set_state(v1::VOUCHER_ENTITLEMENT_STATE_CANCELLED);
      e.set_value_pence(0);
      e.set_rule("register.corrected");
      e.set_reason(kRemovedReason);
    } else {
      SetVoucherDecision(decision, e);
    }
    e.set_needs_decision(false);
    e.set_correction_note(absl::StrCat(
        removed ? "The attendance was removed" : "The attendance was corrected",
        " (", correction.reason, "). The voucher, not yet given, is now ",
        policy::FormatMoney(e.value_pence()), " (was ",
        policy::FormatMoney(was), ")."));
  }
  row.value_pence = e.value_pence();
  row.state = e.state();
  row.update_time_micros = now;
}

// The attendance as the API shows it, from its stored row.
v1::Attendance AttendanceFromRow(const store::AttendanceRow& a) {
  v1::Attendance out;
  out.set_name(AttendanceName(a.session_id, a.participant_id));
  out.set_participant(ParticipantName(a.participant_id));
  out.set_minutes(a.minutes);
  out.set_recorded_by(a.recorded_by);
  if (a.creche_used.has_value()) out.set_creche_used(*a.creche_used);
  out.set_correction_reason(a.correction_reason);
  out.set_corrected_by(a.corrected_by);
  if (a.update_time_micros != 0) {
    *out.mutable_update_time() =
        TimeUtil::MicrosecondsToTimestamp(a.update_time_micros);
  }
  return out;
}

// Corrects or removes the attendance `key` (named `name` in request field
// `field`) as `correction` says, in `tx`.
absl::StatusOr<v1::Attendance> CorrectAttendance(
    store::WriteTransaction& tx, policy::PolicyRegistry& policies,
    const Principal& caller, absl::string_view field, absl::string_view name,
    const AttendanceKey& key, const Correction& correction, int64_t now) {
  RECIP_ASSIGN_OR_RETURN(
      store::SessionRow session,
      FindSessionForOfficer(tx, caller, field, SessionName(key.session_id),
                            key.session_id));
  RECIP_ASSIGN_OR_RETURN(std::optional<store::AttendanceRow> found,
                         tx.FindAttendance(key.session_id, key.participant_id));
  if (!found.has_value()) {
    return absl::NotFoundError(
        absl::StrCat(field, ": ", name, " is not on the register"));
  }
  store::AttendanceRow attendance = *found;
  if (correction.minutes.has_value()) {
    RECIP_RETURN_IF_ERROR(CheckMinutesFitSession("attendance.minutes",
                                                 *correction.minutes, session));
    if (correction.creche_used.value_or(false) && !session.creche_provided) {
      return absl::FailedPreconditionError(
          "attendance.creche_used: this session has no crèche, so no child "
          "can have used it");
    }
  }
  auto area = policies.Find(session.area_id);
  if (area == nullptr) {
    return absl::FailedPreconditionError(
        absl::StrCat("the rule file of ", session.area_id, " is not loaded"));
  }
  RECIP_ASSIGN_OR_RETURN(store::ParticipantRow participant,
                         tx.GetParticipant(key.participant_id));

  v1::Attendance out;
  if (attendance.entitlement_id != 0) {
    RECIP_ASSIGN_OR_RETURN(store::VoucherEntitlementRow row,
                           tx.GetVoucherEntitlement(attendance.entitlement_id));
    RECIP_ASSIGN_OR_RETURN(v1::VoucherEntitlement e, EntitlementFromRow(row));
    policy::VoucherDecision decision;
    if (correction.minutes.has_value()) {
      const bool counted = row.state == v1::VOUCHER_ENTITLEMENT_STATE_EARNED ||
                           row.state == v1::VOUCHER_ENTITLEMENT_STATE_ISSUED;
      RECIP_ASSIGN_OR_RETURN(
          decision,
          JudgeVoucher(tx, *area, session, participant, *correction.minutes,
                       counted ? row.value_pence : 0));
    }
    CorrectEntitlement(correction, decision, e, row, now);
    e.clear_name();
    row.body = e.SerializeAsString();
    RECIP_RETURN_IF_ERROR(tx.UpdateVoucherEntitlement(row));
    e.set_name(VoucherEntitlementName(row.id));
    *out.mutable_voucher_entitlement() = std::move(e);
  }
  if (correction.minutes.has_value()) {
    attendance.minutes = *correction.minutes;
    attendance.creche_used = correction.creche_used;
    attendance.correction_reason = correction.reason;
    attendance.corrected_by = caller.id;
    attendance.update_time_micros = now;
    RECIP_RETURN_IF_ERROR(tx.UpdateAttendance(attendance));
  } else {
    RECIP_RETURN_IF_ERROR(
        tx.DeleteAttendance(key.session_id, key.participant_id));
  }
  v1::Attendance shown = AttendanceFromRow(attendance);
  if (out.has_voucher_entitlement()) {
    *shown.mutable_voucher_entitlement() =
        std::move(*out.mutable_voucher_entitlement());
  }
  return shown;
}

}  // namespace

absl::StatusOr<v1::Attendance> ProgrammeService::UpdateAttendance(
    const Principal& caller, const v1::UpdateAttendanceRequest& request) {
  RECIP_RETURN_IF_ERROR(ValidateRequestId("request_id", request.request_id()));
  const v1::Attendance& in = request.attendance();
  RECIP_ASSIGN_OR_RETURN(AttendanceKey key,
                         ParseAttendanceName("attendance.name", in.name()));
  RECIP_RETURN_IF_ERROR(ValidateCorrectionReason("reason", request.reason()));
  bool minutes = false, creche = false;
  if (request.update_mask().paths_size() == 0) {
    return absl::InvalidArgumentError(
        "update_mask: name the fields to change: minutes, creche_used");
  }
  for (const std::string& path : request.update_mask().paths()) {
    if (path == "minutes") {
      minutes = true;
    } else if (path == "creche_used") {
      creche = true;
    } else {
      return absl::InvalidArgumentError(
          absl::StrCat("update_mask: '", path.substr(0, 40),
                       "' cannot be changed; use minutes or creche_used"));
    }
  }
  if (minutes && (in.minutes() < 0 || in.minutes() > kMaxAttendanceMinutes)) {
    return absl::InvalidArgumentError(
        "attendance.minutes: must be between 0 and 1440");
  }
  const int64_t now = absl::ToUnixMicros(clock_.Now());
  return RunIdempotent<v1::Attendance>(
      store_, caller, "UpdateAttendance", request, request.request_id(), now,
      [&](store::WriteTransaction& tx) -> absl::StatusOr<v1::Attendance> {
        // Fields the mask leaves out keep what the register says.
        RECIP_ASSIGN_OR_RETURN(
            std::optional<store::AttendanceRow> stored,
            tx.FindAttendance(key.session_id, key.participant_id));
        Correction correction;
        correction.reason = request.reason();
        if (stored.has_value()) {
          correction.minutes = minutes ? in.minutes() : stored->minutes;
          correction.creche_used =
              creche ? (in.has_creche_used()
                            ? std::optional<bool>(in.creche_used())
                            : std::nullopt)
                     : stored->creche_used;
        } else {
          correction.minutes = in.minutes();  // refused as not found below
        }
        return CorrectAttendance(tx, policies_, caller, "attendance.name",
                                 in.name(), key, correction, now);
      });
}

absl::StatusOr<v1::ListAttendancesResponse> ProgrammeService::ListAttendances(
    const Principal& caller, const v1::ListAttendancesRequest& request) {
  RECIP_ASSIGN_OR_RETURN(int64_t session_id,
                         ParseSessionName("parent", request.parent()));
  v1::ListAttendancesResponse response;
  RECIP_RETURN_IF_ERROR(
      store_.Read([&](store::ReadTransaction& tx) -> absl::Status {
        RECIP_RETURN_IF_ERROR(FindSessionForOfficer(tx, caller, "parent",
                                                    request.parent(),
                                                    session_id)
                                  .status());
        RECIP_ASSIGN_OR_RETURN(std::vector<store::AttendanceRow> rows,
                               tx.ListAttendancesOfSession(session_id));
        for (const store::AttendanceRow& row : rows) {
          v1::Attendance* a = response.add_attendances();
          *a = AttendanceFromRow(row);
          if (row.entitlement_id == 0) continue;
          RECIP_ASSIGN_OR_RETURN(store::VoucherEntitlementRow e,
                                 tx.GetVoucherEntitlement(row.entitlement_id));
          RECIP_ASSIGN_OR_RETURN(*a->mutable_voucher_entitlement(),
                                 EntitlementFromRow(e));
        }
        return absl::OkStatus();
      }));
  return response;
}

absl::StatusOr<v1::Attendance> ProgrammeService::DeleteAttendance(
    const Principal& caller, const v1::DeleteAttendanceRequest& request) {
  RECIP_RETURN_IF_ERROR(ValidateRequestId("request_id", request.request_id()));
  RECIP_ASSIGN_OR_RETURN(AttendanceKey key,
                         ParseAttendanceName("name", request.name()));
  RECIP_RETURN_IF_ERROR(ValidateCorrectionReason("reason", request.reason()));
  const int64_t now = absl::ToUnixMicros(clock_.Now());
  return RunIdempotent<v1::Attendance>(
      store_, caller, "DeleteAttendance", request, request.request_id(), now,
      [&](store::WriteTransaction& tx) -> absl::StatusOr<v1::Attendance> {
        Correction correction;
        correction.reason = request.reason();
        return CorrectAttendance(tx, policies_, caller, "name", request.name(),
                                 key, correction, now);
      });
}

}  // namespace reciprocity
