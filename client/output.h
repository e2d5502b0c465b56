// What recip prints: plain text for people, JSON for scripts.
#ifndef RECIPROCITY_CLIENT_OUTPUT_H_
#define RECIPROCITY_CLIENT_OUTPUT_H_

#include <ostream>
#include <string>

#include "absl/strings/string_view.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"
#include "reciprocity/v1/claims.pb.h"

namespace reciprocity::client {

// One JSON object per message, field names as in the proto.
std::string ToJson(const google::protobuf::Message& message);

// "Bus or train fare", "Mileage", ...
std::string CategoryLabel(v1::ExpenseCategory category);
// "Paid in full", "Reduced", ...
std::string OutcomeLabel(v1::LineOutcome outcome);
// "approved", "needs review", ...
std::string StateLabel(v1::ClaimState state);
// What a preview says would happen to the claim if it were sent now, e.g.
// "would be approved".
std::string PreviewVerdict(v1::ClaimState state);
// 540 -> "£5.40".
std::string Pounds(int64_t pence);

// Each line with what was claimed, what is allowed and why.
void PrintDecision(std::ostream& out, const v1::Claim& claim,
                   const v1::Decision& decision);
// A claim's header, decision and history.
void PrintClaim(std::ostream& out, const v1::Claim& claim);

// An enum value as everyday words: PAYMENT_METHOD_BANK_TRANSFER with prefix
// "PAYMENT_METHOD_" -> "bank transfer"; "-" when unknown.
std::string EnumLabel(const google::protobuf::EnumDescriptor* descriptor,
                      int number, absl::string_view prefix);
std::string PaymentLabel(v1::PaymentMethod method);
// One row per claim.
void PrintClaimTable(std::ostream& out, const v1::ListClaimsResponse& response);

}  // namespace reciprocity::client

#endif  // RECIPROCITY_CLIENT_OUTPUT_H_
