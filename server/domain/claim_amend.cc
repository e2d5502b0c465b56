// Amending a claim before it is approved: the new version is judged afresh,
// with the same rules and the same facts as a new claim (leaving out the
// version it replaces), and the old version is kept on the claim.
#include <cstring>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "google/protobuf/util/time_util.h"
#include "server/domain/access.h"
#include "server/domain/claim_service.h"
#include "server/domain/claim_validation.h"
#include "server/domain/idempotency.h"
#include "server/domain/names.h"

namespace reciprocity {
namespace {

using google::protobuf::util::TimeUtil;

// Keeps a claim's record, and what every read of it carries, small.
constexpr int kMaxVersions = 20;

// Why a claim in `state` can no longer be amended, in words the participant
// reads (checked to read above Flesch 95).
absl::Status NotAmendable(const std::string& name, v1::ClaimState state) {
  std::string why;
  switch (state) {
    case v1::CLAIM_STATE_APPROVED:
      why =
          "was approved, so you can not change it now. Ask us if it is "
          "wrong.";
      break;
    case v1::CLAIM_STATE_REJECTED:
      why =
          "was turned down, so you can not change it now. You can ask us to "
          "look at a line again.";
      break;
    case v1::CLAIM_STATE_WITHDRAWN:
      why = "was taken back, so you can not change it now. Make a new claim.";
      break;
    case v1::CLAIM_STATE_DECLINED:
      why =
          "is kept as a record, as you chose not to be paid. You can not "
          "change it now.";
      break;
    case v1::CLAIM_STATE_BATCHED:
      why = "is being paid, so you can not change it now.";
      break;
    case v1::CLAIM_STATE_PAID:
      why = "was paid, so you can not change it now.";
      break;
    default:
      why = absl::StrCat("is ", v1::ClaimState_Name(state),
                         ", so you can not change it now.");
  }
  return absl::FailedPreconditionError(
      absl::StrCat("claim.name: ", name, " ", why));
}

// The new version's request, with what may not change taken from the
// stored claim: INVALID_ARGUMENT naming the field when it tries.
absl::StatusOr<v1::Claim> AmendedClaim(const v1::Claim& in,
                                       const v1::Claim& stored) {
  v1::Claim next = in;
  if (next.participant().empty()) next.set_participant(stored.participant());
  if (next.participant() != stored.participant()) {
    return absl::InvalidArgumentError(
        "claim.participant: an amendment cannot change who the claim is for");
  }
  if (next.project().empty()) next.set_project(stored.project());
  if (next.project() != stored.project()) {
    return absl::InvalidArgumentError(
        "claim.project: an amendment cannot move a claim to another project; "
        "withdraw it and make a new claim");
  }
  if (next.session().empty() && next.session_date().empty()) {
    next.set_session(stored.session());
    next.set_session_date(stored.session_date());
  }
  if (!next.has_creche_provided() && stored.has_creche_provided()) {
    next.set_creche_provided(stored.creche_provided());
  }
  return next;
}

// The stored claim, as the version an amendment replaces.
v1::ClaimVersion VersionOf(const v1::Claim& claim, const Principal& caller,
                           const std::string& reason, int64_t now) {
  v1::ClaimVersion v;
  v.set_version(claim.version() == 0 ? 1 : claim.version());
  v.set_session(claim.session());
  v.set_session_date(claim.session_date());
  *v.mutable_lines() = claim.lines();
  *v.mutable_decision() = claim.decision();
  v.set_state(claim.state());
  v.set_claimed_total_pence(claim.claimed_total_pence());
  v.set_replaced_by(caller.id);
  *v.mutable_replace_time() = TimeUtil::MicrosecondsToTimestamp(now);
  v.set_reason(reason);
  return v;
}

}  // namespace

absl::StatusOr<v1::Claim> ClaimService::Amend(
    const Principal& caller, const v1::AmendClaimRequest& request) {
  RECIP_RETURN_IF_ERROR(ValidateRequestId("request_id", request.request_id()));
  const std::string& name = request.claim().name();
  RECIP_RETURN_IF_ERROR(ParseClaimName("claim.name", name).status());
  if (request.reason().size() > kMaxDescriptionBytes) {
    return absl::InvalidArgumentError("reason: at most 500 characters");
  }
  RECIP_RETURN_IF_ERROR(
      CheckFreeText("reason", request.reason(), TextLines::kMany));
  const int64_t now = absl::ToUnixMicros(clock_.Now());
  return Mutate(
      caller, "AmendClaim", request, name, request.request_id(),
      [&](v1::Claim& claim, store::ClaimRow& row,
          store::WriteTransaction& tx) -> absl::Status {
        RECIP_RETURN_IF_ERROR(
            CheckMayActFor(caller, row.participant_id, row.area_id));
        if (claim.state() != v1::CLAIM_STATE_SUBMITTED &&
            claim.state() != v1::CLAIM_STATE_NEEDS_REVIEW) {
          return NotAmendable(name, claim.state());
        }
        if (claim.earlier_versions_size() + 1 >= kMaxVersions) {
          return absl::FailedPreconditionError(absl::StrCat(
              "claim.name: ", name, " has been changed ", kMaxVersions - 1,
              " times; withdraw it and make a new claim"));
        }
        RECIP_ASSIGN_OR_RETURN(v1::Claim input,
                               AmendedClaim(request.claim(), claim));
        RECIP_ASSIGN_OR_RETURN(Judged judged, Judge(caller, input, tx, &row));
        v1::Claim next = std::move(judged.claim);
        // Who entered the claim and its first request stay; its history
        // goes on, and the version it replaces is kept.
        next.set_entered_by(claim.entered_by());
        next.set_request_id(claim.request_id());
        *next.mutable_create_time() = claim.create_time();
        *next.mutable_history() = claim.history();
        *next.mutable_earlier_versions() = claim.earlier_versions();
        *next.add_earlier_versions() =
            VersionOf(claim, caller, request.reason(), now);
        next.set_version(next.earlier_versions_size() + 1);
        v1::ClaimEvent* event = next.add_history();
        *event->mutable_time() = TimeUtil::MicrosecondsToTimestamp(now);
        event->set_actor(caller.id);
        event->set_action(absl::StrCat("amended (version ", next.version(),
                                       ", judged afresh)"));
        event->set_state(next.state());

        row.session_id = next.session().empty()
                             ? ""
                             : next.session().substr(strlen("sessions/"));
        row.session_date = next.session_date();
        row.claimed_total_pence = next.claimed_total_pence();
        row.car_tenths = judged.car_tenths;
        claim = std::move(next);
        return absl::OkStatus();
      });
}

}  // namespace reciprocity
