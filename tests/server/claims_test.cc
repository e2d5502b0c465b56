// ClaimService over a real gRPC channel, a real server and a real SQLite
// file.
#include <set>
#include <thread>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/util/status_matchers.h"
#include "tests/util/test_server.h"

namespace reciprocity {
namespace {

using ::reciprocity::testing::BusFareClaim;
using ::reciprocity::testing::IsOk;
using ::reciprocity::testing::StatusIs;
using ::reciprocity::testing::TestServer;
using ::testing::HasSubstr;
using ::testing::SizeIs;
namespace t = ::reciprocity::testing;

class ClaimServiceTest : public ::testing::Test {
 protected:
  grpc::Status Submit(const std::string& who, const v1::Claim& claim,
                      const std::string& request_id, v1::Claim* out) {
    v1::SubmitClaimRequest request;
    *request.mutable_claim() = claim;
    request.set_request_id(request_id);
    return server_.claims().SubmitClaim(TestServer::As(who).get(), request,
                                        out);
  }
  v1::Claim MustSubmit(const std::string& who, const v1::Claim& claim,
                       const std::string& request_id) {
    v1::Claim out;
    grpc::Status s = Submit(who, claim, request_id, &out);
    EXPECT_THAT(s, IsOk());
    return out;
  }
  grpc::Status Get(const std::string& who, const std::string& name,
                   v1::Claim* out) {
    v1::GetClaimRequest request;
    request.set_name(name);
    return server_.claims().GetClaim(TestServer::As(who).get(), request, out);
  }
  v1::ListClaimsResponse MustList(const std::string& who,
                                  v1::ListClaimsRequest request) {
    v1::ListClaimsResponse out;
    EXPECT_THAT(
        server_.claims().ListClaims(TestServer::As(who).get(), request, &out),
        IsOk());
    return out;
  }

  TestServer server_;
};

TEST_F(ClaimServiceTest, SubmittedClaimCanBeReadBack) {
  v1::Claim submitted = MustSubmit(t::kParticipant1, BusFareClaim(), "r-1");
  EXPECT_EQ(submitted.name(), "claims/1");
  EXPECT_EQ(submitted.state(), v1::CLAIM_STATE_APPROVED);
  EXPECT_EQ(submitted.decision().allowed_total_pence(), 320);
  EXPECT_EQ(submitted.entered_by(), t::kParticipant1);
  EXPECT_THAT(submitted.decision().policy_version(),
              HasSubstr("adult-social-care@"));
  ASSERT_THAT(submitted.decision().lines(), SizeIs(1));
  EXPECT_FALSE(submitted.decision().lines(0).reason().empty());

  v1::Claim read;
  ASSERT_THAT(Get(t::kParticipant1, submitted.name(), &read), IsOk());
  EXPECT_EQ(read.SerializeAsString(), submitted.SerializeAsString());
}

TEST_F(ClaimServiceTest, PreviewGivesTheSubmitDecisionAndStoresNothing) {
  v1::Claim claim = BusFareClaim();
  v1::ClaimLine* miles = claim.add_lines();
  miles->set_category(v1::EXPENSE_CATEGORY_MILEAGE);
  miles->set_vehicle(v1::VEHICLE_TYPE_CAR);
  miles->set_distance_tenths_of_mile(120);

  v1::PreviewClaimRequest preview;
  *preview.mutable_claim() = claim;
  v1::PreviewClaimResponse previewed;
  ASSERT_THAT(server_.claims().PreviewClaim(
                  TestServer::As(t::kParticipant1).get(), preview, &previewed),
              IsOk());
  EXPECT_THAT(MustList(t::kFinance, {}).claims(), SizeIs(0));

  v1::Claim submitted = MustSubmit(t::kParticipant1, claim, "r-1");
  EXPECT_EQ(previewed.decision().SerializeAsString(),
            submitted.decision().SerializeAsString());
  EXPECT_EQ(previewed.state(), submitted.state());
  // 12 miles at 55p (the rate from 6 April 2026) plus the £3.20 fare.
  EXPECT_EQ(submitted.decision().allowed_total_pence(), 320 + 660);
}

TEST_F(ClaimServiceTest, CallsWithoutAValidTokenAreUnauthenticated) {
  v1::Claim out;
  v1::SubmitClaimRequest request;
  *request.mutable_claim() = BusFareClaim();
  request.set_request_id("r-1");
  EXPECT_THAT(
      server_.claims().SubmitClaim(TestServer::As("").get(), request, &out),
      StatusIs(absl::StatusCode::kUnauthenticated));
  EXPECT_THAT(server_.claims().SubmitClaim(TestServer::As("nobody").get(),
                                           request, &out),
              StatusIs(absl::StatusCode::kUnauthenticated));
}

struct BadClaimCase {
  std::string label;
  std::function<void(v1::Claim&)> spoil;
  std::string field;
};
void PrintTo(const BadClaimCase& c, std::ostream* os) { *os << c.label; }

class BadClaimTest : public ClaimServiceTest,
                     public ::testing::WithParamInterface<BadClaimCase> {};

TEST_P(BadClaimTest, IsInvalidArgumentNamingTheFieldAndServerKeepsServing) {
  v1::Claim claim = BusFareClaim();
  GetParam().spoil(claim);
  v1::Claim out;
  EXPECT_THAT(Submit(t::kOfficerAsc, claim, "r-bad", &out),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr(GetParam().field)));
  v1::PreviewClaimRequest preview;
  *preview.mutable_claim() = claim;
  v1::PreviewClaimResponse previewed;
  EXPECT_THAT(server_.claims().PreviewClaim(
                  TestServer::As(t::kOfficerAsc).get(), preview, &previewed),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr(GetParam().field)));
  // Nothing stored, and the server still answers.
  EXPECT_THAT(MustSubmit(t::kOfficerAsc, BusFareClaim(), "r-good").name(),
              "claims/1");
}

