#include "server/domain/batch_service.h"

#include <algorithm>
#include <map>
#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "base/status_macros.h"
#include "google/protobuf/util/time_util.h"
#include "reciprocity/v1/claims.pb.h"
#include "server/domain/access.h"
#include "server/domain/audit.h"
#include "server/domain/batch_builder.h"
#include "server/domain/batch_duties.h"
#include "server/domain/export.h"
#include "server/domain/idempotency.h"
#include "server/domain/names.h"
#include "server/domain/paging.h"

namespace reciprocity {
namespace {

using google::protobuf::util::TimeUtil;

constexpr int kMaxBatchPageSize = 500;

google::protobuf::Timestamp ToTimestamp(int64_t micros) {
  return TimeUtil::MicrosecondsToTimestamp(micros);
}

// Bytes that, appended to a serialized Claim, add one history event: protobuf
// merges a repeated field that appears again. Lets one SQL statement record
// the same event on every claim of a large batch.
std::string ClaimEventSuffix(absl::string_view actor, absl::string_view action,
                             v1::ClaimState state, int64_t now_micros) {
  v1::Claim carrier;
  v1::ClaimEvent* e = carrier.add_history();
  *e->mutable_time() = ToTimestamp(now_micros);
  e->set_actor(std::string(actor));
  e->set_action(std::string(action));
  e->set_state(state);
  return carrier.SerializeAsString();
}

absl::StatusOr<v1::Batch> FromRow(const store::BatchRow& row) {
  v1::Batch batch;
  if (!batch.ParseFromString(row.body)) {
    return absl::InternalError(
        absl::StrCat("batches/", row.id, " is unreadable"));
  }
  batch.set_name(BatchName(row.id));
  batch.set_state(static_cast<v1::BatchState>(row.state));
  return batch;
}

void ToRow(const v1::Batch& batch, int64_t now, store::BatchRow& row) {
  v1::Batch stored = batch;
  stored.clear_name();
  stored.clear_claims();
  row.state = batch.state();
  row.update_time_micros = now;
  row.body = stored.SerializeAsString();
}

// Finance staff with every area may see every batch; others only batches
// confined to one of their areas.
absl::Status CheckMayHandle(const Principal& caller, const v1::Batch& batch) {
  if (caller.ActsIn("*")) return absl::OkStatus();
  auto area = ParseServiceAreaName("", batch.selection().service_area());
  if (area.ok() && caller.ActsIn(*area)) return absl::OkStatus();
  return absl::PermissionDeniedError("you may not see this batch");
}

}  // namespace

absl::StatusOr<int64_t> ParseBatchName(absl::string_view field,
                                       absl::string_view name) {
  absl::string_view rest = name;
  int64_t id = 0;
  if (!absl::ConsumePrefix(&rest, "batches/") || rest.empty() ||
      rest.size() > 18 ||
      !std::all_of(rest.begin(), rest.end(), absl::ascii_isdigit) ||
      !absl::SimpleAtoi(rest, &id) || id <= 0) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": '", name.substr(0, 80),
                     "' is not a valid name; expected batches/{number}"));
  }
  return id;
}

std::string BatchName(int64_t id) { return absl::StrCat("batches/", id); }

