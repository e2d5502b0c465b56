// The gRPC face of FinanceService: thin handlers that delegate to
// BatchService and ReportService.
#ifndef RECIPROCITY_SERVER_RPC_FINANCE_GRPC_SERVICE_H_
#define RECIPROCITY_SERVER_RPC_FINANCE_GRPC_SERVICE_H_

#include <grpcpp/grpcpp.h>

#include "reciprocity/v1/finance.grpc.pb.h"
#include "server/domain/batch_service.h"
#include "server/domain/report_service.h"
#include "server/rpc/call_runner.h"

namespace reciprocity {

class FinanceGrpcService final : public v1::FinanceService::Service {
 public:
  FinanceGrpcService(const CallRunner& runner, BatchService& batches,
                     ReportService& reports)
      : runner_(runner), batches_(batches), reports_(reports) {}

  grpc::Status CreateBatch(grpc::ServerContext* context,
                           const v1::CreateBatchRequest* request,
                           v1::Batch* response) override;
  grpc::Status GetBatch(grpc::ServerContext* context,
                        const v1::GetBatchRequest* request,
                        v1::Batch* response) override;
  grpc::Status ListBatches(grpc::ServerContext* context,
                           const v1::ListBatchesRequest* request,
                           v1::ListBatchesResponse* response) override;
  grpc::Status ApproveBatch(grpc::ServerContext* context,
                            const v1::ApproveBatchRequest* request,
                            v1::Batch* response) override;
  grpc::Status CancelBatch(grpc::ServerContext* context,
                           const v1::CancelBatchRequest* request,
                           v1::Batch* response) override;
  grpc::Status ExportBatch(
      grpc::ServerContext* context, const v1::ExportBatchRequest* request,
      grpc::ServerWriter<v1::ExportBatchResponse>* writer) override;
  grpc::Status MarkBatchPaid(grpc::ServerContext* context,
                             const v1::MarkBatchPaidRequest* request,
                             v1::Batch* response) override;
  grpc::Status GetSpendReport(grpc::ServerContext* context,
                              const v1::GetSpendReportRequest* request,
                              v1::SpendReport* response) override;
  grpc::Status GetParticipantTotalsReport(
      grpc::ServerContext* context,
      const v1::GetParticipantTotalsReportRequest* request,
      v1::ParticipantTotalsReport* response) override;
  grpc::Status GetTimelinessReport(
      grpc::ServerContext* context,
      const v1::GetTimelinessReportRequest* request,
      v1::TimelinessReport* response) override;
  grpc::Status ReconcileVouchers(grpc::ServerContext* context,
                                 const v1::ReconcileVouchersRequest* request,
                                 v1::VoucherReconciliation* response) override;
  grpc::Status ReconcileVoucherInvoice(
      grpc::ServerContext* context,
      grpc::ServerReader<v1::ReconcileVoucherInvoiceRequest>* reader,
      v1::VoucherReconciliation* response) override;

 private:
  const CallRunner& runner_;
  BatchService& batches_;
  ReportService& reports_;
};

}  // namespace reciprocity

#endif  // RECIPROCITY_SERVER_RPC_FINANCE_GRPC_SERVICE_H_
