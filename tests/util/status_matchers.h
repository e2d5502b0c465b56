// Matchers for absl::Status, absl::StatusOr and grpc::Status in tests.
#ifndef RECIPROCITY_TESTS_UTIL_STATUS_MATCHERS_H_
#define RECIPROCITY_TESTS_UTIL_STATUS_MATCHERS_H_

#include <grpcpp/support/status.h>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "gmock/gmock.h"

namespace reciprocity::testing {

inline absl::StatusCode CodeOf(const absl::Status& s) { return s.code(); }
template <typename T>
absl::StatusCode CodeOf(const absl::StatusOr<T>& s) {
  return s.status().code();
}
inline absl::StatusCode CodeOf(const grpc::Status& s) {
  return static_cast<absl::StatusCode>(s.error_code());
}
inline std::string MessageOf(const absl::Status& s) {
  return std::string(s.message());
}
template <typename T>
std::string MessageOf(const absl::StatusOr<T>& s) {
  return std::string(s.status().message());
}
inline std::string MessageOf(const grpc::Status& s) {
  return s.error_message();
}

MATCHER(IsOk, "is OK") {
  if (CodeOf(arg) == absl::StatusCode::kOk) return true;
  *result_listener << "status is " << absl::StatusCodeToString(CodeOf(arg))
                   << ": " << MessageOf(arg);
  return false;
}

MATCHER_P(StatusIs, code,
          "has code " +
              absl::StatusCodeToString(static_cast<absl::StatusCode>(code))) {
  if (CodeOf(arg) == static_cast<absl::StatusCode>(code)) return true;
  *result_listener << "status is " << absl::StatusCodeToString(CodeOf(arg))
                   << ": " << MessageOf(arg);
  return false;
}

MATCHER_P2(StatusIs, code, message_matcher,
           "has code " +
               absl::StatusCodeToString(static_cast<absl::StatusCode>(code))) {
  if (CodeOf(arg) != static_cast<absl::StatusCode>(code)) {
    *result_listener << "status is " << absl::StatusCodeToString(CodeOf(arg))
                     << ": " << MessageOf(arg);
    return false;
  }
  return ::testing::ExplainMatchResult(message_matcher, MessageOf(arg),
                                       result_listener);
}

}  // namespace reciprocity::testing

#endif  // RECIPROCITY_TESTS_UTIL_STATUS_MATCHERS_H_
