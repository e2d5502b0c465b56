// Amending a claim before it is approved, over a real server, channel and
// SQLite file: the new version is judged afresh by the same rules and
// facts as a new claim (without counting the version it replaces), the old
// version is kept, retries are safe, and an approved claim stays as it is.
#include <string>

#include "policy/explain.h"
#include "tests/server/programme_fixture.h"

namespace reciprocity {
namespace {

using ::reciprocity::testing::IsOk;
using ::reciprocity::testing::kLdUserVoice;
using ::reciprocity::testing::ProgrammeTest;
using ::reciprocity::testing::StatusIs;
using ::reciprocity::testing::TestServer;
using ::testing::HasSubstr;
namespace t = ::reciprocity::testing;

class ClaimAmendTest : public ProgrammeTest {
 protected:
  // A £3.20 bus fare and a £12.50 taxi nobody agreed, for 18 November: the
  // taxi waits for a person.
  static v1::Claim FareAndTaxi() {
    v1::Claim claim = t::BusFareClaim();
    v1::ClaimLine* taxi = claim.add_lines();
    taxi->set_category(v1::EXPENSE_CATEGORY_TAXI);
    taxi->set_amount_pence(1250);
    taxi->set_receipt_provided(true);
    return claim;
  }
  grpc::Status Amend(const std::string& who, const std::string& name,
                     v1::Claim claim, const std::string& reason, v1::Claim* out,
                     const std::string& request_id = "") {
    v1::AmendClaimRequest request;
    claim.set_name(name);
    *request.mutable_claim() = std::move(claim);
    request.set_reason(reason);
    request.set_request_id(request_id.empty() ? NextId() : request_id);
    return server_.claims().AmendClaim(TestServer::As(who).get(), request, out);
  }
};

TEST_F(ClaimAmendTest, NewVersionIsJudgedAfreshAndTheOldOneKept) {
  const v1::Claim first = MustSubmit(t::kParticipant1, FareAndTaxi());
  ASSERT_EQ(first.state(), v1::CLAIM_STATE_NEEDS_REVIEW);
  ASSERT_EQ(first.version(), 1);

  // The taxi was a mistake: the fare alone is paid at once. Its own first
  // version does not make the fare look like a repeat.
  v1::Claim amended;
  ASSERT_THAT(Amend(t::kParticipant1, first.name(), t::BusFareClaim(),
                    "I went by bus after all", &amended, "amend-1"),
              IsOk());
  EXPECT_EQ(amended.name(), first.name());
  EXPECT_EQ(amended.version(), 2);
  EXPECT_EQ(amended.state(), v1::CLAIM_STATE_APPROVED);
  ASSERT_EQ(amended.lines_size(), 1);
  EXPECT_EQ(amended.decision().lines(0).outcome(),
            v1::LINE_OUTCOME_PAID_IN_FULL);
  EXPECT_EQ(amended.decision().allowed_total_pence(), 320);
  EXPECT_EQ(amended.entered_by(), first.entered_by());

  ASSERT_EQ(amended.earlier_versions_size(), 1);
  const v1::ClaimVersion& old = amended.earlier_versions(0);
  EXPECT_EQ(old.version(), 1);
  EXPECT_EQ(old.lines_size(), 2);
  EXPECT_EQ(old.state(), v1::CLAIM_STATE_NEEDS_REVIEW);
  EXPECT_EQ(old.replaced_by(), t::kParticipant1);
  EXPECT_EQ(old.reason(), "I went by bus after all");
  EXPECT_THAT(amended.history(amended.history_size() - 1).action(),
              HasSubstr("amended (version 2"));

  // A retry answers the same, and makes no third version.
  v1::Claim retry;
  ASSERT_THAT(Amend(t::kParticipant1, first.name(), t::BusFareClaim(),
                    "I went by bus after all", &retry, "amend-1"),
              IsOk());
  EXPECT_EQ(retry.version(), 2);
  EXPECT_EQ(retry.SerializeAsString(), amended.SerializeAsString());
  EXPECT_THAT(Amend(t::kParticipant1, first.name(), FareAndTaxi(), "", &retry,
                    "amend-1"),
              StatusIs(absl::StatusCode::kAlreadyExists));
}

TEST_F(ClaimAmendTest, ApprovedClaimCannotBeAmended) {
  const v1::Claim approved = MustSubmit(t::kParticipant1, t::BusFareClaim());
  ASSERT_EQ(approved.state(), v1::CLAIM_STATE_APPROVED);
  v1::Claim out;
  const grpc::Status refused =
      Amend(t::kParticipant1, approved.name(), FareAndTaxi(), "", &out);
  EXPECT_THAT(
      refused,
      StatusIs(absl::StatusCode::kFailedPrecondition,
               HasSubstr("was approved, so you can not change it now")));
  // The participant reads the words after the claim's name.
  const std::string words = refused.error_message().substr(
      refused.error_message().find(" was approved") + 1);
  EXPECT_GT(policy::FleschReadingEase(words), 95.0) << words;

  const v1::Claim open = MustSubmit(t::kParticipant1, FareAndTaxi());
  MustWithdraw(t::kParticipant1, open.name());
  EXPECT_THAT(Amend(t::kParticipant1, open.name(), FareAndTaxi(), "", &out),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("was taken back")));
}

TEST_F(ClaimAmendTest, OwnClaimOrAnOfficerOfTheArea) {
  const v1::Claim first = MustSubmit(t::kParticipant1, FareAndTaxi());
  v1::Claim out;
  EXPECT_THAT(Amend(t::kParticipant2, first.name(), FareAndTaxi(), "", &out),
              StatusIs(absl::StatusCode::kPermissionDenied));
  EXPECT_THAT(Amend(t::kOfficerCf, first.name(), FareAndTaxi(), "", &out),
              StatusIs(absl::StatusCode::kPermissionDenied));
  EXPECT_THAT(Amend(t::kFinance, first.name(), FareAndTaxi(), "", &out),
              StatusIs(absl::StatusCode::kPermissionDenied));
  v1::Claim someone_else = FareAndTaxi();
  someone_else.set_participant("participants/p-0002");
  EXPECT_THAT(Amend(t::kParticipant1, first.name(), someone_else, "", &out),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("claim.participant")));

