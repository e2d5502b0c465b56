// recip's exit statuses, as deploy/man/recip.1 (EXIT STATUS) documents them.
// Small distinct integers: 0 and 1 as usual, 2 for usage as in grep and
// diff, then one each for the refusals a script may act on.
#ifndef RECIPROCITY_CLIENT_EXIT_CODE_H_
#define RECIPROCITY_CLIENT_EXIT_CODE_H_

#include <grpcpp/support/status.h>

namespace reciprocity::client {

inline constexpr int kExitOk = 0;
// The server refused the request with a code that has no status of its own
// below, or the command found a problem (a broken rule file or audit log)
// or could not write its output.
inline constexpr int kExitFailure = 1;
// The command line is wrong (CLI11's parse errors) or a value failed
// recip's own checks before anything was sent.
inline constexpr int kExitUsage = 2;
inline constexpr int kExitNotFound = 3;          // NOT_FOUND
inline constexpr int kExitPermissionDenied = 4;  // PERMISSION_DENIED
inline constexpr int kExitUnauthenticated = 5;   // UNAUTHENTICATED
inline constexpr int kExitUnavailable = 6;       // UNAVAILABLE, after retries

// The exit status for a call that ended with `status`: kExitOk when it is
// OK, the status of its own for NOT_FOUND, PERMISSION_DENIED,
// UNAUTHENTICATED and UNAVAILABLE, otherwise kExitFailure. Every command
// maps a gRPC status to its exit status through this function only.
int ExitCodeFor(const grpc::Status& status);

}  // namespace reciprocity::client

#endif  // RECIPROCITY_CLIENT_EXIT_CODE_H_
