// What the claim commands read from the command line, and the claim they
// make of it: shared by claim preview, submit and amend.
#ifndef RECIPROCITY_CLIENT_CLAIM_ARGS_H_
#define RECIPROCITY_CLIENT_CLAIM_ARGS_H_

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "reciprocity/v1/claims.pb.h"

namespace reciprocity::client {

struct ClaimArgs {
  std::string participant;
  std::string project;
  std::string date;
  std::string session;
  std::string creche;  // "", "yes" or "no"
  std::vector<std::string> fares, miles, taxis, parking, childcare, carer;
  std::string payee;
  std::string request_id;
};

// The claim the arguments describe; INVALID_ARGUMENT naming the flag when
// an amount, distance or care time is malformed. Empty arguments stay
// empty fields.
absl::StatusOr<v1::Claim> BuildClaim(const ClaimArgs& args);

// --creche and the options that make claim lines (--fare, --miles, --taxi,
// --parking, --childcare, --carer, --payee).
void AddClaimLineOptions(CLI::App* cmd, ClaimArgs& args);

}  // namespace reciprocity::client

#endif  // RECIPROCITY_CLIENT_CLAIM_ARGS_H_
