// Putting sessions and the register right, over a real server, channel and
// SQLite file: a session changed or cancelled, an attendance corrected or
// removed, and what each does to the claims and vouchers already made. An
// issued voucher is never taken back by a correction.
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

constexpr auto kInvalid = absl::StatusCode::kInvalidArgument;
constexpr auto kPrecondition = absl::StatusCode::kFailedPrecondition;
constexpr auto kDenied = absl::StatusCode::kPermissionDenied;

class SessionCorrectionTest : public ProgrammeTest {
 protected:
  grpc::Status UpdateSession(const std::string& who, const v1::Session& in,
                             const std::vector<std::string>& paths,
                             v1::Session* out,
                             const std::string& request_id = "") {
    v1::UpdateSessionRequest request;
    *request.mutable_session() = in;
    for (const auto& p : paths) request.mutable_update_mask()->add_paths(p);
    request.set_request_id(request_id.empty() ? NextId() : request_id);
    return server_.programme().UpdateSession(TestServer::As(who).get(), request,
                                             out);
  }
  grpc::Status Cancel(const std::string& who, const std::string& session,
                      const std::string& reason, v1::Session* out,
                      const std::string& request_id = "") {
    v1::CancelSessionRequest request;
    request.set_name(session);
    request.set_reason(reason);
    request.set_request_id(request_id.empty() ? NextId() : request_id);
    return server_.programme().CancelSession(TestServer::As(who).get(), request,
                                             out);
  }
  grpc::Status Correct(const std::string& who, const std::string& session,
                       const std::string& participant, int minutes,
                       const std::string& reason, v1::Attendance* out,
                       const std::string& request_id = "") {
    v1::UpdateAttendanceRequest request;
    request.mutable_attendance()->set_name(
        absl::StrCat(session, "/attendances/", participant));
    request.mutable_attendance()->set_minutes(minutes);
    request.mutable_update_mask()->add_paths("minutes");
    request.set_reason(reason);
    request.set_request_id(request_id.empty() ? NextId() : request_id);
    return server_.programme().UpdateAttendance(TestServer::As(who).get(),
                                                request, out);
  }
  grpc::Status Remove(const std::string& who, const std::string& session,
                      const std::string& participant, const std::string& reason,
                      v1::Attendance* out) {
    v1::DeleteAttendanceRequest request;
    request.set_name(absl::StrCat(session, "/attendances/", participant));
    request.set_reason(reason);
    request.set_request_id(NextId());
    return server_.programme().DeleteAttendance(TestServer::As(who).get(),
                                                request, out);
  }
  v1::VoucherEntitlement Issue(const std::string& entitlement) {
    v1::IssueVoucherRequest request;
    request.set_name(entitlement);
    request.set_serial("TESCO-0001");
    request.set_request_id(NextId());
    v1::VoucherEntitlement out;
    EXPECT_THAT(server_.programme().IssueVoucher(
                    TestServer::As(t::kOfficerAsc).get(), request, &out),
                IsOk());
    return out;
  }
  v1::VoucherEntitlement OnlyEntitlement() {
    v1::ListVoucherEntitlementsResponse all = ListEntitlements(
        t::kOfficerAsc, v1::VOUCHER_ENTITLEMENT_STATE_UNSPECIFIED);
    EXPECT_EQ(all.voucher_entitlements_size(), 1);
    return all.voucher_entitlements(0);
  }
  // The participant reads the sentences after the field and record names.
  static std::string ReadableTail(absl::string_view message) {
    const size_t cut = message.find(" was cancelled");
    return std::string(
        message.substr(cut == absl::string_view::npos ? 0 : cut + 1));
  }
};

