// A real server plus short helpers for the programme: register people,
// create sessions, record attendance and agreements, submit claims.
#ifndef RECIPROCITY_TESTS_SERVER_PROGRAMME_FIXTURE_H_
#define RECIPROCITY_TESTS_SERVER_PROGRAMME_FIXTURE_H_

#include <string>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/util/audit_check.h"
#include "tests/util/status_matchers.h"
#include "tests/util/test_server.h"

namespace reciprocity::testing {

inline constexpr char kLdUserVoice[] =
    "serviceAreas/adult-social-care/projects/ld-user-voice";
inline constexpr char kParentChampions[] =
    "serviceAreas/children-and-families/projects/abss-parent-champions";
inline constexpr char kAutismForum[] =
    "serviceAreas/strategy-and-commissioning/projects/"
    "autism-neurodiversity-forum";
inline constexpr char kTacklingPoverty[] =
    "serviceAreas/strategy-and-commissioning/projects/"
    "tackling-poverty-workshops";

class ProgrammeTest : public ::testing::Test {
 protected:
  // Whatever a test did through the service, the audit log still verifies:
  // every record it wrote is as the last event that wrote it says.
  void TearDown() override { ExpectAuditLogIntact(server_); }

  // A fresh request id for each mutation.
  std::string NextId() { return absl::StrCat("req-", ++request_counter_); }

  grpc::Status CreateParticipant(const std::string& who, const std::string& id,
                                 v1::ParticipantType type,
                                 v1::PaymentMethod preference,
                                 v1::Participant* out) {
    v1::CreateParticipantRequest request;
    request.set_participant_id(id);
    request.mutable_participant()->set_participant_type(type);
    request.mutable_participant()->set_payment_preference(preference);
    request.mutable_participant()->set_display_name("Sam");
    request.mutable_participant()->set_contact("01702 000000");
    request.set_request_id(NextId());
    return server_.programme().CreateParticipant(TestServer::As(who).get(),
                                                 request, out);
  }
  v1::Participant MustCreateParticipant(
      const std::string& id,
      v1::ParticipantType type = v1::PARTICIPANT_TYPE_RESIDENT,
      v1::PaymentMethod preference = v1::PAYMENT_METHOD_BANK_TRANSFER) {
    v1::Participant out;
    EXPECT_THAT(CreateParticipant(kOfficerAsc, id, type, preference, &out),
                IsOk());
    return out;
  }

  grpc::Status CreateSession(const std::string& who, const std::string& project,
                             const std::string& date, bool creche,
                             v1::Session* out) {
    v1::CreateSessionRequest request;
    request.mutable_session()->set_project(project);
    request.mutable_session()->set_date(date);
    request.mutable_session()->set_start_time("10:00");
    request.mutable_session()->set_end_time("12:00");
    request.mutable_session()->set_venue("Civic Centre, Victoria Avenue");
    request.mutable_session()->set_creche_provided(creche);
    request.set_request_id(NextId());
    return server_.programme().CreateSession(TestServer::As(who).get(), request,
                                             out);
  }
  std::string MustCreateSession(const std::string& who,
                                const std::string& project,
                                const std::string& date = "2026-11-18",
                                bool creche = false) {
    v1::Session out;
    EXPECT_THAT(CreateSession(who, project, date, creche, &out), IsOk());
    return out.name();
  }

  grpc::Status RecordAttendance(const std::string& who,
                                const std::string& session,
                                const std::string& participant, int minutes,
                                const std::string& request_id,
                                v1::Attendance* out) {
    v1::RecordAttendanceRequest request;
    request.set_session(session);
    request.set_participant(participant);
    request.set_minutes(minutes);
    request.set_request_id(request_id);
    return server_.programme().RecordAttendance(TestServer::As(who).get(),
                                                request, out);
  }
  v1::VoucherEntitlement MustAttend(const std::string& who,
                                    const std::string& session,
                                    const std::string& participant,
                                    int minutes = 120) {
    v1::Attendance out;
    EXPECT_THAT(
        RecordAttendance(who, session, participant, minutes, NextId(), &out),
        IsOk());
    return out.voucher_entitlement();
  }

