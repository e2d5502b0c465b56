// Requests gRPC could not turn into messages: a string field holding bytes
// that are not UTF-8, or a message cut short. gRPC C++ 1.51 parses a request
// before any handler runs and, when parsing fails, answers by itself:
// INTERNAL with an empty message for the synchronous methods (RpcMethodHandler
// puts InitializationErrorString(), empty in proto3, in the status),
// UNIMPLEMENTED with an empty message for the callback method SubmitClaim
// (CallbackUnaryHandler's UnimplementedUnaryReactor), and nothing reaches our
// log. A server interceptor sees the failed parse (at POST_RECV_MESSAGE the
// received message is null) and at PRE_SEND_STATUS rewrites that answer to
// INVALID_ARGUMENT with a readable message, then counts and logs the call.
//
// What the library does not allow: the handler never runs, so the caller is
// not authenticated (the log says principal=-, and such bytes get
// INVALID_ARGUMENT even without a token); protobuf says which field was not
// UTF-8 only in a log message (caught by a log handler, below), and a message
// cut short names no field (the parser reports no position).
#ifndef RECIPROCITY_SERVER_RPC_UNREADABLE_REQUESTS_H_
#define RECIPROCITY_SERVER_RPC_UNREADABLE_REQUESTS_H_

#include <grpcpp/support/server_interceptor.h>

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "server/rpc/metrics.h"

namespace reciprocity {

// The answer to a request for `method` ("/reciprocity.v1.X/Y") that did not
// parse. `utf8_field` is the full name of the field protobuf found invalid
// UTF-8 in ("reciprocity.v1.Participant.display_name"), or empty. Names
// fields and types only, never what was sent.
absl::Status UnreadableRequestStatus(absl::string_view method,
                                     absl::string_view utf8_field);

class UnreadableRequestInterceptorFactory
    : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  // `metrics`, when not null, counts each refused call. Installs, once per
  // process, a protobuf log handler that notes which field failed UTF-8
  // validation (protobuf reports it only in a log message) and passes every
  // other message on to the previous handler.
  explicit UnreadableRequestInterceptorFactory(Metrics* metrics);

  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override;

 private:
  Metrics* const metrics_;
};

}  // namespace reciprocity

#endif  // RECIPROCITY_SERVER_RPC_UNREADABLE_REQUESTS_H_
