// Acting for someone: an appointee named on a participant's record (here a
// support worker, carer-1, and p-0002 acting for a family member) may ask
// for a refused line to be looked at again and change the payment
// preference for that participant, and nothing else, for nobody else. The
// records show both people. Over a real server and SQLite file.
#include "reciprocity/v1/audit.grpc.pb.h"
#include "tests/server/programme_fixture.h"

namespace reciprocity {
namespace {

using ::reciprocity::testing::IsOk;
using ::reciprocity::testing::ProgrammeTest;
using ::reciprocity::testing::StatusIs;
using ::reciprocity::testing::TestServer;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::SizeIs;
namespace t = ::reciprocity::testing;

class AppointeeTest : public ProgrammeTest {
 protected:
  grpc::Status AddAppointee(const std::string& who,
                            const std::string& participant,
                            const std::string& appointee, v1::Participant* out,
                            const std::string& request_id = "") {
    v1::AddAppointeeRequest request;
    request.set_participant(participant);
    request.set_appointee(appointee);
    request.set_request_id(request_id.empty() ? NextId() : request_id);
    return server_.programme().AddAppointee(TestServer::As(who).get(), request,
                                            out);
  }
  grpc::Status RemoveAppointee(const std::string& who,
                               const std::string& participant,
                               const std::string& appointee,
                               v1::Participant* out) {
    v1::RemoveAppointeeRequest request;
    request.set_participant(participant);
    request.set_appointee(appointee);
    request.set_request_id(NextId());
    return server_.programme().RemoveAppointee(TestServer::As(who).get(),
                                               request, out);
  }
  void MustAppoint(const std::string& participant,
                   const std::string& appointee) {
    v1::Participant out;
    ASSERT_THAT(AddAppointee(t::kOfficerAsc, participant, appointee, &out),
                IsOk());
  }
  // `who` asks for participants/`id` to be paid by voucher, or to change
  // `field`.
  grpc::Status ChangePreference(const std::string& who, const std::string& id,
                                v1::Participant* out,
                                const std::string& field = "payment_preference") {
    v1::UpdateParticipantRequest request;
    request.mutable_participant()->set_name("participants/" + id);
    request.mutable_participant()->set_payment_preference(
        v1::PAYMENT_METHOD_VOUCHER);
    request.mutable_participant()->set_display_name("Someone else");
    request.mutable_update_mask()->add_paths(field);
    request.set_request_id(NextId());
    return server_.programme().UpdateParticipant(TestServer::As(who).get(),
                                                 request, out);
  }
  v1::Participant Read(const std::string& id) {
    v1::GetParticipantRequest request;
    request.set_name("participants/" + id);
    v1::Participant out;
    EXPECT_THAT(server_.programme().GetParticipant(
                    TestServer::As(t::kOfficerAsc).get(), request, &out),
                IsOk());
    return out;
  }
  // A claim of `participant`'s whose taxi line (line 1) an officer refused.
  std::string RefusedTaxi(const std::string& participant) {
    v1::Claim claim = t::BusFareClaim(participant);
    v1::ClaimLine* taxi = claim.add_lines();
    taxi->set_category(v1::EXPENSE_CATEGORY_TAXI);
    taxi->set_amount_pence(1250);
    taxi->set_receipt_provided(true);
    const v1::Claim submitted = MustSubmit(t::kOfficerAsc, claim);
    v1::Claim reviewed;
    EXPECT_THAT(Review(t::kOfficerAsc2, submitted.name(), 1, false,
                       "Taxis need agreeing before the meeting.", &reviewed),
                IsOk());
    EXPECT_EQ(reviewed.decision().lines(1).outcome(),
              v1::LINE_OUTCOME_REFUSED);
    return submitted.name();
  }
  v1::ListAuditEventsResponse EventsOf(const std::string& record) {
    auto audit = v1::AuditService::NewStub(server_.channel());
    v1::ListAuditEventsRequest request;
    request.set_record(record);
    v1::ListAuditEventsResponse events;
    EXPECT_THAT(audit->ListAuditEvents(TestServer::As(t::kAuditor).get(),
                                       request, &events),
                IsOk());
    return events;
  }
};

TEST_F(AppointeeTest, AnOfficerNamesAnAppointeeAndTheChangeIsAudited) {
  v1::Participant named;
  ASSERT_THAT(AddAppointee(t::kOfficerCf, "participants/p-0001", t::kCarer,
                           &named, "appoint-1"),
              IsOk());
  EXPECT_THAT(named.appointees(), ElementsAre(t::kCarer));
  EXPECT_EQ(named.updated_by(), t::kOfficerCf);
  // A retry gets the first answer.
  v1::Participant again;
  ASSERT_THAT(AddAppointee(t::kOfficerCf, "participants/p-0001", t::kCarer,
                           &again, "appoint-1"),
              IsOk());
  EXPECT_THAT(Read("p-0001").appointees(), ElementsAre(t::kCarer));
  const v1::ListAuditEventsResponse events = EventsOf("participants/p-0001");
  ASSERT_GE(events.audit_events_size(), 2);
  EXPECT_EQ(events.audit_events(events.audit_events_size() - 1).action(),
            "AddAppointee");

  v1::Participant removed;
  ASSERT_THAT(RemoveAppointee(t::kOfficerAsc, "participants/p-0001", t::kCarer,
                              &removed),
              IsOk());
  EXPECT_THAT(removed.appointees(), IsEmpty());
  const v1::ListAuditEventsResponse after = EventsOf("participants/p-0001");
  EXPECT_EQ(after.audit_events(after.audit_events_size() - 1).action(),
            "RemoveAppointee");
}

TEST_F(AppointeeTest, NamingAnAppointeeIsCheckedAndRefusedToOthers) {
  v1::Participant out;
  EXPECT_THAT(AddAppointee(t::kOfficerAsc, "participants/p-0001", "Jo Bloggs",
                           &out),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("appointee")));
  EXPECT_THAT(AddAppointee(t::kOfficerAsc, "p-0001", t::kCarer, &out),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("participant")));
  EXPECT_THAT(AddAppointee(t::kOfficerAsc, "participants/p-9999", t::kCarer,
                           &out),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("participant")));
  // Only officers keep the list: not the participant, not the appointee.
  EXPECT_THAT(AddAppointee(t::kParticipant1, "participants/p-0001", t::kCarer,
                           &out),
              StatusIs(absl::StatusCode::kPermissionDenied));
  EXPECT_THAT(AddAppointee(t::kFinance, "participants/p-0001", t::kCarer, &out),
              StatusIs(absl::StatusCode::kPermissionDenied));
  MustAppoint("participants/p-0001", t::kCarer);
  EXPECT_THAT(AddAppointee(t::kOfficerAsc, "participants/p-0001", t::kCarer,
                           &out),
              StatusIs(absl::StatusCode::kAlreadyExists));
  EXPECT_THAT(RemoveAppointee(t::kOfficerAsc, "participants/p-0001",
                              "someone-else", &out),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("appointee")));
  EXPECT_THAT(RemoveAppointee(t::kCarer, "participants/p-0001", t::kCarer,
                              &out),
              StatusIs(absl::StatusCode::kPermissionDenied));
}

