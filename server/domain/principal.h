// The authenticated caller, as every domain method sees it, and the hash
// the service uses for tokens, request fingerprints and the audit chain.
#ifndef RECIPROCITY_SERVER_DOMAIN_PRINCIPAL_H_
#define RECIPROCITY_SERVER_DOMAIN_PRINCIPAL_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "reciprocity/v1/types.pb.h"

namespace reciprocity {

// The authenticated caller. Reaches every domain method.
struct Principal {
  std::string id;
  std::vector<v1::Role> roles;
  std::vector<std::string> service_areas;  // "*" = all
  std::string participant_id;  // for participants: their record's id

  bool HasRole(v1::Role role) const;
  bool ActsIn(absl::string_view area_id) const;
  // HasRole(role) && ActsIn(area_id).
  bool HasRoleIn(v1::Role role, absl::string_view area_id) const;
};

// Lower-case hex SHA-256 of `data`.
std::string Sha256Hex(absl::string_view data);

}  // namespace reciprocity

#endif  // RECIPROCITY_SERVER_DOMAIN_PRINCIPAL_H_
