// Transport security and limits: TLS, mutual TLS, loopback-only plaintext,
// principal reload, request size.
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/util/status_matchers.h"
#include "tests/util/test_server.h"

namespace reciprocity {
namespace {

using ::reciprocity::testing::IsOk;
using ::reciprocity::testing::StatusIs;
using ::reciprocity::testing::TempDir;
using ::reciprocity::testing::TestServer;
using ::testing::HasSubstr;
namespace t = ::reciprocity::testing;
namespace fs = std::filesystem;

std::string Read(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

// Certificates made for the test with the openssl command: a CA, a server
// certificate for 127.0.0.1, a client certificate it signed, and a client
// certificate from a different CA.
class Certificates {
 public:
  Certificates() {
    const std::string d = dir_.path().string();
    const std::string script =
        "set -e; cd '" + d +
        "'; key() { openssl ecparam -name prime256v1 -genkey -noout -out $1; };"
        "ca() { key $1.key; openssl req -x509 -new -key $1.key -out $1.pem "
        "-days 2 "
        "-subj \"/CN=$1\" 2>/dev/null; };"
        "leaf() { key $1.key; openssl req -new -key $1.key -out $1.csr -subj "
        "\"$3\" "
        "2>/dev/null; printf 'subjectAltName=IP:127.0.0.1,DNS:localhost' > "
        "ext; "
        "openssl x509 -req -in $1.csr -CA $2.pem -CAkey $2.key -CAcreateserial "
        "-out $1.pem -days 2 -extfile ext 2>/dev/null; };"
        "ca ca; ca other-ca; leaf server ca /CN=localhost;"
        "leaf client ca /O=Council/CN=officer-mtls; leaf stranger other-ca "
        "/O=Elsewhere/CN=stranger";
    ok_ = std::system(
              ("bash -c \"" + Escape(script) + "\" >/dev/null").c_str()) == 0;
  }
  bool ok() const { return ok_; }
  std::string path(const std::string& name) const {
    return (dir_.path() / name).string();
  }
  std::string pem(const std::string& name) const {
    return Read(dir_.path() / name);
  }

 private:
  static std::string Escape(const std::string& s) {
    std::string out;
    for (char c : s) {
      if (c == '"' || c == '$' || c == '\\') out += '\\';
      out += c;
    }
    return out;
  }
  TempDir dir_;
  bool ok_ = false;
};

std::shared_ptr<grpc::Channel> TlsChannel(const Certificates& certs,
                                          const std::string& address,
                                          const std::string& client = "") {
  grpc::SslCredentialsOptions ssl;
  ssl.pem_root_certs = certs.pem("ca.pem");
  if (!client.empty()) {
    ssl.pem_cert_chain = certs.pem(client + ".pem");
    ssl.pem_private_key = certs.pem(client + ".key");
  }
  return grpc::CreateChannel(address, grpc::SslCredentials(ssl));
}

grpc::Status ListClaims(const std::shared_ptr<grpc::Channel>& channel,
                        const std::string& principal) {
  auto stub = v1::ClaimService::NewStub(channel);
  auto context = TestServer::As(principal);
  context->set_deadline(std::chrono::system_clock::now() +
                        std::chrono::seconds(5));
  v1::ListClaimsResponse response;
  return stub->ListClaims(context.get(), v1::ListClaimsRequest(), &response);
}

class TransportTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { certs_ = new Certificates(); }
  static void TearDownTestSuite() { delete certs_; }
  void SetUp() override { ASSERT_TRUE(certs_->ok()) << "openssl failed"; }
  static Certificates* certs_;
};
Certificates* TransportTest::certs_ = nullptr;

TEST_F(TransportTest, TlsServesEncryptedCallsAndRefusesPlaintext) {
  TestServer server(absl::CivilDay(2026, 11, 20), [](ServerOptions& o) {
    o.tls_cert_file = certs_->path("server.pem");
    o.tls_key_file = certs_->path("server.key");
  });
  EXPECT_THAT(ListClaims(TlsChannel(*certs_, server.address()), t::kFinance),
              IsOk());
  auto plaintext =
      grpc::CreateChannel(server.address(), grpc::InsecureChannelCredentials());
  EXPECT_THAT(ListClaims(plaintext, t::kFinance),
              StatusIs(absl::StatusCode::kUnavailable));
}

TEST_F(TransportTest, MutualTlsNamesThePrincipalByItsCertificate) {
  TestServer server(absl::CivilDay(2026, 11, 20), [](ServerOptions& o) {
    o.tls_cert_file = certs_->path("server.pem");
    o.tls_key_file = certs_->path("server.key");
    o.tls_client_ca_file = certs_->path("ca.pem");
  });
  {
    std::ofstream out(server.principals_path(), std::ios::app);
    out << "principals { id: \"officer-mtls\" roles: ROLE_FINANCE "
           "service_areas: \"*\" "
           "certificate_subject: \"CN=officer-mtls,O=Council\" }\n";
  }
  ASSERT_THAT(server.server().ReloadConfiguration(), IsOk());

  // No token: the certificate names the caller.
  EXPECT_THAT(ListClaims(TlsChannel(*certs_, server.address(), "client"), ""),
              IsOk());
  // No client certificate, or one from another CA: the handshake fails.
  EXPECT_THAT(ListClaims(TlsChannel(*certs_, server.address()), t::kFinance),
              StatusIs(absl::StatusCode::kUnavailable));
  EXPECT_THAT(ListClaims(TlsChannel(*certs_, server.address(), "stranger"),
                         t::kFinance),
              StatusIs(absl::StatusCode::kUnavailable));
}

TEST(PlaintextTest, ListeningBeyondLoopbackWithoutTlsIsRefused) {
  try {
    TestServer server(absl::CivilDay(2026, 11, 20),
                      [](ServerOptions& o) { o.listen = "0.0.0.0:0"; });
    ADD_FAILURE() << "the server started on 0.0.0.0 without TLS";
  } catch (const std::runtime_error& e) {
    EXPECT_THAT(e.what(), HasSubstr("without TLS"));
  }
  TestServer allowed(absl::CivilDay(2026, 11, 20), [](ServerOptions& o) {
    o.listen = "0.0.0.0:0";
    o.allow_insecure_non_loopback = true;
  });
  EXPECT_THAT(ListClaims(allowed.channel(), t::kFinance), IsOk());
}

TEST(PlaintextTest, LoopbackAddressesAreRecognised) {
  EXPECT_TRUE(IsLoopbackAddress("127.0.0.1:50051"));
  EXPECT_TRUE(IsLoopbackAddress("localhost:50051"));
  EXPECT_TRUE(IsLoopbackAddress("[::1]:50051"));
  EXPECT_FALSE(IsLoopbackAddress("0.0.0.0:50051"));
  EXPECT_FALSE(IsLoopbackAddress("[::]:50051"));
  EXPECT_FALSE(IsLoopbackAddress("192.168.1.5:50051"));
}

TEST(PrincipalReloadTest, ARevokedTokenStopsWorkingAfterReload) {
  TestServer server;
  ASSERT_THAT(ListClaims(server.channel(), t::kFinance), IsOk());
  // Remove the finance principal from the file and reload.
  std::string content = Read(server.principals_path());
  const size_t at = content.find("id: \"finance\"");
  ASSERT_NE(at, std::string::npos);
  const size_t start = content.rfind("principals {", at);
  const size_t end = content.find("}\n", at) + 2;
  content.erase(start, end - start);
  std::ofstream(server.principals_path()) << content;
  ASSERT_THAT(server.server().ReloadConfiguration(), IsOk());
  EXPECT_THAT(ListClaims(server.channel(), t::kFinance),
              StatusIs(absl::StatusCode::kUnauthenticated));
  EXPECT_THAT(ListClaims(server.channel(), t::kAuditor), IsOk());
}

TEST(LimitsTest, OversizedRequestsAreRefusedBeforeAnyWork) {
  TestServer server;
  v1::SubmitClaimRequest request;
  *request.mutable_claim() = t::BusFareClaim();
  request.mutable_claim()->mutable_lines(0)->set_description(
      std::string(100'000, 'x'));
  request.set_request_id("big");
  v1::Claim claim;
  EXPECT_THAT(server.claims().SubmitClaim(
                  TestServer::As(t::kParticipant1).get(), request, &claim),
              StatusIs(absl::StatusCode::kResourceExhausted));
  // The server keeps serving.
  EXPECT_THAT(ListClaims(server.channel(), t::kFinance), IsOk());
}

}  // namespace
}  // namespace reciprocity
