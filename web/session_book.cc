#include "web/session_book.h"

#include <openssl/crypto.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <algorithm>
#include <cstdlib>

#include "absl/strings/escaping.h"
#include "absl/time/clock.h"

namespace reciprocity::web {

bool Visitor::Has(v1::Role role) const {
  return std::find(roles.begin(), roles.end(), role) != roles.end();
}

std::string RandomHex() {
  unsigned char bytes[32];
  if (RAND_bytes(bytes, sizeof bytes) != 1) abort();
  return absl::BytesToHexString(
      absl::string_view(reinterpret_cast<char*>(bytes), sizeof bytes));
}

SessionBook::SessionBook(absl::Duration idle_timeout)
    : idle_timeout_(idle_timeout), key_(RandomHex()) {}

void SessionBook::Add(const v1::SignInSession& session) {
  Visitor v;
  v.token = session.token();
  v.principal = session.principal();
  v.participant = session.participant();
  for (int role : session.roles())
    v.roles.push_back(static_cast<v1::Role>(role));
  absl::MutexLock lock(&mu_);
  // Forget the idle ones now and then, so the map cannot only grow.
  if (sessions_.size() > 1000) {
    const absl::Time now = absl::Now();
    absl::erase_if(sessions_, [&](const auto& entry) {
      return now - entry.second.last_seen > idle_timeout_;
    });
  }
  const std::string token = v.token;
  sessions_[token] = Entry{std::move(v), absl::Now()};
}

std::optional<Visitor> SessionBook::Find(absl::string_view token) {
  absl::MutexLock lock(&mu_);
  auto it = sessions_.find(token);
  if (it == sessions_.end()) return std::nullopt;
  const absl::Time now = absl::Now();
  if (now - it->second.last_seen > idle_timeout_) {
    sessions_.erase(it);
    return std::nullopt;
  }
  it->second.last_seen = now;
  return it->second.visitor;
}

void SessionBook::Remove(absl::string_view token) {
  absl::MutexLock lock(&mu_);
  sessions_.erase(token);
}

std::string SessionBook::CsrfToken(absl::string_view browser_secret) const {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha256(), key_.data(), static_cast<int>(key_.size()),
       reinterpret_cast<const unsigned char*>(browser_secret.data()),
       browser_secret.size(), mac, &length);
  return absl::BytesToHexString(
      absl::string_view(reinterpret_cast<char*>(mac), length));
}

bool SessionBook::CsrfMatches(absl::string_view browser_secret,
                              absl::string_view token) const {
  if (browser_secret.empty()) return false;
  const std::string expected = CsrfToken(browser_secret);
  return token.size() == expected.size() &&
         CRYPTO_memcmp(token.data(), expected.data(), expected.size()) == 0;
}

}  // namespace reciprocity::web
