// Standing agreements: one agreement for a participant, a project and a
// range of dates covers every session of that project in the range. Over a
// real server and SQLite file. Today is 20 November 2026.
#include "absl/time/civil_time.h"
#include "reciprocity/v1/audit.grpc.pb.h"
#include "tests/server/programme_fixture.h"

namespace reciprocity {
namespace {

using ::reciprocity::testing::IsOk;
using ::reciprocity::testing::kLdUserVoice;
using ::reciprocity::testing::ProgrammeTest;
using ::reciprocity::testing::StatusIs;
using ::reciprocity::testing::TestServer;
using ::testing::HasSubstr;
using ::testing::SizeIs;
namespace t = ::reciprocity::testing;

constexpr char kOver55s[] =
    "serviceAreas/adult-social-care/projects/over-55s-user-voice";

class StandingAgreementTest : public ProgrammeTest {
 protected:
  grpc::Status Agree(const std::string& who, const v1::Agreement& agreement,
                     v1::Agreement* out,
                     const std::string& request_id = "") {
    v1::CreateAgreementRequest request;
    *request.mutable_agreement() = agreement;
    request.set_request_id(request_id.empty() ? NextId() : request_id);
    return server_.programme().CreateAgreement(TestServer::As(who).get(),
                                               request, out);
  }
  // A taxi for p-0001 to every LD user voice meeting from `from` to `to`,
  // up to £15 each.
  static v1::Agreement Taxis(const std::string& from, const std::string& to,
                             const std::string& project = kLdUserVoice) {
    v1::Agreement a;
    a.set_participant("participants/p-0001");
    a.set_project(project);
    a.set_date_from(from);
    a.set_date_to(to);
    a.set_category(v1::EXPENSE_CATEGORY_TAXI);
    a.set_up_to_pence(1500);
    a.set_note("Wheelchair user; no accessible bus");
    return a;
  }
  v1::Agreement MustAgreeStanding(const v1::Agreement& agreement) {
    v1::Agreement out;
    EXPECT_THAT(Agree(t::kOfficerAsc, agreement, &out), IsOk());
    return out;
  }
  grpc::Status End(const std::string& who, const std::string& name,
                   const std::string& last_day, v1::Agreement* out) {
    v1::EndAgreementRequest request;
    request.set_name(name);
    request.set_last_day(last_day);
    request.set_request_id(NextId());
    return server_.programme().EndAgreement(TestServer::As(who).get(), request,
                                            out);
  }
  // A session of `project` on `date`: attendance is recorded once it has
  // been held (Attend, after SetToday).
  std::string Meeting(const std::string& date,
                      const std::string& project = kLdUserVoice) {
    return MustCreateSession(t::kOfficerAsc, project, date);
  }
  void Attend(const std::string& session,
              const std::string& participant = "participants/p-0001") {
    MustAttend(t::kOfficerAsc, session, participant);
  }
  // p-0001 (or `participant`) claims a taxi of `pence` for `session`.
  v1::Claim ClaimTaxi(const std::string& session, int64_t pence,
                      const std::string& project = kLdUserVoice,
                      const std::string& participant = "participants/p-0001") {
    return MustSubmit(t::kOfficerAsc2,
                      SessionClaim(participant, project, session,
                                   v1::EXPENSE_CATEGORY_TAXI, pence));
  }
  void SetToday(int year, int month, int day) {
    server_.clock().Set(absl::FromCivil(absl::CivilSecond(year, month, day, 12),
                                        absl::UTCTimeZone()));
  }
};

TEST_F(StandingAgreementTest, CoversEverySessionOfTheProjectInItsRange) {
  const v1::Agreement agreed =
      MustAgreeStanding(Taxis("2026-11-20", "2026-12-05"));
  EXPECT_EQ(agreed.name(), "agreements/1");
  EXPECT_TRUE(agreed.session().empty());
  EXPECT_EQ(agreed.project(), kLdUserVoice);
  EXPECT_EQ(agreed.agreed_by(), t::kOfficerAsc);
  EXPECT_FALSE(agreed.retrospective());

  const std::string first = Meeting("2026-11-25");
  const std::string second = Meeting("2026-12-03");
  const std::string after = Meeting("2026-12-08");
  const std::string other_project = Meeting("2026-11-26", kOver55s);
  // Within the 30 days the rule file gives for claims.
  SetToday(2026, 12, 9);
  for (const std::string& s : {first, second, after, other_project}) Attend(s);

  v1::Claim covered = ClaimTaxi(first, 1250);
  EXPECT_EQ(covered.state(), v1::CLAIM_STATE_APPROVED);
  EXPECT_EQ(covered.decision().lines(0).outcome(),
            v1::LINE_OUTCOME_PAID_IN_FULL);
  EXPECT_THAT(covered.decision().lines(0).reason(),
              HasSubstr("agreed a taxi before the session"));
  // Up to £15 for each session, not £15 in all.
  v1::Claim reduced = ClaimTaxi(second, 2000);
  EXPECT_EQ(reduced.decision().lines(0).outcome(), v1::LINE_OUTCOME_REDUCED);
  EXPECT_EQ(reduced.decision().allowed_total_pence(), 1500);

  // After its last day, another project, or another participant: not
  // covered, so the taxi waits for a person as usual.
  EXPECT_EQ(ClaimTaxi(after, 1250).state(), v1::CLAIM_STATE_NEEDS_REVIEW);
  EXPECT_EQ(ClaimTaxi(other_project, 1250, kOver55s).state(),
            v1::CLAIM_STATE_NEEDS_REVIEW);
  Attend(first, "participants/p-0002");
  EXPECT_EQ(ClaimTaxi(first, 1250, kLdUserVoice, "participants/p-0002").state(),
            v1::CLAIM_STATE_NEEDS_REVIEW);
}

TEST_F(StandingAgreementTest, ABeforeFromDayIsNotCovered) {
  MustAgreeStanding(Taxis("2026-11-25", "2026-12-31"));
  const std::string before = Meeting("2026-11-24");
  const std::string on_first_day = Meeting("2026-11-25");
  SetToday(2026, 12, 1);
  Attend(before);
  Attend(on_first_day);
  EXPECT_EQ(ClaimTaxi(before, 1250).state(), v1::CLAIM_STATE_NEEDS_REVIEW);
  EXPECT_EQ(ClaimTaxi(on_first_day, 1250).state(), v1::CLAIM_STATE_APPROVED);
}

TEST_F(StandingAgreementTest, SessionsAlreadyHeldAreApprovedRetrospectively) {
  // Recorded on 20 November for a range from 1 November: the session on the
  // 18th was already held, so it is a retrospective approval and the claim
  // says so; the session on the 25th was agreed in advance.
  const std::string held = Meeting("2026-11-18");
  Attend(held);
  const v1::Agreement agreed =
      MustAgreeStanding(Taxis("2026-11-01", "2026-12-31"));
  EXPECT_TRUE(agreed.retrospective());
  const std::string ahead = Meeting("2026-11-25");
  SetToday(2026, 11, 26);
  Attend(ahead);

  v1::Claim late = ClaimTaxi(held, 1250);
  EXPECT_EQ(late.decision().lines(0).outcome(), v1::LINE_OUTCOME_PAID_IN_FULL);
  // The words the one-session case already uses.
  EXPECT_THAT(late.decision().lines(0).reason(),
              HasSubstr("agreed this taxi after the session"));

  v1::Claim planned = ClaimTaxi(ahead, 1250);
  EXPECT_THAT(planned.decision().lines(0).reason(),
              HasSubstr("agreed a taxi before the session"));
}

TEST_F(StandingAgreementTest, EndedEarlyItStopsCoveringLaterSessions) {
  const v1::Agreement agreed =
      MustAgreeStanding(Taxis("2026-11-20", "2026-12-31"));
  const std::string kept = Meeting("2026-11-25");
  const std::string dropped = Meeting("2026-12-10");

  v1::Agreement ended;
  ASSERT_THAT(End(t::kOfficerAsc2, agreed.name(), "2026-12-01", &ended),
              IsOk());
  EXPECT_EQ(ended.date_to(), "2026-12-01");
  EXPECT_EQ(ended.original_date_to(), "2026-12-31");
  EXPECT_EQ(ended.ended_by(), t::kOfficerAsc2);
  EXPECT_EQ(ended.date_from(), "2026-11-20");

  SetToday(2026, 12, 11);
  Attend(kept);
  Attend(dropped);
  EXPECT_EQ(ClaimTaxi(kept, 1250).state(), v1::CLAIM_STATE_APPROVED);
  EXPECT_EQ(ClaimTaxi(dropped, 1250).state(), v1::CLAIM_STATE_NEEDS_REVIEW);

  // The listing shows it as ended; the audit log records who ended it.
  v1::ListAgreementsRequest list;
  list.set_participant("participants/p-0001");
  v1::ListAgreementsResponse listed;
  ASSERT_THAT(server_.programme().ListAgreements(
                  TestServer::As(t::kOfficerAsc).get(), list, &listed),
              IsOk());
  ASSERT_THAT(listed.agreements(), SizeIs(1));
  EXPECT_EQ(listed.agreements(0).date_to(), "2026-12-01");
  auto audit = v1::AuditService::NewStub(server_.channel());
  v1::ListAuditEventsRequest request;
  request.set_record(agreed.name());
  v1::ListAuditEventsResponse events;
  ASSERT_THAT(audit->ListAuditEvents(TestServer::As(t::kAuditor).get(), request,
                                     &events),
              IsOk());
  ASSERT_THAT(events.audit_events(), SizeIs(2));
  EXPECT_EQ(events.audit_events(1).action(), "EndAgreement");
  EXPECT_EQ(events.audit_events(1).principal(), t::kOfficerAsc2);
}

TEST_F(StandingAgreementTest, EndingIsRefusedWhenItWouldTakeSomethingBack) {
  const v1::Agreement agreed =
      MustAgreeStanding(Taxis("2026-11-01", "2026-12-31"));
  v1::Agreement out;
  // Before today: sessions already held keep what was agreed.
  EXPECT_THAT(End(t::kOfficerAsc, agreed.name(), "2026-11-19", &out),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("last_day")));
  // Not earlier than it ends already.
  EXPECT_THAT(End(t::kOfficerAsc, agreed.name(), "2026-12-31", &out),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("last_day")));
  EXPECT_THAT(End(t::kOfficerAsc, agreed.name(), "31/12/2026", &out),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("last_day")));
  // An officer of another area, or a participant.
  EXPECT_THAT(End(t::kOfficerCf, agreed.name(), "2026-12-01", &out),
              StatusIs(absl::StatusCode::kPermissionDenied));
  EXPECT_THAT(End(t::kOfficerCf, "agreements/999", "2026-12-01", &out),
              StatusIs(absl::StatusCode::kPermissionDenied));
  EXPECT_THAT(End(t::kParticipant1, agreed.name(), "2026-12-01", &out),
              StatusIs(absl::StatusCode::kPermissionDenied));
  // A one-session agreement has nothing to end early.
  const std::string session = Meeting("2026-11-25");
  const v1::Agreement one = MustAgree(t::kOfficerAsc, session,
                                      "participants/p-0001",
                                      v1::EXPENSE_CATEGORY_TAXI, 1500);
  EXPECT_THAT(End(t::kOfficerAsc, one.name(), "2026-12-01", &out),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("one session")));
  // Ending it on today's date (before it began would cover nothing) is
  // allowed, and a retry gets the first answer.
  v1::EndAgreementRequest request;
  request.set_name(agreed.name());
  request.set_last_day("2026-11-20");
  request.set_request_id("end-1");
  v1::Agreement first, again;
  ASSERT_THAT(server_.programme().EndAgreement(
                  TestServer::As(t::kOfficerAsc).get(), request, &first),
              IsOk());
  ASSERT_THAT(server_.programme().EndAgreement(
                  TestServer::As(t::kOfficerAsc).get(), request, &again),
              IsOk());
  EXPECT_EQ(first.SerializeAsString(), again.SerializeAsString());
}