INSTANTIATE_TEST_SUITE_P(
    Cases, BadClaimTest,
    ::testing::Values(
        BadClaimCase{
            "NegativeAmount",
            [](v1::Claim& c) { c.mutable_lines(0)->set_amount_pence(-1); },
            "claim.lines[0].amount_pence"},
        BadClaimCase{"AmountOverOneHundredThousandPounds",
                     [](v1::Claim& c) {
                       c.mutable_lines(0)->set_amount_pence(10'000'001);
                     },
                     "claim.lines[0].amount_pence"},
        BadClaimCase{"DistanceOverTenThousandMiles",
                     [](v1::Claim& c) {
                       v1::ClaimLine* l = c.add_lines();
                       l->set_category(v1::EXPENSE_CATEGORY_MILEAGE);
                       l->set_vehicle(v1::VEHICLE_TYPE_CAR);
                       l->set_distance_tenths_of_mile(100'001);
                     },
                     "claim.lines[1].distance_tenths_of_mile"},
        BadClaimCase{"UnknownProject",
                     [](v1::Claim& c) {
                       c.set_project(
                           "serviceAreas/adult-social-care/projects/nope");
                     },
                     "claim.project"},
        BadClaimCase{"UnknownServiceArea",
                     [](v1::Claim& c) {
                       c.set_project(
                           "serviceAreas/nowhere/projects/ld-user-voice");
                     },
                     "claim.project"},
        BadClaimCase{"EmptyParticipant",
                     [](v1::Claim& c) { c.clear_participant(); },
                     "claim.participant"},
        BadClaimCase{"NoLines", [](v1::Claim& c) { c.clear_lines(); },
                     "claim.lines"},
        BadClaimCase{"BadDate",
                     [](v1::Claim& c) { c.set_session_date("2026-02-30"); },
                     "claim.session_date"},
        BadClaimCase{"FutureDate",
                     [](v1::Claim& c) { c.set_session_date("2026-12-01"); },
                     "claim.session_date"},
        BadClaimCase{"NoCategory",
                     [](v1::Claim& c) {
                       c.mutable_lines(0)->set_category(
                           v1::EXPENSE_CATEGORY_UNSPECIFIED);
                     },
                     "claim.lines[0].category"}),
    [](const auto& info) { return info.param.label; });

TEST_F(ClaimServiceTest, MalformedPageTokenIsInvalidArgument) {
  v1::ListClaimsRequest request;
  request.set_page_token("not-a-token");
  v1::ListClaimsResponse out;
  EXPECT_THAT(
      server_.claims().ListClaims(TestServer::As(t::kFinance).get(), request,
                                  &out),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("page_token")));
}

