// Sign-in without a password: one-time codes an officer gives a participant,
// exchanged for a session whose token then stands for the participant on
// every call. Codes and tokens are random, shown once and stored only as
// SHA-256 hashes (server/store/sign_in_store.h).
#ifndef RECIPROCITY_SERVER_DOMAIN_SIGN_IN_SERVICE_H_
#define RECIPROCITY_SERVER_DOMAIN_SIGN_IN_SERVICE_H_

#include <functional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "base/clock.h"
#include "reciprocity/v1/sign_in.pb.h"
#include "server/domain/principal.h"
#include "server/domain/sign_in_throttle.h"
#include "server/store/sign_in_store.h"
#include "server/store/store.h"

namespace reciprocity {

struct SignInOptions {
  // A session ends after this long without a call.
  absl::Duration idle_timeout = absl::Minutes(30);
  // And after this long whatever happens.
  absl::Duration session_lifetime = absl::Hours(12);
  // How many wrong codes are allowed, and for how long they count.
  SignInThrottleOptions throttle;
};

class SignInService {
 public:
  // The staff principal with this id (from the principals file), or
  // NOT_FOUND / UNAUTHENTICATED when there is none or it is disabled.
  using StaffLookup =
      std::function<absl::StatusOr<Principal>(absl::string_view id)>;

  SignInService(store::SignInStore& sign_ins, store::Store& store,
                const Clock& clock, StaffLookup staff,
                SignInOptions options = {})
      : sign_ins_(sign_ins),
        store_(store),
        clock_(clock),
        staff_(std::move(staff)),
        options_(options),
        throttle_(clock, options.throttle) {}

  // Officers: codes for active participants. Administrators: for
  // participants and staff principals ("principals/<id>").
  absl::StatusOr<v1::SignInCode> IssueCode(
      const Principal& caller, const v1::IssueSignInCodeRequest& request);

  // Needs no caller. UNAUTHENTICATED for an unknown, used or expired code.
  // `source` is who is trying (their address, however the caller knows it):
  // after too many wrong codes from it, or from everyone, RESOURCE_EXHAUSTED
  // for a while, even for a right code, so that guessing gains nothing.
  absl::StatusOr<v1::SignInSession> RedeemCode(
      const v1::RedeemSignInCodeRequest& request, absl::string_view source);

  // A session for `caller`, who signed in some other way (their token).
  absl::StatusOr<v1::SignInSession> CreateSession(const Principal& caller);

  // Ends the session `token`; OK when there is none.
  absl::Status EndSession(absl::string_view token);

  // The principal the live session `token` stands for; UNAUTHENTICATED when
  // it is unknown, ended, idle too long, or its principal was disabled.
  absl::StatusOr<Principal> Authenticate(absl::string_view token) const;

  // Whether `token` looks like a session token (so the call runner asks
  // here rather than the principals file).
  static bool IsSessionToken(absl::string_view token);

  // "k7qm 3xtp" -> "K7QM3XTP": what is hashed.
  static std::string NormaliseCode(absl::string_view code);

 private:
  absl::StatusOr<Principal> Resolve(absl::string_view principal) const;
  absl::StatusOr<v1::SignInSession> RedeemUnthrottled(
      const v1::RedeemSignInCodeRequest& request);
  absl::StatusOr<v1::SignInSession> StartSession(const Principal& who,
                                                 absl::string_view name,
                                                 bool from_code,
                                                 const std::string& code_hash);

  store::SignInStore& sign_ins_;
  store::Store& store_;
  const Clock& clock_;
  const StaffLookup staff_;
  const SignInOptions options_;
  SignInThrottle throttle_;
};

}  // namespace reciprocity

#endif  // RECIPROCITY_SERVER_DOMAIN_SIGN_IN_SERVICE_H_
