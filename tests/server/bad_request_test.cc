// An INVALID_ARGUMENT that names a field carries a google.rpc.BadRequest
// with that field (server/rpc/call_runner.cc ToGrpcStatus), over a real
// channel; other refusals carry no details.
#include "gmock/gmock.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "gtest/gtest.h"
#include "tests/util/status_matchers.h"
#include "tests/util/test_server.h"

namespace reciprocity {
namespace {

using ::reciprocity::testing::BusFareClaim;
using ::reciprocity::testing::StatusIs;
using ::reciprocity::testing::TestServer;
using ::testing::HasSubstr;
using ::testing::Not;
namespace t = ::reciprocity::testing;

// The field violations in a status's details; empty when it has none.
std::vector<google::rpc::BadRequest::FieldViolation> Violations(
    const grpc::Status& status) {
  std::vector<google::rpc::BadRequest::FieldViolation> out;
  google::rpc::Status details;
  if (!details.ParseFromString(status.error_details())) return out;
  for (const auto& any : details.details()) {
    google::rpc::BadRequest bad_request;
    if (any.UnpackTo(&bad_request)) {
      for (const auto& v : bad_request.field_violations()) out.push_back(v);
    }
  }
  return out;
}

class BadRequestTest : public ::testing::Test {
 protected:
  grpc::Status Submit(const v1::Claim& claim) {
    v1::SubmitClaimRequest request;
    *request.mutable_claim() = claim;
    request.set_request_id("r-bad-request");
    v1::Claim out;
    return server_.claims().SubmitClaim(TestServer::As(t::kOfficerAsc).get(),
                                        request, &out);
  }
  TestServer server_;
};

TEST_F(BadRequestTest, AFieldErrorNamesTheFieldInBadRequest) {
  v1::Claim claim = BusFareClaim();
  claim.mutable_lines(0)->set_amount_pence(-1);
  const grpc::Status status = Submit(claim);
  ASSERT_THAT(status, StatusIs(absl::StatusCode::kInvalidArgument,
                               HasSubstr("claim.lines[0].amount_pence")));
  const auto violations = Violations(status);
  ASSERT_EQ(violations.size(), 1u);
  EXPECT_EQ(violations[0].field(), "claim.lines[0].amount_pence");
  EXPECT_FALSE(violations[0].description().empty());
  EXPECT_THAT(violations[0].description(),
              Not(HasSubstr("claim.lines[0].amount_pence")));
  google::rpc::Status details;
  ASSERT_TRUE(details.ParseFromString(status.error_details()));
  EXPECT_EQ(details.code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(details.message(), status.error_message());
}

TEST_F(BadRequestTest, ANestedFieldWithoutIndexIsNamedToo) {
  v1::Claim claim = BusFareClaim();
  claim.set_session_date("2026-02-30");
  const auto violations = Violations(Submit(claim));
  ASSERT_EQ(violations.size(), 1u);
  EXPECT_EQ(violations[0].field(), "claim.session_date");
}

TEST_F(BadRequestTest, OtherRefusalsCarryNoDetails) {
  v1::GetClaimRequest request;
  request.set_name("claims/999");
  v1::Claim out;
  const grpc::Status status = server_.claims().GetClaim(
      TestServer::As(t::kOfficerAsc).get(), request, &out);
  // AIP-211: a claim the caller may not know about is refused, not missing.
  ASSERT_THAT(status, StatusIs(absl::StatusCode::kPermissionDenied));
  EXPECT_TRUE(status.error_details().empty());
  EXPECT_TRUE(Violations(status).empty());
}

}  // namespace
}  // namespace reciprocity
