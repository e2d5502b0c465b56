// Checks that a claim is well formed before the policy judges it. Policy
// refusals are decisions; these are malformed requests (INVALID_ARGUMENT,
// naming the field).
#ifndef RECIPROCITY_SERVER_DOMAIN_CLAIM_VALIDATION_H_
#define RECIPROCITY_SERVER_DOMAIN_CLAIM_VALIDATION_H_

#include <cstdint>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "reciprocity/v1/claims.pb.h"
#include "server/domain/names.h"

namespace reciprocity {

// Limits on one claim line. A claim over these is a typing mistake, not a
// claim the policy should judge.
inline constexpr int64_t kMaxLineAmountPence = 10'000'000;  // £100,000
inline constexpr int64_t kMaxLineDistanceTenths = 100'000;  // 10,000 miles
inline constexpr int kMaxLines = 50;
inline constexpr int kMaxPassengers = 8;
inline constexpr int kMaxCareMinutes = 24 * 60;
inline constexpr int kMaxChildren = 12;
inline constexpr size_t kMaxDescriptionBytes = 500;

// What a well-formed claim refers to, parsed from its names and date once.
struct ClaimReferences {
  std::string participant_id;
  ProjectName project;
  // Set when the claim names a session.
  std::optional<int64_t> session_id;
  // Set when the claim gives a session date (required without a session).
  std::optional<absl::CivilDay> session_date;
};

// `field` is the path of the claim in the request, e.g. "claim". Returns
// what the claim refers to.
absl::StatusOr<ClaimReferences> ValidateClaim(absl::string_view field,
                                              const v1::Claim& claim);

}  // namespace reciprocity

#endif  // RECIPROCITY_SERVER_DOMAIN_CLAIM_VALIDATION_H_
