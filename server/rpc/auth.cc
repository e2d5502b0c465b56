#include "server/rpc/auth.h"

#include <algorithm>
#include <fstream>
#include <sstream>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "google/protobuf/io/tokenizer.h"
#include "google/protobuf/text_format.h"

namespace reciprocity {
namespace {

class FirstErrorCollector final : public google::protobuf::io::ErrorCollector {
 public:
  void AddError(int line, int column, const std::string& message) override {
    if (error.empty()) {
      error = absl::StrCat(line + 1, ":", column + 1, ": ", message);
    }
  }
  std::string error;
};

}  // namespace

absl::StatusOr<std::string> BearerToken(absl::string_view value) {
  constexpr absl::string_view kPrefix = "Bearer ";
  if (!absl::StartsWithIgnoreCase(value, kPrefix)) {
    return absl::UnauthenticatedError(
        "send 'authorization: Bearer <token>' (see the README)");
  }
  std::string token(absl::StripAsciiWhitespace(value.substr(kPrefix.size())));
  if (token.empty())
    return absl::UnauthenticatedError("the bearer token is empty");
  return token;
}

absl::StatusOr<v1::PrincipalsFile> PrincipalDirectory::Parse(
    const std::string& file_name, const std::string& content) {
  v1::PrincipalsFile file;
  google::protobuf::TextFormat::Parser parser;
  FirstErrorCollector errors;
  parser.RecordErrorsTo(&errors);
  if (!parser.ParseFromString(content, &file)) {
    return absl::InvalidArgumentError(
        absl::StrCat(file_name, ":", errors.error));
  }
  absl::flat_hash_map<std::string, int> seen_ids, seen_hashes;
  for (int i = 0; i < file.principals_size(); ++i) {
    const auto& p = file.principals(i);
    const std::string where = absl::StrCat(file_name, ": principals[", i, "]");
    if (p.id().empty())
      return absl::InvalidArgumentError(where + ".id: required");
    if (!seen_ids.emplace(p.id(), i).second) {
      return absl::InvalidArgumentError(
          absl::StrCat(where, ".id: '", p.id(), "' is used twice"));
    }
    const bool hex64 =
        p.token_sha256().size() == 64 &&
        std::all_of(p.token_sha256().begin(), p.token_sha256().end(),
                    [](char c) {
                      return absl::ascii_isdigit(c) || (c >= 'a' && c <= 'f');
                    });
    if (!p.token_sha256().empty() && !hex64) {
      return absl::InvalidArgumentError(
          where + ".token_sha256: must be 64 lower-case hex digits");
    }
    if (!p.token_sha256().empty() &&
        !seen_hashes.emplace(p.token_sha256(), i).second) {
      return absl::InvalidArgumentError(
          where + ".token_sha256: used by two principals");
    }
    if (p.roles().empty()) {
      return absl::InvalidArgumentError(where + ".roles: at least one role");
    }
  }
  return file;
}

absl::StatusOr<std::unique_ptr<PrincipalDirectory>> PrincipalDirectory::Load(
    const std::string& path) {
  std::unique_ptr<PrincipalDirectory> dir(new PrincipalDirectory(path));
  absl::Status s = dir->Reload();
  if (!s.ok()) return s;
  return dir;
}

absl::Status PrincipalDirectory::Reload() {
  std::ifstream in(path_, std::ios::binary);
  if (!in) {
    return absl::NotFoundError(
        absl::StrCat(path_, ": cannot read the principals file"));
  }
  std::stringstream buffer;
  buffer << in.rdbuf();
  auto file = Parse(path_, buffer.str());
  if (!file.ok()) return file.status();

  absl::flat_hash_map<std::string, Principal> by_hash, by_subject, by_id;
  for (const auto& entry : file->principals()) {
    if (entry.disabled()) continue;
    Principal p;
    p.id = entry.id();
    for (int r : entry.roles()) p.roles.push_back(static_cast<v1::Role>(r));
    p.service_areas.assign(entry.service_areas().begin(),
                           entry.service_areas().end());
    constexpr absl::string_view kPrefix = "participants/";
    if (absl::StartsWith(entry.participant(), kPrefix)) {
      p.participant_id = entry.participant().substr(kPrefix.size());
    }
    by_id.emplace(p.id, p);
    if (!entry.certificate_subject().empty()) {
      by_subject.emplace(entry.certificate_subject(), p);
    }
    if (!entry.token_sha256().empty()) {
      by_hash.emplace(entry.token_sha256(), std::move(p));
    }
  }
  absl::MutexLock lock(&mu_);
  by_token_hash_ = std::move(by_hash);
  by_certificate_subject_ = std::move(by_subject);
  by_id_ = std::move(by_id);
  return absl::OkStatus();
}

absl::StatusOr<Principal> PrincipalDirectory::FindByCertificateSubject(
    absl::string_view subject) const {
  absl::MutexLock lock(&mu_);
  auto it = by_certificate_subject_.find(subject);
  if (it == by_certificate_subject_.end()) {
    return absl::UnauthenticatedError(
        "the client certificate names no known principal");
  }
  return it->second;
}

absl::StatusOr<Principal> PrincipalDirectory::FindById(
    absl::string_view id) const {
  absl::MutexLock lock(&mu_);
  auto it = by_id_.find(id);
  if (it == by_id_.end()) {
    return absl::UnauthenticatedError("unknown or disabled principal");
  }
  return it->second;
}

absl::StatusOr<Principal> PrincipalDirectory::FindByToken(
    absl::string_view token) const {
  const std::string hash = Sha256Hex(token);
  absl::MutexLock lock(&mu_);
  auto it = by_token_hash_.find(hash);
  if (it == by_token_hash_.end()) {
    return absl::UnauthenticatedError("unknown or revoked token");
  }
  return it->second;
}

}  // namespace reciprocity
