// The random run's set-up, its claim operations (submit, review, withdraw,
// appeal, retry) and the checks that span claims. Batches are in
// random_ops_batches.cc.
#include <algorithm>
#include <map>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "tests/server/random_ops.h"
#include "tests/util/audit_check.h"

namespace reciprocity::testing::random_ops {

using google::protobuf::util::MessageDifferencer;

RandomRun::RandomRun(TestServer& server, uint64_t seed)
    : server_(server),
      finance_(v1::FinanceService::NewStub(server.channel())),
      seed_(seed),
      rng_(seed) {
  // The other claimants, registered as the rules require.
  for (int i = 1; i <= 3; ++i) {
    v1::CreateParticipantRequest request;
    request.set_participant_id(absl::StrCat("r-", seed_, "-", i));
    request.mutable_participant()->set_participant_type(
        v1::PARTICIPANT_TYPE_RESIDENT);
    request.mutable_participant()->set_payment_preference(
        v1::PAYMENT_METHOD_BANK_TRANSFER);
    request.mutable_participant()->set_display_name("Random");
    request.mutable_participant()->set_contact("none");
    request.set_request_id(absl::StrCat("register-", seed_, "-", i));
    v1::Participant out;
    grpc::Status status = server_.programme().CreateParticipant(
        TestServer::As(kOfficerAsc).get(), request, &out);
    EXPECT_TRUE(status.ok()) << status.error_message();
  }
}

void RandomRun::Step(int op_index) {
  op_index_ = op_index;
  switch (PickOp(rng_)) {
    case Op::kSubmit:
      return Submit();
    case Op::kReview:
      return Review();
    case Op::kWithdraw:
      return Withdraw();
    case Op::kAppeal:
      return Appeal();
    case Op::kRetrySame:
      return Retry(/*change=*/false);
    case Op::kRetryChanged:
      return Retry(/*change=*/true);
    case Op::kCreateBatch:
      return CreateBatch();
    case Op::kApproveBatch:
      return ApproveBatch();
    case Op::kExportBatch:
      return ExportBatch();
    case Op::kCancelBatch:
      return CancelBatch();
    case Op::kPayBatch:
      return PayBatch();
  }
}

void RandomRun::CheckGlobal() {
  std::map<std::string, int> expected;
  for (const auto& [name, claim] : claims_) ++expected[claim.participant()];
  for (const auto& [participant, count] : expected) {
    v1::ListClaimsRequest request;
    request.set_participant(participant);
    request.set_page_size(1000);
    v1::ListClaimsResponse response;
    ASSERT_TRUE(
        server_.claims()
            .ListClaims(TestServer::As(kOfficerAsc).get(), request, &response)
            .ok());
    EXPECT_EQ(response.claims_size(), count) << participant;
    for (const auto& c : response.claims()) {
      EXPECT_TRUE(MessageDifferencer::Equals(c, claims_.at(c.name())))
          << c.name();
    }
  }
  // Claims and batches agree: a BATCHED or PAID claim is in exactly one
  // live batch, in the matching state; nothing else is in one.
  std::map<std::string, std::string> holder;  // claim -> live batch
  for (const auto& [name, batch] : batches_) {
    if (batch.state() == v1::BATCH_STATE_CANCELLED) continue;
    for (const std::string& claim : batch.claims()) {
      EXPECT_TRUE(holder.emplace(claim, name).second)
          << claim << " is in " << holder[claim] << " and " << name;
    }
  }
  for (const auto& [name, claim] : claims_) {
    const bool held = holder.contains(name);
    const bool batched = claim.state() == v1::CLAIM_STATE_BATCHED ||
                         claim.state() == v1::CLAIM_STATE_PAID;
    EXPECT_EQ(held, batched)
        << name << " is " << v1::ClaimState_Name(claim.state());
    if (held) {
      const bool paid =
          batches_.at(holder[name]).state() == v1::BATCH_STATE_PAID;
      EXPECT_EQ(claim.state(),
                paid ? v1::CLAIM_STATE_PAID : v1::CLAIM_STATE_BATCHED)
          << name;
    }
  }
  // Everything above went through the service, so the audit log
  // describes every record as it is.
  ExpectAuditLogIntact(server_);
}

std::string RandomRun::NewRequestId() {
  return absl::StrCat("rand-", seed_, "-", op_index_, "-", next_id_++);
}

int64_t RandomRun::Uniform(int64_t lo, int64_t hi) {
  return std::uniform_int_distribution<int64_t>(lo, hi)(rng_);
}

v1::ClaimLine RandomRun::RandomLine() {
  v1::ClaimLine line;
  switch (Uniform(0, 4)) {
    case 0:
      line.set_category(v1::EXPENSE_CATEGORY_PUBLIC_TRANSPORT);
      line.set_amount_pence(Uniform(50, 3500));
      break;
    case 1:
      line.set_category(v1::EXPENSE_CATEGORY_MILEAGE);
      line.set_vehicle(Uniform(0, 1) ? v1::VEHICLE_TYPE_CAR
                                     : v1::VEHICLE_TYPE_BICYCLE);
      line.set_distance_tenths_of_mile(Uniform(1, 900));
      break;
    case 2:
      line.set_category(v1::EXPENSE_CATEGORY_TAXI);
      line.set_amount_pence(Uniform(500, 5000));
      break;
    case 3:
      line.set_category(v1::EXPENSE_CATEGORY_PARKING);
      line.set_amount_pence(Uniform(100, 1500));
      break;
    default:
      line.set_category(v1::EXPENSE_CATEGORY_CARER);
      line.set_amount_pence(Uniform(0, 9000));
      line.set_care_minutes(static_cast<int>(Uniform(30, 600)));
      break;
  }
  line.set_receipt_provided(Uniform(0, 1) == 1);
  line.set_description("random");
  return line;
}

const v1::Claim* RandomRun::PickClaim(
    const std::function<bool(const v1::Claim&)>& fits) {
  if (claims_.empty()) return nullptr;
  std::vector<const v1::Claim*> fitting, all;
  for (const auto& [name, claim] : claims_) {
    all.push_back(&claim);
    if (fits(claim)) fitting.push_back(&claim);
  }
  const auto& from = !fitting.empty() && Uniform(0, 9) > 0 ? fitting : all;
  return from[static_cast<size_t>(
      Uniform(0, static_cast<int64_t>(from.size()) - 1))];
}

void RandomRun::Settle(const std::string& what, const grpc::Status& status,
                       bool expect_ok, const v1::Claim* before,
                       const v1::Claim& after, Done done) {
  SCOPED_TRACE(what);
  Count(what, status.ok());
  if (expect_ok) {
    ASSERT_TRUE(status.ok())
        << status.error_code() << " " << status.error_message();
    CheckClaim(after);
    if (before != nullptr) {
      EXPECT_TRUE(LegalTransition(before->state(), after.state()))
          << v1::ClaimState_Name(before->state()) << " -> "
          << v1::ClaimState_Name(after.state());
      EXPECT_EQ(after.history_size(), before->history_size() + 1);
    }
    claims_[after.name()] = after;
    done.response = after;
    done_.push_back(std::move(done));
    name_ = after.name();
  } else {
    ASSERT_FALSE(status.ok()) << "expected a refusal";
    EXPECT_NE(status.error_code(), grpc::StatusCode::INTERNAL)
        << status.error_message();
    if (before == nullptr) return;
    name_ = before->name();
  }
  CheckStored(name_);
}

void RandomRun::CheckStored(const std::string& name) {
  v1::GetClaimRequest get;
  get.set_name(name);
  v1::Claim stored;
  ASSERT_TRUE(server_.claims()
                  .GetClaim(TestServer::As(kOfficerAsc).get(), get, &stored)
                  .ok());
  EXPECT_TRUE(MessageDifferencer::Equals(stored, claims_.at(name)))
      << "stored:\n"
      << stored.DebugString() << "model:\n"
      << claims_.at(name).DebugString();
}

void RandomRun::Submit() {
  Done done;
  done.method = "submit";
  done.principal = kOfficerAsc;
  v1::Claim& claim = *done.submit.mutable_claim();
  claim.set_participant(
      Uniform(0, 3) == 0
          ? kAppellant
          : absl::StrCat("participants/r-", seed_, "-", Uniform(1, 3)));
  claim.set_project(kProjects[Uniform(0, 2)]);
  claim.set_session_date(absl::StrCat("2026-11-", Uniform(10, 19)));
  for (int64_t i = Uniform(1, 3); i > 0; --i) *claim.add_lines() = RandomLine();
  done.submit.set_request_id(NewRequestId());
  v1::Claim response;
  grpc::Status status = server_.claims().SubmitClaim(
      TestServer::As(done.principal).get(), done.submit, &response);
  Settle("submit", status, true, nullptr, response, std::move(done));
}

void RandomRun::Review() {
  const v1::Claim* c = PickClaim([](const v1::Claim& c) {
    return c.state() == v1::CLAIM_STATE_NEEDS_REVIEW;
  });
  if (c == nullptr) return Submit();
  Done done;
  done.method = "review";
  // Two reviewers, so that an appeal is sometimes put to the officer who
  // refused the line, who must be refused.
  done.principal = Uniform(0, 1) ? kOfficerAsc2 : kOfficerAsc3;
  v1::ReviewClaimLineRequest& r = done.review;
  r.set_name(c->name());
  int index = static_cast<int>(Uniform(0, c->lines_size() - 1));
  for (int i = 0; i < c->lines_size(); ++i) {
    if (c->decision().lines(i).outcome() == v1::LINE_OUTCOME_NEEDS_REVIEW &&
        Uniform(0, 3) > 0) {
      index = i;
    }
  }
  r.set_line_index(index);
  r.set_approve(Uniform(0, 2) > 0);
  r.set_reason("checked");
  r.set_request_id(NewRequestId());
  const auto& line = c->decision().lines(index);
  const int64_t claimed = c->lines(index).amount_pence();
  const int64_t proposed =
      line.allowed_pence() > 0 ? line.allowed_pence() : claimed;
  const int64_t ceiling = std::max(proposed, claimed);
  // 0 takes the proposal; ceiling + 1 must be refused.
  r.set_allowed_pence(Uniform(0, 1) ? 0 : Uniform(1, ceiling + 1));
  const bool refuser_decides_appeal =
      !line.appeal_comment().empty() &&
      line.review().reviewer() == done.principal;
  const bool expect_ok = c->state() == v1::CLAIM_STATE_NEEDS_REVIEW &&
                         line.outcome() == v1::LINE_OUTCOME_NEEDS_REVIEW &&
                         !refuser_decides_appeal &&
                         (!r.approve() || r.allowed_pence() <= ceiling);
  v1::Claim response;
  grpc::Status status = server_.claims().ReviewClaimLine(
      TestServer::As(done.principal).get(), r, &response);
  if (status.ok() && expect_ok) {
    const auto& decided = response.decision().lines(index);
    const int64_t want =
        !r.approve() ? 0
                     : (r.allowed_pence() > 0 ? r.allowed_pence() : proposed);
    EXPECT_EQ(decided.allowed_pence(), want);
    EXPECT_EQ(decided.outcome(), !r.approve() ? v1::LINE_OUTCOME_REFUSED
                                 : want == ceiling
                                     ? v1::LINE_OUTCOME_PAID_IN_FULL
                                     : v1::LINE_OUTCOME_REDUCED);
  }
  const v1::Claim before = *c;
  Settle("review", status, expect_ok, &before, response, std::move(done));
}

void RandomRun::Withdraw() {
  const v1::Claim* c = PickClaim([](const v1::Claim& c) {
    return c.state() == v1::CLAIM_STATE_NEEDS_REVIEW;
  });
  if (c == nullptr) return Submit();
  Done done;
  done.method = "withdraw";
  done.principal = kOfficerAsc;
  done.withdraw.set_name(c->name());
  done.withdraw.set_request_id(NewRequestId());
  const bool expect_ok = c->state() == v1::CLAIM_STATE_SUBMITTED ||
                         c->state() == v1::CLAIM_STATE_NEEDS_REVIEW;
  v1::Claim response;
  grpc::Status status = server_.claims().WithdrawClaim(
      TestServer::As(done.principal).get(), done.withdraw, &response);
  if (status.ok()) {
    EXPECT_EQ(response.state(), v1::CLAIM_STATE_WITHDRAWN);
  }
  const v1::Claim before = *c;
  Settle("withdraw", status, expect_ok, &before, response, std::move(done));
}

void RandomRun::Appeal() {
  auto refused_line = [](const v1::Claim& c) {
    for (int i = 0; i < c.decision().lines_size(); ++i) {
      const auto& line = c.decision().lines(i);
      if (line.outcome() == v1::LINE_OUTCOME_REFUSED &&
          line.appeal_comment().empty()) {
        return i;
      }
    }
    return -1;
  };
  const v1::Claim* c = PickClaim([&](const v1::Claim& c) {
    return c.participant() == kAppellant &&
           (c.state() == v1::CLAIM_STATE_APPROVED ||
            c.state() == v1::CLAIM_STATE_REJECTED) &&
           refused_line(c) >= 0;
  });
  if (c == nullptr) return Submit();
  Done done;
  done.method = "appeal";
  done.principal = kParticipant1;
  int index = refused_line(*c);
  if (index < 0) index = static_cast<int>(Uniform(0, c->lines_size() - 1));
  done.appeal.set_name(c->name());
  done.appeal.set_line_index(index);
  done.appeal.set_comment("please look again");
  done.appeal.set_request_id(NewRequestId());
  const auto& line = c->decision().lines(index);
  const bool expect_ok = c->participant() == kAppellant &&
                         (c->state() == v1::CLAIM_STATE_APPROVED ||
                          c->state() == v1::CLAIM_STATE_REJECTED) &&
                         line.outcome() == v1::LINE_OUTCOME_REFUSED &&
                         line.appeal_comment().empty();
  v1::Claim response;
  grpc::Status status = server_.claims().AppealClaimLine(
      TestServer::As(done.principal).get(), done.appeal, &response);
  const v1::Claim before = *c;
  Settle("appeal", status, expect_ok, &before, response, std::move(done));
}

void RandomRun::Retry(bool change) {
  if (done_.empty()) return Submit();
  const Done& d = done_[static_cast<size_t>(
      Uniform(0, static_cast<int64_t>(done_.size()) - 1))];
  auto context = TestServer::As(d.principal);
  v1::Claim response;
  grpc::Status status;
  if (d.method == "submit") {
    v1::SubmitClaimRequest r = d.submit;
    if (change) r.mutable_claim()->mutable_lines(0)->set_description("changed");
    status = server_.claims().SubmitClaim(context.get(), r, &response);
  } else if (d.method == "review") {
    v1::ReviewClaimLineRequest r = d.review;
    if (change) r.set_reason("changed");
    status = server_.claims().ReviewClaimLine(context.get(), r, &response);
  } else if (d.method == "withdraw") {
    v1::WithdrawClaimRequest r = d.withdraw;
    if (change) r.set_name("claims/999999999");
    status = server_.claims().WithdrawClaim(context.get(), r, &response);
  } else {
    v1::AppealClaimLineRequest r = d.appeal;
    if (change) r.set_comment("changed");
    status = server_.claims().AppealClaimLine(context.get(), r, &response);
  }
  SCOPED_TRACE(absl::StrCat("retry of ", d.method, change ? ", changed" : ""));
  Count(absl::StrCat("retry of ", d.method, change ? ", changed" : ""),
        status.ok());
  if (change) {
    EXPECT_EQ(status.error_code(), grpc::StatusCode::ALREADY_EXISTS)
        << status.error_message();
  } else {
    ASSERT_TRUE(status.ok()) << status.error_message();
    EXPECT_TRUE(MessageDifferencer::Equals(response, d.response))
        << "retry answered:\n"
        << response.DebugString() << "first answer:\n"
        << d.response.DebugString();
  }
  // Either way the claim is as the model has it.
  CheckStored(d.response.name());
}

}  // namespace reciprocity::testing::random_ops
