// An officer decides a voucher given and then flagged by a correction of
// the register, over a real server, channel and SQLite file: kept or taken
// back, with a reason and an audit event; and the register listed for the
// officer who corrects it.
#include <string>

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
namespace t = ::reciprocity::testing;

class VoucherDecisionTest : public ProgrammeTest {
 protected:
  // A voucher for p-0001 at a new session, given, then flagged by a
  // correction to 30 minutes (which earns nothing).
  std::string FlaggedVoucher() {
    session_ = MustCreateSession(t::kOfficerAsc, kLdUserVoice);
    const v1::VoucherEntitlement earned =
        MustAttend(t::kOfficerAsc, session_, "participants/p-0001");
    v1::IssueVoucherRequest issue;
    issue.set_name(earned.name());
    issue.set_serial("TESCO-0001");
    issue.set_request_id(NextId());
    v1::VoucherEntitlement issued;
    EXPECT_THAT(server_.programme().IssueVoucher(
                    TestServer::As(t::kOfficerAsc).get(), issue, &issued),
                IsOk());
    v1::UpdateAttendanceRequest correct;
    correct.mutable_attendance()->set_name(
        absl::StrCat(session_, "/attendances/p-0001"));
    correct.mutable_attendance()->set_minutes(30);
    correct.mutable_update_mask()->add_paths("minutes");
    correct.set_reason("Left after half an hour");
    correct.set_request_id(NextId());
    v1::Attendance corrected;
    EXPECT_THAT(server_.programme().UpdateAttendance(
                    TestServer::As(t::kOfficerAsc).get(), correct, &corrected),
                IsOk());
    EXPECT_TRUE(corrected.voucher_entitlement().needs_decision());
    return earned.name();
  }
  grpc::Status Decide(const std::string& who, const std::string& name,
                      v1::VoucherDecision decision, const std::string& reason,
                      v1::VoucherEntitlement* out,
                      const std::string& request_id = "") {
    v1::DecideVoucherRequest request;
    request.set_name(name);
    request.set_decision(decision);
    request.set_reason(reason);
    request.set_request_id(request_id.empty() ? NextId() : request_id);
    return server_.programme().DecideVoucher(TestServer::As(who).get(), request,
                                             out);
  }
  v1::ListVoucherEntitlementsResponse NeedingDecision(const std::string& who) {
    v1::ListVoucherEntitlementsRequest request;
    request.set_needs_decision(true);
    v1::ListVoucherEntitlementsResponse out;
    EXPECT_THAT(server_.programme().ListVoucherEntitlements(
                    TestServer::As(who).get(), request, &out),
                IsOk());
    return out;
  }
  std::string LastAuditAction(const std::string& record) {
    auto audit = v1::AuditService::NewStub(server_.channel());
    v1::ListAuditEventsRequest request;
    request.set_record(record);
    v1::ListAuditEventsResponse events;
    EXPECT_THAT(audit->ListAuditEvents(TestServer::As(t::kAuditor).get(),
                                       request, &events),
                IsOk());
    if (events.audit_events().empty()) return "";
    return events.audit_events(events.audit_events_size() - 1).action();
  }

  std::string session_;
};

TEST_F(VoucherDecisionTest, KeepClearsTheFlagAndTheVoucherStaysGiven) {
  const std::string name = FlaggedVoucher();
  ASSERT_EQ(NeedingDecision(t::kOfficerAsc).voucher_entitlements_size(), 1);
  EXPECT_EQ(NeedingDecision(t::kOfficerCf).voucher_entitlements_size(), 0);

  v1::VoucherEntitlement out;
  ASSERT_THAT(Decide(t::kOfficerAsc, name, v1::VOUCHER_DECISION_KEEP,
                     "Spoke to Sam; she keeps it", &out, "decide-1"),
              IsOk());
  EXPECT_EQ(out.state(), v1::VOUCHER_ENTITLEMENT_STATE_ISSUED);
  EXPECT_FALSE(out.needs_decision());
  EXPECT_EQ(out.value_pence(), 1500);
  EXPECT_EQ(out.serial(), "TESCO-0001");
  EXPECT_THAT(out.correction_note(), HasSubstr("Spoke to Sam; she keeps it"));
  EXPECT_THAT(out.correction_note(), HasSubstr("keeps the voucher"));
  EXPECT_EQ(NeedingDecision(t::kOfficerAsc).voucher_entitlements_size(), 0);
  EXPECT_EQ(LastAuditAction(name), "DecideVoucher");

  // A retry gets the first answer; a new decision finds nothing to decide.
  v1::VoucherEntitlement again;
  ASSERT_THAT(Decide(t::kOfficerAsc, name, v1::VOUCHER_DECISION_KEEP,
                     "Spoke to Sam; she keeps it", &again, "decide-1"),
              IsOk());
  EXPECT_EQ(again.correction_note(), out.correction_note());
  EXPECT_THAT(Decide(t::kOfficerAsc, name, v1::VOUCHER_DECISION_TAKE_BACK,
                     "Changed my mind", &again),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("does not need a decision")));
}

