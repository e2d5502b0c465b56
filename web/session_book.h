// Who is signed in to the web front: the reciprocityd session token each
// browser holds in its cookie, with the roles it carries, forgotten after
// the idle timeout. The service keeps its own copy and its own timeout;
// this one lets pages show the right menus without a call. Also the CSRF
// tokens that every form carries. Thread-safe.
#ifndef RECIPROCITY_WEB_SESSION_BOOK_H_
#define RECIPROCITY_WEB_SESSION_BOOK_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "reciprocity/v1/sign_in.pb.h"

namespace reciprocity::web {

// The signed-in person as the pages see them.
struct Visitor {
  std::string token;        // the reciprocityd session token
  std::string principal;    // "participants/p-0001" or "principals/finance"
  std::string participant;  // for participants: "participants/p-0001"
  std::vector<v1::Role> roles;
  bool Has(v1::Role role) const;
};

class SessionBook {
 public:
  explicit SessionBook(absl::Duration idle_timeout);

  // Remembers a session the service just started.
  void Add(const v1::SignInSession& session);
  // The visitor holding `token`, seen now; nullopt when unknown or idle for
  // longer than the timeout (and then forgotten).
  std::optional<Visitor> Find(absl::string_view token);
  void Remove(absl::string_view token);

  // The CSRF token for forms shown to the browser whose `rw_csrf` cookie is
  // `browser_secret`: an HMAC under a key made at start-up, so it cannot be
  // forged from outside and needs no storage.
  std::string CsrfToken(absl::string_view browser_secret) const;
  // Whether `token` is the CSRF token for `browser_secret` (constant time).
  bool CsrfMatches(absl::string_view browser_secret,
                   absl::string_view token) const;

 private:
  struct Entry {
    Visitor visitor;
    absl::Time last_seen;
  };
  const absl::Duration idle_timeout_;
  const std::string key_;
  absl::Mutex mu_;
  absl::flat_hash_map<std::string, Entry> sessions_ ABSL_GUARDED_BY(mu_);
};

// 32 random bytes as hex.
std::string RandomHex();

}  // namespace reciprocity::web

#endif  // RECIPROCITY_WEB_SESSION_BOOK_H_
