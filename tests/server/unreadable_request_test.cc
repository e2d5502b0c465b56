// Requests that do not parse (invalid UTF-8 in a string field, a message cut
// short), sent as raw bytes over a real channel: argument errors naming what
// is wrong, logged without their content.
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/util/status_matchers.h"
#include "tests/util/test_server.h"

namespace reciprocity {
namespace {

using ::reciprocity::testing::IsOk;
using ::reciprocity::testing::StatusIs;
using ::reciprocity::testing::TestServer;
using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::Not;
namespace t = ::reciprocity::testing;

constexpr char kCreateParticipant[] =
    "/reciprocity.v1.ProgrammeService/CreateParticipant";
constexpr char kSubmitClaim[] = "/reciprocity.v1.ClaimService/SubmitClaim";

grpc::Status CallWithBytes(TestServer& server, const std::string& method,
                           const std::string& bytes,
                           const std::string& principal = t::kOfficerAsc) {
  return t::CallWithBytes(server.channel(), method, bytes, principal);
}

std::string ParticipantBytes(const std::string& display_name,
                             const std::string& contact = "01702 000000") {
  v1::CreateParticipantRequest request;
  request.set_participant_id("p-0100");
  request.set_request_id("bytes-1");
  request.mutable_participant()->set_participant_type(
      v1::PARTICIPANT_TYPE_RESIDENT);
  request.mutable_participant()->set_payment_preference(
      v1::PAYMENT_METHOD_BANK_TRANSFER);
  request.mutable_participant()->set_display_name(display_name);
  request.mutable_participant()->set_contact(contact);
  // proto3 lets invalid UTF-8 be serialized (it only logs), as a client in
  // another language might send it.
  return request.SerializeAsString();
}

std::string ClaimBytes(const std::string& description) {
  v1::SubmitClaimRequest request;
  *request.mutable_claim() = t::BusFareClaim();
  request.mutable_claim()->mutable_lines(0)->set_description(description);
  request.set_request_id("bytes-2");
  return request.SerializeAsString();
}

TEST(UnreadableRequestTest, InvalidUtf8IsAnArgumentErrorNamingTheField) {
  TestServer server;
  EXPECT_THAT(CallWithBytes(server, kCreateParticipant,
                            ParticipantBytes("Sam\xff\xfe")),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       AllOf(HasSubstr("participant.display_name"),
                             HasSubstr("UTF-8"))));
  // SubmitClaim runs on gRPC's callback API, which answers UNIMPLEMENTED.
  EXPECT_THAT(CallWithBytes(server, kSubmitClaim, ClaimBytes("Bus \xc3 fare"),
                            t::kParticipant1),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       AllOf(HasSubstr("claim.lines[].description"),
                             HasSubstr("UTF-8"))));
}

TEST(UnreadableRequestTest, ACutShortMessageIsAnArgumentError) {
  TestServer server;
  const std::string participant = ParticipantBytes("Sam");
  const std::string claim = ClaimBytes("Bus fare");
  EXPECT_THAT(
      CallWithBytes(server, kCreateParticipant,
                    participant.substr(0, participant.size() - 3)),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("cut short")));
  EXPECT_THAT(
      CallWithBytes(server, kSubmitClaim, claim.substr(0, claim.size() - 3),
                    t::kParticipant1),
      StatusIs(absl::StatusCode::kInvalidArgument,
               HasSubstr("SubmitClaimRequest")));
  // The server keeps serving.
  EXPECT_THAT(CallWithBytes(server, kCreateParticipant, participant), IsOk());
}

TEST(UnreadableRequestTest, TheRefusalIsLoggedWithoutTheRequest) {
  TestServer server;
  ::testing::internal::CaptureStderr();
  const grpc::Status status =
      CallWithBytes(server, kCreateParticipant,
                    ParticipantBytes("Canary-Zebra\xff", "canary@example.org"));
  const std::string log = ::testing::internal::GetCapturedStderr();
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(log, AllOf(HasSubstr("event=rpc"), HasSubstr(kCreateParticipant),
                         HasSubstr("code=INVALID_ARGUMENT"),
                         HasSubstr("participant.display_name")));
  EXPECT_THAT(log, AllOf(Not(HasSubstr("Canary")), Not(HasSubstr("canary"))));
}

}  // namespace
}  // namespace reciprocity
