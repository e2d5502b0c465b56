// Appointees: principals named on a participant's record who may act for
// them (acting_for.h). Officers of any area keep the list, as they keep the
// council-wide register.
#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "google/protobuf/util/time_util.h"
#include "server/domain/access.h"
#include "server/domain/acting_for.h"
#include "server/domain/idempotency.h"
#include "server/domain/names.h"
#include "server/domain/programme_service.h"

namespace reciprocity {
namespace {

using google::protobuf::util::TimeUtil;

struct AppointeeChange {
  std::string participant_id;
  std::string appointee;
};

absl::StatusOr<AppointeeChange> ValidateAppointeeChange(
    const Principal& caller, absl::string_view participant,
    absl::string_view appointee, absl::string_view request_id) {
  if (!caller.HasRole(v1::ROLE_OFFICER)) {
    return absl::PermissionDeniedError("only officers may name appointees");
  }
  RECIP_RETURN_IF_ERROR(ValidateRequestId("request_id", request_id));
  AppointeeChange change;
  RECIP_ASSIGN_OR_RETURN(change.participant_id,
                         ParseParticipantName("participant", participant));
  // A principal id, never a person's name: it reaches logs and audit events.
  if (!IsValidId(appointee)) {
    return absl::InvalidArgumentError(
        "appointee: a principal id from the principals file, 1-63 of a-z, "
        "0-9 and '-', e.g. carer-0007");
  }
  change.appointee = std::string(appointee);
  return change;
}

// Saves the participant's changed list of appointees as `caller`'s change.
absl::StatusOr<v1::Participant> SaveAppointees(store::WriteTransaction& tx,
                                               const Principal& caller,
                                               const AppointeeChange& change,
                                               int64_t now, v1::Participant p) {
  *p.mutable_update_time() = TimeUtil::MicrosecondsToTimestamp(now);
  p.set_updated_by(caller.id);
  p.clear_updated_on_behalf_of();
  RECIP_RETURN_IF_ERROR(
      tx.UpdateParticipant(ParticipantToRow(change.participant_id, p)));
  return p;
}

}  // namespace

absl::StatusOr<v1::Participant> ProgrammeService::AddAppointee(
    const Principal& caller, const v1::AddAppointeeRequest& request) {
  RECIP_ASSIGN_OR_RETURN(
      AppointeeChange change,
      ValidateAppointeeChange(caller, request.participant(),
                              request.appointee(), request.request_id()));
  const int64_t now = absl::ToUnixMicros(clock_.Now());
  return RunIdempotent<v1::Participant>(
      store_, caller, "AddAppointee", request, request.request_id(), now,
      [&](store::WriteTransaction& tx) -> absl::StatusOr<v1::Participant> {
        RECIP_ASSIGN_OR_RETURN(
            store::ParticipantRow row,
            FindActiveParticipant(tx, "participant", change.participant_id));
        RECIP_ASSIGN_OR_RETURN(v1::Participant p, ParticipantFromRow(row));
        if (IsAppointeeOf(p, change.appointee)) {
          return absl::AlreadyExistsError(absl::StrCat(
              "appointee: ", change.appointee, " already acts for ",
              request.participant()));
        }
        if (p.appointees_size() >= kMaxAppointees) {
          return absl::FailedPreconditionError(absl::StrCat(
              "appointee: ", request.participant(), " already has ",
              kMaxAppointees, " appointees; remove one first"));
        }
        p.add_appointees(change.appointee);
        return SaveAppointees(tx, caller, change, now, std::move(p));
      });
}

absl::StatusOr<v1::Participant> ProgrammeService::RemoveAppointee(
    const Principal& caller, const v1::RemoveAppointeeRequest& request) {
  RECIP_ASSIGN_OR_RETURN(
      AppointeeChange change,
      ValidateAppointeeChange(caller, request.participant(),
                              request.appointee(), request.request_id()));
  const int64_t now = absl::ToUnixMicros(clock_.Now());
  return RunIdempotent<v1::Participant>(
      store_, caller, "RemoveAppointee", request, request.request_id(), now,
      [&](store::WriteTransaction& tx) -> absl::StatusOr<v1::Participant> {
        auto row = tx.GetParticipant(change.participant_id);
        if (absl::IsNotFound(row.status())) {
          return absl::NotFoundError(
              absl::StrCat("participant: ", request.participant(),
                           " is not registered"));
        }
        if (!row.ok()) return row.status();
        RECIP_ASSIGN_OR_RETURN(v1::Participant p, ParticipantFromRow(*row));
        if (!IsAppointeeOf(p, change.appointee)) {
          return absl::NotFoundError(
              absl::StrCat("appointee: ", change.appointee, " does not act for ",
                           request.participant()));
        }
        auto* list = p.mutable_appointees();
        list->erase(std::remove(list->begin(), list->end(), change.appointee),
                    list->end());
        return SaveAppointees(tx, caller, change, now, std::move(p));
      });
}

}  // namespace reciprocity
