// Slows down guessing of sign-in codes: after too many wrong codes from one
// source, or from everyone together, RedeemSignInCode is refused for a while
// whatever the code. A code is 8 characters from 32 (40 bits) and lives a
// week at most: at the default overall limit (about 7 million guesses a
// year), hitting any of a thousand live codes takes 150 years on average.
#ifndef RECIPROCITY_SERVER_DOMAIN_SIGN_IN_THROTTLE_H_
#define RECIPROCITY_SERVER_DOMAIN_SIGN_IN_THROTTLE_H_

#include <deque>
#include <string>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "base/clock.h"

namespace reciprocity {

struct SignInThrottleOptions {
  // Wrong codes allowed from one source (a client address) in any window.
  int max_failures_per_source = 10;
  // Wrong codes allowed from all sources together in any window, so that
  // guessing from many addresses is as slow. Reaching it refuses everyone
  // (staff still sign in with their tokens); it is set well above what
  // people mistyping codes ever reach.
  int max_failures_overall = 200;
  // How long a wrong code counts.
  absl::Duration window = absl::Minutes(15);
};

class SignInThrottle {
 public:
  SignInThrottle(const Clock& clock, SignInThrottleOptions options)
      : clock_(clock), options_(options) {}
  SignInThrottle(const SignInThrottle&) = delete;
  SignInThrottle& operator=(const SignInThrottle&) = delete;

  // OK when `source` may try a code now; otherwise RESOURCE_EXHAUSTED with a
  // plain message saying to wait.
  absl::Status Check(absl::string_view source) ABSL_LOCKS_EXCLUDED(mu_);

  // Counts one wrong code from `source`.
  void RecordFailure(absl::string_view source) ABSL_LOCKS_EXCLUDED(mu_);

 private:
  // Drops the failures older than the window.
  void Forget(absl::Time now) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const Clock& clock_;
  const SignInThrottleOptions options_;
  absl::Mutex mu_;
  // Every failure still in the window, oldest first, and their count per
  // source. Bounded: a source or everyone over the limit records no more.
  std::deque<std::pair<absl::Time, std::string>> failures_ ABSL_GUARDED_BY(mu_);
  absl::flat_hash_map<std::string, int> failures_by_source_
      ABSL_GUARDED_BY(mu_);
};

}  // namespace reciprocity

#endif  // RECIPROCITY_SERVER_DOMAIN_SIGN_IN_THROTTLE_H_
