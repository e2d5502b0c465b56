// One RPC from a command: connect, call with retries, then print the answer
// as JSON (--json) or as text, and set the exit code.
#ifndef RECIPROCITY_CLIENT_CALL_H_
#define RECIPROCITY_CLIENT_CALL_H_

#include <functional>
#include <iostream>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "client/commands.h"
#include "client/connection.h"
#include "client/output.h"

namespace reciprocity::client {

// Calls `call` on a stub of `Service` (retrying while the server is
// unavailable) and prints the response: JSON with --json, otherwise through
// `print_text`. Sets g.exit_code.
template <typename Service, typename Response>
void CallAndPrint(
    Globals& g,
    const std::function<grpc::Status(typename Service::Stub&,
                                     grpc::ClientContext&, Response*)>& call,
    const std::function<void(std::ostream&, const Response&)>& print_text) {
  Connection connection(g.connection);
  auto stub = Service::NewStub(connection.channel());
  Response response;
  grpc::Status s = CallWithRetry(connection, [&](grpc::ClientContext& c) {
    return call(*stub, c, &response);
  });
  if (!s.ok()) {
    g.exit_code = ReportError(s);
    return;
  }
  if (g.json) {
    std::cout << ToJson(response) << "\n";
  } else {
    print_text(std::cout, response);
  }
  g.exit_code = kExitOk;
}

// "p-0001" -> "participants/p-0001"; a full name is kept as it is.
inline std::string WithCollection(const std::string& value,
                                  absl::string_view collection) {
  if (value.empty() || absl::StartsWith(value, collection)) return value;
  return absl::StrCat(collection, value);
}

}  // namespace reciprocity::client

#endif  // RECIPROCITY_CLIENT_CALL_H_