TEST_F(ClaimServiceTest, PageTokenCannotBeReusedWithOtherFilters) {
  for (int i = 0; i < 3; ++i)
    MustSubmit(t::kParticipant1, BusFareClaim(), absl::StrCat("r", i));
  v1::ListClaimsRequest request;
  request.set_page_size(1);
  v1::ListClaimsResponse first = MustList(t::kFinance, request);
  ASSERT_FALSE(first.next_page_token().empty());
  request.set_page_token(first.next_page_token());
  request.set_state(v1::CLAIM_STATE_PAID);
  v1::ListClaimsResponse out;
  EXPECT_THAT(
      server_.claims().ListClaims(TestServer::As(t::kFinance).get(), request,
                                  &out),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("page_token")));
}

TEST_F(ClaimServiceTest, PaginationNeitherSkipsNorRepeatsWhileClaimsArrive) {
  for (int i = 0; i < 7; ++i)
    MustSubmit(t::kParticipant1, BusFareClaim(), absl::StrCat("a", i));
  std::vector<std::string> seen;
  v1::ListClaimsRequest request;
  request.set_page_size(3);
  int extra = 0;
  do {
    v1::ListClaimsResponse page = MustList(t::kFinance, request);
    for (const auto& c : page.claims()) seen.push_back(c.name());
    // New claims arrive between pages.
    if (extra < 2)
      MustSubmit(t::kParticipant2, BusFareClaim("participants/p-0002"),
                 absl::StrCat("b", extra++));
    request.set_page_token(page.next_page_token());
  } while (!request.page_token().empty());
  EXPECT_THAT(seen, SizeIs(9));
  EXPECT_EQ(std::set<std::string>(seen.begin(), seen.end()).size(),
            seen.size());
}

TEST_F(ClaimServiceTest, ListFiltersByParticipantProjectAndState) {
  MustSubmit(t::kParticipant1, BusFareClaim(), "r1");
  MustSubmit(t::kParticipant2, BusFareClaim("participants/p-0002"), "r2");
  v1::ListClaimsRequest request;
  request.set_participant("participants/p-0002");
  request.set_project("serviceAreas/adult-social-care/projects/ld-user-voice");
  request.set_state(v1::CLAIM_STATE_APPROVED);
  v1::ListClaimsResponse out = MustList(t::kOfficerAsc, request);
  ASSERT_THAT(out.claims(), SizeIs(1));
  EXPECT_EQ(out.claims(0).participant(), "participants/p-0002");
  request.set_state(v1::CLAIM_STATE_PAID);
  EXPECT_THAT(MustList(t::kOfficerAsc, request).claims(), SizeIs(0));
}

TEST_F(ClaimServiceTest, ListFiltersByServiceAreaAndSessionDates) {
  MustSubmit(t::kParticipant1, BusFareClaim(), "on-18th");
  MustSubmit(t::kParticipant1,
             BusFareClaim("participants/p-0001", "2026-11-10"), "on-10th");
  v1::Claim elsewhere = BusFareClaim("participants/p-0002", "2026-11-12");
  elsewhere.set_project(
      "serviceAreas/children-and-families/projects/abss-parent-champions");
  MustSubmit(t::kOfficerCf, elsewhere, "other-area");

  v1::ListClaimsRequest request;
  request.set_service_area("serviceAreas/children-and-families");
  v1::ListClaimsResponse out = MustList(t::kFinance, request);
  ASSERT_THAT(out.claims(), SizeIs(1));
  EXPECT_EQ(out.claims(0).project(), elsewhere.project());

  request.Clear();
  request.set_session_date_from("2026-11-11");
  request.set_session_date_to("2026-11-18");
  out = MustList(t::kFinance, request);
  ASSERT_THAT(out.claims(), SizeIs(2));
  EXPECT_EQ(out.claims(0).session_date(), "2026-11-18");
  EXPECT_EQ(out.claims(1).session_date(), "2026-11-12");
  request.set_service_area("serviceAreas/adult-social-care");
  out = MustList(t::kFinance, request);
  ASSERT_THAT(out.claims(), SizeIs(1));
  EXPECT_EQ(out.claims(0).session_date(), "2026-11-18");
  request.set_session_date_to("2026-11-17");
  EXPECT_THAT(MustList(t::kFinance, request).claims(), SizeIs(0));
}

