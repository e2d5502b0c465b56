// Claims judged with the programme's facts: who the participant is, the
// session they claim for, whether they attended, what was agreed in advance,
// and what they already claimed.
#include "tests/server/programme_fixture.h"

namespace reciprocity {
namespace {

using ::reciprocity::testing::IsOk;
using ::reciprocity::testing::kLdUserVoice;
using ::reciprocity::testing::kParentChampions;
using ::reciprocity::testing::ProgrammeTest;
using ::reciprocity::testing::StatusIs;
using ::reciprocity::testing::TestServer;
using ::testing::HasSubstr;
using ::testing::SizeIs;
namespace t = ::reciprocity::testing;

class ProgrammeClaimTest : public ProgrammeTest {
 protected:
  // An LD user voice session on 18 November that p-0001 attended.
  std::string AttendedSession(
      const std::string& participant = "participants/p-0001") {
    const std::string session = MustCreateSession(t::kOfficerAsc, kLdUserVoice);
    MustAttend(t::kOfficerAsc, session, participant);
    return session;
  }
};

TEST_F(ProgrammeClaimTest, UnregisteredParticipantCannotClaim) {
  v1::Claim claim =
      t::BusFareClaim("participants/p-0999");  // nobody registered them
  v1::Claim out;
  EXPECT_THAT(Submit(t::kOfficerAsc, claim, &out),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("claim.participant")));
}

TEST_F(ProgrammeClaimTest, InactiveParticipantCannotClaim) {
  MustCreateParticipant("p-0100");
  v1::DeactivateParticipantRequest deactivate;
  deactivate.set_name("participants/p-0100");
  deactivate.set_request_id(NextId());
  v1::Participant inactive;
  ASSERT_THAT(server_.programme().DeactivateParticipant(
                  TestServer::As(t::kOfficerAsc).get(), deactivate, &inactive),
              IsOk());
  v1::Claim out;
  EXPECT_THAT(
      Submit(t::kOfficerAsc, t::BusFareClaim("participants/p-0100"), &out),
      StatusIs(absl::StatusCode::kFailedPrecondition,
               HasSubstr("claim.participant")));
}

TEST_F(ProgrammeClaimTest, TheParticipantsRealTypeIsUsed) {
  MustCreateParticipant("p-0100", v1::PARTICIPANT_TYPE_STAFF);
  v1::Claim claim =
      MustSubmit(t::kOfficerAsc, t::BusFareClaim("participants/p-0100"));
  EXPECT_EQ(claim.state(), v1::CLAIM_STATE_REJECTED);
  EXPECT_EQ(claim.decision().lines(0).rule(), "general.eligibility");
}

TEST_F(ProgrammeClaimTest, SessionGivesTheDateAndMustBelongToTheProject) {
  const std::string session = AttendedSession();
  v1::Claim claim = SessionClaim("participants/p-0001", kLdUserVoice, session,
                                 v1::EXPENSE_CATEGORY_PUBLIC_TRANSPORT, 320);
  v1::Claim submitted = MustSubmit(t::kParticipant1, claim);
  EXPECT_EQ(submitted.session_date(), "2026-11-18");
  EXPECT_EQ(submitted.state(), v1::CLAIM_STATE_APPROVED);

  v1::Claim out;
  v1::Claim wrong_project = claim;
  wrong_project.set_project(
      "serviceAreas/adult-social-care/projects/over-55s-user-voice");
  EXPECT_THAT(
      Submit(t::kParticipant1, wrong_project, &out),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("claim.session")));
  v1::Claim wrong_date = claim;
  wrong_date.set_session_date("2026-11-17");
  EXPECT_THAT(Submit(t::kParticipant1, wrong_date, &out),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("claim.session_date")));
  v1::Claim no_session = claim;
  no_session.set_session("sessions/404");
  EXPECT_THAT(
      Submit(t::kParticipant1, no_session, &out),
      StatusIs(absl::StatusCode::kNotFound, HasSubstr("claim.session")));
}

