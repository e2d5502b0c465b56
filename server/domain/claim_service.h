// The claims domain: preview, submit, read, list and move claims through
// their lifecycle. Knows nothing of gRPC: takes the caller's principal and
// request messages, returns absl::Status codes that map one-to-one onto gRPC.
#ifndef RECIPROCITY_SERVER_DOMAIN_CLAIM_SERVICE_H_
#define RECIPROCITY_SERVER_DOMAIN_CLAIM_SERVICE_H_

#include <functional>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "base/clock.h"
#include "policy/registry.h"
#include "reciprocity/v1/claims.pb.h"
#include "server/domain/claim_facts.h"  // ClaimFromRow
#include "server/domain/principal.h"
#include "server/store/store.h"

namespace reciprocity {

// Whether `event` records an officer's review of a line (ReviewLine), as
// opposed to submitting, withdrawing, appealing or batching the claim.
bool IsReviewEvent(const v1::ClaimEvent& event);

class ClaimService {
 public:
  ClaimService(store::Store& store, policy::PolicyRegistry& policies,
               const Clock& clock)
      : store_(store), policies_(policies), clock_(clock) {}

  absl::StatusOr<v1::PreviewClaimResponse> Preview(
      const Principal& caller, const v1::PreviewClaimRequest& request);
  // Judges and stores the claim; `done` gets it once its group commit is
  // durable (Store::WriteAsync), on a thread of the store's, or at once for
  // a request refused before it reaches the store. `request` must live
  // until then.
  void SubmitAsync(const Principal& caller,
                   const v1::SubmitClaimRequest& request,
                   std::function<void(absl::StatusOr<v1::Claim>)> done);
  absl::StatusOr<v1::Claim> Get(const Principal& caller,
                                const v1::GetClaimRequest& request);
  absl::StatusOr<v1::ListClaimsResponse> List(
      const Principal& caller, const v1::ListClaimsRequest& request);
  absl::StatusOr<v1::Claim> ReviewLine(
      const Principal& caller, const v1::ReviewClaimLineRequest& request);
  absl::StatusOr<v1::Claim> Withdraw(const Principal& caller,
                                     const v1::WithdrawClaimRequest& request);
  absl::StatusOr<v1::Claim> AppealLine(
      const Principal& caller, const v1::AppealClaimLineRequest& request);
  // A new version of a claim not yet approved, judged afresh; the old one
  // is kept in earlier_versions (claim_amend.cc).
  absl::StatusOr<v1::Claim> Amend(const Principal& caller,
                                  const v1::AmendClaimRequest& request);

 private:
  struct Judged {
    v1::Claim claim;  // with decision, state and totals filled in
    std::string area_id;
    std::string project_id;
    int64_t car_tenths = 0;
  };
  // Validates, checks the caller may claim for this participant and
  // project, gathers the facts in `tx` and asks the policy engine.
  // `replacing`: the stored claim an amendment replaces (GatherClaimFacts).
  absl::StatusOr<Judged> Judge(const Principal& caller, const v1::Claim& claim,
                               store::ReadTransaction& tx,
                               const store::ClaimRow* replacing = nullptr);
  // Applies `change` to the claim under one write transaction (`tx`, for
  // what else it must read), idempotently.
  absl::StatusOr<v1::Claim> Mutate(
      const Principal& caller, absl::string_view method,
      const google::protobuf::Message& request, const std::string& name,
      const std::string& request_id,
      const std::function<absl::Status(v1::Claim&, store::ClaimRow&,
                                       store::WriteTransaction& tx)>& change);

  store::Store& store_;
  policy::PolicyRegistry& policies_;
  const Clock& clock_;
};

}  // namespace reciprocity

#endif  // RECIPROCITY_SERVER_DOMAIN_CLAIM_SERVICE_H_
