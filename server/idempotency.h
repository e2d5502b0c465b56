// Idempotent mutations (AIP-155): a request id remembered with the answer it
// got, inside the same transaction as the change itself.
#ifndef RECIPROCITY_SERVER_IDEMPOTENCY_H_
#define RECIPROCITY_SERVER_IDEMPOTENCY_H_

#include <functional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/message.h"
#include "server/audit.h"
#include "server/auth.h"
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
  const std::string hash = RequestHash(method, principal, request);
  Response response;
  std::optional<store::AuditRow> audited;
  absl::Status s =
      store.Write([&](store::WriteTransaction& tx) -> absl::Status {
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
        auto event = AppendAudit(
            tx, AuditEntry{principal.id, std::string(method),
                           RecordNameOf(response), request_id, now_micros});
        if (!event.ok()) return event.status();
        audited = *std::move(event);
        store::RequestRow row;
        row.request_id = request_id;
        row.principal_id = principal.id;
        row.method = std::string(method);
        row.request_hash = hash;
        row.response = response.SerializeAsString();
        row.create_time_micros = now_micros;
        return tx.SaveRequest(row);
      });
  if (!s.ok()) return s;
  if (audited.has_value()) LogAuditHead(*audited);
  return response;
}

}  // namespace reciprocity

#endif  // RECIPROCITY_SERVER_IDEMPOTENCY_H_