TEST_F(ProgrammeClaimTest, AClaimNamingNoSessionIsForThatDaysSession) {
  // Leaving the session out does not skip the checks: the project's
  // session on the claim's date is found and the claim judged against it.
  const std::string other = AttendedSession("participants/p-0002");
  v1::Claim unattended =
      MustSubmit(t::kOfficerAsc, t::BusFareClaim("participants/p-0001"));
  EXPECT_EQ(unattended.session(), other);
  EXPECT_EQ(unattended.state(), v1::CLAIM_STATE_NEEDS_REVIEW);
  EXPECT_THAT(unattended.decision().lines(0).reason(),
              HasSubstr("no record that you came"));

  // With two sessions that day, the one the participant attended is used,
  // and a second claim for it repeats the first.
  MustCreateParticipant("p-0003");
  const std::string attended = AttendedSession("participants/p-0003");
  v1::Claim first =
      MustSubmit(t::kOfficerAsc, t::BusFareClaim("participants/p-0003"));
  EXPECT_EQ(first.session(), attended);
  EXPECT_EQ(first.state(), v1::CLAIM_STATE_APPROVED);
  v1::Claim again =
      MustSubmit(t::kOfficerAsc, t::BusFareClaim("participants/p-0003"));
  EXPECT_EQ(again.state(), v1::CLAIM_STATE_REJECTED);
  EXPECT_THAT(again.decision().lines(0).reason(),
              HasSubstr(absl::StrCat("claim ",
                                     first.name().substr(strlen("claims/")))));

  // No session recorded that day: judged on its lines alone.
  v1::Claim elsewhere = MustSubmit(
      t::kOfficerAsc, t::BusFareClaim("participants/p-0001", "2026-11-10"));
  EXPECT_EQ(elsewhere.session(), "");
  EXPECT_EQ(elsewhere.state(), v1::CLAIM_STATE_APPROVED);
}

TEST_F(ProgrammeClaimTest, ASecondClaimOnADayWithNoSessionGoesToAPerson) {
  // No session is recorded on 18 November, so there is none to key repeats
  // on. The same fare again that day may be a second meeting or the same
  // trip twice: a person checks it, and the other lines are paid as usual.
  v1::Claim first =
      MustSubmit(t::kOfficerAsc, t::BusFareClaim("participants/p-0001"));
  ASSERT_EQ(first.session(), "");
  ASSERT_EQ(first.state(), v1::CLAIM_STATE_APPROVED);

  v1::Claim again = t::BusFareClaim("participants/p-0001");
  v1::ClaimLine* parking = again.add_lines();
  parking->set_category(v1::EXPENSE_CATEGORY_PARKING);
  parking->set_amount_pence(300);
  v1::Claim second = MustSubmit(t::kParticipant1, again);
  EXPECT_EQ(second.state(), v1::CLAIM_STATE_NEEDS_REVIEW);
  const v1::LineDecision& fare = second.decision().lines(0);
  EXPECT_EQ(fare.outcome(), v1::LINE_OUTCOME_NEEDS_REVIEW);
  EXPECT_EQ(fare.rule(), "claims.same_day");
  EXPECT_THAT(fare.reason(),
              ::testing::StartsWith(absl::StrCat(
                  "You already claimed for this on the same day, in claim ",
                  first.name().substr(strlen("claims/")), ".")));
  EXPECT_EQ(fare.allowed_pence(), 320);  // what a person may approve
  EXPECT_EQ(second.decision().lines(1).outcome(),
            v1::LINE_OUTCOME_PAID_IN_FULL);
  EXPECT_THAT(second.decision().summary(),
              HasSubstr("like an earlier claim on the same day"));

  // Another day, or another participant the same day: nothing to check.
  EXPECT_EQ(MustSubmit(t::kOfficerAsc,
                       t::BusFareClaim("participants/p-0001", "2026-11-17"))
                .state(),
            v1::CLAIM_STATE_APPROVED);
  EXPECT_EQ(MustSubmit(t::kOfficerAsc, t::BusFareClaim("participants/p-0002"))
                .state(),
            v1::CLAIM_STATE_APPROVED);

  // The officer who checks it approves the fare: both lines are paid.
  v1::Claim reviewed = MustApproveLine(
      second.name(), 0, "Two meetings that day: the morning and the evening.");
  EXPECT_EQ(reviewed.state(), v1::CLAIM_STATE_APPROVED);
  EXPECT_EQ(reviewed.decision().allowed_total_pence(), 620);
}