TEST_F(ClaimServiceTest, SameRequestIdAndSameRequestReturnsTheFirstAnswer) {
  v1::Claim first = MustSubmit(t::kParticipant1, BusFareClaim(), "same");
  v1::Claim again = MustSubmit(t::kParticipant1, BusFareClaim(), "same");
  EXPECT_EQ(first.SerializeAsString(), again.SerializeAsString());
  EXPECT_THAT(MustList(t::kFinance, {}).claims(), SizeIs(1));
}

TEST_F(ClaimServiceTest, SameRequestIdWithADifferentRequestIsAlreadyExists) {
  MustSubmit(t::kParticipant1, BusFareClaim(), "same");
  v1::Claim changed = BusFareClaim();
  changed.mutable_lines(0)->set_amount_pence(330);
  v1::Claim out;
  EXPECT_THAT(
      Submit(t::kParticipant1, changed, "same", &out),
      StatusIs(absl::StatusCode::kAlreadyExists, HasSubstr("request_id")));
  EXPECT_THAT(MustList(t::kFinance, {}).claims(), SizeIs(1));
}

TEST_F(ClaimServiceTest, RequestIdsSurviveARestart) {
  v1::Claim first = MustSubmit(t::kParticipant1, BusFareClaim(), "durable");
  server_.Restart();
  v1::Claim again = MustSubmit(t::kParticipant1, BusFareClaim(), "durable");
  EXPECT_EQ(first.name(), again.name());
  EXPECT_THAT(MustList(t::kFinance, {}).claims(), SizeIs(1));
}

TEST_F(ClaimServiceTest, SixteenConcurrentRetriesMakeExactlyOneClaim) {
  std::vector<std::thread> threads;
  std::vector<std::string> names(16);
  std::vector<grpc::Status> statuses(16);
  for (int i = 0; i < 16; ++i) {
    threads.emplace_back([&, i] {
      v1::Claim out;
      statuses[i] = Submit(t::kParticipant1, BusFareClaim(), "retry-me", &out);
      names[i] = out.name();
    });
  }
  for (auto& t : threads) t.join();
  for (int i = 0; i < 16; ++i) {
    EXPECT_THAT(statuses[i], IsOk());
    EXPECT_EQ(names[i], "claims/1");
  }
  EXPECT_THAT(MustList(t::kFinance, {}).claims(), SizeIs(1));
}

TEST_F(ClaimServiceTest, ParticipantsActOnlyForThemselves) {
  v1::Claim out;
  EXPECT_THAT(
      Submit(t::kParticipant1, BusFareClaim("participants/p-0002"), "r1", &out),
      StatusIs(absl::StatusCode::kPermissionDenied));
  v1::Claim theirs =
      MustSubmit(t::kParticipant2, BusFareClaim("participants/p-0002"), "r2");
  EXPECT_THAT(Get(t::kParticipant1, theirs.name(), &out),
              StatusIs(absl::StatusCode::kPermissionDenied));
  // A claim that does not exist looks the same to them (AIP-211).
  EXPECT_THAT(Get(t::kParticipant1, "claims/999", &out),
              StatusIs(absl::StatusCode::kPermissionDenied));
  EXPECT_THAT(Get(t::kFinance, "claims/999", &out),
              StatusIs(absl::StatusCode::kNotFound));
  // Their listing shows only their own claims.
  v1::ListClaimsResponse mine = MustList(t::kParticipant1, {});
  EXPECT_THAT(mine.claims(), SizeIs(0));
  v1::ListClaimsRequest other;
  other.set_participant("participants/p-0002");
  v1::ListClaimsResponse denied;
  EXPECT_THAT(server_.claims().ListClaims(
                  TestServer::As(t::kParticipant1).get(), other, &denied),
              StatusIs(absl::StatusCode::kPermissionDenied));
}

