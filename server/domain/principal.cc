#include "server/domain/principal.h"

#include <openssl/sha.h>

#include <algorithm>

#include "absl/strings/str_format.h"

namespace reciprocity {

bool Principal::HasRole(v1::Role role) const {
  return std::find(roles.begin(), roles.end(), role) != roles.end();
}

bool Principal::ActsIn(absl::string_view area_id) const {
  return std::any_of(
      service_areas.begin(), service_areas.end(),
      [&](const std::string& a) { return a == "*" || a == area_id; });
}

bool Principal::HasRoleIn(v1::Role role, absl::string_view area_id) const {
  return HasRole(role) && ActsIn(area_id);
}

std::string Sha256Hex(absl::string_view data) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(data.data()), data.size(),
         digest);
  std::string hex;
  hex.reserve(2 * SHA256_DIGEST_LENGTH);
  for (unsigned char b : digest) absl::StrAppendFormat(&hex, "%02x", b);
  return hex;
}

}  // namespace reciprocity