TEST_F(SessionCorrectionTest, OfficerChangesVenueAndTimes) {
  const std::string session = MustCreateSession(t::kOfficerAsc, kLdUserVoice);
  v1::Session in;
  in.set_name(session);
  in.set_venue("Southend Library");
  in.set_start_time("10:30");
  v1::Session out;
  ASSERT_THAT(UpdateSession(t::kOfficerAsc, in, {"venue", "start_time"}, &out),
              IsOk());
  EXPECT_EQ(out.venue(), "Southend Library");
  EXPECT_EQ(out.start_time(), "10:30");
  EXPECT_EQ(out.end_time(), "12:00");
  EXPECT_EQ(out.updated_by(), t::kOfficerAsc);
  EXPECT_EQ(out.state(), v1::SESSION_STATE_SCHEDULED);
  v1::GetSessionRequest get;
  get.set_name(session);
  v1::Session read;
  ASSERT_THAT(server_.programme().GetSession(
                  TestServer::As(t::kOfficerAsc).get(), get, &read),
              IsOk());
  EXPECT_EQ(read.venue(), "Southend Library");
}

TEST_F(SessionCorrectionTest, BadChangesAreRefusedNamingTheField) {
  const std::string session = MustCreateSession(t::kOfficerAsc, kLdUserVoice);
  v1::Session in;
  in.set_name(session);
  in.set_end_time("09:00");
  v1::Session out;
  EXPECT_THAT(UpdateSession(t::kOfficerAsc, in, {"end_time"}, &out),
              StatusIs(kInvalid, HasSubstr("session.end_time")));
  EXPECT_THAT(UpdateSession(t::kOfficerAsc, in, {"project"}, &out),
              StatusIs(kInvalid, HasSubstr("update_mask")));
  EXPECT_THAT(UpdateSession(t::kOfficerAsc, in, {}, &out),
              StatusIs(kInvalid, HasSubstr("update_mask")));
  in.set_date("2026-02-30");
  EXPECT_THAT(UpdateSession(t::kOfficerAsc, in, {"date"}, &out),
              StatusIs(kInvalid, HasSubstr("session.date")));
}

TEST_F(SessionCorrectionTest, OnlyAnOfficerOfTheAreaChangesASession) {
  const std::string session = MustCreateSession(t::kOfficerAsc, kLdUserVoice);
  v1::Session in;
  in.set_name(session);
  in.set_venue("Elsewhere");
  v1::Session out;
  EXPECT_THAT(UpdateSession(t::kOfficerCf, in, {"venue"}, &out),
              StatusIs(kDenied));
  EXPECT_THAT(UpdateSession(t::kParticipant1, in, {"venue"}, &out),
              StatusIs(kDenied));
  EXPECT_THAT(Cancel(t::kOfficerCf, session, "No room", &out),
              StatusIs(kDenied));
  EXPECT_THAT(Cancel(t::kParticipant1, session, "No room", &out),
              StatusIs(kDenied));
}

TEST_F(SessionCorrectionTest, DateStaysOnceAttendanceOrClaimsAreRecorded) {
  const std::string attended =
      MustCreateSession(t::kOfficerAsc, kLdUserVoice, "2026-11-18");
  MustAttend(t::kOfficerAsc, attended, "participants/p-0001");
  v1::Session in;
  in.set_name(attended);
  in.set_date("2026-11-19");
  v1::Session out;
  EXPECT_THAT(UpdateSession(t::kOfficerAsc, in, {"date"}, &out),
              StatusIs(kPrecondition, HasSubstr("session.date: attendance")));

  const std::string claimed =
      MustCreateSession(t::kOfficerAsc, kLdUserVoice, "2026-11-17");
  const v1::Claim claim =
      MustSubmit(t::kParticipant1,
                 SessionClaim("participants/p-0001", kLdUserVoice, claimed,
                              v1::EXPENSE_CATEGORY_PUBLIC_TRANSPORT, 320));
  in.set_name(claimed);
  EXPECT_THAT(UpdateSession(t::kOfficerAsc, in, {"date"}, &out),
              StatusIs(kPrecondition, HasSubstr(claim.name())));

  // With nothing recorded against it, the day can move.
  const std::string empty =
      MustCreateSession(t::kOfficerAsc, kLdUserVoice, "2026-11-25");
  in.set_name(empty);
  in.set_date("2026-11-26");
  ASSERT_THAT(UpdateSession(t::kOfficerAsc, in, {"date"}, &out), IsOk());
  EXPECT_EQ(out.date(), "2026-11-26");
}