TEST_F(ProgrammeClaimTest, ClaimForASessionNotAttendedGoesToReview) {
  const std::string session = AttendedSession("participants/p-0002");
  v1::Claim claim =
      MustSubmit(t::kParticipant1,
                 SessionClaim("participants/p-0001", kLdUserVoice, session,
                              v1::EXPENSE_CATEGORY_PUBLIC_TRANSPORT, 320));
  EXPECT_EQ(claim.state(), v1::CLAIM_STATE_NEEDS_REVIEW);
  EXPECT_EQ(claim.decision().lines(0).outcome(), v1::LINE_OUTCOME_NEEDS_REVIEW);
  EXPECT_THAT(claim.decision().lines(0).reason(),
              HasSubstr("no record that you came"));
  EXPECT_THAT(claim.decision().summary(), HasSubstr("no record"));

  // An officer who saw them there approves it.
  v1::Claim reviewed = MustApproveLine(
      claim.name(), 0, "You signed in on paper; the register was wrong.");
  EXPECT_EQ(reviewed.state(), v1::CLAIM_STATE_APPROVED);
  EXPECT_EQ(reviewed.decision().allowed_total_pence(), 320);
}

TEST_F(ProgrammeClaimTest, SecondClaimForTheSameThingIsRefusedNamingTheFirst) {
  const std::string session = AttendedSession();
  v1::Claim fare = SessionClaim("participants/p-0001", kLdUserVoice, session,
                                v1::EXPENSE_CATEGORY_PUBLIC_TRANSPORT, 320);
  v1::Claim first = MustSubmit(t::kParticipant1, fare);
  ASSERT_EQ(first.name(), "claims/1");
  ASSERT_EQ(first.state(), v1::CLAIM_STATE_APPROVED);

  // Again, with parking this time: the fare is refused, the parking paid.
  v1::Claim again = fare;
  v1::ClaimLine* parking = again.add_lines();
  parking->set_category(v1::EXPENSE_CATEGORY_PARKING);
  parking->set_amount_pence(300);
  v1::Claim second = MustSubmit(t::kOfficerAsc, again);
  EXPECT_EQ(second.state(), v1::CLAIM_STATE_APPROVED);
  EXPECT_EQ(second.decision().lines(0).outcome(), v1::LINE_OUTCOME_REFUSED);
  EXPECT_EQ(second.decision().lines(0).rule(), "claims.duplicate");
  EXPECT_EQ(second.decision().lines(0).reason(),
            "You already claimed for this in claim 1.");
  EXPECT_EQ(second.decision().lines(1).outcome(),
            v1::LINE_OUTCOME_PAID_IN_FULL);
  EXPECT_EQ(second.decision().allowed_total_pence(), 300);

  // Only a repeat: the whole claim is rejected.
  v1::Claim third = MustSubmit(t::kParticipant1, fare);
  EXPECT_EQ(third.state(), v1::CLAIM_STATE_REJECTED);
  EXPECT_THAT(third.decision().lines(0).reason(), HasSubstr("claim 1"));
}

TEST_F(ProgrammeClaimTest, AWithdrawnClaimDoesNotBlockANewOne) {
  const std::string session = AttendedSession();
  v1::Claim taxi = SessionClaim("participants/p-0001", kLdUserVoice, session,
                                v1::EXPENSE_CATEGORY_TAXI, 1250);
  v1::Claim first = MustSubmit(t::kParticipant1, taxi);
  ASSERT_EQ(first.state(), v1::CLAIM_STATE_NEEDS_REVIEW);
  MustWithdraw(t::kParticipant1, first.name());
  v1::Claim second = MustSubmit(t::kParticipant1, taxi);
  EXPECT_NE(second.decision().lines(0).rule(), "claims.duplicate");

  // Nor, on a day with no session recorded, one for the same day. (A taxi
  // nobody agreed in advance goes to a person, so it can be withdrawn.)
  v1::Claim no_session = t::BusFareClaim("participants/p-0002", "2026-11-16");
  no_session.mutable_lines(0)->set_category(v1::EXPENSE_CATEGORY_TAXI);
  no_session.mutable_lines(0)->set_amount_pence(1250);
  v1::Claim third = MustSubmit(t::kParticipant2, no_session);
  ASSERT_EQ(third.state(), v1::CLAIM_STATE_NEEDS_REVIEW);
  MustWithdraw(t::kParticipant2, third.name());
  v1::Claim fourth = MustSubmit(t::kParticipant2, no_session);
  EXPECT_NE(fourth.decision().lines(0).rule(), "claims.same_day");
}

