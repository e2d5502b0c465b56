// Attendance and the voucher entitlements it earns.
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "google/protobuf/util/time_util.h"
#include "policy/policy.h"
#include "server/domain/access.h"
#include "server/domain/idempotency.h"
#include "server/domain/names.h"
#include "server/domain/paging.h"
#include "server/domain/programme_service.h"
#include "server/domain/session_rules.h"

namespace reciprocity {

absl::StatusOr<v1::VoucherEntitlement> EntitlementFromRow(
    const store::VoucherEntitlementRow& row) {
  v1::VoucherEntitlement e;
  if (!e.ParseFromString(row.body)) {
    return absl::InternalError(
        absl::StrCat("voucherEntitlements/", row.id, " is unreadable"));
  }
  e.set_name(VoucherEntitlementName(row.id));
  e.set_state(static_cast<v1::VoucherEntitlementState>(row.state));
  return e;
}

absl::Status SaveEntitlement(store::WriteTransaction& tx,
                             const v1::VoucherEntitlement& e,
                             store::VoucherEntitlementRow& row, int64_t now) {
  row.state = e.state();
  row.update_time_micros = now;
  v1::VoucherEntitlement body = e;
  body.clear_name();  // the row's id says it
  row.body = body.SerializeAsString();
  return tx.UpdateVoucherEntitlement(row);
}

absl::StatusOr<store::VoucherEntitlementRow> FindVoucherForOfficer(
    store::ReadTransaction& tx, const Principal& caller, absl::string_view name,
    int64_t id) {
  auto row = tx.GetVoucherEntitlement(id);
  if (absl::IsNotFound(row.status())) return MissingRecord(caller, name);
  if (!row.ok()) return row.status();
  RECIP_RETURN_IF_ERROR(CheckIsOfficerIn(caller, row->area_id));
  return row;
}

namespace {

using google::protobuf::util::TimeUtil;

// The issued vouchers `filter` matches that are flagged needs_decision, at
// most filter.limit. The flag lives in the record's body, so the issued
// vouchers after filter.after_id are read a page at a time: a listing costs
// a read of the issued vouchers in the caller's scope, which officers open
// rarely.
absl::StatusOr<std::vector<store::VoucherEntitlementRow>> ListNeedingDecision(
    store::ReadTransaction& tx, store::ProgrammeFilter filter) {
  const int wanted = filter.limit;
  filter.limit = 500;
  std::vector<store::VoucherEntitlementRow> out;
  while (static_cast<int>(out.size()) < wanted) {
    RECIP_ASSIGN_OR_RETURN(std::vector<store::VoucherEntitlementRow> rows,
                           tx.ListVoucherEntitlements(filter));
    for (store::VoucherEntitlementRow& row : rows) {
      RECIP_ASSIGN_OR_RETURN(v1::VoucherEntitlement e, EntitlementFromRow(row));
      if (e.needs_decision()) out.push_back(std::move(row));
      if (static_cast<int>(out.size()) == wanted) break;
    }
    if (static_cast<int>(rows.size()) < filter.limit) break;
    filter.after_id = rows.back().id;
  }
  return out;
}

constexpr int kMaxAttendanceMinutes = 24 * 60;
constexpr size_t kMaxSerialBytes = 64;

bool IsPrintableAscii(absl::string_view s) {
  for (char c : s) {
    if (!absl::ascii_isprint(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

}  // namespace

absl::StatusOr<v1::Attendance> ProgrammeService::RecordAttendance(
    const Principal& caller, const v1::RecordAttendanceRequest& request) {
  RECIP_RETURN_IF_ERROR(ValidateRequestId("request_id", request.request_id()));
  RECIP_ASSIGN_OR_RETURN(int64_t session_id,
                         ParseSessionName("session", request.session()));
  RECIP_ASSIGN_OR_RETURN(
      std::string participant_id,
      ParseParticipantName("participant", request.participant()));
  if (request.minutes() < 0 || request.minutes() > kMaxAttendanceMinutes) {
    return absl::InvalidArgumentError("minutes: must be between 0 and 1440");
  }
  const int64_t now = absl::ToUnixMicros(clock_.Now());
  const absl::CivilDay today = clock_.TodayInLondon();
  return RunIdempotent<v1::Attendance>(
      store_, caller, "RecordAttendance", request, request.request_id(), now,
      [&](store::WriteTransaction& tx) -> absl::StatusOr<v1::Attendance> {
        RECIP_ASSIGN_OR_RETURN(
            store::SessionRow session,
            FindSessionForOfficer(tx, caller, "session", request.session(),
                                  session_id));
        RECIP_ASSIGN_OR_RETURN(
            store::ParticipantRow participant,
            FindActiveParticipant(tx, "participant", participant_id));
        RECIP_ASSIGN_OR_RETURN(
            absl::CivilDay session_date,
            ParseDateField("session.date", session.session_date));
        RECIP_RETURN_IF_ERROR(CheckSessionNotCancelled(session, "session"));
        if (session_date > today) {
          return absl::FailedPreconditionError(absl::StrCat(
              "session: ", request.session(), " is on ", session.session_date,
              "; record attendance after it has happened"));
        }
        RECIP_RETURN_IF_ERROR(
            CheckMinutesFitSession("minutes", request.minutes(), session));
        if (request.has_creche_used() && request.creche_used() &&
            !session.creche_provided) {
          return absl::FailedPreconditionError(
              "creche_used: this session has no crèche, so no child can have "
              "used it");
        }
        RECIP_ASSIGN_OR_RETURN(std::optional<store::AttendanceRow> existing,
                               tx.FindAttendance(session_id, participant_id));
        if (existing.has_value()) {
          return absl::AlreadyExistsError(
              absl::StrCat("attendance of ", request.participant(), " at ",
                           request.session(), " is already recorded"));
        }
        auto area = policies_.Find(session.area_id);
        if (area == nullptr) {
          return absl::FailedPreconditionError(absl::StrCat(
              "the rule file of ", session.area_id, " is not loaded"));
        }
        RECIP_ASSIGN_OR_RETURN(
            const policy::VoucherDecision decision,
            JudgeVoucher(tx, *area, session, participant, request.minutes(),
                         /*leave_out_pence=*/0));

        v1::VoucherEntitlement e;
        e.set_participant(request.participant());
        e.set_session(request.session());
        e.set_project(ProjectResourceName(session.area_id, session.project_id));
        e.set_session_date(session.session_date);
        SetVoucherDecision(decision, e);
        *e.mutable_create_time() = TimeUtil::MicrosecondsToTimestamp(now);
        store::VoucherEntitlementRow row;
        row.participant_id = participant_id;
        row.session_id = session_id;
        row.area_id = session.area_id;
        row.project_id = session.project_id;
        row.session_date = session.session_date;
        row.value_pence = decision.value_pence;
        row.state = e.state();
        row.create_time_micros = now;
        row.update_time_micros = now;
        row.body = e.SerializeAsString();
        RECIP_ASSIGN_OR_RETURN(int64_t entitlement_id,
                               tx.InsertVoucherEntitlement(row));
        e.set_name(VoucherEntitlementName(entitlement_id));

        store::AttendanceRow attendance;
        attendance.session_id = session_id;
        attendance.participant_id = participant_id;
        attendance.minutes = request.minutes();
        attendance.entitlement_id = entitlement_id;
        attendance.recorded_by = caller.id;
        attendance.create_time_micros = now;
        if (request.has_creche_used()) {
          attendance.creche_used = request.creche_used();
        }
        RECIP_RETURN_IF_ERROR(tx.InsertAttendance(attendance));

        v1::Attendance out;
        out.set_name(AttendanceName(session_id, participant_id));
        out.set_participant(request.participant());
        out.set_minutes(request.minutes());
        out.set_recorded_by(caller.id);
        if (request.has_creche_used()) {
          out.set_creche_used(request.creche_used());
        }
        *out.mutable_voucher_entitlement() = std::move(e);
        return out;
      });
}

absl::StatusOr<v1::ListVoucherEntitlementsResponse>
ProgrammeService::ListVoucherEntitlements(
    const Principal& caller,
    const v1::ListVoucherEntitlementsRequest& request) {
  const std::string kind = ListingKind("voucherEntitlements", request);
  store::ProgrammeFilter filter;
  RECIP_ASSIGN_OR_RETURN(filter.limit, PageLimit(request.page_size()));
  RECIP_ASSIGN_OR_RETURN(filter.after_id,
                         ParseIdPageToken(kind, request.page_token()));
  if (!request.participant().empty()) {
    RECIP_ASSIGN_OR_RETURN(
        filter.participant_id,
        ParseParticipantName("participant", request.participant()));
  }
  if (!v1::VoucherEntitlementState_IsValid(request.state())) {
    return absl::InvalidArgumentError("state: not an entitlement state");
  }
  filter.state = request.state();
  if (request.needs_decision()) {
    // Only a voucher given can be flagged.
    if (filter.state != 0 &&
        filter.state != v1::VOUCHER_ENTITLEMENT_STATE_ISSUED) {
      return absl::InvalidArgumentError(
          "state: vouchers needing a decision are all ISSUED");
    }
    filter.state = v1::VOUCHER_ENTITLEMENT_STATE_ISSUED;
  }
  RECIP_RETURN_IF_ERROR(
      NarrowToCallerScope(caller, filter.participant_id, filter.area_ids_in));
  v1::ListVoucherEntitlementsResponse response;
  RECIP_RETURN_IF_ERROR(
      (ReadPage<store::VoucherEntitlementRow, v1::VoucherEntitlement>(
          store_, filter.limit, kind,
          [&](store::ReadTransaction& tx) {
            return request.needs_decision()
                       ? ListNeedingDecision(tx, filter)
                       : tx.ListVoucherEntitlements(filter);
          },
          EntitlementFromRow, IdKey<store::VoucherEntitlementRow>,
          response.mutable_voucher_entitlements(),
          response.mutable_next_page_token())));
  return response;
}

absl::StatusOr<v1::VoucherEntitlement> ProgrammeService::IssueVoucher(
    const Principal& caller, const v1::IssueVoucherRequest& request) {
  RECIP_RETURN_IF_ERROR(ValidateRequestId("request_id", request.request_id()));
  RECIP_ASSIGN_OR_RETURN(int64_t id,
                         ParseVoucherEntitlementName("name", request.name()));
  if (request.serial().empty() || request.serial().size() > kMaxSerialBytes ||
      !IsPrintableAscii(request.serial())) {
    return absl::InvalidArgumentError(
        "serial: required, up to 64 printable characters as on the voucher");
  }
  const int64_t now = absl::ToUnixMicros(clock_.Now());
  return RunIdempotent<v1::VoucherEntitlement>(
      store_, caller, "IssueVoucher", request, request.request_id(), now,
      [&](store::WriteTransaction& tx)
          -> absl::StatusOr<v1::VoucherEntitlement> {
        auto row = FindVoucherForOfficer(tx, caller, request.name(), id);
        if (!row.ok()) return row.status();
        RECIP_ASSIGN_OR_RETURN(v1::VoucherEntitlement e,
                               EntitlementFromRow(*row));
        if (e.state() == v1::VOUCHER_ENTITLEMENT_STATE_ISSUED) {
          return absl::FailedPreconditionError(absl::StrCat(
              request.name(), " was already issued, serial ", e.serial()));
        }
        if (e.state() != v1::VOUCHER_ENTITLEMENT_STATE_EARNED) {
          return absl::FailedPreconditionError(
              absl::StrCat(request.name(), " earned no voucher: ", e.reason()));
        }
        e.set_state(v1::VOUCHER_ENTITLEMENT_STATE_ISSUED);
        e.set_serial(request.serial());
        e.set_issued_by(caller.id);
        *e.mutable_issue_time() = TimeUtil::MicrosecondsToTimestamp(now);
        RECIP_RETURN_IF_ERROR(SaveEntitlement(tx, e, *row, now));
        return e;
      });
}

}  // namespace reciprocity