TEST_F(SessionCorrectionTest, TimesCannotShrinkBelowAnAttendance) {
  const std::string session = MustCreateSession(t::kOfficerAsc, kLdUserVoice);
  MustAttend(t::kOfficerAsc, session, "participants/p-0001", 120);
  v1::Session in;
  in.set_name(session);
  in.set_end_time("11:00");
  v1::Session out;
  EXPECT_THAT(UpdateSession(t::kOfficerAsc, in, {"end_time"}, &out),
              StatusIs(kPrecondition, HasSubstr("120 minutes")));
}

TEST_F(SessionCorrectionTest, CancellingKeepsClaimsAndVouchersAndSaysSo) {
  const std::string session = MustCreateSession(t::kOfficerAsc, kLdUserVoice);
  MustAttend(t::kOfficerAsc, session, "participants/p-0001");
  const v1::Claim claim =
      MustSubmit(t::kParticipant1,
                 SessionClaim("participants/p-0001", kLdUserVoice, session,
                              v1::EXPENSE_CATEGORY_PUBLIC_TRANSPORT, 320));

  v1::Session cancelled;
  ASSERT_THAT(Cancel(t::kOfficerAsc, session, "The room flooded", &cancelled,
                     "cancel-1"),
              IsOk());
  EXPECT_EQ(cancelled.state(), v1::SESSION_STATE_CANCELLED);
  EXPECT_EQ(cancelled.cancel_reason(), "The room flooded");
  EXPECT_EQ(cancelled.cancelled_by(), t::kOfficerAsc);
  EXPECT_THAT(cancelled.cancellation_note(),
              HasSubstr("1 claim already made for it stays and will be judged "
                        "and paid as usual"));
  EXPECT_THAT(cancelled.cancellation_note(),
              HasSubstr("1 voucher earned and not yet given is still owed"));

  // A retry gets the first answer; a second cancel is refused.
  v1::Session again;
  ASSERT_THAT(
      Cancel(t::kOfficerAsc, session, "The room flooded", &again, "cancel-1"),
      IsOk());
  EXPECT_EQ(again.cancel_time().seconds(), cancelled.cancel_time().seconds());
  EXPECT_THAT(Cancel(t::kOfficerAsc, session, "The room flooded", &again),
              StatusIs(kPrecondition, HasSubstr("already cancelled")));

  // What was made stays as it was.
  v1::GetClaimRequest get;
  get.set_name(claim.name());
  v1::Claim read;
  ASSERT_THAT(server_.claims().GetClaim(TestServer::As(t::kOfficerAsc).get(),
                                        get, &read),
              IsOk());
  EXPECT_EQ(read.state(), claim.state());
  EXPECT_EQ(OnlyEntitlement().state(), v1::VOUCHER_ENTITLEMENT_STATE_EARNED);
}

TEST_F(SessionCorrectionTest, CancelledSessionTakesNothingNew) {
  const std::string session = MustCreateSession(t::kOfficerAsc, kLdUserVoice);
  v1::Session out;
  EXPECT_THAT(Cancel(t::kOfficerAsc, session, "", &out),
              StatusIs(kInvalid, HasSubstr("reason")));
  ASSERT_THAT(Cancel(t::kOfficerAsc, session, "Speaker ill", &out), IsOk());

  v1::Attendance attendance;
  EXPECT_THAT(RecordAttendance(t::kOfficerAsc, session, "participants/p-0001",
                               120, NextId(), &attendance),
              StatusIs(kPrecondition, HasSubstr("was cancelled")));
  v1::Claim claim;
  grpc::Status refused =
      Submit(t::kParticipant1,
             SessionClaim("participants/p-0001", kLdUserVoice, session,
                          v1::EXPENSE_CATEGORY_PUBLIC_TRANSPORT, 320),
             &claim);
  EXPECT_THAT(refused, StatusIs(kPrecondition, HasSubstr("claim.session")));
  EXPECT_GT(policy::FleschReadingEase(ReadableTail(refused.error_message())),
            95.0)
      << refused.error_message();
  // A claim naming no session is matched to it, and refused the same way.
  v1::Claim by_date = t::BusFareClaim();
  EXPECT_THAT(Submit(t::kParticipant1, by_date, &claim),
              StatusIs(kPrecondition, HasSubstr("was cancelled")));

  v1::Session in;
  in.set_name(session);
  in.set_venue("Elsewhere");
  EXPECT_THAT(UpdateSession(t::kOfficerAsc, in, {"venue"}, &out),
              StatusIs(kPrecondition, HasSubstr("cancelled")));
}

