// Random operations against a real server over a real channel, checked
// against an in-memory model after every step. Seeded: a failure prints its
// seed, and RECIP_RANDOM_FIRST_SEED=<seed> RECIP_RANDOM_SEEDS=1 replays it.
// RECIP_RANDOM_SEEDS and RECIP_RANDOM_OPS set the size (CI: 200 x 200; the
// long form is 1000 x 1000).
//
// Invariants checked: every stored claim equals the model's and keeps the
// decision's arithmetic (whole pence, never negative, totals are the sum of
// lines); every state change is a legal one; retries answer as the first
// time and change nothing; a batch takes exactly the approved claims no
// live batch holds, so no claim is ever in two; its total, and its export's
// control totals, equal the sum of its claims' allowed amounts; BATCHED and
// PAID come only through a batch; the audit log verifies, every record as
// the last event that wrote it says.
#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <initializer_list>
#include <iostream>
#include <map>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "base/logging.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "reciprocity/v1/finance.grpc.pb.h"
#include "tests/util/audit_check.h"
#include "tests/util/test_server.h"

namespace reciprocity::testing {
namespace {

using google::protobuf::util::MessageDifferencer;

int EnvInt(const char* name, int fallback) {
  const char* value = std::getenv(name);
  return value != nullptr && *value != '\0' ? std::atoi(value) : fallback;
}

// participant-1: a quarter of the claims are theirs, so that they can appeal.
constexpr char kAppellant[] = "participants/p-0001";
constexpr const char* kProjects[] = {
    "serviceAreas/adult-social-care/projects/ld-user-voice",
    "serviceAreas/adult-social-care/projects/over-55s-user-voice",
    "serviceAreas/adult-social-care/projects/carers-user-voice",
};

enum class Op {
  kSubmit,
  kReview,
  kWithdraw,
  kAppeal,
  kRetrySame,
  kRetryChanged,
  kCreateBatch,
  kApproveBatch,
  kExportBatch,
  kCancelBatch,
  kPayBatch,
};

Op PickOp(std::mt19937_64& rng) {
  static const std::discrete_distribution<int> kWeights{30, 25, 8, 12, 15, 10,
                                                        4,  4,  4, 2,  3};
  std::discrete_distribution<int> d = kWeights;
  return static_cast<Op>(d(rng));
}

bool LegalTransition(v1::ClaimState from, v1::ClaimState to) {
  using S = v1::ClaimState;
  if (from == to) return from == S::CLAIM_STATE_NEEDS_REVIEW;  // partial review
  switch (from) {
    case S::CLAIM_STATE_SUBMITTED:
      return to != S::CLAIM_STATE_BATCHED && to != S::CLAIM_STATE_PAID;
    case S::CLAIM_STATE_NEEDS_REVIEW:
      return to == S::CLAIM_STATE_APPROVED || to == S::CLAIM_STATE_REJECTED ||
             to == S::CLAIM_STATE_WITHDRAWN;
    case S::CLAIM_STATE_APPROVED:  // appeal of a refused line, or a batch
      return to == S::CLAIM_STATE_NEEDS_REVIEW || to == S::CLAIM_STATE_BATCHED;
    case S::CLAIM_STATE_REJECTED:
      return to == S::CLAIM_STATE_NEEDS_REVIEW;
    case S::CLAIM_STATE_BATCHED:
      return to == S::CLAIM_STATE_PAID || to == S::CLAIM_STATE_APPROVED;
    default:
      return false;
  }
}

// Invariants every stored claim keeps, whatever happened to it.
void CheckClaim(const v1::Claim& c) {
  SCOPED_TRACE(c.name());
  ASSERT_EQ(c.decision().lines_size(), c.lines_size());
  int64_t total = 0;
  bool any_review = false, all_refused = true;
  for (const auto& line : c.decision().lines()) {
    EXPECT_GE(line.allowed_pence(), 0);
    total += line.allowed_pence();
    any_review |= line.outcome() == v1::LINE_OUTCOME_NEEDS_REVIEW;
    all_refused &= line.outcome() == v1::LINE_OUTCOME_REFUSED;
    if (line.outcome() == v1::LINE_OUTCOME_REFUSED) {
      EXPECT_EQ(line.allowed_pence(), 0);
    }
  }
  EXPECT_EQ(c.decision().allowed_total_pence(), total);
  EXPECT_GE(c.claimed_total_pence(), 0);
  switch (c.state()) {
    case v1::CLAIM_STATE_NEEDS_REVIEW:
      EXPECT_TRUE(any_review || c.decision().needs_review());
      break;
    case v1::CLAIM_STATE_APPROVED:
      EXPECT_FALSE(any_review);
      EXPECT_FALSE(all_refused);
      break;
    case v1::CLAIM_STATE_REJECTED:
      EXPECT_TRUE(all_refused);
      EXPECT_EQ(total, 0);
      break;
    case v1::CLAIM_STATE_WITHDRAWN:
      break;
    case v1::CLAIM_STATE_BATCHED:
    case v1::CLAIM_STATE_PAID:
      EXPECT_FALSE(any_review);
      EXPECT_FALSE(all_refused);
      break;
    default:
      ADD_FAILURE() << "unexpected state " << v1::ClaimState_Name(c.state());
  }
}

// A mutating request that succeeded, kept for retries.
struct Done {
  std::string principal;
  std::string method;  // "submit", "review", "withdraw", "appeal"
  v1::SubmitClaimRequest submit;
  v1::ReviewClaimLineRequest review;
  v1::WithdrawClaimRequest withdraw;
  v1::AppealClaimLineRequest appeal;
  v1::Claim response;
};

// How often each operation succeeded or was refused, over all seeds: shows
// that the run reached every path.
absl::Mutex counts_mu;
std::map<std::string, std::pair<int, int>> counts ABSL_GUARDED_BY(counts_mu);

void Count(const std::string& what, bool ok) {
  absl::MutexLock lock(&counts_mu);
  auto& [succeeded, refused] = counts[what];
  ++(ok ? succeeded : refused);
}

class RandomRun {
 public:
  RandomRun(TestServer& server, uint64_t seed)
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

