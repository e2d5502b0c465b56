// What a claim says after it changes, over a real server, channel and
// SQLite file: its summary follows every review, appeal and withdrawal; a
// repeat of a claim not yet settled waits for a person; and errors name
// lines as the participant numbers them, from 1.
#include <string>

#include "tests/server/programme_fixture.h"

namespace reciprocity {
namespace {

using ::reciprocity::testing::IsOk;
using ::reciprocity::testing::kLdUserVoice;
using ::reciprocity::testing::ProgrammeTest;
using ::reciprocity::testing::StatusIs;
using ::reciprocity::testing::TestServer;
using ::testing::HasSubstr;
using ::testing::Not;
namespace t = ::reciprocity::testing;

class ClaimChangeTest : public ProgrammeTest {
 protected:
  v1::Claim MustGet(const std::string& name) {
    v1::GetClaimRequest request;
    request.set_name(name);
    v1::Claim out;
    EXPECT_THAT(server_.claims().GetClaim(TestServer::As(t::kOfficerAsc).get(),
                                          request, &out),
                IsOk());
    return out;
  }
  // A £3.20 bus fare and a £12.50 taxi nobody agreed, for 18 November (no
  // session recorded): the taxi waits for a person.
  v1::Claim FareAndTaxi() {
    v1::Claim claim = t::BusFareClaim();
    v1::ClaimLine* taxi = claim.add_lines();
    taxi->set_category(v1::EXPENSE_CATEGORY_TAXI);
    taxi->set_amount_pence(1250);
    taxi->set_receipt_provided(true);
    return claim;
  }
};

TEST_F(ClaimChangeTest, SummaryFollowsAReviewThatRefusesALine) {
  // A second fare the same day waits for a person; the parking is paid.
  MustSubmit(t::kParticipant1, t::BusFareClaim());
  v1::Claim again = t::BusFareClaim();
  v1::ClaimLine* parking = again.add_lines();
  parking->set_category(v1::EXPENSE_CATEGORY_PARKING);
  parking->set_amount_pence(300);
  v1::Claim second = MustSubmit(t::kParticipant1, again);
  ASSERT_EQ(second.state(), v1::CLAIM_STATE_NEEDS_REVIEW);
  ASSERT_THAT(second.decision().summary(),
              HasSubstr("like an earlier claim on the same day"));

  v1::Claim reviewed;
  ASSERT_THAT(Review(t::kOfficerAsc, second.name(), 0, false,
                     "You came to one meeting that day.", &reviewed),
              IsOk());
  EXPECT_EQ(reviewed.state(), v1::CLAIM_STATE_APPROVED);
  EXPECT_EQ(reviewed.decision().allowed_total_pence(), 300);
  EXPECT_EQ(reviewed.decision().summary(),
            "We will pay £3. Some lines are less than you asked for. Each "
            "line says why.");
  EXPECT_EQ(MustGet(second.name()).decision().summary(),
            reviewed.decision().summary());
}

TEST_F(ClaimChangeTest, SummaryFollowsAnAppealAndItsReview) {
  v1::Claim claim = MustSubmit(t::kParticipant1, FareAndTaxi());
  ASSERT_EQ(claim.state(), v1::CLAIM_STATE_NEEDS_REVIEW);
  ASSERT_THAT(claim.decision().summary(), HasSubstr("A person will check 1"));

  v1::Claim refused;
  // Refused by one officer; the appeal is decided by another.
  ASSERT_THAT(Review(t::kOfficerAsc2, claim.name(), 1, false,
                     "Taxis need agreeing before the meeting.", &refused),
              IsOk());
  EXPECT_EQ(refused.decision().summary(),
            "We will pay £3.20. Some lines are less than you asked for. Each "
            "line says why.");

  v1::Claim appealed;
  ASSERT_THAT(Appeal(t::kParticipant1, claim.name(), 1,
                     "My officer agreed it on the phone.", &appealed),
              IsOk());
  ASSERT_EQ(appealed.state(), v1::CLAIM_STATE_NEEDS_REVIEW);
  EXPECT_EQ(appealed.decision().summary(),
            "A person will check 1 line before we pay it. We will pay £3.20 "
            "for the rest.");

  v1::Claim approved = MustApproveLine(claim.name(), 1, "Agreed by phone.");
  ASSERT_EQ(approved.state(), v1::CLAIM_STATE_APPROVED);
  EXPECT_EQ(approved.decision().summary(), "We will pay £15.70.");
  EXPECT_EQ(MustGet(claim.name()).decision().summary(), "We will pay £15.70.");
}

TEST_F(ClaimChangeTest, SummaryOfAWithdrawnClaimSaysItWillNotBePaid) {
  v1::Claim claim = MustSubmit(t::kParticipant1, FareAndTaxi());
  v1::Claim withdrawn = MustWithdraw(t::kParticipant1, claim.name());
  EXPECT_EQ(withdrawn.decision().summary(),
            "This claim was withdrawn, so we will not pay it.");
}

TEST_F(ClaimChangeTest, ARepeatOfAClaimStillBeingCheckedWaitsForAPerson) {
  const std::string session = MustCreateSession(t::kOfficerAsc, kLdUserVoice);
  MustAttend(t::kOfficerAsc, session, "participants/p-0001");
  v1::Claim taxi = SessionClaim("participants/p-0001", kLdUserVoice, session,
                                v1::EXPENSE_CATEGORY_TAXI, 1250);
  v1::Claim first = MustSubmit(t::kParticipant1, taxi);
  ASSERT_EQ(first.state(), v1::CLAIM_STATE_NEEDS_REVIEW);

  // The first may yet be withdrawn or refused, so the second is not refused
  // as a repeat: a person checks it.
  v1::Claim second = MustSubmit(t::kParticipant1, taxi);
  EXPECT_EQ(second.state(), v1::CLAIM_STATE_NEEDS_REVIEW);
  const v1::LineDecision& line = second.decision().lines(0);
  EXPECT_EQ(line.outcome(), v1::LINE_OUTCOME_NEEDS_REVIEW);
  EXPECT_EQ(line.rule(), "claims.repeat_unsettled");
  EXPECT_THAT(line.reason(), ::testing::StartsWith(absl::StrCat(
                                 "You already claimed for this in claim ",
                                 first.name().substr(strlen("claims/")),
                                 ", which we have not finished checking.")));
  EXPECT_EQ(line.allowed_pence(), 1250);
  EXPECT_THAT(second.decision().summary(), Not(HasSubstr("cannot pay")));

  // The first is withdrawn: the person checking the second pays it.
  MustWithdraw(t::kParticipant1, first.name());
  v1::Claim paid = MustApproveLine(second.name(), 0,
                                   "The first claim was withdrawn; this one "
                                   "stands.");
  EXPECT_EQ(paid.state(), v1::CLAIM_STATE_APPROVED);
  EXPECT_EQ(paid.decision().allowed_total_pence(), 1250);

  // Once a claim is settled, a repeat of it is refused as before.
  v1::Claim third = MustSubmit(t::kParticipant1, taxi);
  EXPECT_EQ(third.state(), v1::CLAIM_STATE_REJECTED);
  EXPECT_EQ(third.decision().lines(0).rule(), "claims.duplicate");
}

TEST_F(ClaimChangeTest, APaidLineInAClaimStillBeingCheckedIsNotYetSettled) {
  // The fare in the first claim is paid, but the claim waits for its taxi
  // and may be withdrawn: the same fare again waits for a person too.
  const std::string session = MustCreateSession(t::kOfficerAsc, kLdUserVoice);
  MustAttend(t::kOfficerAsc, session, "participants/p-0001");
  v1::Claim both = SessionClaim("participants/p-0001", kLdUserVoice, session,
                                v1::EXPENSE_CATEGORY_PUBLIC_TRANSPORT, 320);
  v1::ClaimLine* taxi = both.add_lines();
  taxi->set_category(v1::EXPENSE_CATEGORY_TAXI);
  taxi->set_amount_pence(1250);
  taxi->set_receipt_provided(true);
  v1::Claim first = MustSubmit(t::kParticipant1, both);
  ASSERT_EQ(first.state(), v1::CLAIM_STATE_NEEDS_REVIEW);
  ASSERT_EQ(first.decision().lines(0).outcome(), v1::LINE_OUTCOME_PAID_IN_FULL);

  v1::Claim second =
      MustSubmit(t::kParticipant1,
                 SessionClaim("participants/p-0001", kLdUserVoice, session,
                              v1::EXPENSE_CATEGORY_PUBLIC_TRANSPORT, 320));
  EXPECT_EQ(second.state(), v1::CLAIM_STATE_NEEDS_REVIEW);
  EXPECT_EQ(second.decision().lines(0).rule(), "claims.repeat_unsettled");
}

TEST_F(ClaimChangeTest, ReviewAndAppealErrorsCountLinesFromOne) {
  v1::Claim claim = MustSubmit(t::kParticipant1, FareAndTaxi());
  v1::Claim out;
  EXPECT_THAT(Review(t::kOfficerAsc, claim.name(), 0, true, "Fine.", &out),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("line 1 does not need review")));
  EXPECT_THAT(Review(t::kOfficerAsc, claim.name(), 2, true, "Fine.", &out),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("there is no line 3; the claim has lines 1 "
                                 "to 2")));
  EXPECT_THAT(Review(t::kOfficerAsc, claim.name(), -1, true, "Fine.", &out),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("the claim has lines 1 to 2")));

  ASSERT_THAT(Review(t::kOfficerAsc, claim.name(), 1, false,
                     "Taxis need agreeing before the meeting.", &out),
              IsOk());
  EXPECT_THAT(Appeal(t::kParticipant1, claim.name(), 0, "Please look.", &out),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("line 1 was not refused")));
  EXPECT_THAT(Appeal(t::kParticipant1, claim.name(), 5, "Please look.", &out),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("there is no line 6; the claim has lines 1 "
                                 "to 2")));
}

}  // namespace
}  // namespace reciprocity
