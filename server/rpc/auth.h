// Who is calling: bearer tokens (by SHA-256) and client certificates mapped
// to principals (server/domain/principal.h).
#ifndef RECIPROCITY_SERVER_RPC_AUTH_H_
#define RECIPROCITY_SERVER_RPC_AUTH_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "reciprocity/v1/principals.pb.h"
#include "reciprocity/v1/types.pb.h"
#include "server/domain/principal.h"

namespace reciprocity {

// The principals file, reloadable at run time. Thread-safe.
class PrincipalDirectory {
 public:
  // Loads the file; INVALID_ARGUMENT with "file:line:column: reason" when it
  // is malformed or has duplicate ids or hashes.
  static absl::StatusOr<std::unique_ptr<PrincipalDirectory>> Load(
      const std::string& path);

  // Re-reads the file. On error the old principals stay in force.
  absl::Status Reload();

  // UNAUTHENTICATED when the token is unknown or disabled.
  absl::StatusOr<Principal> FindByToken(absl::string_view token) const;

  // The enabled principal `id`; UNAUTHENTICATED when there is none.
  absl::StatusOr<Principal> FindById(absl::string_view id) const;

  // Under mutual TLS: the principal whose certificate_subject is `subject`
  // (the verified client certificate's subject, e.g. "CN=officer-1,O=Council").
  // UNAUTHENTICATED when none is.
  absl::StatusOr<Principal> FindByCertificateSubject(
      absl::string_view subject) const;

  // Parses a principals file's content.
  static absl::StatusOr<v1::PrincipalsFile> Parse(const std::string& file_name,
                                                  const std::string& content);

 private:
  explicit PrincipalDirectory(std::string path) : path_(std::move(path)) {}
  const std::string path_;
  mutable absl::Mutex mu_;
  absl::flat_hash_map<std::string, Principal> by_token_hash_
      ABSL_GUARDED_BY(mu_);
  absl::flat_hash_map<std::string, Principal> by_certificate_subject_
      ABSL_GUARDED_BY(mu_);
  absl::flat_hash_map<std::string, Principal> by_id_ ABSL_GUARDED_BY(mu_);
};

// Extracts the token from an "authorization: Bearer <token>" value.
// UNAUTHENTICATED when missing or malformed.
absl::StatusOr<std::string> BearerToken(absl::string_view header_value);

}  // namespace reciprocity

#endif  // RECIPROCITY_SERVER_RPC_AUTH_H_