TEST_F(SessionCorrectionTest, AttendanceLongerThanTheSessionIsRefused) {
  const std::string session = MustCreateSession(t::kOfficerAsc, kLdUserVoice);
  v1::Attendance out;
  grpc::Status refused = RecordAttendance(
      t::kOfficerAsc, session, "participants/p-0001", 121, NextId(), &out);
  EXPECT_THAT(refused,
              StatusIs(kInvalid, HasSubstr("minutes: 121 minutes is "
                                           "longer than the session")));
  EXPECT_THAT(RecordAttendance(t::kOfficerAsc, session, "participants/p-0001",
                               120, NextId(), &out),
              IsOk());
  EXPECT_THAT(
      Correct(t::kOfficerAsc, session, "p-0001", 150, "Stayed late", &out),
      StatusIs(kInvalid, HasSubstr("attendance.minutes")));
}

TEST_F(SessionCorrectionTest, CorrectionJudgesAVoucherNotYetGivenAgain) {
  const std::string session = MustCreateSession(t::kOfficerAsc, kLdUserVoice);
  ASSERT_EQ(
      MustAttend(t::kOfficerAsc, session, "participants/p-0001").value_pence(),
      1500);
  v1::Attendance out;
  ASSERT_THAT(Correct(t::kOfficerAsc, session, "p-0001", 45,
                      "Left at the break", &out, "fix-1"),
              IsOk());
  EXPECT_EQ(out.minutes(), 45);
  EXPECT_EQ(out.correction_reason(), "Left at the break");
  EXPECT_EQ(out.corrected_by(), t::kOfficerAsc);
  EXPECT_EQ(out.voucher_entitlement().state(),
            v1::VOUCHER_ENTITLEMENT_STATE_NOT_EARNED);
  EXPECT_EQ(out.voucher_entitlement().value_pence(), 0);
  EXPECT_THAT(out.voucher_entitlement().correction_note(),
              HasSubstr("Left at the break"));
  EXPECT_FALSE(out.voucher_entitlement().needs_decision());

  // The retry answers the same; the same id for another change is refused.
  v1::Attendance retry;
  ASSERT_THAT(Correct(t::kOfficerAsc, session, "p-0001", 45,
                      "Left at the break", &retry, "fix-1"),
              IsOk());
  EXPECT_EQ(retry.SerializeAsString(), out.SerializeAsString());
  EXPECT_THAT(Correct(t::kOfficerAsc, session, "p-0001", 90,
                      "Left at the break", &retry, "fix-1"),
              StatusIs(absl::StatusCode::kAlreadyExists));

  // Put back to the full meeting, the voucher is earned again: its own
  // earlier value does not count against the yearly cap.
  ASSERT_THAT(Correct(t::kOfficerAsc, session, "p-0001", 120,
                      "The sign-out sheet was wrong", &out),
              IsOk());
  EXPECT_EQ(out.voucher_entitlement().value_pence(), 1500);
  EXPECT_EQ(out.voucher_entitlement().state(),
            v1::VOUCHER_ENTITLEMENT_STATE_EARNED);
}