TEST_F(ProgrammeClaimTest, TaxiAgreedInAdvanceIsPaid) {
  const std::string session = AttendedSession();
  MustAttend(t::kOfficerAsc, session, "participants/p-0002");
  MustAgree(t::kOfficerAsc, session, "participants/p-0001",
            v1::EXPENSE_CATEGORY_TAXI, 1500);
  v1::Claim agreed = MustSubmit(
      t::kParticipant1, SessionClaim("participants/p-0001", kLdUserVoice,
                                     session, v1::EXPENSE_CATEGORY_TAXI, 1250));
  EXPECT_EQ(agreed.state(), v1::CLAIM_STATE_APPROVED);
  EXPECT_EQ(agreed.decision().lines(0).outcome(),
            v1::LINE_OUTCOME_PAID_IN_FULL);
  EXPECT_EQ(agreed.decision().allowed_total_pence(), 1250);

  // The agreement was for p-0001 only.
  v1::Claim not_agreed = MustSubmit(
      t::kParticipant2, SessionClaim("participants/p-0002", kLdUserVoice,
                                     session, v1::EXPENSE_CATEGORY_TAXI, 1250));
  EXPECT_EQ(not_agreed.state(), v1::CLAIM_STATE_NEEDS_REVIEW);

  // Above the agreed amount: reduced to it.
  const std::string later =
      MustCreateSession(t::kOfficerAsc, kLdUserVoice, "2026-11-19");
  MustAttend(t::kOfficerAsc, later, "participants/p-0001");
  MustAgree(t::kOfficerAsc, later, "participants/p-0001",
            v1::EXPENSE_CATEGORY_TAXI, 1000);
  v1::Claim reduced = MustSubmit(
      t::kOfficerAsc, SessionClaim("participants/p-0001", kLdUserVoice, later,
                                   v1::EXPENSE_CATEGORY_TAXI, 1250));
  EXPECT_EQ(reduced.decision().allowed_total_pence(), 1000);
  EXPECT_EQ(reduced.decision().lines(0).outcome(), v1::LINE_OUTCOME_REDUCED);
}

TEST_F(ProgrammeClaimTest, AnAgreementAfterTheSessionSaysItIsRetrospective) {
  // Today is 20 November. Agreed on the 20th for the 21st: in advance.
  const std::string ahead =
      MustCreateSession(t::kOfficerAsc, kLdUserVoice, "2026-11-21");
  EXPECT_FALSE(MustAgree(t::kOfficerAsc, ahead, "participants/p-0001",
                         v1::EXPENSE_CATEGORY_TAXI, 1500)
                   .retrospective());
  // Agreed on the 20th for the 18th: kept, as a retrospective approval.
  const std::string past = AttendedSession();
  EXPECT_TRUE(MustAgree(t::kOfficerAsc, past, "participants/p-0001",
                        v1::EXPENSE_CATEGORY_TAXI, 1500)
                  .retrospective());
  v1::Claim late = MustSubmit(
      t::kParticipant1, SessionClaim("participants/p-0001", kLdUserVoice, past,
                                     v1::EXPENSE_CATEGORY_TAXI, 1250));
  EXPECT_EQ(late.decision().lines(0).outcome(), v1::LINE_OUTCOME_PAID_IN_FULL);
  EXPECT_THAT(late.decision().lines(0).reason(),
              HasSubstr("agreed this taxi after the session"));

  server_.clock().Set(server_.clock().Now() + absl::Hours(48));
  MustAttend(t::kOfficerAsc, ahead, "participants/p-0001");
  v1::Claim planned = MustSubmit(
      t::kParticipant1, SessionClaim("participants/p-0001", kLdUserVoice, ahead,
                                     v1::EXPENSE_CATEGORY_TAXI, 1250));
  EXPECT_THAT(planned.decision().lines(0).reason(),
              HasSubstr("agreed a taxi before the session"));
}