TEST_F(ClaimServiceTest, OfficersSubmitOnBehalfOnlyInTheirArea) {
  v1::Claim on_behalf = MustSubmit(t::kOfficerAsc, BusFareClaim(), "r1");
  EXPECT_EQ(on_behalf.entered_by(), t::kOfficerAsc);
  EXPECT_EQ(on_behalf.participant(), "participants/p-0001");
  ASSERT_THAT(on_behalf.history(), SizeIs(1));
  EXPECT_THAT(on_behalf.history(0).action(), HasSubstr("behalf"));
  v1::Claim out;
  EXPECT_THAT(Submit(t::kOfficerCf, BusFareClaim(), "r2", &out),
              StatusIs(absl::StatusCode::kPermissionDenied));
  EXPECT_THAT(Submit(t::kFinance, BusFareClaim(), "r3", &out),
              StatusIs(absl::StatusCode::kPermissionDenied));
}

v1::Claim TaxiClaim() {
  v1::Claim claim = BusFareClaim();
  v1::ClaimLine* taxi = claim.add_lines();
  taxi->set_category(v1::EXPENSE_CATEGORY_TAXI);
  taxi->set_amount_pence(1250);
  taxi->set_receipt_provided(true);
  return claim;
}

TEST_F(ClaimServiceTest, TaxiWithoutAgreementWaitsForAnotherOfficersReview) {
  v1::Claim claim = MustSubmit(t::kOfficerAsc, TaxiClaim(), "r1");
  ASSERT_EQ(claim.state(), v1::CLAIM_STATE_NEEDS_REVIEW);
  ASSERT_EQ(claim.decision().lines(1).outcome(), v1::LINE_OUTCOME_NEEDS_REVIEW);

  v1::ReviewClaimLineRequest review;
  review.set_name(claim.name());
  review.set_line_index(1);
  review.set_approve(true);
  review.set_reason(
      "The taxi was needed because the lift at the station was broken.");
  review.set_receipt_seen(true);
  review.set_request_id("rev-1");
  v1::Claim reviewed;
  // The officer who entered it may not review it.
  EXPECT_THAT(server_.claims().ReviewClaimLine(
                  TestServer::As(t::kOfficerAsc).get(), review, &reviewed),
              StatusIs(absl::StatusCode::kPermissionDenied));
  ASSERT_THAT(server_.claims().ReviewClaimLine(
                  TestServer::As(t::kOfficerAsc2).get(), review, &reviewed),
              IsOk());
  EXPECT_EQ(reviewed.state(), v1::CLAIM_STATE_APPROVED);
  EXPECT_EQ(reviewed.decision().lines(1).allowed_pence(), 1250);
  EXPECT_EQ(reviewed.decision().allowed_total_pence(), 320 + 1250);
  EXPECT_EQ(reviewed.decision().lines(1).review().reviewer(), t::kOfficerAsc2);
  EXPECT_TRUE(reviewed.decision().lines(1).review().receipt_seen());

  // Reviewing again: the line no longer needs review.
  review.set_request_id("rev-2");
  EXPECT_THAT(server_.claims().ReviewClaimLine(
                  TestServer::As(t::kOfficerAsc2).get(), review, &reviewed),
              StatusIs(absl::StatusCode::kFailedPrecondition));
}

