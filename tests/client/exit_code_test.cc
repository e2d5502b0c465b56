// Every gRPC status maps to the exit status the man page promises.
#include "client/exit_code.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace reciprocity::client {
namespace {

TEST(ExitCodeForTest, EachStatusCodeHasItsDocumentedExitStatus) {
  using grpc::StatusCode;
  const std::pair<StatusCode, int> cases[] = {
      {StatusCode::OK, 0},
      {StatusCode::CANCELLED, 1},
      {StatusCode::UNKNOWN, 1},
      {StatusCode::INVALID_ARGUMENT, 1},
      {StatusCode::DEADLINE_EXCEEDED, 1},
      {StatusCode::NOT_FOUND, 3},
      {StatusCode::ALREADY_EXISTS, 1},
      {StatusCode::PERMISSION_DENIED, 4},
      {StatusCode::RESOURCE_EXHAUSTED, 1},
      {StatusCode::FAILED_PRECONDITION, 1},
      {StatusCode::ABORTED, 1},
      {StatusCode::OUT_OF_RANGE, 1},
      {StatusCode::UNIMPLEMENTED, 1},
      {StatusCode::INTERNAL, 1},
      {StatusCode::UNAVAILABLE, 6},
      {StatusCode::DATA_LOSS, 1},
      {StatusCode::UNAUTHENTICATED, 5},
  };
  for (const auto& [code, exit_code] : cases) {
    EXPECT_EQ(ExitCodeFor(grpc::Status(code, "message")), exit_code)
        << "status code " << code;
  }
}

}  // namespace
}  // namespace reciprocity::client
