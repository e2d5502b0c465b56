// The plain-English statement of a participant's claims and vouchers: built
// once as sentences (BuildStatement), then printed by `recip statement` or
// laid out as HTML by the web front, so both say the same thing.
#ifndef RECIPROCITY_CLIENT_STATEMENT_H_
#define RECIPROCITY_CLIENT_STATEMENT_H_

#include <grpcpp/support/status.h>

#include <functional>
#include <ostream>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "reciprocity/v1/claims.pb.h"
#include "reciprocity/v1/policy_service.pb.h"
#include "reciprocity/v1/programme.pb.h"

namespace reciprocity::client {

// Project resource name -> what people call it, e.g. "Learning Disability
// user voice group".
using ProjectNames = absl::flat_hash_map<std::string, std::string>;

// Asks PolicyService.ListProjects (with the caller's credentials).
using ListProjectsCall = std::function<grpc::Status(
    const v1::ListProjectsRequest&, v1::ListProjectsResponse*)>;

// The display names of `projects` (resource names), one ListProjects call
// per service area. A project whose area cannot be listed is left out (and
// so shown by its id).
ProjectNames LookUpProjectNames(const std::vector<std::string>& projects,
                                const ListProjectsCall& list_projects);

// What people call `project`; its id ("ld-user-voice") when `names` lacks it.
std::string ProjectLabel(const ProjectNames& names, const std::string& project);

// "2026-11-18" -> "18 November 2026"; anything else is returned as it is.
std::string LongDate(const std::string& date);

// One plain sentence on where a claim in `state` is up to, e.g. "We will
// pay this claim soon."
std::string ClaimStateSentence(v1::ClaimState state);

// One line of a claim, in words.
struct StatementLine {
  std::string what;       // "Bus or train"
  bool distance = false;  // mileage: `claimed` is a distance, not money
  std::string claimed;    // "£3.20", or "12.5 miles" when `distance`
  // "£3.20"; empty when nothing is decided yet (then `status` says why).
  std::string allowed;
  std::string status;  // "We are still checking this." / "The claim was ..."
  std::string reason;  // why we allowed what we did; may be empty
};

struct StatementClaim {
  std::string id;       // "12"
  std::string heading;  // "Claim 12, for the ... session on 18 November 2026."
  std::vector<StatementLine> lines;
  std::string state_sentence;  // ClaimStateSentence
  std::string money_sentence;  // "For this claim we allowed £3.20."; or empty
};

// Everything the statement says, in order.
struct Statement {
  std::string for_whom;                // "Sam (participants/p-0001)"
  std::vector<StatementClaim> claims;  // empty: "There are no claims yet."
  // One sentence per voucher earned, e.g. "18 November 2026, ...: a £10.00
  // Tesco voucher. We gave it to you."; then their total in one sentence.
  std::vector<std::string> vouchers;
  std::string voucher_total;
  // The totals, one sentence each; empty when there are no claims.
  std::vector<std::string> totals;
};

inline constexpr char kStatementTitle[] = "Statement of expenses claims";

// The statement for `participant`: each claim, line by line, with what we
// allowed and why; the vouchers they earned by attending; and the totals.
Statement BuildStatement(const v1::Participant& participant,
                         const std::vector<v1::Claim>& claims,
                         const std::vector<v1::VoucherEntitlement>& vouchers,
                         const ProjectNames& projects);

// The statement as plain text, fit to print and hand over.
void PrintStatement(std::ostream& out, const Statement& statement);
void PrintStatement(std::ostream& out, const v1::Participant& participant,
                    const std::vector<v1::Claim>& claims,
                    const std::vector<v1::VoucherEntitlement>& vouchers,
                    const ProjectNames& projects);

}  // namespace reciprocity::client

#endif  // RECIPROCITY_CLIENT_STATEMENT_H_