  // An officer amends it for them; someone else must then review it.
  v1::Claim taxi_only = FareAndTaxi();
  taxi_only.mutable_lines()->DeleteSubrange(0, 1);
  ASSERT_THAT(Amend(t::kOfficerAsc, first.name(), taxi_only,
                    "Only the taxi was claimed", &out),
              IsOk());
  ASSERT_EQ(out.state(), v1::CLAIM_STATE_NEEDS_REVIEW);
  v1::Claim reviewed;
  EXPECT_THAT(Review(t::kOfficerAsc, first.name(), 0, true,
                     "The lift was broken.", &reviewed),
              StatusIs(absl::StatusCode::kPermissionDenied,
                       HasSubstr("you amended this claim")));
  EXPECT_THAT(Review(t::kOfficerAsc2, first.name(), 0, true,
                     "The lift was broken.", &reviewed),
              IsOk());
}

TEST_F(ClaimAmendTest, ClaimForACancelledSessionCanStillBeAmended) {
  const std::string session = MustCreateSession(t::kOfficerAsc, kLdUserVoice);
  v1::Claim claim = FareAndTaxi();
  claim.set_session(session);
  const v1::Claim first = MustSubmit(t::kParticipant1, claim);
  v1::CancelSessionRequest cancel;
  cancel.set_name(session);
  cancel.set_reason("Speaker ill");
  cancel.set_request_id(NextId());
  v1::Session cancelled;
  ASSERT_THAT(server_.programme().CancelSession(
                  TestServer::As(t::kOfficerAsc).get(), cancel, &cancelled),
              IsOk());
  v1::Claim out;
  v1::Claim fare_only = t::BusFareClaim();
  fare_only.clear_session_date();
  EXPECT_THAT(Amend(t::kParticipant1, first.name(), fare_only,
                    "No taxi in the end", &out),
              IsOk());
  EXPECT_EQ(out.session(), session);
}

}  // namespace
}  // namespace reciprocity