TEST_F(SessionCorrectionTest, AnIssuedVoucherIsNeverTakenBack) {
  const std::string session = MustCreateSession(t::kOfficerAsc, kLdUserVoice);
  const v1::VoucherEntitlement earned =
      MustAttend(t::kOfficerAsc, session, "participants/p-0001");
  Issue(earned.name());

  v1::Attendance out;
  ASSERT_THAT(Correct(t::kOfficerAsc, session, "p-0001", 30,
                      "Came for half an hour", &out),
              IsOk());
  const v1::VoucherEntitlement& e = out.voucher_entitlement();
  EXPECT_EQ(e.state(), v1::VOUCHER_ENTITLEMENT_STATE_ISSUED);
  EXPECT_EQ(e.value_pence(), 1500);
  EXPECT_EQ(e.serial(), "TESCO-0001");
  EXPECT_TRUE(e.needs_decision());
  EXPECT_THAT(e.correction_note(), HasSubstr("Nothing was taken back"));
  // The officer sees it in the list of vouchers.
  EXPECT_TRUE(OnlyEntitlement().needs_decision());

  // Removing the attendance leaves it given, and still to decide.
  ASSERT_THAT(
      Remove(t::kOfficerAsc, session, "p-0001", "Was not there at all", &out),
      IsOk());
  EXPECT_EQ(OnlyEntitlement().state(), v1::VOUCHER_ENTITLEMENT_STATE_ISSUED);
  EXPECT_TRUE(OnlyEntitlement().needs_decision());
  EXPECT_THAT(OnlyEntitlement().correction_note(),
              HasSubstr("removed after this voucher was given"));
}

TEST_F(SessionCorrectionTest, RemovingAnAttendanceCancelsAVoucherNotYetGiven) {
  const std::string session = MustCreateSession(t::kOfficerAsc, kLdUserVoice);
  MustAttend(t::kOfficerAsc, session, "participants/p-0001");
  v1::Attendance out;
  EXPECT_THAT(Remove(t::kOfficerAsc, session, "p-0001", "", &out),
              StatusIs(kInvalid, HasSubstr("reason")));
  EXPECT_THAT(
      Remove(t::kOfficerCf, session, "p-0001", "Recorded in error", &out),
      StatusIs(kDenied));
  ASSERT_THAT(
      Remove(t::kOfficerAsc, session, "p-0001", "Recorded in error", &out),
      IsOk());
  const v1::VoucherEntitlement e = OnlyEntitlement();
  EXPECT_EQ(e.state(), v1::VOUCHER_ENTITLEMENT_STATE_CANCELLED);
  EXPECT_EQ(e.value_pence(), 0);
  EXPECT_THAT(e.correction_note(), HasSubstr("Recorded in error"));
  EXPECT_GT(policy::FleschReadingEase(e.reason()), 95.0) << e.reason();

  // Off the register: a second removal finds nothing, and the attendance
  // may be recorded again.
  EXPECT_THAT(
      Remove(t::kOfficerAsc, session, "p-0001", "Recorded in error", &out),
      StatusIs(absl::StatusCode::kNotFound));
  EXPECT_EQ(
      MustAttend(t::kOfficerAsc, session, "participants/p-0001").value_pence(),
      1500);
}

TEST_F(SessionCorrectionTest, CrecheCorrectionFollowsTheSession) {
  const std::string session = MustCreateSession(t::kOfficerAsc, kLdUserVoice);
  MustAttend(t::kOfficerAsc, session, "participants/p-0001");
  v1::UpdateAttendanceRequest request;
  request.mutable_attendance()->set_name(
      absl::StrCat(session, "/attendances/p-0001"));
  request.mutable_attendance()->set_creche_used(true);
  request.mutable_update_mask()->add_paths("creche_used");
  request.set_reason("The crèche list says so");
  request.set_request_id(NextId());
  v1::Attendance out;
  EXPECT_THAT(server_.programme().UpdateAttendance(
                  TestServer::As(t::kOfficerAsc).get(), request, &out),
              StatusIs(kPrecondition, HasSubstr("no crèche")));
  request.clear_reason();
  request.set_request_id(NextId());
  EXPECT_THAT(server_.programme().UpdateAttendance(
                  TestServer::As(t::kOfficerAsc).get(), request, &out),
              StatusIs(kInvalid, HasSubstr("reason")));
}

}  // namespace
}  // namespace reciprocity
