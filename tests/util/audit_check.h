// Checks, as the auditor, that the audit log verifies: the chain holds and
// every record the service wrote is as the last event that wrote it says.
#ifndef RECIPROCITY_TESTS_UTIL_AUDIT_CHECK_H_
#define RECIPROCITY_TESTS_UTIL_AUDIT_CHECK_H_

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "reciprocity/v1/audit.grpc.pb.h"
#include "tests/util/status_matchers.h"
#include "tests/util/test_server.h"

namespace reciprocity::testing {

inline void ExpectAuditLogIntact(TestServer& server) {
  auto audit = v1::AuditService::NewStub(server.channel());
  v1::VerifyAuditLogResponse response;
  ASSERT_THAT(
      audit->VerifyAuditLog(TestServer::As(kAuditor).get(), {}, &response),
      IsOk());
  EXPECT_TRUE(response.intact()) << response.problem();
  EXPECT_THAT(response.changed_records(), ::testing::IsEmpty());
  EXPECT_GT(response.records_checked(), 0);
  EXPECT_EQ(response.records_unchecked(), 0);
}

}  // namespace reciprocity::testing

#endif  // RECIPROCITY_TESTS_UTIL_AUDIT_CHECK_H_