TEST_F(AppointeeTest, AnAppointeeChangesThePreferenceForTheirParticipant) {
  v1::Participant out;
  // Not yet named: refused, as for anyone else.
  EXPECT_THAT(ChangePreference(t::kCarer, "p-0001", &out),
              StatusIs(absl::StatusCode::kPermissionDenied));
  MustAppoint("participants/p-0001", t::kCarer);

  ASSERT_THAT(ChangePreference(t::kCarer, "p-0001", &out), IsOk());
  EXPECT_EQ(out.payment_preference(), v1::PAYMENT_METHOD_VOUCHER);
  // "Changed by carer-1 for p-0001".
  EXPECT_EQ(out.updated_by(), t::kCarer);
  EXPECT_EQ(out.updated_on_behalf_of(), "participants/p-0001");
  EXPECT_EQ(Read("p-0001").updated_on_behalf_of(), "participants/p-0001");
  const v1::ListAuditEventsResponse events = EventsOf("participants/p-0001");
  const v1::AuditEvent& last =
      events.audit_events(events.audit_events_size() - 1);
  EXPECT_EQ(last.principal(), t::kCarer);
  EXPECT_EQ(last.action(), "UpdateParticipant");
  EXPECT_EQ(last.record(), "participants/p-0001");

  // Only what the participant could change themself.
  EXPECT_THAT(ChangePreference(t::kCarer, "p-0001", &out, "display_name"),
              StatusIs(absl::StatusCode::kPermissionDenied));
  EXPECT_NE(Read("p-0001").display_name(), "Someone else");
  // For that participant only, and the same answer for one who does not
  // exist.
  EXPECT_THAT(ChangePreference(t::kCarer, "p-0002", &out),
              StatusIs(absl::StatusCode::kPermissionDenied));
  EXPECT_THAT(ChangePreference(t::kCarer, "p-9999", &out),
              StatusIs(absl::StatusCode::kPermissionDenied));
  EXPECT_EQ(Read("p-0002").payment_preference(),
            v1::PAYMENT_METHOD_BANK_TRANSFER);

  // An officer's later change is the officer's own: no "for" any more.
  v1::Participant by_officer;
  ASSERT_THAT(ChangePreference(t::kOfficerAsc, "p-0001", &by_officer), IsOk());
  EXPECT_EQ(by_officer.updated_by(), t::kOfficerAsc);
  EXPECT_TRUE(by_officer.updated_on_behalf_of().empty());

  // Once removed, the appointee is refused again.
  v1::Participant removed;
  ASSERT_THAT(RemoveAppointee(t::kOfficerAsc, "participants/p-0001", t::kCarer,
                              &removed),
              IsOk());
  EXPECT_THAT(ChangePreference(t::kCarer, "p-0001", &out),
              StatusIs(absl::StatusCode::kPermissionDenied));
}

