#include "client/invoice_parts.h"

#include <algorithm>
#include <string>

namespace reciprocity::client {

grpc::Status ReconcileInParts(v1::FinanceService::Stub& stub,
                              grpc::ClientContext* context,
                              const v1::ReconcileVouchersRequest& request,
                              v1::VoucherReconciliation* out) {
  std::unique_ptr<grpc::ClientWriter<v1::ReconcileVouchersRequest>> writer =
      stub.ReconcileVoucherInvoice(context, out);
  const std::string& csv = request.invoice_csv();
  // The first part carries everything but the invoice; each part the next
  // piece of it (the first part is sent even for an empty invoice).
  v1::ReconcileVouchersRequest part = request;
  size_t at = 0;
  do {
    const size_t length = std::min(kInvoicePartBytes, csv.size() - at);
    part.set_invoice_csv(csv.substr(at, length));
    at += length;
    // A refused write means the service has already answered: Finish says
    // how.
    if (!writer->Write(part)) break;
    part.Clear();
  } while (at < csv.size());
  writer->WritesDone();
  return writer->Finish();
}

}  // namespace reciprocity::client
