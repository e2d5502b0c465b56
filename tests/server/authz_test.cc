// Every RPC the API declares, against every role: the access table must name
// each RPC, and a role it does not list is refused with PERMISSION_DENIED
// before anything else happens.
#include <grpcpp/generic/generic_stub.h>

#include <filesystem>
#include <future>

#include "gmock/gmock.h"
#include "google/protobuf/descriptor.h"
#include "gtest/gtest.h"
#include "server/access.h"
#include "tests/util/status_matchers.h"
#include "tests/util/test_server.h"

namespace reciprocity {
namespace {

using ::reciprocity::testing::TestServer;
namespace t = ::reciprocity::testing;

struct RoleCase {
  v1::Role role;
  const char* principal;
};

constexpr RoleCase kRoles[] = {
    {v1::ROLE_PARTICIPANT, t::kParticipant1},
    {v1::ROLE_OFFICER, t::kOfficerAsc},
    {v1::ROLE_FINANCE, t::kFinance},
    {v1::ROLE_ADMINISTRATOR, t::kAdministrator},
    {v1::ROLE_AUDITOR, t::kAuditor},
};

// Full method names of every RPC in every reciprocity.v1 service, read from
// the descriptors of each .proto file in proto/reciprocity/v1.
std::vector<std::string> AllMethods() {
  std::vector<std::string> methods;
  const auto* pool = google::protobuf::DescriptorPool::generated_pool();
  for (const auto& entry :
       std::filesystem::directory_iterator(RECIP_PROTO_DIR)) {
    if (entry.path().extension() != ".proto") continue;
    const std::string file =
        "reciprocity/v1/" + entry.path().filename().string();
    const auto* descriptor = pool->FindFileByName(file);
    EXPECT_NE(descriptor, nullptr) << file << " is not linked into the test";
    if (descriptor == nullptr) continue;
    for (int s = 0; s < descriptor->service_count(); ++s) {
      const auto* service = descriptor->service(s);
      for (int m = 0; m < service->method_count(); ++m) {
        methods.push_back("/" + service->full_name() + "/" +
                          service->method(m)->name());
      }
    }
  }
  return methods;
}

grpc::Status CallWithEmptyRequest(grpc::GenericStub& stub,
                                  const std::string& method,
                                  const std::string& principal) {
  auto context = TestServer::As(principal);
  grpc::Slice empty("");
  grpc::ByteBuffer request(&empty, 1), response;
  std::promise<grpc::Status> done;
  stub.UnaryCall(context.get(), method, grpc::StubOptions(), &request,
                 &response,
                 [&](grpc::Status s) { done.set_value(std::move(s)); });
  return done.get_future().get();
}

TEST(AuthorizationTest, EveryRpcIsInTheAccessTable) {
  std::vector<std::string> methods = AllMethods();
  ASSERT_GT(methods.size(), 5u);
  for (const auto& method : methods) {
    EXPECT_FALSE(RolesFor(method).empty())
        << method
        << " is missing from the RPC x role table in server/access.cc";
  }
}

TEST(AuthorizationTest, RolesNotInTheTableAreRefusedForEveryRpc) {
  TestServer server;
  grpc::GenericStub stub(server.channel());
  for (const auto& method : AllMethods()) {
    const std::vector<v1::Role> allowed = RolesFor(method);
    for (const RoleCase& role : kRoles) {
      grpc::Status status = CallWithEmptyRequest(stub, method, role.principal);
      const bool in_table =
          std::find(allowed.begin(), allowed.end(), role.role) != allowed.end();
      if (!in_table) {
        EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED)
            << method << " as " << v1::Role_Name(role.role) << ": "
            << status.error_message();
      } else {
        // Allowed roles get past the table: an empty request is then judged
        // on its content, never refused for the role itself.
        EXPECT_NE(status.error_code(), grpc::StatusCode::UNIMPLEMENTED)
            << method;
        EXPECT_NE(status.error_code(), grpc::StatusCode::INTERNAL)
            << method << " as " << v1::Role_Name(role.role) << ": "
            << status.error_message();
      }
      EXPECT_EQ(CallWithEmptyRequest(stub, method, "").error_code(),
                grpc::StatusCode::UNAUTHENTICATED)
          << method;
    }
  }
}

}  // namespace
}  // namespace reciprocity