absl::StatusOr<v1::Batch> BatchService::Create(
    const Principal& caller, const v1::CreateBatchRequest& request) {
  RECIP_RETURN_IF_ERROR(ValidateRequestId("request_id", request.request_id()));
  RECIP_ASSIGN_OR_RETURN(store::ClaimFilter filter,
                         SelectionFilter(caller, request.selection()));
  const int64_t now = absl::ToUnixMicros(clock_.Now());
  return RunIdempotent<v1::Batch>(
      store_, caller, "CreateBatch", request, request.request_id(), now,
      [&](store::WriteTransaction& tx) -> absl::StatusOr<v1::Batch> {
        v1::Batch batch;
        *batch.mutable_selection() = request.selection();
        // A batch chosen by project belongs to the project's area, so that
        // finance staff of that area can see and approve it.
        if (batch.selection().service_area().empty() &&
            !filter.area_id.empty()) {
          batch.mutable_selection()->set_service_area(
              absl::StrCat("serviceAreas/", filter.area_id));
        }
        batch.set_state(v1::BATCH_STATE_DRAFT);
        batch.set_created_by(caller.id);
        *batch.mutable_create_time() = ToTimestamp(now);
        store::BatchRow row;
        row.created_by = caller.id;
        row.create_time_micros = now;
        ToRow(batch, now, row);
        RECIP_ASSIGN_OR_RETURN(row.id, tx.InsertBatch(row));

        // Reading and moving the claims happen in this one write
        // transaction, and writes are serialised, so a claim taken here
        // cannot be taken by a batch created at the same moment.
        BatchBuilder builder(row.id, request.selection().payment_method(),
                             policies_, tx);
        RECIP_RETURN_IF_ERROR(tx.ScanClaims(
            filter,
            [&](const store::ClaimRow& claim) { return builder.Add(claim); }));
        if (builder.claim_count() == 0) {
          return absl::FailedPreconditionError(
              "no approved claims outside a live batch match the selection");
        }
        const std::string name = BatchName(row.id);
        const std::string event =
            ClaimEventSuffix(caller.id, absl::StrCat("added to ", name),
                             v1::CLAIM_STATE_BATCHED, now);
        int64_t moved = 0;
        if (request.selection().payment_method() ==
            v1::PAYMENT_METHOD_UNSPECIFIED) {
          RECIP_ASSIGN_OR_RETURN(
              moved,
              tx.MoveClaimsIntoBatch(filter, v1::CLAIM_STATE_APPROVED, row.id,
                                     v1::CLAIM_STATE_BATCHED, now, event));
        } else {
          RECIP_ASSIGN_OR_RETURN(
              moved, tx.MoveClaimsIntoBatchById(
                         builder.taken_ids(), v1::CLAIM_STATE_APPROVED, row.id,
                         v1::CLAIM_STATE_BATCHED, now, event));
        }
        if (moved != builder.claim_count()) {
          return absl::InternalError("claims changed while being batched");
        }
        builder.Fill(batch);
        row.involved = builder.Involved();
        ToRow(batch, now, row);
        RECIP_RETURN_IF_ERROR(tx.UpdateBatch(row));
        batch.set_name(name);
        return batch;
      });
}

absl::StatusOr<v1::Batch> BatchService::Get(
    const Principal& caller, const v1::GetBatchRequest& request) {
  RECIP_ASSIGN_OR_RETURN(int64_t id, ParseBatchName("name", request.name()));
  v1::Batch batch;
  RECIP_RETURN_IF_ERROR(
      store_.Read([&](store::ReadTransaction& tx) -> absl::Status {
        auto row = tx.GetBatch(id);
        if (absl::IsNotFound(row.status()))
          return MissingRecord(caller, request.name());
        if (!row.ok()) return row.status();
        RECIP_ASSIGN_OR_RETURN(batch, FromRow(*row));
        RECIP_RETURN_IF_ERROR(CheckMayHandle(caller, batch));
        if (!request.include_claims()) return absl::OkStatus();
        return tx.ScanBatchClaims(id, [&](const store::ClaimRow& claim) {
          batch.add_claims(ClaimName(claim.id));
          return absl::OkStatus();
        });
      }));
  return batch;
}

absl::StatusOr<v1::ListBatchesResponse> BatchService::List(
    const Principal& caller, const v1::ListBatchesRequest& request) {
  RECIP_ASSIGN_OR_RETURN(
      const int limit,
      PageLimit(request.page_size(), kDefaultListPageSize, kMaxBatchPageSize));
  const std::string kind = ListingKind("batches", request);
  // Newest first: a token names the last batch of a page, and the next page
  // starts before it.
  RECIP_ASSIGN_OR_RETURN(const int64_t before,
                         ParseIdPageToken(kind, request.page_token()));
  v1::ListBatchesResponse response;
  RECIP_RETURN_IF_ERROR(
      store_.Read([&](store::ReadTransaction& tx) -> absl::Status {
        RECIP_ASSIGN_OR_RETURN(std::vector<store::BatchRow> rows,
                               tx.ListBatches(before, limit));
        for (const auto& row : rows) {
          RECIP_ASSIGN_OR_RETURN(v1::Batch batch, FromRow(row));
          if (CheckMayHandle(caller, batch).ok()) {
            *response.add_batches() = std::move(batch);
          }
        }
        if (static_cast<int>(rows.size()) == limit) {
          response.set_next_page_token(KeyPageToken(kind, IdKey(rows.back())));
        }
        return absl::OkStatus();
      }));
  return response;
}

