// Idempotent mutations (AIP-155): a request id remembered with the answer it
// got, inside the same transaction as the change itself.
#ifndef RECIPROCITY_SERVER_DOMAIN_IDEMPOTENCY_H_
#define RECIPROCITY_SERVER_DOMAIN_IDEMPOTENCY_H_

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/message.h"
#include "server/domain/audit.h"
#include "server/domain/principal.h"
#include "server/store/store.h"

namespace reciprocity {

// INVALID_ARGUMENT unless `request_id` is 1-128 printable ASCII characters.
absl::Status ValidateRequestId(absl::string_view field, absl::string_view id);

// Hash identifying "this caller asked this method for this".
std::string RequestHash(absl::string_view method, const Principal& principal,
                        const google::protobuf::Message& request);

// The resource name a response carries in its `name` field, if any: what an
// audit event says was changed.
std::string RecordNameOf(const google::protobuf::Message& response);

namespace internal {

// One idempotent mutation: its transaction and what that produced.
template <typename Response>
struct IdempotentCall {
  std::string hash;
  std::string principal_id;
  std::string method;
  std::string request_id;
  int64_t now_micros = 0;
  std::function<absl::StatusOr<Response>(store::WriteTransaction&)> work;
  Response response;
  std::optional<store::AuditRow> audited;

  absl::Status Run(store::WriteTransaction& tx) {
    auto prior = tx.FindRequest(request_id);
    if (!prior.ok()) return prior.status();
    if (prior->has_value()) {
      if ((*prior)->request_hash != hash) {
        return absl::AlreadyExistsError(absl::StrCat(
            "request_id: '", request_id,
            "' was already used for a different request; use a new id"));
      }
      if (!response.ParseFromString((*prior)->response)) {
        return absl::InternalError("stored response is unreadable");
      }
      return absl::OkStatus();
    }
    auto result = work(tx);
    if (!result.ok()) return result.status();
    response = *std::move(result);
    auto event =
        AppendAudit(tx, AuditEntry{principal_id, method, RecordNameOf(response),
                                   request_id, now_micros});
    if (!event.ok()) return event.status();
    audited = *std::move(event);
    store::RequestRow row;
    row.request_id = request_id;
    row.principal_id = principal_id;
    row.method = method;
    row.request_hash = hash;
    row.response = response.SerializeAsString();
    row.create_time_micros = now_micros;
    return tx.SaveRequest(row);
  }

  // Once the transaction has committed (or failed).
  absl::StatusOr<Response> Finish(const absl::Status& committed) {
    if (!committed.ok()) return committed;
    if (audited.has_value()) LogAuditHead(*audited);
    return std::move(response);
  }
};

template <typename Response>
std::shared_ptr<IdempotentCall<Response>> NewIdempotentCall(
    const Principal& principal, absl::string_view method,
    const google::protobuf::Message& request, const std::string& request_id,
    int64_t now_micros,
    std::function<absl::StatusOr<Response>(store::WriteTransaction&)> work) {
  auto call = std::make_shared<IdempotentCall<Response>>();
  call->hash = RequestHash(method, principal, request);
  call->principal_id = principal.id;
  call->method = std::string(method);
  call->request_id = request_id;
  call->now_micros = now_micros;
  call->work = std::move(work);
  return call;
}

}  // namespace internal

// Runs `work` in one write transaction, unless `request_id` was seen before:
// then the first answer is returned if the request is the same, and
// ALREADY_EXISTS if it differs. Concurrent retries of one request serialise
// on the write transaction, so exactly one of them does the work. The work
// is recorded in the audit log in the same transaction.
template <typename Response>
absl::StatusOr<Response> RunIdempotent(
    store::Store& store, const Principal& principal, absl::string_view method,
    const google::protobuf::Message& request, const std::string& request_id,
    int64_t now_micros,
    const std::function<absl::StatusOr<Response>(store::WriteTransaction&)>&
        work) {
  auto call = internal::NewIdempotentCall<Response>(
      principal, method, request, request_id, now_micros, work);
  return call->Finish(
      store.Write([&](store::WriteTransaction& tx) { return call->Run(tx); }));
}

// RunIdempotent without waiting for the commit (Store::WriteAsync): `done`
// gets the answer once the commit is durable, on a thread of the store's.
// `work` runs on the store's writer thread, so what it refers to must live
// until `done` is called.
template <typename Response>
void RunIdempotentAsync(
    store::Store& store, const Principal& principal, absl::string_view method,
    const google::protobuf::Message& request, const std::string& request_id,
    int64_t now_micros,
    std::function<absl::StatusOr<Response>(store::WriteTransaction&)> work,
    std::function<void(absl::StatusOr<Response>)> done) {
  auto call = internal::NewIdempotentCall<Response>(
      principal, method, request, request_id, now_micros, std::move(work));
  store.WriteAsync(
      [call](store::WriteTransaction& tx) { return call->Run(tx); },
      [call, done = std::move(done)](absl::Status committed) {
        done(call->Finish(committed));
      });
}

}  // namespace reciprocity

#endif  // RECIPROCITY_SERVER_DOMAIN_IDEMPOTENCY_H_
