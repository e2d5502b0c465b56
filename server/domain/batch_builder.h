// Building a payment batch: picks the approved claims its selection names,
// takes them one by one, records what is owed to whom (one payment row per
// claim, method and payee) and keeps the batch's totals by payment method
// and by project.
#ifndef RECIPROCITY_SERVER_DOMAIN_BATCH_BUILDER_H_
#define RECIPROCITY_SERVER_DOMAIN_BATCH_BUILDER_H_

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "policy/registry.h"
#include "reciprocity/v1/claims.pb.h"
#include "reciprocity/v1/finance.pb.h"
#include "server/domain/principal.h"
#include "server/store/store.h"

namespace reciprocity {

// The approved claims a batch with `selection` takes. INVALID_ARGUMENT
// naming the field for a malformed selection; PERMISSION_DENIED unless the
// caller acts in its service area (or in every area).
absl::StatusOr<store::ClaimFilter> SelectionFilter(
    const Principal& caller, const v1::BatchSelection& selection);

// How a stored claim is paid; bank transfer when it does not say.
v1::PaymentMethod PaymentMethodOfClaim(const v1::Claim& claim);

class BatchBuilder {
 public:
  // Takes claims paid by `only_method`, or every claim when it is
  // unspecified; writes payment rows of batch `batch_id` in `tx`.
  BatchBuilder(int64_t batch_id, v1::PaymentMethod only_method,
               const policy::PolicyRegistry& policies,
               store::WriteTransaction& tx)
      : batch_id_(batch_id),
        only_method_(only_method),
        policies_(policies),
        tx_(tx) {}
  BatchBuilder(const BatchBuilder&) = delete;
  BatchBuilder& operator=(const BatchBuilder&) = delete;

  // Takes the claim in `row` unless it is paid by another method.
  // FAILED_PRECONDITION when it owes money to a participant who declined
  // payment; INTERNAL when the stored claim is unreadable.
  absl::Status Add(const store::ClaimRow& row);

  int64_t claim_count() const { return claim_count_; }
  // The claims taken, when only one payment method is taken (otherwise
  // every claim matching the filter is, and they are not listed).
  const std::vector<int64_t>& taken_ids() const { return taken_ids_; }

  // Sets the batch's claim count and totals.
  void Fill(v1::Batch& batch) const;

  // The people with a part in the claims taken, one a line.
  std::string Involved() const;

 private:
  // What a batch needs to know about a project, looked up once per project.
  struct ProjectFacts {
    std::string cost_centre;
    std::string voucher_provider;
  };
  struct ProjectTotals {
    std::string cost_centre;
    int32_t claims = 0;
    int64_t pence = 0;
  };
  const ProjectFacts& FactsFor(const std::string& area_id,
                               const std::string& project_id);

  const int64_t batch_id_;
  const v1::PaymentMethod only_method_;
  const policy::PolicyRegistry& policies_;
  store::WriteTransaction& tx_;
  std::map<std::pair<std::string, std::string>, ProjectFacts> projects_;
  std::vector<int64_t> taken_ids_;
  int64_t claim_count_ = 0;
  int64_t total_pence_ = 0;
  std::map<int, std::pair<int32_t, int64_t>> method_totals_;
  std::map<std::string, ProjectTotals> project_totals_;
  std::set<std::string> involved_;
};

}  // namespace reciprocity

#endif  // RECIPROCITY_SERVER_DOMAIN_BATCH_BUILDER_H_