absl::StatusOr<v1::Batch> BatchService::Mutate(
    const Principal& caller, absl::string_view method,
    const google::protobuf::Message& request, const std::string& name,
    const std::string& request_id,
    const std::function<absl::Status(v1::Batch&, store::BatchRow&,
                                     store::WriteTransaction&)>& change) {
  RECIP_ASSIGN_OR_RETURN(int64_t id, ParseBatchName("name", name));
  RECIP_RETURN_IF_ERROR(ValidateRequestId("request_id", request_id));
  const int64_t now = absl::ToUnixMicros(clock_.Now());
  return RunIdempotent<v1::Batch>(
      store_, caller, method, request, request_id, now,
      [&](store::WriteTransaction& tx) -> absl::StatusOr<v1::Batch> {
        auto row = tx.GetBatch(id);
        if (absl::IsNotFound(row.status())) return MissingRecord(caller, name);
        if (!row.ok()) return row.status();
        RECIP_ASSIGN_OR_RETURN(v1::Batch batch, FromRow(*row));
        RECIP_RETURN_IF_ERROR(CheckMayHandle(caller, batch));
        RECIP_RETURN_IF_ERROR(change(batch, *row, tx));
        ToRow(batch, now, *row);
        RECIP_RETURN_IF_ERROR(tx.UpdateBatch(*row));
        return batch;
      });
}

namespace {
absl::Status WrongState(absl::string_view what, v1::BatchState state) {
  return absl::FailedPreconditionError(
      absl::StrCat(what, "; this batch is ", v1::BatchState_Name(state)));
}

// PERMISSION_DENIED naming the first claim of the batch `principal_id` had a
// part in, and what part. The batch row lists everyone with a part (sorted,
// one a line) when it was made, and its claims cannot change while in it,
// so nobody else needs the claims read. Rows made before that list was
// exact may name more people: the claims decide.
absl::Status CheckHadNoPartInClaims(store::ReadTransaction& tx,
                                    const store::BatchRow& row,
                                    const std::string& principal_id) {
  const std::vector<absl::string_view> listed =
      absl::StrSplit(row.involved, '\n', absl::SkipEmpty());
  if (std::find(listed.begin(), listed.end(), principal_id) == listed.end()) {
    return absl::OkStatus();
  }
  return tx.ScanBatchClaims(
      row.id, [&](const store::ClaimRow& claim_row) -> absl::Status {
        v1::Claim claim;
        if (!claim.ParseFromString(claim_row.body)) {
          return absl::InternalError(
              absl::StrCat(ClaimName(claim_row.id), " is unreadable"));
        }
        if (claim.entered_by().empty()) {
          claim.set_entered_by(claim_row.entered_by);
        }
        return ApprovalBarredByPart(PartInClaim(claim, principal_id),
                                    ClaimName(claim_row.id));
      });
}
}  // namespace

absl::StatusOr<v1::Batch> BatchService::Approve(
    const Principal& caller, const v1::ApproveBatchRequest& request) {
  const int64_t now = absl::ToUnixMicros(clock_.Now());
  return Mutate(
      caller, "ApproveBatch", request, request.name(), request.request_id(),
      [&](v1::Batch& batch, store::BatchRow& row,
          store::WriteTransaction& tx) -> absl::Status {
        if (row.created_by == caller.id) {
          return absl::PermissionDeniedError(
              "you created this batch, so someone else must approve it");
        }
        RECIP_RETURN_IF_ERROR(CheckHadNoPartInClaims(tx, row, caller.id));
        if (batch.state() != v1::BATCH_STATE_DRAFT) {
          return WrongState("only a DRAFT batch can be approved",
                            batch.state());
        }
        batch.set_state(v1::BATCH_STATE_APPROVED);
        batch.set_approved_by(caller.id);
        *batch.mutable_approve_time() = ToTimestamp(now);
        return absl::OkStatus();
      });
}

