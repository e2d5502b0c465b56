#include "server/domain/privacy_service.h"

#include <algorithm>
#include <optional>
#include <set>

#include "absl/strings/str_cat.h"
#include "base/logging.h"
#include "base/status_macros.h"
#include "google/protobuf/util/time_util.h"
#include "server/domain/audit.h"
#include "server/domain/claim_service.h"
#include "server/domain/idempotency.h"
#include "server/domain/names.h"
#include "server/domain/programme_service.h"

namespace reciprocity {
namespace {

using google::protobuf::util::TimeUtil;

constexpr char kRetentionSetting[] = "retention_policy";
constexpr char kRetentionPolicyName[] = "retentionPolicy";
constexpr int kMaxRetentionDays = 36500;
constexpr int kPage = 1000;
constexpr char kClearedReason[] =
    "The reviewer's reason was removed when the participant's record was "
    "anonymised.";
constexpr char kClearedCorrection[] =
    "The reason for the correction was removed when the participant's record "
    "was anonymised.";

absl::Status MayExport(const Principal& caller, const std::string& id) {
  if (caller.HasRole(v1::ROLE_OFFICER) ||
      caller.HasRole(v1::ROLE_ADMINISTRATOR) ||
      caller.HasRole(v1::ROLE_AUDITOR)) {
    return absl::OkStatus();
  }
  if (caller.HasRole(v1::ROLE_PARTICIPANT) && caller.participant_id == id) {
    return absl::OkStatus();
  }
  return absl::PermissionDeniedError("you may export only your own data");
}

// Whether the caller sees the participant's records in `area`.
bool SeesArea(const Principal& caller, const std::string& participant_id,
              absl::string_view area) {
  if (caller.HasRole(v1::ROLE_PARTICIPANT) &&
      caller.participant_id == participant_id) {
    return true;
  }
  return caller.HasRoleIn(v1::ROLE_OFFICER, area) ||
         caller.HasRoleIn(v1::ROLE_ADMINISTRATOR, area) ||
         caller.HasRoleIn(v1::ROLE_AUDITOR, area);
}

absl::Status MustBeAdministrator(const Principal& caller) {
  if (caller.HasRole(v1::ROLE_ADMINISTRATOR)) return absl::OkStatus();
  return absl::PermissionDeniedError("only administrators may do this");
}

absl::Status CheckRetentionName(absl::string_view field,
                                absl::string_view name) {
  if (name.empty() || name == kRetentionPolicyName) return absl::OkStatus();
  return absl::InvalidArgumentError(
      absl::StrCat(field, ": the only retention policy is 'retentionPolicy'"));
}

absl::StatusOr<v1::RetentionPolicy> ReadRetention(store::ReadTransaction& tx) {
  RECIP_ASSIGN_OR_RETURN(std::optional<std::string> stored,
                         tx.GetSetting(kRetentionSetting));
  v1::RetentionPolicy policy;
  if (stored.has_value() && !policy.ParseFromString(*stored)) {
    return absl::InternalError("the stored retention policy is unreadable");
  }
  policy.set_name(kRetentionPolicyName);
  return policy;
}

// Every entitlement (or agreement) row of the participant, page by page.
template <typename Row>
absl::StatusOr<std::vector<Row>> AllOf(
    const std::string& participant_id,
    const std::function<absl::StatusOr<std::vector<Row>>(
        const store::ProgrammeFilter&)>& list) {
  store::ProgrammeFilter filter;
  filter.participant_id = participant_id;
  filter.limit = kPage;
  std::vector<Row> all;
  for (;;) {
    RECIP_ASSIGN_OR_RETURN(std::vector<Row> page, list(filter));
    all.insert(all.end(), page.begin(), page.end());
    if (static_cast<int>(page.size()) < kPage) return all;
    filter.after_id = page.back().id;
  }
}

// Every audit event about `record`, oldest first.
absl::Status AddAuditEvents(store::ReadTransaction& tx,
                            const std::string& record,
                            std::vector<store::AuditRow>& out) {
  store::AuditFilter filter;
  filter.record = record;
  filter.limit = kPage;
  for (;;) {
    RECIP_ASSIGN_OR_RETURN(std::vector<store::AuditRow> page,
                           tx.ListAuditEvents(filter));
    out.insert(out.end(), page.begin(), page.end());
    if (static_cast<int>(page.size()) < kPage) return absl::OkStatus();
    filter.after_sequence = page.back().sequence;
  }
}

// The names of every record about the participant, in any area.
struct ParticipantRecords {
  std::vector<store::ClaimRow> claims;
  std::vector<store::AttendanceRow> attendances;
  std::vector<store::SessionRow> attendance_sessions;  // one per attendance
  std::vector<store::VoucherEntitlementRow> entitlements;
  std::vector<store::AgreementRow> agreements;
};

absl::StatusOr<ParticipantRecords> GatherRecords(store::ReadTransaction& tx,
                                                 const std::string& id) {
  ParticipantRecords r;
  store::ClaimFilter claims;
  claims.participant_id = id;
  RECIP_RETURN_IF_ERROR(
      tx.ScanClaims(claims, [&](const store::ClaimRow& row) -> absl::Status {
        r.claims.push_back(row);
        return absl::OkStatus();
      }));
  RECIP_ASSIGN_OR_RETURN(r.attendances, tx.ListAttendancesOfParticipant(id));
  for (const auto& a : r.attendances) {
    RECIP_ASSIGN_OR_RETURN(store::SessionRow session,
                           tx.GetSession(a.session_id));
    r.attendance_sessions.push_back(std::move(session));
  }
  RECIP_ASSIGN_OR_RETURN(r.entitlements,
                         AllOf<store::VoucherEntitlementRow>(
                             id, [&](const store::ProgrammeFilter& f) {
                               return tx.ListVoucherEntitlements(f);
                             }));
  RECIP_ASSIGN_OR_RETURN(
      r.agreements,
      AllOf<store::AgreementRow>(id, [&](const store::ProgrammeFilter& f) {
        return tx.ListAgreements(f);
      }));
  return r;
}

// The latest session the participant attended or claimed for; their
// registration date when there is none.
absl::StatusOr<absl::CivilDay> LastActivity(const ParticipantRecords& records,
                                            const v1::Participant& p) {
  std::optional<absl::CivilDay> last;
  auto consider = [&](const std::string& date) -> absl::Status {
    RECIP_ASSIGN_OR_RETURN(absl::CivilDay day,
                           ParseDateField("session_date", date));
    if (!last.has_value() || day > *last) last = day;
    return absl::OkStatus();
  };
  for (const auto& c : records.claims) {
    RECIP_RETURN_IF_ERROR(consider(c.session_date));
  }
  for (const auto& s : records.attendance_sessions) {
    RECIP_RETURN_IF_ERROR(consider(s.session_date));
  }
  if (last.has_value()) return *last;
  return absl::ToCivilDay(
      absl::FromUnixMicros(TimeUtil::TimestampToMicroseconds(p.create_time())),
      LondonTimeZone());
}

}  // namespace

bool ClearClaimFreeText(v1::Claim& claim) {
  bool changed = false;
  // The versions an amendment replaced hold the same kinds of free text.
  for (auto& version : *claim.mutable_earlier_versions()) {
    v1::Claim earlier;
    *earlier.mutable_lines() = std::move(*version.mutable_lines());
    *earlier.mutable_decision() = std::move(*version.mutable_decision());
    changed |= ClearClaimFreeText(earlier);
    *version.mutable_lines() = std::move(*earlier.mutable_lines());
    *version.mutable_decision() = std::move(*earlier.mutable_decision());
    changed |= !version.reason().empty();
    version.clear_reason();
  }
  for (auto& line : *claim.mutable_lines()) {
    changed |= !line.description().empty();
    line.clear_description();
  }
  for (auto& line : *claim.mutable_decision()->mutable_lines()) {
    changed |= !line.appeal_comment().empty();
    line.clear_appeal_comment();
    if (line.has_review() && line.reason() != kClearedReason) {
      line.set_reason(kClearedReason);
      changed = true;
    }
  }
  return changed;
}

absl::StatusOr<v1::ExportParticipantDataResponse>
PrivacyService::ExportParticipantData(
    const Principal& caller, const v1::ExportParticipantDataRequest& request) {
  RECIP_ASSIGN_OR_RETURN(std::string id,
                         ParseParticipantName("name", request.name()));
  RECIP_RETURN_IF_ERROR(MayExport(caller, id));
  v1::ExportParticipantDataResponse out;
  RECIP_RETURN_IF_ERROR(store_.Read([&](store::ReadTransaction& tx)
                                        -> absl::Status {
    auto row = tx.GetParticipant(id);
    if (absl::IsNotFound(row.status())) {
      return absl::NotFoundError(absl::StrCat(request.name(), " not found"));
    }
    if (!row.ok()) return row.status();
    RECIP_ASSIGN_OR_RETURN(*out.mutable_participant(),
                           ParticipantFromRow(*row));
    RECIP_ASSIGN_OR_RETURN(ParticipantRecords records, GatherRecords(tx, id));
    std::vector<std::string> names = {ParticipantName(id)};
    for (const auto& c : records.claims) {
      if (!SeesArea(caller, id, c.area_id)) continue;
      RECIP_ASSIGN_OR_RETURN(*out.add_claims(), ClaimFromRow(c));
      names.push_back(ClaimName(c.id));
    }
    for (size_t i = 0; i < records.attendances.size(); ++i) {
      const store::AttendanceRow& a = records.attendances[i];
      if (!SeesArea(caller, id, records.attendance_sessions[i].area_id)) {
        continue;
      }
      v1::Attendance* attendance = out.add_attendances();
      attendance->set_name(AttendanceName(a.session_id, id));
      attendance->set_participant(ParticipantName(id));
      attendance->set_minutes(a.minutes);
      attendance->set_recorded_by(a.recorded_by);
      if (a.creche_used.has_value())
        attendance->set_creche_used(*a.creche_used);
      attendance->set_correction_reason(a.correction_reason);
      attendance->set_corrected_by(a.corrected_by);
      if (a.entitlement_id != 0) {
        RECIP_ASSIGN_OR_RETURN(store::VoucherEntitlementRow e,
                               tx.GetVoucherEntitlement(a.entitlement_id));
        RECIP_ASSIGN_OR_RETURN(*attendance->mutable_voucher_entitlement(),
                               EntitlementFromRow(e));
      }
      names.push_back(attendance->name());
    }
    for (const auto& e : records.entitlements) {
      if (!SeesArea(caller, id, e.area_id)) continue;
      RECIP_ASSIGN_OR_RETURN(*out.add_voucher_entitlements(),
                             EntitlementFromRow(e));
      names.push_back(VoucherEntitlementName(e.id));
    }
    for (const auto& a : records.agreements) {
      if (!SeesArea(caller, id, a.area_id)) continue;
      RECIP_ASSIGN_OR_RETURN(*out.add_agreements(), AgreementFromRow(a));
      names.push_back(AgreementName(a.id));
    }
    std::vector<store::AuditRow> events;
    for (const auto& name : names) {
      RECIP_RETURN_IF_ERROR(AddAuditEvents(tx, name, events));
    }
    std::sort(events.begin(), events.end(),
              [](const store::AuditRow& a, const store::AuditRow& b) {
                return a.sequence < b.sequence;
              });
    for (const auto& e : events) *out.add_audit_events() = AuditEventFromRow(e);
    return absl::OkStatus();
  }));
  *out.mutable_export_time() =
      TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(clock_.Now()));
  return out;
}