TEST_F(VoucherDecisionTest, TakeBackCancelsTheVoucher) {
  const std::string name = FlaggedVoucher();
  v1::VoucherEntitlement out;
  ASSERT_THAT(Decide(t::kOfficerAsc, name, v1::VOUCHER_DECISION_TAKE_BACK,
                     "Sam gave it back", &out),
              IsOk());
  EXPECT_EQ(out.state(), v1::VOUCHER_ENTITLEMENT_STATE_CANCELLED);
  EXPECT_FALSE(out.needs_decision());
  EXPECT_THAT(out.correction_note(), HasSubstr("taken back"));
  EXPECT_THAT(out.correction_note(), HasSubstr("Sam gave it back"));
  EXPECT_EQ(NeedingDecision(t::kOfficerAsc).voucher_entitlements_size(), 0);
  const v1::ListVoucherEntitlementsResponse cancelled =
      ListEntitlements(t::kOfficerAsc, v1::VOUCHER_ENTITLEMENT_STATE_CANCELLED);
  ASSERT_EQ(cancelled.voucher_entitlements_size(), 1);
  EXPECT_EQ(cancelled.voucher_entitlements(0).name(), name);
  EXPECT_EQ(LastAuditAction(name), "DecideVoucher");
}

TEST_F(VoucherDecisionTest, EachRefusalSaysWhy) {
  const std::string name = FlaggedVoucher();
  v1::VoucherEntitlement out;
  EXPECT_THAT(
      Decide(t::kOfficerAsc, name, v1::VOUCHER_DECISION_KEEP, "", &out),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("reason")));
  EXPECT_THAT(
      Decide(t::kOfficerAsc, name, v1::VOUCHER_DECISION_UNSPECIFIED,
             "Spoke to Sam", &out),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("decision")));
  EXPECT_THAT(Decide(t::kOfficerCf, name, v1::VOUCHER_DECISION_KEEP,
                     "Spoke to Sam", &out),
              StatusIs(absl::StatusCode::kPermissionDenied));
  EXPECT_THAT(Decide(t::kParticipant1, name, v1::VOUCHER_DECISION_KEEP,
                     "I keep it", &out),
              StatusIs(absl::StatusCode::kPermissionDenied));
  // An unknown voucher: as for IssueVoucher (AIP-211), an officer of some
  // areas cannot learn which records exist outside them, so is refused.
  EXPECT_THAT(Decide(t::kOfficerAsc, "voucherEntitlements/999",
                     v1::VOUCHER_DECISION_KEEP, "Spoke to Sam", &out),
              StatusIs(absl::StatusCode::kPermissionDenied));
  EXPECT_THAT(Decide(t::kOfficerAsc, "vouchers/1", v1::VOUCHER_DECISION_KEEP,
                     "Spoke to Sam", &out),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("name")));
  // A voucher not given (nor flagged) has nothing to decide.
  const v1::VoucherEntitlement earned =
      MustAttend(t::kOfficerAsc, session_, "participants/p-0002");
  EXPECT_THAT(Decide(t::kOfficerAsc, earned.name(), v1::VOUCHER_DECISION_KEEP,
                     "Spoke to them", &out),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("does not need a decision")));
  // Nothing was changed by the refusals.
  EXPECT_EQ(NeedingDecision(t::kOfficerAsc).voucher_entitlements_size(), 1);
}

TEST_F(VoucherDecisionTest, NeedsDecisionListsOnlyIssuedVouchers) {
  FlaggedVoucher();
  v1::ListVoucherEntitlementsRequest request;
  request.set_needs_decision(true);
  request.set_state(v1::VOUCHER_ENTITLEMENT_STATE_EARNED);
  v1::ListVoucherEntitlementsResponse out;
  EXPECT_THAT(server_.programme().ListVoucherEntitlements(
                  TestServer::As(t::kOfficerAsc).get(), request, &out),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("state")));
}

TEST_F(VoucherDecisionTest, OfficerListsTheRegisterWithVouchers) {
  FlaggedVoucher();
  MustAttend(t::kOfficerAsc, session_, "participants/p-0002", 90);
  v1::ListAttendancesRequest request;
  request.set_parent(session_);
  v1::ListAttendancesResponse out;
  ASSERT_THAT(server_.programme().ListAttendances(
                  TestServer::As(t::kOfficerAsc).get(), request, &out),
              IsOk());
  ASSERT_EQ(out.attendances_size(), 2);
  EXPECT_EQ(out.attendances(0).participant(), "participants/p-0001");
  EXPECT_EQ(out.attendances(0).minutes(), 30);
  EXPECT_EQ(out.attendances(0).correction_reason(), "Left after half an hour");
  EXPECT_TRUE(out.attendances(0).voucher_entitlement().needs_decision());
  EXPECT_EQ(out.attendances(1).minutes(), 90);
  EXPECT_EQ(out.attendances(1).voucher_entitlement().state(),
            v1::VOUCHER_ENTITLEMENT_STATE_EARNED);
  EXPECT_THAT(server_.programme().ListAttendances(
                  TestServer::As(t::kOfficerCf).get(), request, &out),
              StatusIs(absl::StatusCode::kPermissionDenied));
  request.set_parent("sessions/x");
  EXPECT_THAT(
      server_.programme().ListAttendances(TestServer::As(t::kOfficerAsc).get(),
                                          request, &out),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("parent")));
}

}  // namespace
}  // namespace reciprocity