TEST_F(ProgrammeClaimTest, ChildcareDespiteACrecheIsPaidOnlyWhenAgreed) {
  MustCreateParticipant("p-0100", v1::PARTICIPANT_TYPE_PARENT_OR_CARER);
  MustCreateParticipant("p-0101", v1::PARTICIPANT_TYPE_PARENT_OR_CARER);
  const std::string session = MustCreateSession(t::kOfficerCf, kParentChampions,
                                                "2026-11-18", /*creche=*/true);
  MustAttend(t::kOfficerCf, session, "participants/p-0100");
  MustAttend(t::kOfficerCf, session, "participants/p-0101");
  MustAgree(t::kOfficerCf, session, "participants/p-0100",
            v1::EXPENSE_CATEGORY_CHILDCARE, 3000);
  auto childcare = [&](const std::string& participant) {
    v1::Claim claim = SessionClaim(participant, kParentChampions, session,
                                   v1::EXPENSE_CATEGORY_CHILDCARE, 2000);
    claim.mutable_lines(0)->set_care_minutes(120);
    claim.mutable_lines(0)->set_children(1);
    // The claimant's answer does not override the session's record.
    claim.set_creche_provided(false);
    return claim;
  };
  v1::Claim agreed =
      MustSubmit(t::kOfficerCf, childcare("participants/p-0100"));
  EXPECT_EQ(agreed.state(), v1::CLAIM_STATE_APPROVED);
  EXPECT_EQ(agreed.decision().allowed_total_pence(), 2000);
  EXPECT_TRUE(agreed.creche_provided());
  EXPECT_THAT(agreed.decision().lines(0).reason(), HasSubstr("agreed"));

  v1::Claim refused =
      MustSubmit(t::kOfficerCf, childcare("participants/p-0101"));
  EXPECT_EQ(refused.state(), v1::CLAIM_STATE_REJECTED);
  EXPECT_EQ(refused.decision().lines(0).rule(), "childcare.creche");
}

TEST_F(ProgrammeClaimTest, ASessionLeftToTheRuleFileHasItsCrecheForChildcare) {
  MustCreateParticipant("p-0100", v1::PARTICIPANT_TYPE_PARENT_OR_CARER);
  // Created without saying: Parent Champions' rule file has
  // creche_by_default: true.
  v1::CreateSessionRequest request;
  request.mutable_session()->set_project(kParentChampions);
  request.mutable_session()->set_date("2026-11-18");
  request.mutable_session()->set_start_time("10:00");
  request.mutable_session()->set_end_time("12:00");
  request.mutable_session()->set_venue("Civic Centre, Victoria Avenue");
  request.set_request_id(NextId());
  v1::Session session;
  ASSERT_THAT(server_.programme().CreateSession(
                  TestServer::As(t::kOfficerCf).get(), request, &session),
              IsOk());
  ASSERT_TRUE(session.creche_provided());
  MustAttend(t::kOfficerCf, session.name(), "participants/p-0100");

  v1::Claim claim =
      SessionClaim("participants/p-0100", kParentChampions, session.name(),
                   v1::EXPENSE_CATEGORY_CHILDCARE, 2000);
  claim.mutable_lines(0)->set_care_minutes(120);
  claim.mutable_lines(0)->set_children(1);
  claim.set_creche_provided(false);
  v1::Claim refused = MustSubmit(t::kOfficerCf, claim);
  EXPECT_TRUE(refused.creche_provided());
  EXPECT_EQ(refused.state(), v1::CLAIM_STATE_REJECTED);
  EXPECT_EQ(refused.decision().allowed_total_pence(), 0);
  EXPECT_EQ(refused.decision().lines(0).rule(), "childcare.creche");
}

TEST_F(ProgrammeClaimTest, WithoutASessionTheRuleFilesCrecheOutranksTheClaim) {
  MustCreateParticipant("p-0100", v1::PARTICIPANT_TYPE_PARENT_OR_CARER);
  auto childcare = [](const std::string& project, bool creche) {
    v1::Claim claim;
    claim.set_participant("participants/p-0100");
    claim.set_project(project);
    claim.set_session_date("2026-11-18");
    claim.set_creche_provided(creche);
    v1::ClaimLine* line = claim.add_lines();
    line->set_category(v1::EXPENSE_CATEGORY_CHILDCARE);
    line->set_amount_pence(2000);
    line->set_receipt_provided(true);
    line->set_care_minutes(120);
    line->set_children(1);
    return claim;
  };
  // Parent Champions' file says its sessions have a crèche.
  v1::Claim refused =
      MustSubmit(t::kOfficerCf, childcare(kParentChampions, /*creche=*/false));
  EXPECT_TRUE(refused.creche_provided());
  EXPECT_EQ(refused.decision().lines(0).outcome(), v1::LINE_OUTCOME_REFUSED);
  EXPECT_EQ(refused.decision().lines(0).rule(), "childcare.creche");

  // LD user voice's file says no crèche by default, so the claimant's answer
  // is kept.
  v1::Claim kept =
      MustSubmit(t::kOfficerAsc, childcare(kLdUserVoice, /*creche=*/true));
  EXPECT_TRUE(kept.creche_provided());
}