absl::StatusOr<v1::Participant> PrivacyService::AnonymiseParticipant(
    const Principal& caller, const v1::AnonymiseParticipantRequest& request) {
  RECIP_RETURN_IF_ERROR(MustBeAdministrator(caller));
  RECIP_ASSIGN_OR_RETURN(std::string id,
                         ParseParticipantName("name", request.name()));
  RECIP_RETURN_IF_ERROR(ValidateRequestId("request_id", request.request_id()));
  const int64_t now = absl::ToUnixMicros(clock_.Now());
  const absl::CivilDay today = clock_.TodayInLondon();
  auto anonymised = RunIdempotent<v1::Participant>(
      store_, caller, "AnonymiseParticipant", request, request.request_id(),
      now, [&](store::WriteTransaction& tx) -> absl::StatusOr<v1::Participant> {
        auto row = tx.GetParticipant(id);
        if (absl::IsNotFound(row.status())) {
          return absl::NotFoundError(
              absl::StrCat(request.name(), " not found"));
        }
        if (!row.ok()) return row.status();
        RECIP_ASSIGN_OR_RETURN(v1::Participant p, ParticipantFromRow(*row));
        if (p.state() == v1::PARTICIPANT_STATE_ANONYMISED) {
          return absl::FailedPreconditionError(
              absl::StrCat("name: ", request.name(), " is already anonymised"));
        }
        RECIP_ASSIGN_OR_RETURN(v1::RetentionPolicy retention,
                               ReadRetention(tx));
        if (retention.retention_days() <= 0) {
          return absl::FailedPreconditionError(
              "no retention period is set; an administrator must set one "
              "first (recip admin retention set DAYS)");
        }
        RECIP_ASSIGN_OR_RETURN(ParticipantRecords records,
                               GatherRecords(tx, id));
        RECIP_ASSIGN_OR_RETURN(absl::CivilDay last, LastActivity(records, p));
        const absl::CivilDay possible = last + retention.retention_days();
        if (today < possible) {
          return absl::FailedPreconditionError(absl::StrCat(
              "name: ", request.name(), " was last active on ",
              policy::FormatIsoDate(last), "; with a retention period of ",
              retention.retention_days(), " days it can be anonymised from ",
              policy::FormatIsoDate(possible)));
        }

        p.set_display_name(kAnonymisedDisplayName);
        p.clear_contact();
        p.set_state(v1::PARTICIPANT_STATE_ANONYMISED);
        *p.mutable_update_time() = TimeUtil::MicrosecondsToTimestamp(now);
        p.set_updated_by(caller.id);
        // Nobody acts for an anonymised record, and who once did goes too.
        p.clear_appointees();
        p.clear_updated_on_behalf_of();
        RECIP_RETURN_IF_ERROR(tx.UpdateParticipant(ParticipantToRow(id, p)));

        std::vector<std::string> names = {ParticipantName(id)};
        for (store::ClaimRow c : records.claims) {
          names.push_back(ClaimName(c.id));
          v1::Claim claim;
          if (!claim.ParseFromString(c.body)) {
            return absl::InternalError(
                absl::StrCat(ClaimName(c.id), " is unreadable"));
          }
          if (!ClearClaimFreeText(claim)) continue;
          c.body = claim.SerializeAsString();
          RECIP_RETURN_IF_ERROR(tx.UpdateClaim(c));
        }
        for (const auto& a : records.agreements) {
          names.push_back(AgreementName(a.id));
          RECIP_ASSIGN_OR_RETURN(v1::Agreement agreement, AgreementFromRow(a));
          if (agreement.note().empty()) continue;
          agreement.clear_note();
          agreement.clear_name();
          RECIP_RETURN_IF_ERROR(
              tx.UpdateAgreementBody(a.id, agreement.SerializeAsString()));
        }
        // Corrections carry an officer's words about the participant.
        for (store::AttendanceRow a : records.attendances) {
          names.push_back(AttendanceName(a.session_id, id));
          if (a.correction_reason.empty()) continue;
          a.correction_reason = kClearedCorrection;
          RECIP_RETURN_IF_ERROR(tx.UpdateAttendance(a));
        }
        for (store::VoucherEntitlementRow e : records.entitlements) {
          names.push_back(VoucherEntitlementName(e.id));
          RECIP_ASSIGN_OR_RETURN(v1::VoucherEntitlement entitlement,
                                 EntitlementFromRow(e));
          if (entitlement.correction_note().empty()) continue;
          entitlement.set_correction_note(kClearedCorrection);
          entitlement.clear_name();
          e.body = entitlement.SerializeAsString();
          RECIP_RETURN_IF_ERROR(tx.UpdateVoucherEntitlement(e));
        }
        // Remembered answers to past requests about these records can hold
        // the name, contact and free text too.
        std::vector<store::AuditRow> events;
        for (const auto& name : names) {
          RECIP_RETURN_IF_ERROR(AddAuditEvents(tx, name, events));
        }
        std::set<std::string> request_ids;
        for (const auto& e : events) request_ids.insert(e.request_id);
        for (const auto& request_id : request_ids) {
          RECIP_RETURN_IF_ERROR(tx.ClearRequestResponse(request_id));
        }
        p.set_name(ParticipantName(id));
        return p;
      });
  if (!anonymised.ok()) return anonymised;
  // The records no longer hold the data; make sure the files do not either
  // (the old versions of the pages are still in the write-ahead log). If
  // readers hold it up, the next checkpoints overwrite them in time.
  if (absl::Status erased = store_.EraseOverwrittenPages(); !erased.ok()) {
    LogWarn("anonymise_erase_pending",
            {{"participant", ParticipantName(id)},
             {"code", absl::StatusCodeToString(erased.code())}});
  }
  return anonymised;
}

