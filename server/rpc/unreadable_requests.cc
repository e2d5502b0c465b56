#include "server/rpc/unreadable_requests.h"

#include <google/protobuf/descriptor.h>
#include <google/protobuf/stubs/logging.h>

#include <algorithm>
#include <mutex>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "base/logging.h"

namespace reciprocity {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;

// The field the last failed UTF-8 check on this thread named. gRPC parses a
// request and runs the interceptors' POST_RECV_MESSAGE hook on the same
// thread, one straight after the other, so the hook reads what the parse
// reported.
thread_local std::string last_utf8_field;

google::protobuf::LogHandler* previous_log_handler = nullptr;

// protobuf 3.21 reports invalid UTF-8 only as a log line: "String field
// 'reciprocity.v1.Participant.display_name' contains invalid UTF-8 data when
// parsing a protocol buffer. ..." It names the field, never the data.
void NoteUtf8Errors(google::protobuf::LogLevel level, const char* filename,
                    int line, const std::string& message) {
  constexpr absl::string_view kPrefix = "String field '";
  if (absl::StartsWith(message, kPrefix) &&
      absl::StrContains(message, "invalid UTF-8 data when parsing")) {
    absl::string_view rest = absl::string_view(message).substr(kPrefix.size());
    last_utf8_field = std::string(rest.substr(0, rest.find('\'')));
    return;
  }
  if (previous_log_handler != nullptr) {
    previous_log_handler(level, filename, line, message);
  }
}

// The paths from `message` to the field named `full_name`, e.g.
// "claim.lines[].description"; repeated messages are marked "[]".
void FindPaths(const Descriptor* message, absl::string_view full_name,
               std::vector<std::string>& prefix,
               std::vector<const Descriptor*>& seen,
               std::vector<std::string>& found) {
  if (seen.size() > 8) return;
  for (const Descriptor* d : seen) {
    if (d == message) return;  // recursive types
  }
  seen.push_back(message);
  for (int i = 0; i < message->field_count(); ++i) {
    const FieldDescriptor* field = message->field(i);
    std::string step = field->name();
    if (field->full_name() == full_name) {
      prefix.push_back(step);
      found.push_back(absl::StrJoin(prefix, "."));
      prefix.pop_back();
    } else if (field->type() == FieldDescriptor::TYPE_MESSAGE) {
      if (field->is_repeated()) step += "[]";
      prefix.push_back(step);
      FindPaths(field->message_type(), full_name, prefix, seen, found);
      prefix.pop_back();
    }
  }
  seen.pop_back();
}

// The request type of "/package.Service/Method"; nullptr if unknown.
const Descriptor* RequestType(absl::string_view method) {
  std::string name(absl::StripPrefix(method, "/"));
  absl::StrReplaceAll({{"/", "."}}, &name);
  const auto* descriptor =
      google::protobuf::DescriptorPool::generated_pool()->FindMethodByName(
          name);
  return descriptor == nullptr ? nullptr : descriptor->input_type();
}

class UnreadableRequestInterceptor : public grpc::experimental::Interceptor {
 public:
  UnreadableRequestInterceptor(grpc::experimental::ServerRpcInfo* info,
                               Metrics* metrics)
      : method_(info->method()), metrics_(metrics), start_(absl::Now()) {}

  void Intercept(
      grpc::experimental::InterceptorBatchMethods* methods) override {
    using grpc::experimental::InterceptionHookPoints;
    if (methods->QueryInterceptionHookPoint(
            InterceptionHookPoints::POST_RECV_MESSAGE)) {
      unreadable_ = methods->GetRecvMessage() == nullptr;
      if (unreadable_) utf8_field_ = last_utf8_field;
      last_utf8_field.clear();
    }
    if (unreadable_ && methods->QueryInterceptionHookPoint(
                           InterceptionHookPoints::PRE_SEND_STATUS)) {
      // Only gRPC's own answer to the failed parse: INTERNAL with no message
      // (sync) or UNIMPLEMENTED (callback). A message missing for another
      // reason (the call was cancelled, or too big) keeps its answer.
      const grpc::Status sent = methods->GetSendStatus();
      if ((sent.error_code() == grpc::StatusCode::INTERNAL ||
           sent.error_code() == grpc::StatusCode::UNIMPLEMENTED) &&
          sent.error_message().empty()) {
        Refuse(methods);
      }
    }
    methods->Proceed();
  }

 private:
  void Refuse(grpc::experimental::InterceptorBatchMethods* methods) {
    const absl::Status status = UnreadableRequestStatus(method_, utf8_field_);
    methods->ModifySendStatus(grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                                           std::string(status.message())));
    const absl::Duration latency = absl::Now() - start_;
    if (metrics_ != nullptr) {
      metrics_->RecordRpc(method_, status.code(), latency);
    }
    // The caller is not known: the request was not read far enough to
    // authenticate it.
    LogWarn("rpc", {{"method", method_},
                    {"principal", "-"},
                    {"code", absl::StatusCodeToString(status.code())},
                    {"ms", absl::StrCat(absl::ToDoubleMilliseconds(latency))},
                    {"error", std::string(status.message())}});
  }

  const std::string method_;
  Metrics* const metrics_;
  const absl::Time start_;
  bool unreadable_ = false;
  std::string utf8_field_;
};

}  // namespace

absl::Status UnreadableRequestStatus(absl::string_view method,
                                     absl::string_view utf8_field) {
  const Descriptor* request = RequestType(method);
  const std::string type = request == nullptr ? "request" : request->name();
  if (utf8_field.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("the request could not be read as a ", type,
                     ": it is cut short or is not that message"));
  }
  std::vector<std::string> paths;
  if (request != nullptr) {
    std::vector<std::string> prefix;
    std::vector<const Descriptor*> seen;
    FindPaths(request, utf8_field, prefix, seen, paths);
  }
  // Where the field is reached more than one way, the most direct way is
  // the one a client sets: "claim.lines[].description", not the output-only
  // "claim.earlier_versions[].lines[].description".
  if (paths.size() > 1) {
    const auto depth = [](const std::string& path) {
      return std::count(path.begin(), path.end(), '.');
    };
    std::sort(paths.begin(), paths.end(),
              [&](const std::string& a, const std::string& b) {
                return depth(a) < depth(b);
              });
    if (depth(paths[0]) < depth(paths[1])) paths.resize(1);
  }
  // One path names the field as the request spells it; otherwise the
  // message and field, e.g. "Participant.display_name".
  std::string field = paths.size() == 1 ? paths[0] : std::string(utf8_field);
  if (paths.size() != 1) {
    const auto* descriptor =
        google::protobuf::DescriptorPool::generated_pool()->FindFieldByName(
            std::string(utf8_field));
    if (descriptor != nullptr) {
      field = absl::StrCat(descriptor->containing_type()->name(), ".",
                           descriptor->name());
    }
  }
  return absl::InvalidArgumentError(
      absl::StrCat(field, ": not valid UTF-8 text; send text as UTF-8"));
}

UnreadableRequestInterceptorFactory::UnreadableRequestInterceptorFactory(
    Metrics* metrics)
    : metrics_(metrics) {
  // protobuf's handler is one global, set once, at the first server's start
  // (before any of its threads run).
  static std::once_flag once;
  std::call_once(once, [] {
    previous_log_handler = google::protobuf::SetLogHandler(NoteUtf8Errors);
  });
}

grpc::experimental::Interceptor*
UnreadableRequestInterceptorFactory::CreateServerInterceptor(
    grpc::experimental::ServerRpcInfo* info) {
  return new UnreadableRequestInterceptor(info, metrics_);
}

}  // namespace reciprocity
