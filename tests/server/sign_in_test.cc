// Sign-in codes and sessions over a real server: a code works once and
// only until it expires, the session it gives stands for its participant and
// nobody else, ends when idle, and only officers and administrators issue
// codes.
#include "absl/strings/ascii.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "reciprocity/v1/sign_in.grpc.pb.h"
#include "tests/util/status_matchers.h"
#include "tests/util/test_server.h"

namespace reciprocity {
namespace {

namespace t = ::reciprocity::testing;
using ::reciprocity::testing::IsOk;
using ::reciprocity::testing::StatusIs;
using ::reciprocity::testing::TestServer;

class SignInTest : public ::testing::Test {
 protected:
  SignInTest() : stub_(v1::SignInService::NewStub(server_.channel())) {}

  absl::StatusOr<v1::SignInCode> Issue(const std::string& as,
                                       const std::string& principal) {
    v1::IssueSignInCodeRequest request;
    request.set_principal(principal);
    v1::SignInCode code;
    grpc::Status s =
        stub_->IssueSignInCode(TestServer::As(as).get(), request, &code);
    if (!s.ok()) {
      return absl::Status(static_cast<absl::StatusCode>(s.error_code()),
                          s.error_message());
    }
    return code;
  }

  grpc::Status Redeem(const std::string& code, v1::SignInSession* session) {
    v1::RedeemSignInCodeRequest request;
    request.set_code(code);
    grpc::ClientContext context;
    return stub_->RedeemSignInCode(&context, request, session);
  }

  static std::unique_ptr<grpc::ClientContext> WithToken(
      const std::string& token) {
    auto context = std::make_unique<grpc::ClientContext>();
    context->AddMetadata("authorization", "Bearer " + token);
    return context;
  }

  // Reads claims/1 with the session token.
  grpc::Status ReadClaim(const std::string& token, const std::string& name) {
    v1::GetClaimRequest request;
    request.set_name(name);
    v1::Claim claim;
    return server_.claims().GetClaim(WithToken(token).get(), request, &claim);
  }

  TestServer server_;
  std::unique_ptr<v1::SignInService::Stub> stub_;
};

TEST_F(SignInTest, CodeSignsTheParticipantInOnce) {
  auto code = Issue(t::kOfficerAsc, "participants/p-0001");
  ASSERT_TRUE(code.ok()) << code.status();
  EXPECT_EQ(code->code().size(), 9u);  // "K7QM-3XTP"

  v1::SignInSession session;
  // Typed in lower case with spaces: still the same code.
  std::string typed = code->code();
  for (char& c : typed) c = (c == '-') ? ' ' : absl::ascii_tolower(c);
  ASSERT_THAT(Redeem(typed, &session), IsOk());
  EXPECT_EQ(session.participant(), "participants/p-0001");
  EXPECT_THAT(session.roles(), ::testing::ElementsAre(v1::ROLE_PARTICIPANT));

  v1::SignInSession again;
  EXPECT_EQ(Redeem(code->code(), &again).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
}

TEST_F(SignInTest, SessionStandsForItsParticipantOnly) {
  ASSERT_THAT(server_.claims().SubmitClaim(
                  TestServer::As(t::kParticipant1).get(),
                  [] {
                    v1::SubmitClaimRequest r;
                    *r.mutable_claim() = t::BusFareClaim();
                    r.set_request_id("c1");
                    return r;
                  }(),
                  std::make_unique<v1::Claim>().get()),
              IsOk());
  auto code = Issue(t::kOfficerAsc, "participants/p-0002");
  ASSERT_TRUE(code.ok());
  v1::SignInSession session;
  ASSERT_THAT(Redeem(code->code(), &session), IsOk());
  // p-0002 may not see p-0001's claim.
  EXPECT_EQ(ReadClaim(session.token(), "claims/1").error_code(),
            grpc::StatusCode::PERMISSION_DENIED);

  v1::EndSignInSessionResponse ended;
  ASSERT_THAT(
      stub_->EndSignInSession(WithToken(session.token()).get(), {}, &ended),
      IsOk());
  EXPECT_EQ(ReadClaim(session.token(), "claims/1").error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
}

TEST_F(SignInTest, ExpiredCodeIsRefused) {
  auto code = Issue(t::kOfficerAsc, "participants/p-0001");
  ASSERT_TRUE(code.ok());
  server_.clock().Set(server_.clock().Now() + absl::Hours(169));
  v1::SignInSession session;
  EXPECT_EQ(Redeem(code->code(), &session).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
}

TEST_F(SignInTest, IdleSessionEnds) {
  auto code = Issue(t::kOfficerAsc, "participants/p-0001");
  ASSERT_TRUE(code.ok());
  v1::SignInSession session;
  ASSERT_THAT(Redeem(code->code(), &session), IsOk());
  EXPECT_NE(ReadClaim(session.token(), "claims/999").error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  server_.clock().Set(server_.clock().Now() + absl::Minutes(31));
  EXPECT_EQ(ReadClaim(session.token(), "claims/999").error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
}

TEST_F(SignInTest, WrongRolesMayNotIssueCodes) {
  EXPECT_THAT(Issue(t::kParticipant1, "participants/p-0001").status(),
              StatusIs(absl::StatusCode::kPermissionDenied));
  EXPECT_THAT(Issue(t::kFinance, "participants/p-0001").status(),
              StatusIs(absl::StatusCode::kPermissionDenied));
  // Officers issue codes for participants, not for staff.
  EXPECT_THAT(Issue(t::kOfficerAsc, "principals/finance").status(),
              StatusIs(absl::StatusCode::kPermissionDenied));
  EXPECT_THAT(Issue(t::kOfficerAsc, "participants/p-9999").status(),
              StatusIs(absl::StatusCode::kNotFound));
}

TEST_F(SignInTest, AdministratorSignsStaffInWithACode) {
  auto code = Issue(t::kAdministrator, "principals/finance");
  ASSERT_TRUE(code.ok()) << code.status();
  v1::SignInSession session;
  ASSERT_THAT(Redeem(code->code(), &session), IsOk());
  EXPECT_EQ(session.principal(), "principals/finance");
  EXPECT_THAT(session.roles(), ::testing::ElementsAre(v1::ROLE_FINANCE));
}

TEST_F(SignInTest, StaffTokenStartsASession) {
  v1::SignInSession session;
  ASSERT_THAT(stub_->CreateSignInSession(TestServer::As(t::kOfficerAsc).get(),
                                         {}, &session),
              IsOk());
  EXPECT_NE(ReadClaim(session.token(), "claims/999").error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(stub_
                ->CreateSignInSession(TestServer::As(t::kParticipant1).get(),
                                      {}, &session)
                .error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
}

}  // namespace
}  // namespace reciprocity
