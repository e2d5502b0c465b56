// The plain-English statement of a participant's claims and vouchers that
// `recip statement` prints, fit to print and hand over.
#ifndef RECIPROCITY_CLIENT_STATEMENT_H_
#define RECIPROCITY_CLIENT_STATEMENT_H_

#include <ostream>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "reciprocity/v1/claims.pb.h"
#include "reciprocity/v1/programme.pb.h"

namespace reciprocity::client {

// Project resource name -> what people call it, e.g. "Learning Disability
// user voice group".
using ProjectNames = absl::flat_hash_map<std::string, std::string>;

// One plain sentence on where a claim in `state` is up to, e.g. "We will
// pay this claim soon."
std::string ClaimStateSentence(v1::ClaimState state);

// Prints the statement for `participant`: each claim, line by line, with
// what we allowed and why; the vouchers they earned by attending; and the
// totals. A project missing from `projects` is shown by its id.
void PrintStatement(std::ostream& out, const v1::Participant& participant,
                    const std::vector<v1::Claim>& claims,
                    const std::vector<v1::VoucherEntitlement>& vouchers,
                    const ProjectNames& projects);

}  // namespace reciprocity::client

#endif  // RECIPROCITY_CLIENT_STATEMENT_H_
