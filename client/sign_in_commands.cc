// recip sign-in-code PARTICIPANT [--valid-hours N]
#include <iostream>
#include <memory>

#include "absl/time/time.h"
#include "client/call.h"
#include "client/commands.h"
#include "reciprocity/v1/sign_in.grpc.pb.h"

namespace reciprocity::client {

void AddSignInCommands(CLI::App& app, Globals& g) {
  auto principal = std::make_shared<std::string>();
  auto hours = std::make_shared<int>(0);
  CLI::App* code = app.add_subcommand(
      "sign-in-code",
      "issue a one-time code a participant types into the web front "
      "(officers; administrators also for staff: principals/ID)");
  code->add_option("participant", *principal,
                   "p-0001, participants/p-0001 or principals/ID")
      ->required();
  code->add_option("--valid-hours", *hours,
                   "how long the code works (default 168, a week)");
  code->callback([&g, principal, hours] {
    v1::IssueSignInCodeRequest request;
    request.set_principal(absl::StartsWith(*principal, "principals/")
                              ? *principal
                              : WithCollection(*principal, "participants/"));
    request.set_valid_hours(*hours);
    // Not retried: each answer is a new code.
    CallAndPrint<v1::SignInService, v1::SignInCode>(
        g,
        [&](v1::SignInService::Stub& stub, grpc::ClientContext& c,
            v1::SignInCode* out) {
          return stub.IssueSignInCode(&c, request, out);
        },
        [](std::ostream& out, const v1::SignInCode& response) {
          out << "sign-in code for " << response.principal() << ": "
              << response.code() << "\n  works once, until "
              << absl::FormatTime(
                     "%Y-%m-%d %H:%M UTC",
                     absl::FromUnixSeconds(response.expire_time().seconds()),
                     absl::UTCTimeZone())
              << "\n";
        },
        Retry::kNever);
  });
}

}  // namespace reciprocity::client
