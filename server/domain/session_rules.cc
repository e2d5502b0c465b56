#include "server/domain/session_rules.h"

#include <algorithm>
#include <cstring>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "server/domain/claim_validation.h"
#include "server/domain/names.h"
#include "server/domain/programme_service.h"

namespace reciprocity {

absl::StatusOr<AttendanceKey> ParseAttendanceName(absl::string_view field,
                                                  absl::string_view name) {
  const size_t split = name.find("/attendances/");
  if (split == absl::string_view::npos) {
    return absl::InvalidArgumentError(
        absl::StrCat(field,
                     ": expected sessions/{session}/attendances/{participant}, "
                     "e.g. sessions/3/attendances/p-0001"));
  }
  AttendanceKey key;
  RECIP_ASSIGN_OR_RETURN(key.session_id,
                         ParseSessionName(field, name.substr(0, split)));
  RECIP_ASSIGN_OR_RETURN(
      key.participant_id,
      ParseParticipantName(
          field, absl::StrCat("participants/",
                              name.substr(split + strlen("/attendances/")))));
  return key;
}

bool IsCancelled(const v1::Session& session) {
  return session.state() == v1::SESSION_STATE_CANCELLED;
}

absl::Status CheckSessionNotCancelled(const store::SessionRow& row,
                                      absl::string_view field) {
  RECIP_ASSIGN_OR_RETURN(v1::Session session, SessionFromRow(row));
  if (!IsCancelled(session)) return absl::OkStatus();
  return absl::FailedPreconditionError(absl::StrCat(
      field, ": ", session.name(),
      " was cancelled, so you can not add to it now. If you went, ask us."));
}

absl::StatusOr<int> SessionLengthMinutes(const v1::Session& session) {
  RECIP_ASSIGN_OR_RETURN(
      int start, ParseTimeOfDay("session.start_time", session.start_time()));
  RECIP_ASSIGN_OR_RETURN(
      int end, ParseTimeOfDay("session.end_time", session.end_time()));
  return end - start;
}

absl::Status CheckMinutesFitSession(absl::string_view field, int minutes,
                                    const store::SessionRow& row) {
  RECIP_ASSIGN_OR_RETURN(v1::Session session, SessionFromRow(row));
  RECIP_ASSIGN_OR_RETURN(int length, SessionLengthMinutes(session));
  if (minutes <= length) return absl::OkStatus();
  return absl::InvalidArgumentError(absl::StrCat(
      field, ": ", minutes, " minutes is longer than the session, which ran ",
      session.start_time(), " to ", session.end_time(), " (", length,
      " minutes)"));
}

absl::Status ValidateCorrectionReason(absl::string_view field,
                                      absl::string_view reason) {
  if (reason.empty() || reason.size() > kMaxDescriptionBytes) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": required; say why, in up to 500 characters"));
  }
  return CheckFreeText(field, reason, TextLines::kMany);
}

void SetVoucherDecision(const policy::VoucherDecision& decision,
                        v1::VoucherEntitlement& e) {
  e.set_value_pence(decision.value_pence);
  e.set_provider(decision.provider);
  e.set_rule(decision.rule);
  e.set_reason(decision.reason);
  e.set_state(decision.value_pence > 0
                  ? v1::VOUCHER_ENTITLEMENT_STATE_EARNED
                  : v1::VOUCHER_ENTITLEMENT_STATE_NOT_EARNED);
}

const std::vector<int>& CountedVoucherStates() {
  static const std::vector<int> kStates = {
      v1::VOUCHER_ENTITLEMENT_STATE_EARNED,
      v1::VOUCHER_ENTITLEMENT_STATE_ISSUED};
  return kStates;
}

absl::StatusOr<policy::VoucherDecision> JudgeVoucher(
    store::ReadTransaction& tx, const policy::AreaPolicy& area,
    const store::SessionRow& session, const store::ParticipantRow& participant,
    int minutes, int64_t leave_out_pence) {
  RECIP_ASSIGN_OR_RETURN(absl::CivilDay session_date,
                         ParseDateField("session.date", session.session_date));
  policy::VoucherFacts facts;
  facts.project_id = session.project_id;
  facts.session_date = session_date;
  facts.participant_type =
      static_cast<v1::ParticipantType>(participant.participant_type);
  facts.minutes_attended = minutes;
  facts.participant_declined =
      participant.payment_preference == v1::PAYMENT_METHOD_DECLINE;
  RECIP_ASSIGN_OR_RETURN(
      int64_t earned,
      tx.SumVoucherPence(
          participant.id, session.area_id,
          policy::FormatIsoDate(policy::TaxYearStart(session_date)),
          policy::FormatIsoDate(policy::TaxYearEnd(session_date)),
          CountedVoucherStates()));
  facts.earned_earlier_in_year_pence =
      std::max<int64_t>(0, earned - leave_out_pence);
  return policy::EvaluateVoucher(area, facts);
}

}  // namespace reciprocity
