// One RPC from a command: connect, call with retries, then print the answer
// as JSON (--json) or as text, and set the exit code.
#ifndef RECIPROCITY_CLIENT_CALL_H_
#define RECIPROCITY_CLIENT_CALL_H_

#include <functional>
#include <iostream>
#include <memory>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "client/commands.h"
#include "client/connection.h"
#include "client/exit_code.h"
#include "client/output.h"

namespace reciprocity::client {

// Whether a call is tried again while the server is UNAVAILABLE. Every
// mutation carries a request id, so retrying it is safe; kNever is for a
// call whose repeat would do the work twice (a backup writes a file).
enum class Retry { kWhileUnavailable, kNever };

// A function that makes one call on a stub of `Service`.
template <typename Service, typename Response>
using StubCall = std::function<grpc::Status(typename Service::Stub&,
                                            grpc::ClientContext&, Response*)>;

// One connection and one stub of `Service`, for a command's calls.
template <typename Service>
class Calls {
 public:
  explicit Calls(Globals& g)
      : g_(g),
        connection_(g.connection),
        stub_(Service::NewStub(connection_.channel())) {}

  // Makes the call into `response`. On failure reports it on stderr, sets
  // g.exit_code and returns false.
  template <typename Response>
  bool Make(const StubCall<Service, Response>& call, Response* response,
            Retry retry = Retry::kWhileUnavailable) {
    grpc::Status s;
    if (retry == Retry::kNever) {
      auto context = connection_.NewContext();
      s = call(*stub_, *context, response);
    } else {
      s = CallWithRetry(connection_, [&](grpc::ClientContext& c) {
        return call(*stub_, c, response);
      });
    }
    if (!s.ok()) g_.exit_code = ReportError(s);
    return s.ok();
  }

  // Calls `call` for each page of a listing, from `request` on, and `add`
  // with each page; stops (false) at the first error.
  template <typename Response, typename Request>
  bool EachPage(Request request,
                const std::function<
                    grpc::Status(typename Service::Stub&, grpc::ClientContext&,
                                 const Request&, Response*)>& call,
                const std::function<void(const Response&)>& add) {
    request.set_page_size(1000);
    do {
      Response page;
      if (!Make<Response>(
              [&](typename Service::Stub& stub, grpc::ClientContext& c,
                  Response* out) { return call(stub, c, request, out); },
              &page)) {
        return false;
      }
      add(page);
      request.set_page_token(page.next_page_token());
    } while (!request.page_token().empty());
    return true;
  }

  const Connection& connection() const { return connection_; }
  typename Service::Stub& stub() { return *stub_; }

 private:
  Globals& g_;
  Connection connection_;
  std::unique_ptr<typename Service::Stub> stub_;
};

// Prints a command's answer: JSON with --json, otherwise through
// `print_text`. Sets g.exit_code to success first, so that `print_text` may
// set another (a verification that found a break).
template <typename Response>
void PrintAnswer(
    Globals& g, const Response& response,
    const std::function<void(std::ostream&, const Response&)>& print_text) {
  g.exit_code = kExitOk;
  if (g.json) {
    std::cout << ToJson(response) << "\n";
  } else {
    print_text(std::cout, response);
  }
}

// The usual command: one call, then its answer printed (PrintAnswer).
template <typename Service, typename Response>
void CallAndPrint(
    Globals& g, const StubCall<Service, Response>& call,
    const std::function<void(std::ostream&, const Response&)>& print_text,
    Retry retry = Retry::kWhileUnavailable) {
  Calls<Service> calls(g);
  Response response;
  if (calls.Make(call, &response, retry)) PrintAnswer(g, response, print_text);
}

// "p-0001" -> "participants/p-0001"; a full name is kept as it is.
inline std::string WithCollection(const std::string& value,
                                  absl::string_view collection) {
  if (value.empty() || absl::StartsWith(value, collection)) return value;
  return absl::StrCat(collection, value);
}

// "adult-social-care/ld-user-voice" is accepted for the full resource name
// "serviceAreas/adult-social-care/projects/ld-user-voice".
inline std::string ProjectArg(absl::string_view value) {
  if (value.empty() || absl::StartsWith(value, "serviceAreas/")) {
    return std::string(value);
  }
  const size_t slash = value.find('/');
  if (slash == absl::string_view::npos ||
      value.find('/', slash + 1) != absl::string_view::npos) {
    return std::string(value);
  }
  return absl::StrCat("serviceAreas/", value.substr(0, slash), "/projects/",
                      value.substr(slash + 1));
}

}  // namespace reciprocity::client

#endif  // RECIPROCITY_CLIENT_CALL_H_
