// A voucher provider's invoice sent to FinanceService.ReconcileVoucherInvoice
// in parts, so that a bill of any size the service takes (4 MiB) passes the
// server's limit on one message. Used by `recip report vouchers` and the web
// front's "Check a voucher bill".
#ifndef RECIPROCITY_CLIENT_INVOICE_PARTS_H_
#define RECIPROCITY_CLIENT_INVOICE_PARTS_H_

#include <grpcpp/grpcpp.h>

#include <cstddef>

#include "reciprocity/v1/finance.grpc.pb.h"

namespace reciprocity::client {

// Half the server's default limit on one message (64 KiB).
inline constexpr size_t kInvoicePartBytes = 32 * 1024;

// Sends `request` (provider, period, area and the whole invoice_csv) in
// parts of at most kInvoicePartBytes of invoice_csv and waits for the
// reconciliation.
grpc::Status ReconcileInParts(v1::FinanceService::Stub& stub,
                              grpc::ClientContext* context,
                              const v1::ReconcileVouchersRequest& request,
                              v1::VoucherReconciliation* out);

}  // namespace reciprocity::client

#endif  // RECIPROCITY_CLIENT_INVOICE_PARTS_H_