TEST_F(StandingAgreementTest, EachBadFieldIsNamed) {
  struct Case {
    const char* what;
    v1::Agreement agreement;
    absl::StatusCode code;
    const char* field;
  };
  v1::Agreement both = Taxis("2026-11-20", "2026-12-31");
  both.set_session("sessions/1");
  v1::Agreement neither = Taxis("2026-11-20", "2026-12-31");
  neither.clear_project();
  v1::Agreement no_category = Taxis("2026-11-20", "2026-12-31");
  no_category.clear_category();
  v1::Agreement negative = Taxis("2026-11-20", "2026-12-31");
  negative.set_up_to_pence(-1);
  v1::Agreement nobody = Taxis("2026-11-20", "2026-12-31");
  nobody.set_participant("participants/p-9999");
  const Case cases[] = {
      {"to before from", Taxis("2026-12-31", "2026-11-20"),
       absl::StatusCode::kInvalidArgument, "agreement.date_to"},
      {"not a date", Taxis("20 Nov", "2026-12-31"),
       absl::StatusCode::kInvalidArgument, "agreement.date_from"},
      {"no last day", Taxis("2026-11-20", ""),
       absl::StatusCode::kInvalidArgument, "agreement.date_to"},
      {"over a year", Taxis("2026-11-20", "2027-11-21"),
       absl::StatusCode::kInvalidArgument, "agreement.date_to"},
      {"no such project",
       Taxis("2026-11-20", "2026-12-31",
             "serviceAreas/adult-social-care/projects/no-such-group"),
       absl::StatusCode::kInvalidArgument, "agreement.project"},
      {"not a project name", Taxis("2026-11-20", "2026-12-31", "ld-user-voice"),
       absl::StatusCode::kInvalidArgument, "agreement.project"},
      {"session and project", both, absl::StatusCode::kInvalidArgument,
       "agreement.session"},
      {"neither", neither, absl::StatusCode::kInvalidArgument,
       "agreement.project"},
      {"no category", no_category, absl::StatusCode::kInvalidArgument,
       "agreement.category"},
      {"negative amount", negative, absl::StatusCode::kInvalidArgument,
       "agreement.up_to_pence"},
      {"not registered", nobody, absl::StatusCode::kFailedPrecondition,
       "agreement.participant"},
  };
  for (const Case& c : cases) {
    v1::Agreement out;
    EXPECT_THAT(Agree(t::kOfficerAsc, c.agreement, &out),
                StatusIs(c.code, HasSubstr(c.field)))
        << c.what;
  }
  // A full year (366 days from first to last) is allowed.
  v1::Agreement year;
  EXPECT_THAT(Agree(t::kOfficerAsc, Taxis("2026-11-20", "2027-11-20"), &year),
              IsOk());
}