TEST_F(AppointeeTest, AnAppointeeAppealsARefusedLineAndHistoryShowsBoth) {
  const std::string claim = RefusedTaxi("participants/p-0001");
  v1::Claim out;
  EXPECT_THAT(Appeal(t::kCarer, claim, 1, "The officer agreed it by phone.",
                     &out),
              StatusIs(absl::StatusCode::kPermissionDenied));
  EXPECT_EQ(out.ByteSizeLong(), 0u);
  MustAppoint("participants/p-0001", t::kCarer);

  v1::Claim appealed;
  ASSERT_THAT(Appeal(t::kCarer, claim, 1, "The officer agreed it by phone.",
                     &appealed),
              IsOk());
  EXPECT_EQ(appealed.state(), v1::CLAIM_STATE_NEEDS_REVIEW);
  const v1::ClaimEvent& event =
      appealed.history(appealed.history_size() - 1);
  EXPECT_EQ(event.actor(), t::kCarer);
  EXPECT_EQ(event.on_behalf_of(), "participants/p-0001");
  EXPECT_THAT(event.action(), HasSubstr("looked at again"));
  const v1::ListAuditEventsResponse events = EventsOf(claim);
  const v1::AuditEvent& last =
      events.audit_events(events.audit_events_size() - 1);
  EXPECT_EQ(last.principal(), t::kCarer);
  EXPECT_EQ(last.action(), "AppealClaimLine");

  // An appointee may not do what only the participant or an officer may:
  // withdraw the claim.
  v1::WithdrawClaimRequest withdraw;
  withdraw.set_name(claim);
  withdraw.set_request_id(NextId());
  v1::Claim withdrawn;
  EXPECT_THAT(server_.claims().WithdrawClaim(TestServer::As(t::kCarer).get(),
                                             withdraw, &withdrawn),
              StatusIs(absl::StatusCode::kPermissionDenied));
}

TEST_F(AppointeeTest, AParticipantMayActForAFamilyMemberButNotForAnyoneElse) {
  // p-0002 is p-0001's appointee (a family member who takes part too).
  MustAppoint("participants/p-0001", t::kParticipant2);
  const std::string for_family = RefusedTaxi("participants/p-0001");
  v1::Claim appealed;
  ASSERT_THAT(Appeal(t::kParticipant2, for_family, 1, "Agreed by phone.",
                     &appealed),
              IsOk());
  EXPECT_EQ(appealed.history(appealed.history_size() - 1).on_behalf_of(),
            "participants/p-0001");
  // Acting for themself is not "on behalf of" anyone.
  const std::string own = RefusedTaxi("participants/p-0002");
  v1::Claim own_appeal;
  ASSERT_THAT(Appeal(t::kParticipant2, own, 1, "Agreed by phone.", &own_appeal),
              IsOk());
  EXPECT_TRUE(
      own_appeal.history(own_appeal.history_size() - 1).on_behalf_of().empty());
  // p-0001 did not name p-0002's appointee in return.
  const std::string other = RefusedTaxi("participants/p-0002");
  v1::Claim out;
  EXPECT_THAT(Appeal(t::kParticipant1, other, 1, "Agreed by phone.", &out),
              StatusIs(absl::StatusCode::kPermissionDenied));
  v1::Participant changed;
  EXPECT_THAT(ChangePreference(t::kParticipant1, "p-0002", &changed),
              StatusIs(absl::StatusCode::kPermissionDenied));
  ASSERT_THAT(ChangePreference(t::kParticipant2, "p-0001", &changed), IsOk());
  EXPECT_EQ(changed.updated_by(), t::kParticipant2);
  EXPECT_EQ(changed.updated_on_behalf_of(), "participants/p-0001");
}

TEST_F(AppointeeTest, AnAppointeeSeesNoMoreThanBefore) {
  MustAppoint("participants/p-0001", t::kCarer);
  const std::string claim = RefusedTaxi("participants/p-0001");
  // Reading is not acting: the appointee's powers are the two changes only.
  v1::GetClaimRequest get;
  get.set_name(claim);
  v1::Claim read;
  EXPECT_THAT(
      server_.claims().GetClaim(TestServer::As(t::kCarer).get(), get, &read),
      StatusIs(absl::StatusCode::kPermissionDenied));
  v1::GetParticipantRequest participant;
  participant.set_name("participants/p-0001");
  v1::Participant record;
  EXPECT_THAT(server_.programme().GetParticipant(
                  TestServer::As(t::kCarer).get(), participant, &record),
              StatusIs(absl::StatusCode::kPermissionDenied));
  EXPECT_THAT(EventsOf("participants/p-0001").audit_events(), SizeIs(2));
}

}  // namespace
}  // namespace reciprocity