TEST_F(ClaimServiceTest, RefusedLineCanBeAppealedOnce) {
  v1::Claim claim = MustSubmit(t::kParticipant1, TaxiClaim(), "r1");
  v1::ReviewClaimLineRequest review;
  review.set_name(claim.name());
  review.set_line_index(1);
  review.set_approve(false);
  review.set_reason("Taxis need agreeing before the meeting.");
  review.set_request_id("rev-1");
  v1::Claim reviewed;
  ASSERT_THAT(server_.claims().ReviewClaimLine(
                  TestServer::As(t::kOfficerAsc).get(), review, &reviewed),
              IsOk());
  EXPECT_EQ(reviewed.state(),
            v1::CLAIM_STATE_APPROVED);  // the bus fare is paid
  EXPECT_EQ(reviewed.decision().allowed_total_pence(), 320);

  v1::AppealClaimLineRequest appeal;
  appeal.set_name(claim.name());
  appeal.set_line_index(1);
  appeal.set_comment("My officer agreed it on the phone.");
  appeal.set_request_id("app-1");
  v1::Claim appealed;
  ASSERT_THAT(server_.claims().AppealClaimLine(
                  TestServer::As(t::kParticipant1).get(), appeal, &appealed),
              IsOk());
  EXPECT_EQ(appealed.state(), v1::CLAIM_STATE_NEEDS_REVIEW);
  EXPECT_EQ(appealed.decision().lines(1).appeal_comment(), appeal.comment());

  // A fair appeal: the officer who refused the line does not decide it.
  review.set_request_id("rev-2");
  EXPECT_THAT(server_.claims().ReviewClaimLine(
                  TestServer::As(t::kOfficerAsc).get(), review, &reviewed),
              StatusIs(absl::StatusCode::kPermissionDenied,
                       HasSubstr("another officer must decide the appeal")));
  review.set_request_id("rev-3");
  ASSERT_THAT(server_.claims().ReviewClaimLine(
                  TestServer::As(t::kOfficerAsc2).get(), review, &reviewed),
              IsOk());
  EXPECT_EQ(reviewed.decision().lines(1).review().reviewer(), t::kOfficerAsc2);
  appeal.set_request_id("app-2");
  EXPECT_THAT(
      server_.claims().AppealClaimLine(TestServer::As(t::kParticipant1).get(),
                                       appeal, &appealed),
      StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("already")));
}

TEST_F(ClaimServiceTest, AnOfficerCanAppealForTheParticipant) {
  v1::Claim claim = MustSubmit(t::kParticipant1, TaxiClaim(), "r1");
  v1::ReviewClaimLineRequest review;
  review.set_name(claim.name());
  review.set_line_index(1);
  review.set_approve(false);
  review.set_reason("Taxis need agreeing before the meeting.");
  review.set_request_id("rev-1");
  v1::Claim reviewed;
  ASSERT_THAT(server_.claims().ReviewClaimLine(
                  TestServer::As(t::kOfficerAsc2).get(), review, &reviewed),
              IsOk());

  v1::AppealClaimLineRequest appeal;
  appeal.set_name(claim.name());
  appeal.set_line_index(1);
  appeal.set_comment("Sam rang me: the officer agreed it by phone.");
  appeal.set_request_id("app-1");
  v1::Claim appealed;
  ASSERT_THAT(server_.claims().AppealClaimLine(
                  TestServer::As(t::kOfficerAsc).get(), appeal, &appealed),
              IsOk());
  EXPECT_EQ(appealed.state(), v1::CLAIM_STATE_NEEDS_REVIEW);
  // The record shows both people: whose claim it is, and who asked.
  EXPECT_EQ(appealed.participant(), "participants/p-0001");
  ASSERT_GT(appealed.history_size(), 0);
  EXPECT_EQ(appealed.history(appealed.history_size() - 1).actor(),
            t::kOfficerAsc);
  EXPECT_THAT(appealed.history(appealed.history_size() - 1).action(),
              HasSubstr("looked at again"));
}

TEST_F(ClaimServiceTest, OnlyClaimsNotYetApprovedCanBeWithdrawn) {
  v1::Claim waiting = MustSubmit(t::kParticipant1, TaxiClaim(), "r1");
  v1::WithdrawClaimRequest withdraw;
  withdraw.set_name(waiting.name());
  withdraw.set_request_id("w1");
  v1::Claim out;
  ASSERT_THAT(server_.claims().WithdrawClaim(
                  TestServer::As(t::kParticipant1).get(), withdraw, &out),
              IsOk());
  EXPECT_EQ(out.state(), v1::CLAIM_STATE_WITHDRAWN);

  v1::Claim approved = MustSubmit(t::kParticipant1, BusFareClaim(), "r2");
  withdraw.set_name(approved.name());
  withdraw.set_request_id("w2");
  EXPECT_THAT(server_.claims().WithdrawClaim(
                  TestServer::As(t::kParticipant1).get(), withdraw, &out),
              StatusIs(absl::StatusCode::kFailedPrecondition));
}

}  // namespace
}  // namespace reciprocity
