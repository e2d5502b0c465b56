// Service areas, projects and rule files as the API shows them.
#ifndef RECIPROCITY_SERVER_DOMAIN_POLICY_SERVICE_H_
#define RECIPROCITY_SERVER_DOMAIN_POLICY_SERVICE_H_

#include "absl/status/statusor.h"
#include "base/clock.h"
#include "policy/registry.h"
#include "reciprocity/v1/policy_service.pb.h"
#include "server/domain/principal.h"
#include "server/store/store.h"

namespace reciprocity {

class PolicyService {
 public:
  PolicyService(store::Store& store, policy::PolicyRegistry& policies,
                const Clock& clock)
      : store_(store), policies_(policies), clock_(clock) {}

  absl::StatusOr<v1::ListServiceAreasResponse> ListServiceAreas(
      const Principal& caller, const v1::ListServiceAreasRequest& request);
  absl::StatusOr<v1::ListProjectsResponse> ListProjects(
      const Principal& caller, const v1::ListProjectsRequest& request);
  absl::StatusOr<v1::ExplainPolicyResponse> Explain(
      const Principal& caller, const v1::ExplainPolicyRequest& request);
  absl::StatusOr<v1::ReloadPoliciesResponse> Reload(
      const Principal& caller, const v1::ReloadPoliciesRequest& request);
  // Officers of the area, finance and administrators: the area's claims in
  // the date range judged again under a draft rule file (ReplayUnderDraft).
  // A draft that fails validation is INVALID_ARGUMENT "rule_file_text:
  // file:line:column: reason"; nothing is saved, nothing audited (a read),
  // and the rules in force stay.
  absl::StatusOr<v1::WhatIfReport> WhatIf(
      const Principal& caller, const v1::WhatIfPolicyRequest& request);

  // Records every rule-file version in force, so each stored decision can be
  // traced to the exact file content that made it.
  absl::Status RecordVersionsInForce();

 private:
  store::Store& store_;
  policy::PolicyRegistry& policies_;
  const Clock& clock_;
};

}  // namespace reciprocity

#endif  // RECIPROCITY_SERVER_DOMAIN_POLICY_SERVICE_H_