TEST_F(ProgrammeClaimTest, OfficerSubmitsOnBehalfForASession) {
  const std::string session = AttendedSession();
  v1::Claim claim = MustSubmit(
      t::kOfficerAsc, SessionClaim("participants/p-0001", kLdUserVoice, session,
                                   v1::EXPENSE_CATEGORY_PUBLIC_TRANSPORT, 450));
  EXPECT_EQ(claim.entered_by(), t::kOfficerAsc);
  EXPECT_EQ(claim.participant(), "participants/p-0001");
  EXPECT_EQ(claim.session(), session);
  ASSERT_THAT(claim.history(), SizeIs(1));
  EXPECT_THAT(claim.history(0).action(), HasSubstr("behalf"));
  // The participant sees it as theirs.
  v1::GetClaimRequest get;
  get.set_name(claim.name());
  v1::Claim read;
  EXPECT_THAT(server_.claims().GetClaim(TestServer::As(t::kParticipant1).get(),
                                        get, &read),
              IsOk());
}

TEST_F(ProgrammeClaimTest, ClaimAfterTheDeadlineIsRefusedNamingTheLastDay) {
  const std::string session =
      MustCreateSession(t::kOfficerAsc, kLdUserVoice, "2026-09-01");
  MustAttend(t::kOfficerAsc, session, "participants/p-0001");
  v1::Claim late =
      MustSubmit(t::kParticipant1,
                 SessionClaim("participants/p-0001", kLdUserVoice, session,
                              v1::EXPENSE_CATEGORY_PUBLIC_TRANSPORT, 320));
  EXPECT_EQ(late.state(), v1::CLAIM_STATE_REJECTED);
  EXPECT_EQ(late.decision().lines(0).rule(), "general.deadline");
  EXPECT_THAT(late.decision().lines(0).reason(), HasSubstr("The last day was"));
}

TEST_F(ProgrammeClaimTest, AgreementsNeedAnOfficerOfTheSessionsArea) {
  const std::string session = MustCreateSession(t::kOfficerAsc, kLdUserVoice);
  v1::CreateAgreementRequest request;
  request.mutable_agreement()->set_participant("participants/p-0001");
  request.mutable_agreement()->set_session(session);
  request.mutable_agreement()->set_category(v1::EXPENSE_CATEGORY_TAXI);
  request.set_request_id(NextId());
  v1::Agreement out;
  EXPECT_THAT(server_.programme().CreateAgreement(
                  TestServer::As(t::kOfficerCf).get(), request, &out),
              StatusIs(absl::StatusCode::kPermissionDenied));
  request.mutable_agreement()->set_up_to_pence(-1);
  EXPECT_THAT(
      server_.programme().CreateAgreement(TestServer::As(t::kOfficerAsc).get(),
                                          request, &out),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("up_to_pence")));
  MustAgree(t::kOfficerAsc, session, "participants/p-0001",
            v1::EXPENSE_CATEGORY_TAXI, 0);
  v1::ListAgreementsRequest list;
  v1::ListAgreementsResponse mine;
  ASSERT_THAT(server_.programme().ListAgreements(
                  TestServer::As(t::kParticipant1).get(), list, &mine),
              IsOk());
  EXPECT_THAT(mine.agreements(), SizeIs(1));
  v1::ListAgreementsResponse theirs;
  ASSERT_THAT(server_.programme().ListAgreements(
                  TestServer::As(t::kParticipant2).get(), list, &theirs),
              IsOk());
  EXPECT_THAT(theirs.agreements(), SizeIs(0));
}

}  // namespace
}  // namespace reciprocity