TEST_F(StandingAgreementTest, OnlyAnOfficerOfTheProjectsAreaRecordsOne) {
  v1::Agreement out;
  EXPECT_THAT(Agree(t::kOfficerCf, Taxis("2026-11-20", "2026-12-31"), &out),
              StatusIs(absl::StatusCode::kPermissionDenied));
  EXPECT_THAT(Agree(t::kParticipant1, Taxis("2026-11-20", "2026-12-31"), &out),
              StatusIs(absl::StatusCode::kPermissionDenied));
  // A retry with the same request id gets the first answer, not a second
  // agreement.
  v1::Agreement first, again;
  ASSERT_THAT(Agree(t::kOfficerAsc, Taxis("2026-11-20", "2026-12-31"), &first,
                    "standing-1"),
              IsOk());
  ASSERT_THAT(Agree(t::kOfficerAsc, Taxis("2026-11-20", "2026-12-31"), &again,
                    "standing-1"),
              IsOk());
  EXPECT_EQ(first.name(), again.name());
  EXPECT_THAT(Agree(t::kOfficerAsc, Taxis("2026-11-21", "2026-12-31"), &again,
                    "standing-1"),
              StatusIs(absl::StatusCode::kAlreadyExists));
}

}  // namespace
}  // namespace reciprocity
