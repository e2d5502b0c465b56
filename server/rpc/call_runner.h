// Every gRPC handler runs through here: CallRunner authenticates the caller,
// checks the method against the access table, runs one domain call, counts
// and logs it; ToGrpcStatus turns its absl::Status into the gRPC answer.
// RECIP_HANDLE and Assign keep each handler to one line.
#ifndef RECIPROCITY_SERVER_RPC_CALL_RUNNER_H_
#define RECIPROCITY_SERVER_RPC_CALL_RUNNER_H_

#include <grpcpp/grpcpp.h>

#include <functional>
#include <optional>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "server/domain/principal.h"
#include "server/domain/sign_in_service.h"
#include "server/rpc/auth.h"
#include "server/rpc/metrics.h"

namespace reciprocity {

// absl and gRPC share their codes; this keeps the message too. An
// INVALID_ARGUMENT whose message starts with a field path ("claim.lines[0]
// .amount_pence: ...") also carries a google.rpc.BadRequest naming it, in
// the status details (grpc-status-details-bin).
grpc::Status ToGrpcStatus(const absl::Status& status);

// Authenticates each call and runs it, logging one line per call.
class CallRunner {
 public:
  // `metrics`, when not null, counts every call and its latency.
  explicit CallRunner(const PrincipalDirectory& principals,
                      Metrics* metrics = nullptr)
      : principals_(principals), metrics_(metrics) {}

  // Session tokens (SignInService::IsSessionToken) are checked here; without
  // it they are refused like any unknown token.
  void SetSessions(const SignInService* sessions) { sessions_ = sessions; }

  // Authenticates the caller from the "authorization" metadata, authorizes
  // `method`, runs `fn` and logs the outcome.
  grpc::Status Run(
      grpc::ServerContext* context, absl::string_view method,
      absl::string_view request_id,
      const std::function<absl::Status(const Principal&)>& fn) const;

  // Run for the callback API, for work that finishes later (a write waiting
  // for its group commit) without holding a thread: `start` gets the caller
  // and a `finish` to call exactly once with the outcome, from any thread.
  using Finish = std::function<void(absl::Status)>;
  grpc::ServerUnaryReactor* RunAsync(
      grpc::CallbackServerContext* context, absl::string_view method,
      absl::string_view request_id,
      const std::function<void(const Principal&, Finish)>& start) const;

 private:
  // The caller, allowed to call `method`.
  absl::StatusOr<Principal> Admit(grpc::ServerContextBase* context,
                                  absl::string_view method) const;
  absl::StatusOr<Principal> Authenticate(
      grpc::ServerContextBase* context) const;
  // Counts and logs one finished call.
  // `principal_id` is empty when the caller did not authenticate.
  void Record(absl::string_view method,
              const std::optional<std::string>& principal_id,
              absl::string_view request_id, const absl::Status& status,
              absl::Duration latency) const;
  const PrincipalDirectory& principals_;
  Metrics* const metrics_;
  const SignInService* sessions_ = nullptr;
};

// Stores a domain result into the gRPC response.
template <typename T>
absl::Status Assign(absl::StatusOr<T> result, T* out) {
  if (!result.ok()) return result.status();
  *out = *std::move(result);
  return absl::OkStatus();
}

}  // namespace reciprocity

// The body of a unary handler in a class with a `runner_` member:
//   return RECIP_HANDLE(kClaims, GetClaim, "", Assign(claims_.Get(caller,
//   *request), response));
// `call` sees the authenticated `caller` and returns an absl::Status.
#define RECIP_HANDLE(service_prefix, Method, request_id, call)            \
  runner_.Run(context, absl::StrCat(service_prefix, #Method), request_id, \
              [&](const ::reciprocity::Principal& caller) { return call; })

#endif  // RECIPROCITY_SERVER_RPC_CALL_RUNNER_H_
