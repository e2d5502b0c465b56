// Guessing sign-in codes over a real server: after too many wrong codes from
// one source every code is refused for a while with a plain message, while
// other sources still sign in; the limit lifts when the window has passed; a
// front end named as a sign-in proxy has its wrong codes counted per browser,
// and a peer that is not one cannot dodge the limit by naming addresses.
#include <functional>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "reciprocity/v1/sign_in.grpc.pb.h"
#include "tests/util/status_matchers.h"
#include "tests/util/test_server.h"

namespace reciprocity {
namespace {

namespace t = ::reciprocity::testing;
using ::reciprocity::testing::IsOk;
using ::reciprocity::testing::TestServer;

constexpr char kWait[] =
    "Too many wrong codes. Wait 15 minutes and try again, or ask your "
    "officer.";

class SignInThrottleTest : public ::testing::Test {
 protected:
  explicit SignInThrottleTest(std::vector<std::string> proxies = {"127.0.0.1"})
      : server_(absl::CivilDay(2026, 11, 20),
                [&proxies](ServerOptions& options) {
                  options.sign_in_proxies = proxies;
                  options.sign_in_throttle.max_failures_per_source = 3;
                  options.sign_in_throttle.max_failures_overall = 5;
                }),
        stub_(v1::SignInService::NewStub(server_.channel())) {}

  std::string Issue(const std::string& principal) {
    v1::IssueSignInCodeRequest request;
    request.set_principal(principal);
    v1::SignInCode code;
    EXPECT_THAT(stub_->IssueSignInCode(TestServer::As(t::kOfficerAsc).get(),
                                       request, &code),
                IsOk());
    return code.code();
  }

  // Redeems `code` as the browser at `client` (empty: named by nobody).
  grpc::Status Redeem(const std::string& code, const std::string& client) {
    v1::RedeemSignInCodeRequest request;
    request.set_code(code);
    grpc::ClientContext context;
    if (!client.empty()) context.AddMetadata("x-forwarded-for", client);
    v1::SignInSession session;
    return stub_->RedeemSignInCode(&context, request, &session);
  }

  // `n` wrong codes, the i-th from the browser at `client(i)`.
  void TryWrongCodes(int n, const std::function<std::string(int)>& client) {
    for (int i = 0; i < n; ++i) {
      EXPECT_EQ(Redeem("AAAA-AAAA", client(i)).error_code(),
                grpc::StatusCode::UNAUTHENTICATED);
    }
  }
  static std::string Numbered(int i) { return absl::StrCat("203.0.113.", i); }

  TestServer server_;
  std::unique_ptr<v1::SignInService::Stub> stub_;
};

TEST_F(SignInThrottleTest, TooManyWrongCodesRefuseEvenTheRightOne) {
  const std::string code = Issue("participants/p-0001");
  TryWrongCodes(3, [](int) { return "203.0.113.7"; });
  grpc::Status refused = Redeem(code, "203.0.113.7");
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_EQ(refused.error_message(), kWait);

  // Someone else, at another address, still signs in.
  EXPECT_THAT(Redeem(Issue("participants/p-0002"), "198.51.100.2"), IsOk());

  // The wrong codes stop counting after 15 minutes.
  server_.clock().Set(server_.clock().Now() + absl::Minutes(14));
  EXPECT_EQ(Redeem(code, "203.0.113.7").error_code(),
            grpc::StatusCode::RESOURCE_EXHAUSTED);
  server_.clock().Set(server_.clock().Now() + absl::Minutes(1));
  EXPECT_THAT(Redeem(code, "203.0.113.7"), IsOk());
}

TEST_F(SignInThrottleTest, WrongCodesFromEveryoneTogetherAreLimited) {
  const std::string code = Issue("participants/p-0001");
  TryWrongCodes(5, Numbered);
  EXPECT_EQ(Redeem(code, "198.51.100.2").error_code(),
            grpc::StatusCode::RESOURCE_EXHAUSTED);
  server_.clock().Set(server_.clock().Now() + absl::Minutes(15));
  EXPECT_THAT(Redeem(code, "198.51.100.2"), IsOk());
}

class UntrustedPeerThrottleTest : public SignInThrottleTest {
 protected:
  UntrustedPeerThrottleTest() : SignInThrottleTest({}) {}
};

TEST_F(UntrustedPeerThrottleTest, NamingOtherAddressesDoesNotHelp) {
  const std::string code = Issue("participants/p-0001");
  TryWrongCodes(3, Numbered);
  EXPECT_EQ(Redeem(code, "198.51.100.2").error_code(),
            grpc::StatusCode::RESOURCE_EXHAUSTED);
}

}  // namespace
}  // namespace reciprocity