  v1::Agreement MustAgree(const std::string& who, const std::string& session,
                          const std::string& participant,
                          v1::ExpenseCategory category, int64_t up_to_pence) {
    v1::CreateAgreementRequest request;
    request.mutable_agreement()->set_participant(participant);
    request.mutable_agreement()->set_session(session);
    request.mutable_agreement()->set_category(category);
    request.mutable_agreement()->set_up_to_pence(up_to_pence);
    request.mutable_agreement()->set_note("Agreed by phone");
    request.set_request_id(NextId());
    v1::Agreement out;
    EXPECT_THAT(server_.programme().CreateAgreement(TestServer::As(who).get(),
                                                    request, &out),
                IsOk());
    return out;
  }

  grpc::Status Submit(const std::string& who, const v1::Claim& claim,
                      v1::Claim* out) {
    v1::SubmitClaimRequest request;
    *request.mutable_claim() = claim;
    request.set_request_id(NextId());
    return server_.claims().SubmitClaim(TestServer::As(who).get(), request,
                                        out);
  }
  v1::Claim MustSubmit(const std::string& who, const v1::Claim& claim) {
    v1::Claim out;
    EXPECT_THAT(Submit(who, claim, &out), IsOk());
    return out;
  }

  // A claim for `session` with one line.
  static v1::Claim SessionClaim(const std::string& participant,
                                const std::string& project,
                                const std::string& session,
                                v1::ExpenseCategory category,
                                int64_t amount_pence) {
    v1::Claim claim;
    claim.set_participant(participant);
    claim.set_project(project);
    claim.set_session(session);
    v1::ClaimLine* line = claim.add_lines();
    line->set_category(category);
    line->set_amount_pence(amount_pence);
    line->set_receipt_provided(true);
    return claim;
  }

  // Officer `who` approves or refuses line `line` (from 0) of claim `name`.
  grpc::Status Review(const std::string& who, const std::string& name, int line,
                      bool approve, const std::string& reason, v1::Claim* out) {
    v1::ReviewClaimLineRequest review;
    review.set_name(name);
    review.set_line_index(line);
    review.set_approve(approve);
    review.set_reason(reason);
    review.set_request_id(NextId());
    return server_.claims().ReviewClaimLine(TestServer::As(who).get(), review,
                                            out);
  }
  // An officer approves line `line` of claim `name` after checking it.
  v1::Claim MustApproveLine(const std::string& name, int line,
                            const std::string& reason) {
    v1::Claim reviewed;
    EXPECT_THAT(Review(kOfficerAsc, name, line, true, reason, &reviewed),
                IsOk());
    return reviewed;
  }
  v1::Claim MustWithdraw(const std::string& who, const std::string& name) {
    v1::WithdrawClaimRequest withdraw;
    withdraw.set_name(name);
    withdraw.set_request_id(NextId());
    v1::Claim withdrawn;
    EXPECT_THAT(server_.claims().WithdrawClaim(TestServer::As(who).get(),
                                               withdraw, &withdrawn),
                IsOk());
    return withdrawn;
  }
  // Participant `who` asks for line `line` (from 0) of claim `name` to be
  // looked at again.
  grpc::Status Appeal(const std::string& who, const std::string& name, int line,
                      const std::string& comment, v1::Claim* out) {
    v1::AppealClaimLineRequest appeal;
    appeal.set_name(name);
    appeal.set_line_index(line);
    appeal.set_comment(comment);
    appeal.set_request_id(NextId());
    return server_.claims().AppealClaimLine(TestServer::As(who).get(), appeal,
                                            out);
  }

  v1::ListVoucherEntitlementsResponse ListEntitlements(
      const std::string& who, v1::VoucherEntitlementState state,
      const std::string& participant = "") {
    v1::ListVoucherEntitlementsRequest request;
    request.set_state(state);
    request.set_participant(participant);
    v1::ListVoucherEntitlementsResponse out;
    EXPECT_THAT(server_.programme().ListVoucherEntitlements(
                    TestServer::As(who).get(), request, &out),
                IsOk());
    return out;
  }

  TestServer server_;
  int request_counter_ = 0;
};

}  // namespace reciprocity::testing

#endif  // RECIPROCITY_TESTS_SERVER_PROGRAMME_FIXTURE_H_
