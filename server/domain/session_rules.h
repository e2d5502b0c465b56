// Rules a session sets for what is recorded against it, shared by the
// register, claims and corrections: a cancelled session takes nothing new,
// nobody attends for longer than it lasts, and the voucher an attendance
// earns is judged the same way whenever it is judged.
#ifndef RECIPROCITY_SERVER_DOMAIN_SESSION_RULES_H_
#define RECIPROCITY_SERVER_DOMAIN_SESSION_RULES_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "policy/policy.h"
#include "reciprocity/v1/programme.pb.h"
#include "server/store/store.h"

namespace reciprocity {

struct AttendanceKey {
  int64_t session_id = 0;
  std::string participant_id;
};

// "sessions/{session}/attendances/{participant}"; INVALID_ARGUMENT naming
// `field` when malformed.
absl::StatusOr<AttendanceKey> ParseAttendanceName(absl::string_view field,
                                                  absl::string_view name);

// Whether the session was cancelled (CancelSession).
bool IsCancelled(const v1::Session& session);

// FAILED_PRECONDITION naming `field` when the stored session was cancelled:
// nothing new (attendance, claims) may be recorded against it.
absl::Status CheckSessionNotCancelled(const store::SessionRow& row,
                                      absl::string_view field);

// How long the session lasts, in minutes (end_time - start_time).
absl::StatusOr<int> SessionLengthMinutes(const v1::Session& session);

// INVALID_ARGUMENT naming `field` when `minutes` is longer than the session
// lasts.
absl::Status CheckMinutesFitSession(absl::string_view field, int minutes,
                                    const store::SessionRow& row);

// What `minutes` at the session earns `participant` under `area`'s voucher
// rules. `leave_out_pence` is taken off what the participant earned earlier
// in the tax year: the value of the entitlement being judged again, so that
// it is not counted against itself.
absl::StatusOr<policy::VoucherDecision> JudgeVoucher(
    store::ReadTransaction& tx, const policy::AreaPolicy& area,
    const store::SessionRow& session, const store::ParticipantRow& participant,
    int minutes, int64_t leave_out_pence);

// INVALID_ARGUMENT naming `field` unless `reason` is 1-500 characters of
// free text: why a record was corrected.
absl::Status ValidateCorrectionReason(absl::string_view field,
                                      absl::string_view reason);

// Writes what `decision` says into `e`: value, provider, rule, reason, and
// state EARNED, or NOT_EARNED when it is worth nothing.
void SetVoucherDecision(const policy::VoucherDecision& decision,
                        v1::VoucherEntitlement& e);

// The entitlement states whose value counts towards the yearly cap.
const std::vector<int>& CountedVoucherStates();

}  // namespace reciprocity

#endif  // RECIPROCITY_SERVER_DOMAIN_SESSION_RULES_H_
