#include "tests/util/test_server.h"

#include <grpcpp/generic/generic_stub.h>
#include <stdlib.h>

#include <fstream>
#include <future>
#include <stdexcept>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "base/logging.h"
#include "server/rpc/auth.h"

namespace reciprocity::testing {
namespace {

namespace fs = std::filesystem;

struct Entry {
  const char* id;
  const char* role;
  const char* areas;
  const char* participant;
};

constexpr Entry kPrincipals[] = {
    {kParticipant1, "ROLE_PARTICIPANT", "", "participants/p-0001"},
    {kParticipant2, "ROLE_PARTICIPANT", "", "participants/p-0002"},
    {kOfficerAsc, "ROLE_OFFICER", "adult-social-care", ""},
    {kOfficerAsc2, "ROLE_OFFICER", "adult-social-care", ""},
    {kOfficerAsc3, "ROLE_OFFICER", "adult-social-care", ""},
    {kOfficerCf, "ROLE_OFFICER", "children-and-families", ""},
    {kOfficerSc, "ROLE_OFFICER", "strategy-and-commissioning", ""},
    {kFinance, "ROLE_FINANCE", "*", ""},
    {kAdministrator, "ROLE_ADMINISTRATOR", "*", ""},
    {kAuditor, "ROLE_AUDITOR", "*", ""},
    {kAuditorAsc, "ROLE_AUDITOR", "adult-social-care", ""},
    {kFinance2, "ROLE_FINANCE", "*", ""},
    {kFinanceOfficer, "ROLE_FINANCE\n  roles: ROLE_OFFICER",
     "adult-social-care", ""},
    {kCarer, "ROLE_PARTICIPANT", "", ""},
};

void WritePrincipals(const fs::path& path) {
  std::ofstream out(path);
  for (const Entry& e : kPrincipals) {
    out << "principals {\n  id: \"" << e.id << "\"\n  token_sha256: \""
        << Sha256Hex(absl::StrCat("token-", e.id)) << "\"\n  roles: " << e.role
        << "\n";
    if (*e.areas) out << "  service_areas: \"" << e.areas << "\"\n";
    if (*e.participant) out << "  participant: \"" << e.participant << "\"\n";
    out << "}\n";
  }
}

}  // namespace

TempDir::TempDir() {
  std::string pattern =
      (fs::temp_directory_path() / "recip-test-XXXXXX").string();
  if (mkdtemp(pattern.data()) == nullptr)
    throw std::runtime_error("mkdtemp failed");
  path_ = pattern;
}

TempDir::~TempDir() {
  std::error_code ignored;
  fs::remove_all(path_, ignored);
}

TestServer::TestServer(absl::CivilDay today) : TestServer(today, nullptr) {}

TestServer::TestServer(absl::CivilDay today,
                       const std::function<void(ServerOptions&)>& configure)
    : clock_(absl::FromCivil(
          absl::CivilSecond(today.year(), today.month(), today.day(), 12, 0, 0),
          LondonTimeZone())) {
  InitLogging("warn");
  fs::copy(RECIP_POLICY_AREAS_DIR, rules_dir(), fs::copy_options::recursive);
  WritePrincipals(dir_.path() / "principals.textproto");
  options_.listen = "127.0.0.1:0";
  options_.db_path = db_path().string();
  options_.rules_dir = rules_dir().string();
  options_.principals_path = principals_path().string();
  fs::create_directories(backup_dir());
  options_.backup_dir = backup_dir().string();
  options_.metrics_listen = "127.0.0.1:0";
  if (configure) configure(options_);
  Start();
  for (const char* id : {"p-0001", "p-0002"}) {
    grpc::Status s = RegisterParticipant(id);
    if (!s.ok()) throw std::runtime_error(s.error_message());
  }
}

grpc::Status TestServer::RegisterParticipant(const std::string& id) {
  // In process, so that this works whatever the transport (TLS or not).
  auto in_process = v1::ProgrammeService::NewStub(server_->InProcessChannel());
  v1::CreateParticipantRequest request;
  request.set_participant_id(id);
  request.set_request_id(absl::StrCat("register-", id));
  request.mutable_participant()->set_participant_type(
      v1::PARTICIPANT_TYPE_RESIDENT);
  request.mutable_participant()->set_payment_preference(
      v1::PAYMENT_METHOD_BANK_TRANSFER);
  request.mutable_participant()->set_display_name(id);
  v1::Participant out;
  return in_process->CreateParticipant(As(kOfficerAsc).get(), request, &out);
}

TestServer::~TestServer() {
  claims_.reset();
  policies_.reset();
  programme_.reset();
  channel_.reset();
  server_.reset();
}

void TestServer::Start() {
  auto server = ReciprocityServer::Start(options_, clock_);
  if (!server.ok()) {
    throw std::runtime_error(std::string(server.status().message()));
  }
  server_ = *std::move(server);
  channel_ = grpc::CreateChannel(address(), grpc::InsecureChannelCredentials());
  claims_ = v1::ClaimService::NewStub(channel_);
  policies_ = v1::PolicyService::NewStub(channel_);
  programme_ = v1::ProgrammeService::NewStub(channel_);
}

void TestServer::Restart() {
  claims_.reset();
  policies_.reset();
  programme_.reset();
  channel_.reset();
  server_->Shutdown(absl::Seconds(5));
  server_.reset();
  Start();
}

std::string TestServer::address() const {
  return absl::StrCat("127.0.0.1:", server_->port());
}

std::string TestServer::metrics_address() const {
  return absl::StrCat("127.0.0.1:", server_->metrics_port());
}

std::unique_ptr<grpc::ClientContext> TestServer::As(
    const std::string& principal_id) {
  auto context = std::make_unique<grpc::ClientContext>();
  if (!principal_id.empty()) {
    context->AddMetadata("authorization",
                         absl::StrCat("Bearer token-", principal_id));
  }
  context->set_deadline(std::chrono::system_clock::now() +
                        std::chrono::seconds(30));
  return context;
}

grpc::Status CallWithBytes(const std::shared_ptr<grpc::Channel>& channel,
                           const std::string& method, const std::string& bytes,
                           const std::string& principal) {
  grpc::GenericStub stub(channel);
  auto context = TestServer::As(principal);
  grpc::Slice slice(bytes);
  grpc::ByteBuffer request(&slice, 1), response;
  std::promise<grpc::Status> done;
  stub.UnaryCall(context.get(), method, grpc::StubOptions(), &request,
                 &response,
                 [&](grpc::Status s) { done.set_value(std::move(s)); });
  return done.get_future().get();
}

v1::Claim BusFareClaim(const std::string& participant,
                       const std::string& date) {
  v1::Claim claim;
  claim.set_participant(participant);
  claim.set_project("serviceAreas/adult-social-care/projects/ld-user-voice");
  claim.set_session_date(date);
  v1::ClaimLine* line = claim.add_lines();
  line->set_category(v1::EXPENSE_CATEGORY_PUBLIC_TRANSPORT);
  line->set_amount_pence(320);
  line->set_description("Bus there and back");
  return claim;
}

}  // namespace reciprocity::testing