absl::StatusOr<v1::Batch> BatchService::Cancel(
    const Principal& caller, const v1::CancelBatchRequest& request) {
  const int64_t now = absl::ToUnixMicros(clock_.Now());
  return Mutate(
      caller, "CancelBatch", request, request.name(), request.request_id(),
      [&](v1::Batch& batch, store::BatchRow& row,
          store::WriteTransaction& tx) -> absl::Status {
        if (batch.state() != v1::BATCH_STATE_DRAFT &&
            batch.state() != v1::BATCH_STATE_APPROVED) {
          return WrongState(
              "only a DRAFT or APPROVED batch can be cancelled (an exported "
              "payment file may already be with the bank)",
              batch.state());
        }
        RECIP_RETURN_IF_ERROR(
            tx.SetBatchClaimsState(
                  row.id, v1::CLAIM_STATE_APPROVED, /*release=*/true, now,
                  ClaimEventSuffix(caller.id,
                                   absl::StrCat("removed from cancelled ",
                                                BatchName(row.id)),
                                   v1::CLAIM_STATE_APPROVED, now))
                .status());
        batch.set_state(v1::BATCH_STATE_CANCELLED);
        batch.set_cancelled_by(caller.id);
        *batch.mutable_cancel_time() = ToTimestamp(now);
        return absl::OkStatus();
      });
}

absl::StatusOr<v1::Batch> BatchService::MarkPaid(
    const Principal& caller, const v1::MarkBatchPaidRequest& request) {
  RECIP_ASSIGN_OR_RETURN(
      absl::CivilDay paid_on,
      ParseDateField("payment_date", request.payment_date()));
  if (paid_on > clock_.TodayInLondon()) {
    return absl::InvalidArgumentError(
        "payment_date: is in the future; record a payment once it is made");
  }
  const int64_t now = absl::ToUnixMicros(clock_.Now());
  return Mutate(
      caller, "MarkBatchPaid", request, request.name(), request.request_id(),
      [&](v1::Batch& batch, store::BatchRow& row,
          store::WriteTransaction& tx) -> absl::Status {
        if (batch.state() != v1::BATCH_STATE_EXPORTED) {
          return WrongState("only an EXPORTED batch can be marked paid",
                            batch.state());
        }
        // Transfers and vouchers are paid from the export; cash was handed
        // out at the sessions, before it.
        bool any_cash = false;
        for (const auto& t : batch.payment_method_totals()) {
          any_cash |= t.payment_method() == v1::PAYMENT_METHOD_CASH_ON_THE_DAY;
        }
        const absl::CivilDay exported_on = absl::ToCivilDay(
            absl::FromUnixMicros(
                TimeUtil::TimestampToMicroseconds(batch.export_time())),
            LondonTimeZone());
        if (!any_cash && paid_on < exported_on) {
          return absl::InvalidArgumentError(absl::StrCat(
              "payment_date: ", policy::FormatIsoDate(paid_on), " is before ",
              BatchName(row.id), " was exported on ",
              policy::FormatIsoDate(exported_on),
              "; give the date the money was paid"));
        }
        RECIP_RETURN_IF_ERROR(
            tx.SetBatchClaimsState(
                  row.id, v1::CLAIM_STATE_PAID, /*release=*/false, now,
                  ClaimEventSuffix(
                      caller.id,
                      absl::StrCat("paid on ", policy::FormatIsoDate(paid_on),
                                   " in ", BatchName(row.id)),
                      v1::CLAIM_STATE_PAID, now))
                .status());
        batch.set_state(v1::BATCH_STATE_PAID);
        batch.set_paid_by(caller.id);
        batch.set_payment_date(policy::FormatIsoDate(paid_on));
        return absl::OkStatus();
      });
}

namespace {
// Records the audit chain head with the batch at its first export, so that
// every export of the batch carries the same head (and the same bytes).
absl::Status RecordExportAuditHead(store::WriteTransaction& tx,
                                   int64_t batch_id, int64_t now_micros) {
  RECIP_ASSIGN_OR_RETURN(std::string recorded, tx.GetBatchAuditHead(batch_id));
  if (!recorded.empty()) return absl::OkStatus();
  RECIP_ASSIGN_OR_RETURN(std::optional<store::AuditRow> head, tx.AuditHead());
  // Creating the batch was audited, so the log is never empty here.
  if (!head.has_value()) return absl::OkStatus();
  return tx.SaveBatchAuditHead(batch_id, FormatAuditHead(*head), now_micros);
}
}  // namespace

