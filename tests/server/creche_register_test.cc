// The register says whether a participant's child used the session's
// crèche: it is kept with the attendance (across a restart), refused for a
// session with no crèche, and a childcare claim for such a session says why
// it is not paid.
#include "tests/server/programme_fixture.h"

namespace reciprocity {
namespace {

using ::reciprocity::testing::IsOk;
using ::reciprocity::testing::kLdUserVoice;
using ::reciprocity::testing::kParentChampions;
using ::reciprocity::testing::ProgrammeTest;
using ::reciprocity::testing::TestServer;
using ::testing::HasSubstr;
namespace t = ::reciprocity::testing;

class CrecheRegisterTest : public ProgrammeTest {
 protected:
  grpc::Status Attend(const std::string& who, const std::string& session,
                      const std::string& participant,
                      std::optional<bool> creche_used, v1::Attendance* out) {
    v1::RecordAttendanceRequest request;
    request.set_session(session);
    request.set_participant(participant);
    request.set_minutes(120);
    request.set_request_id(NextId());
    if (creche_used.has_value()) request.set_creche_used(*creche_used);
    return server_.programme().RecordAttendance(TestServer::As(who).get(),
                                                request, out);
  }

  v1::ExportParticipantDataResponse Export(const std::string& participant) {
    v1::ExportParticipantDataRequest request;
    request.set_name(participant);
    v1::ExportParticipantDataResponse out;
    EXPECT_THAT(server_.programme().ExportParticipantData(
                    TestServer::As(t::kOfficerCf).get(), request, &out),
                IsOk());
    return out;
  }
};

TEST_F(CrecheRegisterTest, CrecheUseIsKeptWithTheAttendance) {
  MustCreateParticipant("p-0100", v1::PARTICIPANT_TYPE_PARENT_OR_CARER);
  MustCreateParticipant("p-0101", v1::PARTICIPANT_TYPE_PARENT_OR_CARER);
  MustCreateParticipant("p-0102", v1::PARTICIPANT_TYPE_PARENT_OR_CARER);
  const std::string session = MustCreateSession(t::kOfficerCf, kParentChampions,
                                                "2026-11-18", /*creche=*/true);
  v1::Attendance used, not_used, unsaid;
  ASSERT_THAT(
      Attend(t::kOfficerCf, session, "participants/p-0100", true, &used),
      IsOk());
  ASSERT_THAT(
      Attend(t::kOfficerCf, session, "participants/p-0101", false, &not_used),
      IsOk());
  ASSERT_THAT(Attend(t::kOfficerCf, session, "participants/p-0102",
                     std::nullopt, &unsaid),
              IsOk());
  EXPECT_TRUE(used.has_creche_used() && used.creche_used());
  EXPECT_TRUE(not_used.has_creche_used() && !not_used.creche_used());
  EXPECT_FALSE(unsaid.has_creche_used());

  server_.Restart();
  auto exported = [&](const std::string& participant) {
    v1::ExportParticipantDataResponse data = Export(participant);
    EXPECT_EQ(data.attendances_size(), 1);
    return data.attendances_size() == 1 ? data.attendances(0)
                                        : v1::Attendance();
  };
  EXPECT_TRUE(exported("participants/p-0100").creche_used());
  EXPECT_TRUE(exported("participants/p-0101").has_creche_used());
  EXPECT_FALSE(exported("participants/p-0101").creche_used());
  EXPECT_FALSE(exported("participants/p-0102").has_creche_used());
}

TEST_F(CrecheRegisterTest, CrecheUsedAtASessionWithoutOneIsRefused) {
  const std::string session = MustCreateSession(t::kOfficerAsc, kLdUserVoice);
  v1::Attendance out;
  grpc::Status refused =
      Attend(t::kOfficerAsc, session, "participants/p-0001", true, &out);
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(refused.error_message(), HasSubstr("no crèche"));
  // Nothing was recorded: the register can be saved again, rightly.
  EXPECT_THAT(
      Attend(t::kOfficerAsc, session, "participants/p-0001", false, &out),
      IsOk());
  EXPECT_FALSE(out.creche_used());
}

TEST_F(CrecheRegisterTest, ChildcareIsNotPaidWhenTheChildUsedTheCreche) {
  MustCreateParticipant("p-0100", v1::PARTICIPANT_TYPE_PARENT_OR_CARER);
  const std::string session = MustCreateSession(t::kOfficerCf, kParentChampions,
                                                "2026-11-18", /*creche=*/true);
  v1::Attendance attendance;
  ASSERT_THAT(
      Attend(t::kOfficerCf, session, "participants/p-0100", true, &attendance),
      IsOk());
  v1::Claim claim = SessionClaim("participants/p-0100", kParentChampions,
                                 session, v1::EXPENSE_CATEGORY_CHILDCARE, 2000);
  claim.mutable_lines(0)->set_care_minutes(120);
  claim.mutable_lines(0)->set_children(1);
  v1::Claim refused = MustSubmit(t::kOfficerCf, claim);
  EXPECT_EQ(refused.state(), v1::CLAIM_STATE_REJECTED);
  EXPECT_EQ(refused.decision().lines(0).rule(), "childcare.creche_used");
  EXPECT_THAT(refused.decision().lines(0).reason(),
              HasSubstr("Your child was in the crèche"));
}

}  // namespace
}  // namespace reciprocity
