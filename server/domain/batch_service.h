// Payment batches: gather approved claims, approve them with a second
// person, export the payment file and voucher list, record payment. Knows
// nothing of gRPC: takes the caller's principal and request messages and
// returns absl::Status codes that map one-to-one onto gRPC.
#ifndef RECIPROCITY_SERVER_DOMAIN_BATCH_SERVICE_H_
#define RECIPROCITY_SERVER_DOMAIN_BATCH_SERVICE_H_

#include <functional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "base/clock.h"
#include "policy/registry.h"
#include "reciprocity/v1/finance.pb.h"
#include "server/domain/principal.h"
#include "server/store/store.h"

namespace reciprocity {

// "batches/{batch}" -> id; INVALID_ARGUMENT naming `field` otherwise.
absl::StatusOr<int64_t> ParseBatchName(absl::string_view field,
                                       absl::string_view name);
std::string BatchName(int64_t id);

class BatchService {
 public:
  // Payment files are sent in pieces of about this size.
  static constexpr size_t kExportChunkBytes = 64 * 1024;

  BatchService(store::Store& store, policy::PolicyRegistry& policies,
               const Clock& clock)
      : store_(store), policies_(policies), clock_(clock) {}

  absl::StatusOr<v1::Batch> Create(const Principal& caller,
                                   const v1::CreateBatchRequest& request);
  absl::StatusOr<v1::Batch> Get(const Principal& caller,
                                const v1::GetBatchRequest& request);
  absl::StatusOr<v1::ListBatchesResponse> List(
      const Principal& caller, const v1::ListBatchesRequest& request);
  absl::StatusOr<v1::Batch> Approve(const Principal& caller,
                                    const v1::ApproveBatchRequest& request);
  absl::StatusOr<v1::Batch> Cancel(const Principal& caller,
                                   const v1::CancelBatchRequest& request);
  // Records the export, then calls `send` with each piece in order; stops
  // (CANCELLED) when `send` returns false.
  absl::Status Export(
      const Principal& caller, const v1::ExportBatchRequest& request,
      const std::function<bool(const v1::ExportBatchResponse&)>& send);
  absl::StatusOr<v1::Batch> MarkPaid(const Principal& caller,
                                     const v1::MarkBatchPaidRequest& request);

 private:
  // Applies `change` to the batch in one idempotent write transaction.
  absl::StatusOr<v1::Batch> Mutate(
      const Principal& caller, absl::string_view method,
      const google::protobuf::Message& request, const std::string& name,
      const std::string& request_id,
      const std::function<absl::Status(v1::Batch&, store::BatchRow&,
                                       store::WriteTransaction&)>& change);

  store::Store& store_;
  policy::PolicyRegistry& policies_;
  const Clock& clock_;
};

}  // namespace reciprocity

#endif  // RECIPROCITY_SERVER_DOMAIN_BATCH_SERVICE_H_