absl::StatusOr<v1::RetentionPolicy> PrivacyService::GetRetentionPolicy(
    const Principal& caller, const v1::GetRetentionPolicyRequest& request) {
  RECIP_RETURN_IF_ERROR(CheckRetentionName("name", request.name()));
  v1::RetentionPolicy policy;
  RECIP_RETURN_IF_ERROR(
      store_.Read([&](store::ReadTransaction& tx) -> absl::Status {
        RECIP_ASSIGN_OR_RETURN(policy, ReadRetention(tx));
        return absl::OkStatus();
      }));
  return policy;
}

absl::StatusOr<v1::RetentionPolicy> PrivacyService::UpdateRetentionPolicy(
    const Principal& caller, const v1::UpdateRetentionPolicyRequest& request) {
  RECIP_RETURN_IF_ERROR(MustBeAdministrator(caller));
  RECIP_RETURN_IF_ERROR(CheckRetentionName("retention_policy.name",
                                           request.retention_policy().name()));
  const int days = request.retention_policy().retention_days();
  if (days < 1 || days > kMaxRetentionDays) {
    return absl::InvalidArgumentError(
        "retention_policy.retention_days: must be 1 to 36500 days");
  }
  RECIP_RETURN_IF_ERROR(ValidateRequestId("request_id", request.request_id()));
  const int64_t now = absl::ToUnixMicros(clock_.Now());
  return RunIdempotent<v1::RetentionPolicy>(
      store_, caller, "UpdateRetentionPolicy", request, request.request_id(),
      now,
      [&](store::WriteTransaction& tx) -> absl::StatusOr<v1::RetentionPolicy> {
        v1::RetentionPolicy policy;
        policy.set_name(kRetentionPolicyName);
        policy.set_retention_days(days);
        *policy.mutable_update_time() = TimeUtil::MicrosecondsToTimestamp(now);
        policy.set_updated_by(caller.id);
        RECIP_RETURN_IF_ERROR(
            tx.PutSetting(kRetentionSetting, policy.SerializeAsString(), now));
        return policy;
      });
}

}  // namespace reciprocity
