#include "server/rpc/finance_grpc_service.h"

#include "absl/strings/str_cat.h"

namespace reciprocity {
namespace {

constexpr absl::string_view kFinance = "/reciprocity.v1.FinanceService/";

}  // namespace

grpc::Status FinanceGrpcService::CreateBatch(
    grpc::ServerContext* context, const v1::CreateBatchRequest* request,
    v1::Batch* response) {
  return RECIP_HANDLE(kFinance, CreateBatch, request->request_id(),
                      Assign(batches_.Create(caller, *request), response));
}
grpc::Status FinanceGrpcService::GetBatch(grpc::ServerContext* context,
                                          const v1::GetBatchRequest* request,
                                          v1::Batch* response) {
  return RECIP_HANDLE(kFinance, GetBatch, "",
                      Assign(batches_.Get(caller, *request), response));
}
grpc::Status FinanceGrpcService::ListBatches(
    grpc::ServerContext* context, const v1::ListBatchesRequest* request,
    v1::ListBatchesResponse* response) {
  return RECIP_HANDLE(kFinance, ListBatches, "",
                      Assign(batches_.List(caller, *request), response));
}
grpc::Status FinanceGrpcService::ApproveBatch(
    grpc::ServerContext* context, const v1::ApproveBatchRequest* request,
    v1::Batch* response) {
  return RECIP_HANDLE(kFinance, ApproveBatch, request->request_id(),
                      Assign(batches_.Approve(caller, *request), response));
}
grpc::Status FinanceGrpcService::CancelBatch(
    grpc::ServerContext* context, const v1::CancelBatchRequest* request,
    v1::Batch* response) {
  return RECIP_HANDLE(kFinance, CancelBatch, request->request_id(),
                      Assign(batches_.Cancel(caller, *request), response));
}
grpc::Status FinanceGrpcService::ExportBatch(
    grpc::ServerContext* context, const v1::ExportBatchRequest* request,
    grpc::ServerWriter<v1::ExportBatchResponse>* writer) {
  return RECIP_HANDLE(
      kFinance, ExportBatch, request->request_id(),
      batches_.Export(caller, *request,
                      [&](const v1::ExportBatchResponse& piece) {
                        return !context->IsCancelled() && writer->Write(piece);
                      }));
}
grpc::Status FinanceGrpcService::MarkBatchPaid(
    grpc::ServerContext* context, const v1::MarkBatchPaidRequest* request,
    v1::Batch* response) {
  return RECIP_HANDLE(kFinance, MarkBatchPaid, request->request_id(),
                      Assign(batches_.MarkPaid(caller, *request), response));
}
grpc::Status FinanceGrpcService::GetSpendReport(
    grpc::ServerContext* context, const v1::GetSpendReportRequest* request,
    v1::SpendReport* response) {
  return RECIP_HANDLE(kFinance, GetSpendReport, "",
                      Assign(reports_.Spend(caller, *request), response));
}
grpc::Status FinanceGrpcService::GetParticipantTotalsReport(
    grpc::ServerContext* context,
    const v1::GetParticipantTotalsReportRequest* request,
    v1::ParticipantTotalsReport* response) {
  return RECIP_HANDLE(
      kFinance, GetParticipantTotalsReport, "",
      Assign(reports_.ParticipantTotals(caller, *request), response));
}
grpc::Status FinanceGrpcService::GetTimelinessReport(
    grpc::ServerContext* context, const v1::GetTimelinessReportRequest* request,
    v1::TimelinessReport* response) {
  return RECIP_HANDLE(kFinance, GetTimelinessReport, "",
                      Assign(reports_.Timeliness(caller, *request), response));
}
grpc::Status FinanceGrpcService::ReconcileVouchers(
    grpc::ServerContext* context, const v1::ReconcileVouchersRequest* request,
    v1::VoucherReconciliation* response) {
  return RECIP_HANDLE(
      kFinance, ReconcileVouchers, "",
      Assign(reports_.ReconcileVouchers(caller, *request), response));
}
grpc::Status FinanceGrpcService::ReconcileVoucherInvoice(
    grpc::ServerContext* context,
    grpc::ServerReader<v1::ReconcileVoucherInvoiceRequest>* reader,
    v1::VoucherReconciliation* response) {
  return RECIP_HANDLE(kFinance, ReconcileVoucherInvoice, "",
                      Assign(reports_.ReconcileVoucherInvoice(
                                 caller,
                                 [&](v1::ReconcileVoucherInvoiceRequest& part) {
                                   return reader->Read(&part);
                                 }),
                             response));
}

#undef RECIP_HANDLE

}  // namespace reciprocity