  void Step(int op_index) {
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

  // Checks that span claims: each participant's listing matches the model.
  void CheckGlobal() {
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

 private:
  std::string NewRequestId() {
    return absl::StrCat("rand-", seed_, "-", op_index_, "-", next_id_++);
  }
  int64_t Uniform(int64_t lo, int64_t hi) {
    return std::uniform_int_distribution<int64_t>(lo, hi)(rng_);
  }

  v1::ClaimLine RandomLine() {
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

  // The model's claim to act on: usually one the action suits.
  const v1::Claim* PickClaim(
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

  // After a call: OK exactly when the model expected it; the stored claim
  // equals what the model now holds and keeps every invariant.
  void Settle(const std::string& what, const grpc::Status& status,
              bool expect_ok, const v1::Claim* before, const v1::Claim& after,
              Done done) {
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

  // The server holds exactly the model's version of the claim.
  void CheckStored(const std::string& name) {
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

  void Submit() {
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
    for (int64_t i = Uniform(1, 3); i > 0; --i)
      *claim.add_lines() = RandomLine();
    done.submit.set_request_id(NewRequestId());
    v1::Claim response;
    grpc::Status status = server_.claims().SubmitClaim(
        TestServer::As(done.principal).get(), done.submit, &response);
    Settle("submit", status, true, nullptr, response, std::move(done));
  }

  void Review() {
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

  void Withdraw() {
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

  void Appeal() {
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

  // Retries a request that succeeded: the same request gets the first answer
  // and changes nothing; a changed body under the same id is refused.
  void Retry(bool change) {
    if (done_.empty()) return Submit();
    const Done& d = done_[static_cast<size_t>(
        Uniform(0, static_cast<int64_t>(done_.size()) - 1))];
    auto context = TestServer::As(d.principal);
    v1::Claim response;
    grpc::Status status;
    if (d.method == "submit") {
      v1::SubmitClaimRequest r = d.submit;
      if (change)
        r.mutable_claim()->mutable_lines(0)->set_description("changed");
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
    SCOPED_TRACE(
        absl::StrCat("retry of ", d.method, change ? ", changed" : ""));
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

  // ---- Batches ----

  int64_t AllowedTotal(const std::vector<std::string>& claim_names) const {
    int64_t total = 0;
    for (const std::string& name : claim_names) {
      total += claims_.at(name).decision().allowed_total_pence();
    }
    return total;
  }

  // Reloads the batch's claims after a batch changed their state, checking
  // each change is legal and lands in `want`.
  void RefreshClaims(const v1::Batch& batch, v1::ClaimState want) {
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

  // A batch in one of `states`, usually; any batch otherwise, to see the
  // refusals too.
  const v1::Batch* PickBatch(std::initializer_list<v1::BatchState> states) {
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

  void SettleBatch(const std::string& what, const grpc::Status& status,
                   bool expect_ok) {
    Count(what, status.ok());
    if (expect_ok) {
      ASSERT_TRUE(status.ok()) << what << ": " << status.error_code() << " "
                               << status.error_message();
    } else {
      ASSERT_FALSE(status.ok()) << what << ": expected a refusal";
      EXPECT_NE(status.error_code(), grpc::StatusCode::INTERNAL)
          << status.error_message();
    }
  }

  void CreateBatch() {
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
    std::vector<std::string> taken(batch.claims().begin(),
                                   batch.claims().end());
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

  void ApproveBatch() {
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

  void ExportBatch() {
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

  void CancelBatch() {
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

  void PayBatch() {
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

  TestServer& server_;
  std::unique_ptr<v1::FinanceService::Stub> finance_;
  const uint64_t seed_;
  std::mt19937_64 rng_;
  int op_index_ = 0;
  int next_id_ = 0;
  std::string name_;                         // the claim the last step touched
  std::map<std::string, v1::Claim> claims_;  // by name, as the server has it
  std::vector<Done> done_;
  std::map<std::string, v1::Batch> batches_;  // by name, with their claims
};

// Runs one seed on a fresh server, so that it replays exactly on its own
// (policy decisions depend on earlier claims: budgets, mileage tiers).
// Returns false at the first failure.
bool RunSeed(int seed, int ops) {
  TestServer server;
  RandomRun run(server, static_cast<uint64_t>(seed));
  for (int op = 0; op < ops; ++op) {
    SCOPED_TRACE(absl::StrCat("seed ", seed, ", operation ", op,
                              " (replay: RECIP_RANDOM_FIRST_SEED=", seed,
                              " RECIP_RANDOM_SEEDS=1)"));
    run.Step(op);
    if (op % 50 == 49 || op == ops - 1) run.CheckGlobal();
    // Every failure message carries the trace above, naming the seed. A
    // failure in any seed stops them all.
    if (::testing::Test::HasFailure()) return false;
  }
  return true;
}

TEST(RandomOpsTest, ServerAgreesWithModelAfterEveryStep) {
  const int seeds = EnvInt("RECIP_RANDOM_SEEDS", 200);
  const int ops = EnvInt("RECIP_RANDOM_OPS", 200);
  const int first_seed = EnvInt("RECIP_RANDOM_FIRST_SEED", 1);
  // Seeds run side by side: each waits mostly on its own server's fsyncs.
  const int threads = std::max(1, EnvInt("RECIP_RANDOM_THREADS", 8));
  InitLogging("warn");  // once, before the servers start in parallel
  std::atomic<int> next_seed{first_seed};
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&] {
      for (int seed = next_seed++; seed < first_seed + seeds;
           seed = next_seed++) {
        if (!RunSeed(seed, ops)) return;
      }
    });
  }
  for (std::thread& worker : workers) worker.join();
  absl::MutexLock lock(&counts_mu);
  for (const auto& [what, count] : counts) {
    std::cout << what << ": " << count.first << " succeeded, " << count.second
              << " refused\n";
  }
}

}  // namespace
}  // namespace reciprocity::testing
