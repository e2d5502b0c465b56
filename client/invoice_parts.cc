#include "client/invoice_parts.h"

#include <algorithm>
#include <string>

namespace reciprocity::client {

grpc::Status ReconcileInParts(v1::FinanceService::Stub& stub,
                              grpc::ClientContext* context,
                              const v1::ReconcileVouchersRequest& request,
                              v1::VoucherReconciliation* out) {
  std::unique_ptr<grpc::ClientWriter<v1::ReconcileVoucherInvoiceRequest>>
      writer = stub.ReconcileVoucherInvoice(context, out);
  const std::string& csv = request.invoice_csv();
  // The head: everything but the invoice, and its first piece. Then each
  // next piece.
  v1::ReconcileVoucherInvoiceRequest part;
  *part.mutable_head() = request;
  size_t at = std::min(kInvoicePartBytes, csv.size());
  part.mutable_head()->set_invoice_csv(csv.substr(0, at));
  // A refused write means the service has already answered: Finish says
  // how.
  bool writing = writer->Write(part);
  while (writing && at < csv.size()) {
    const size_t length = std::min(kInvoicePartBytes, csv.size() - at);
    part.set_invoice_csv_piece(csv.substr(at, length));
    at += length;
    writing = writer->Write(part);
  }
  writer->WritesDone();
  return writer->Finish();
}

}  // namespace reciprocity::client