absl::Status BatchService::Export(
    const Principal& caller, const v1::ExportBatchRequest& request,
    const std::function<bool(const v1::ExportBatchResponse&)>& send) {
  const int64_t now = absl::ToUnixMicros(clock_.Now());
  // First record the export (idempotently), then stream the files from a
  // snapshot. The files never depend on when or by whom they were made, so
  // every export of a batch gives the same bytes.
  RECIP_ASSIGN_OR_RETURN(
      v1::Batch batch,
      Mutate(caller, "ExportBatch", request, request.name(),
             request.request_id(),
             [&](v1::Batch& b, store::BatchRow& row,
                 store::WriteTransaction& tx) -> absl::Status {
               if (b.state() == v1::BATCH_STATE_EXPORTED ||
                   b.state() == v1::BATCH_STATE_PAID) {
                 // Batches exported before heads were recorded get one now.
                 return RecordExportAuditHead(tx, row.id, now);
               }
               if (b.state() != v1::BATCH_STATE_APPROVED) {
                 return WrongState("only an APPROVED batch can be exported",
                                   b.state());
               }
               int64_t control = 0;
               for (const auto& t : b.payment_method_totals()) {
                 if (t.payment_method() == v1::PAYMENT_METHOD_BANK_TRANSFER ||
                     t.payment_method() == v1::PAYMENT_METHOD_CASH_ON_THE_DAY) {
                   control += t.amount_pence();
                 }
               }
               b.set_state(v1::BATCH_STATE_EXPORTED);
               b.set_exported_by(caller.id);
               *b.mutable_export_time() = ToTimestamp(now);
               b.set_exported_control_total_pence(control);
               return RecordExportAuditHead(tx, row.id, now);
             }));
  const int64_t id = *ParseBatchName("name", request.name());

  v1::ExportSummary summary;
  summary.set_batch(batch.name());
  Sha256Stream digest;
  auto sender = [&](bool payments) {
    return [&, payments](const std::string& chunk) {
      v1::ExportBatchResponse piece;
      if (payments) {
        digest.Update(chunk);
        piece.set_payment_file_chunk(chunk);
      } else {
        piece.set_voucher_file_chunk(chunk);
      }
      return send(piece);
    };
  };
  RECIP_RETURN_IF_ERROR(store_.Read([&](store::ReadTransaction& tx)
                                        -> absl::Status {
    RECIP_ASSIGN_OR_RETURN(std::string audit_head, tx.GetBatchAuditHead(id));
    summary.set_audit_head(audit_head);
    auto write_file = [&](std::initializer_list<v1::PaymentMethod> methods,
                          CsvChunkWriter& out,
                          PaymentFileBuilder& file) -> absl::Status {
      for (v1::PaymentMethod method : methods) {
        const std::string method_name = absl::StrCat(absl::StripPrefix(
            v1::PaymentMethod_Name(method), "PAYMENT_METHOD_"));
        RECIP_RETURN_IF_ERROR(tx.ScanBatchPayments(
            id, method, [&](const store::BatchPaymentRow& p) -> absl::Status {
              PaymentItem item{method_name, p.payee,    p.cost_centre,
                               p.provider,  p.claim_id, p.amount_pence};
              if (!file.Add(item)) {
                return absl::CancelledError("the caller stopped reading");
              }
              return absl::OkStatus();
            }));
      }
      if (!file.Finish(audit_head) || !out.Finish()) {
        return absl::CancelledError("the caller stopped reading");
      }
      return absl::OkStatus();
    };
    CsvChunkWriter payments(kExportChunkBytes, sender(true));
    PaymentFileBuilder payment_file(PaymentFileBuilder::Kind::kPayments, id,
                                    payments);
    RECIP_RETURN_IF_ERROR(write_file(
        {v1::PAYMENT_METHOD_BANK_TRANSFER, v1::PAYMENT_METHOD_CASH_ON_THE_DAY},
        payments, payment_file));
    summary.set_payment_row_count(payment_file.row_count());
    summary.set_payment_control_total_pence(payment_file.total_pence());

    CsvChunkWriter vouchers(kExportChunkBytes, sender(false));
    PaymentFileBuilder voucher_file(PaymentFileBuilder::Kind::kVouchers, id,
                                    vouchers);
    RECIP_RETURN_IF_ERROR(
        write_file({v1::PAYMENT_METHOD_VOUCHER}, vouchers, voucher_file));
    summary.set_voucher_row_count(voucher_file.row_count());
    summary.set_voucher_total_pence(voucher_file.total_pence());
    return absl::OkStatus();
  }));
  summary.set_payment_file_sha256(digest.HexDigest());
  v1::ExportBatchResponse last;
  *last.mutable_summary() = summary;
  if (!send(last)) return absl::CancelledError("the caller stopped reading");
  return absl::OkStatus();
}

}  // namespace reciprocity
