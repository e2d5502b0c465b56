// The random run's batch operations: create, approve (two people), export
// (twice, the same bytes), cancel and pay, each checked against the model.
#include <algorithm>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "tests/server/random_ops.h"

namespace reciprocity::testing::random_ops {

int64_t RandomRun::AllowedTotal(
    const std::vector<std::string>& claim_names) const {
  int64_t total = 0;
  for (const std::string& name : claim_names) {
    total += claims_.at(name).decision().allowed_total_pence();
  }
  return total;
}

void RandomRun::RefreshClaims(const v1::Batch& batch, v1::ClaimState want) {
  for (const std::string& name : batch.claims()) {
    v1::GetClaimRequest get;
    get.set_name(name);
    v1::Claim stored;
    ASSERT_TRUE(server_.claims()
                    .GetClaim(TestServer::As(kOfficerAsc).get(), get, &stored)
                    .ok());
    const v1::ClaimState before = claims_.at(name).state();
    EXPECT_TRUE(LegalTransition(before, stored.state()))
        << name << ": " << v1::ClaimState_Name(before) << " -> "
        << v1::ClaimState_Name(stored.state());
    EXPECT_EQ(stored.state(), want) << name;
    EXPECT_EQ(stored.decision().allowed_total_pence(),
              claims_.at(name).decision().allowed_total_pence())
        << name;
    CheckClaim(stored);
    claims_[name] = stored;
  }
}

const v1::Batch* RandomRun::PickBatch(
    std::initializer_list<v1::BatchState> states) {
  if (batches_.empty()) return nullptr;
  std::vector<const v1::Batch*> fitting, all;
  for (const auto& [name, batch] : batches_) {
    all.push_back(&batch);
    for (v1::BatchState st : states) {
      if (batch.state() == st) fitting.push_back(&batch);
    }
  }
  const auto& from = !fitting.empty() && Uniform(0, 9) > 0 ? fitting : all;
  return from[static_cast<size_t>(
      Uniform(0, static_cast<int64_t>(from.size()) - 1))];
}

void RandomRun::SettleBatch(const std::string& what, const grpc::Status& status,
                            bool expect_ok) {
  Count(what, status.ok());
  if (expect_ok) {
    ASSERT_TRUE(status.ok())
        << what << ": " << status.error_code() << " " << status.error_message();
  } else {
    ASSERT_FALSE(status.ok()) << what << ": expected a refusal";
    EXPECT_NE(status.error_code(), grpc::StatusCode::INTERNAL)
        << status.error_message();
  }
}

void RandomRun::CreateBatch() {
  std::vector<std::string> free;  // approved, in no live batch
  for (const auto& [name, claim] : claims_) {
    if (claim.state() == v1::CLAIM_STATE_APPROVED) free.push_back(name);
  }
  v1::CreateBatchRequest request;
  request.mutable_selection()->set_service_area(
      "serviceAreas/adult-social-care");
  request.set_request_id(NewRequestId());
  v1::Batch batch;
  grpc::Status status =
      finance_->CreateBatch(TestServer::As(kFinance).get(), request, &batch);
  SettleBatch("create batch", status, !free.empty());
  if (!status.ok()) return;
  {
    // The response leaves out the claims (a batch may hold 100,000).
    v1::GetBatchRequest get;
    get.set_name(batch.name());
    get.set_include_claims(true);
    ASSERT_TRUE(
        finance_->GetBatch(TestServer::As(kAuditor).get(), get, &batch).ok());
  }
  std::vector<std::string> taken(batch.claims().begin(), batch.claims().end());
  std::sort(taken.begin(), taken.end());
  std::sort(free.begin(), free.end());
  EXPECT_EQ(taken, free) << "a batch takes every free approved claim";
  EXPECT_EQ(batch.state(), v1::BATCH_STATE_DRAFT);
  EXPECT_EQ(batch.total_pence(), AllowedTotal(taken));
  int64_t by_method = 0;
  for (const auto& t : batch.payment_method_totals()) {
    by_method += t.amount_pence();
  }
  EXPECT_EQ(by_method, batch.total_pence());
  batches_[batch.name()] = batch;
  RefreshClaims(batch, v1::CLAIM_STATE_BATCHED);
}

void RandomRun::ApproveBatch() {
  const v1::Batch* b = PickBatch({v1::BATCH_STATE_DRAFT});
  if (b == nullptr) return CreateBatch();
  v1::ApproveBatchRequest request;
  request.set_name(b->name());
  request.set_request_id(NewRequestId());
  // Now and then the creator tries: two-person approval refuses them.
  const bool creator = Uniform(0, 9) == 0;
  v1::Batch out;
  grpc::Status status = finance_->ApproveBatch(
      TestServer::As(creator ? kFinance : kFinance2).get(), request, &out);
  SettleBatch("approve batch", status,
              !creator && b->state() == v1::BATCH_STATE_DRAFT);
  if (creator) {
    EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  }
  if (!status.ok()) return;
  EXPECT_EQ(out.state(), v1::BATCH_STATE_APPROVED);
  batches_[b->name()].set_state(out.state());
}

void RandomRun::ExportBatch() {
  const v1::Batch* b =
      PickBatch({v1::BATCH_STATE_APPROVED, v1::BATCH_STATE_EXPORTED});
  if (b == nullptr) return CreateBatch();
  const std::string name = b->name();
  auto run = [&](std::string* payments, v1::ExportSummary* summary) {
    v1::ExportBatchRequest request;
    request.set_name(name);
    request.set_request_id(NewRequestId());
    auto context = TestServer::As(kFinance);
    auto reader = finance_->ExportBatch(context.get(), request);
    v1::ExportBatchResponse piece;
    while (reader->Read(&piece)) {
      *payments += piece.payment_file_chunk();
      if (piece.has_summary()) *summary = piece.summary();
    }
    return reader->Finish();
  };
  std::string payments;
  v1::ExportSummary summary;
  grpc::Status status = run(&payments, &summary);
  // An exported or paid batch exports again: the same file, a copy.
  SettleBatch("export batch", status,
              b->state() == v1::BATCH_STATE_APPROVED ||
                  b->state() == v1::BATCH_STATE_EXPORTED ||
                  b->state() == v1::BATCH_STATE_PAID);
  if (!status.ok()) return;
  std::vector<std::string> held(b->claims().begin(), b->claims().end());
  EXPECT_EQ(summary.payment_control_total_pence() +
                summary.voucher_total_pence() + summary.declined_pence(),
            AllowedTotal(held))
      << "exported totals equal the approved sums";
  EXPECT_FALSE(payments.empty());
  // A second export gives the same bytes.
  std::string again;
  v1::ExportSummary ignored;
  ASSERT_TRUE(run(&again, &ignored).ok());
  EXPECT_EQ(again, payments);
  if (b->state() == v1::BATCH_STATE_APPROVED) {
    batches_[name].set_state(v1::BATCH_STATE_EXPORTED);
  }
}

void RandomRun::CancelBatch() {
  const v1::Batch* b =
      PickBatch({v1::BATCH_STATE_DRAFT, v1::BATCH_STATE_APPROVED});
  if (b == nullptr) return CreateBatch();
  v1::CancelBatchRequest request;
  request.set_name(b->name());
  request.set_request_id(NewRequestId());
  v1::Batch out;
  grpc::Status status =
      finance_->CancelBatch(TestServer::As(kFinance).get(), request, &out);
  SettleBatch("cancel batch", status,
              b->state() == v1::BATCH_STATE_DRAFT ||
                  b->state() == v1::BATCH_STATE_APPROVED);
  if (!status.ok()) return;
  EXPECT_EQ(out.state(), v1::BATCH_STATE_CANCELLED);
  v1::Batch& model = batches_[b->name()];
  model.set_state(v1::BATCH_STATE_CANCELLED);
  RefreshClaims(model, v1::CLAIM_STATE_APPROVED);
}

void RandomRun::PayBatch() {
  const v1::Batch* b = PickBatch({v1::BATCH_STATE_EXPORTED});
  if (b == nullptr) return ExportBatch();
  v1::MarkBatchPaidRequest request;
  request.set_name(b->name());
  request.set_payment_date("2026-11-20");
  request.set_request_id(NewRequestId());
  v1::Batch out;
  grpc::Status status =
      finance_->MarkBatchPaid(TestServer::As(kFinance).get(), request, &out);
  SettleBatch("pay batch", status, b->state() == v1::BATCH_STATE_EXPORTED);
  if (!status.ok()) return;
  EXPECT_EQ(out.state(), v1::BATCH_STATE_PAID);
  v1::Batch& model = batches_[b->name()];
  model.set_state(v1::BATCH_STATE_PAID);
  RefreshClaims(model, v1::CLAIM_STATE_PAID);
}

}  // namespace reciprocity::testing::random_ops
