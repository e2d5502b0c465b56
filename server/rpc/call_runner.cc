#include "server/rpc/call_runner.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "base/logging.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "server/domain/access.h"
#include "server/domain/idempotency.h"

namespace reciprocity {

namespace {

// Whether `text` is a path to a request field: names of lower-case
// letters, digits and '_', joined by '.', each perhaps indexed ("[2]"), e.g.
// "claim.lines[0].amount_pence".
bool IsFieldPath(absl::string_view text) {
  bool at_name_start = true;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (at_name_start) {
      if (!absl::ascii_islower(static_cast<unsigned char>(c)) && c != '_') {
        return false;
      }
      at_name_start = false;
    } else if (c == '.') {
      at_name_start = true;
    } else if (c == '[') {
      const size_t close = text.find(']', i);
      if (close == absl::string_view::npos || close == i + 1) return false;
      for (size_t j = i + 1; j < close; ++j) {
        if (!absl::ascii_isdigit(static_cast<unsigned char>(text[j]))) {
          return false;
        }
      }
      i = close;
      if (i + 1 < text.size() && text[i + 1] != '.' && text[i + 1] != '[') {
        return false;
      }
    } else if (!absl::ascii_islower(static_cast<unsigned char>(c)) &&
               !absl::ascii_isdigit(static_cast<unsigned char>(c)) &&
               c != '_') {
      return false;
    }
  }
  return !text.empty() && !at_name_start;
}

}  // namespace

grpc::Status ToGrpcStatus(const absl::Status& status) {
  if (status.ok()) return grpc::Status::OK;
  const auto code = static_cast<grpc::StatusCode>(status.code());
  std::string message(status.message());
  // The domain names the field it refuses first ("field: why"); here that
  // becomes a google.rpc.BadRequest too, for programs that read the field
  // rather than the words.
  const size_t colon = message.find(": ");
  if (status.code() == absl::StatusCode::kInvalidArgument &&
      colon != std::string::npos &&
      IsFieldPath(absl::string_view(message).substr(0, colon))) {
    google::rpc::BadRequest bad_request;
    google::rpc::BadRequest::FieldViolation* violation =
        bad_request.add_field_violations();
    violation->set_field(message.substr(0, colon));
    violation->set_description(message.substr(colon + 2));
    google::rpc::Status details;
    details.set_code(static_cast<int32_t>(code));
    details.set_message(message);
    details.add_details()->PackFrom(bad_request);
    return grpc::Status(code, message, details.SerializeAsString());
  }
  return grpc::Status(code, message);
}

absl::StatusOr<Principal> CallRunner::Authenticate(
    grpc::ServerContextBase* context) const {
  const auto& metadata = context->client_metadata();
  auto it = metadata.find("authorization");
  if (it != metadata.end()) {
    auto token =
        BearerToken(absl::string_view(it->second.data(), it->second.size()));
    if (!token.ok()) return token.status();
    if (sessions_ != nullptr && SignInService::IsSessionToken(*token)) {
      return sessions_->Authenticate(*token);
    }
    return principals_.FindByToken(*token);
  }
  // Under mutual TLS the verified client certificate can name the caller.
  const auto auth = context->auth_context();
  if (auth != nullptr && auth->IsPeerAuthenticated()) {
    for (const auto& subject : auth->FindPropertyValues("x509_subject")) {
      return principals_.FindByCertificateSubject(
          absl::string_view(subject.data(), subject.size()));
    }
  }
  return absl::UnauthenticatedError(
      "no credentials: send 'authorization: Bearer <token>' (recip --token "
      "or RECIP_TOKEN)");
}

absl::StatusOr<Principal> CallRunner::Admit(grpc::ServerContextBase* context,
                                            absl::string_view method) const {
  auto principal = Authenticate(context);
  if (!principal.ok()) return principal.status();
  if (absl::Status s = AuthorizeMethod(*principal, method); !s.ok()) return s;
  if (context->IsCancelled()) {
    return absl::CancelledError("the caller gave up before the call ran");
  }
  return principal;
}

grpc::Status CallRunner::Run(
    grpc::ServerContext* context, absl::string_view method,
    absl::string_view request_id,
    const std::function<absl::Status(const Principal&)>& fn) const {
  const absl::Time start = absl::Now();
  std::optional<std::string> principal_id;
  absl::Status status = [&]() -> absl::Status {
    auto principal = Admit(context, method);
    if (!principal.ok()) return principal.status();
    principal_id = principal->id;
    return fn(*principal);
  }();
  Record(method, principal_id, request_id, status, absl::Now() - start);
  return ToGrpcStatus(status);
}

grpc::ServerUnaryReactor* CallRunner::RunAsync(
    grpc::CallbackServerContext* context, absl::string_view method,
    absl::string_view request_id,
    const std::function<void(const Principal&, Finish)>& start) const {
  const absl::Time start_time = absl::Now();
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  auto principal = Admit(context, method);
  Finish finish = [this, reactor, start_time, method = std::string(method),
                   principal_id = principal.ok() ? std::optional<std::string>(
                                                       principal->id)
                                                 : std::nullopt,
                   request_id = std::string(request_id)](absl::Status status) {
    Record(method, principal_id, request_id, status, absl::Now() - start_time);
    reactor->Finish(ToGrpcStatus(status));
  };
  if (!principal.ok()) {
    finish(principal.status());
  } else {
    start(*principal, std::move(finish));
  }
  return reactor;
}

void CallRunner::Record(absl::string_view method,
                        const std::optional<std::string>& principal_id,
                        absl::string_view request_id,
                        const absl::Status& status,
                        absl::Duration latency) const {
  if (metrics_ != nullptr) metrics_->RecordRpc(method, status.code(), latency);
  LogFields fields = {
      {"method", std::string(method)},
      {"principal", principal_id.value_or("-")},
      {"code", absl::StatusCodeToString(status.code())},
      {"ms", absl::StrCat(absl::ToDoubleMilliseconds(latency))},
  };
  if (!request_id.empty()) {
    // As sent only from a caller who authenticated, and only an id the
    // service accepts (short, printable, no spaces); otherwise a hash, to
    // match a report against, so that no text a caller without credentials
    // chose, nor any text of any length, reaches the log.
    if (principal_id.has_value() &&
        ValidateRequestId("request_id", request_id).ok()) {
      fields.emplace_back("request_id", std::string(request_id));
    } else {
      fields.emplace_back("request_id_sha256",
                          Sha256Hex(request_id).substr(0, 16));
    }
  }
  if (status.code() == absl::StatusCode::kInternal ||
      status.code() == absl::StatusCode::kUnknown) {
    // Internal messages come from our own code and storage, never from
    // request fields, so they carry no personal data.
    fields.emplace_back("error", std::string(status.message()));
    LogError("rpc", fields);
  } else {
    LogInfo("rpc", fields);
  }
}

}  // namespace reciprocity
