#include "server/check.h"

#include <arpa/inet.h>
#include <unistd.h>

#include <filesystem>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "policy/policy.h"
#include "policy/registry.h"
#include "server/rpc/auth.h"
#include "server/store/maintenance.h"

namespace reciprocity {
namespace {

CheckItem Ok(std::string subject, std::string detail) {
  return {std::move(subject), true, std::move(detail)};
}
CheckItem Fail(std::string subject, std::string detail) {
  return {std::move(subject), false, std::move(detail)};
}

CheckItem CheckAddress(const std::string& flag, const std::string& value) {
  const size_t colon = value.rfind(':');
  int port = -1;
  if (colon == std::string::npos || colon == 0 ||
      !absl::SimpleAtoi(value.substr(colon + 1), &port) || port < 0 ||
      port > 65535) {
    return Fail(flag,
                absl::StrCat("\"", value,
                             "\" is not host:port (e.g. 127.0.0.1:50051)"));
  }
  return Ok(flag, value);
}

void CheckRuleFiles(const std::string& dir, std::vector<CheckItem>& items) {
  absl::StatusOr<std::vector<std::string>> paths = policy::ListRuleFiles(dir);
  if (!paths.ok()) {
    items.push_back(Fail("rules", std::string(paths.status().message())));
    return;
  }
  if (paths->empty()) {
    items.push_back(
        Fail("rules", absl::StrCat(dir, ": no rule files (*.textproto)")));
    return;
  }
  for (const std::string& path : *paths) {
    auto policy = policy::LoadRuleFile(path);
    if (policy.ok()) {
      items.push_back(
          Ok("rules", absl::StrCat(path, ": version ", (*policy)->version())));
    } else {
      items.push_back(Fail("rules", std::string(policy.status().message())));
    }
  }
}

CheckItem CheckBackupDir(const std::string& dir) {
  std::error_code error;
  if (!std::filesystem::is_directory(dir, error)) {
    return Fail("backup-dir", absl::StrCat(dir, ": not a directory"));
  }
  if (access(dir.c_str(), W_OK | X_OK) != 0) {
    return Fail("backup-dir", absl::StrCat(dir, ": not writable"));
  }
  return Ok("backup-dir", absl::StrCat(dir, ": writable"));
}

// The peer addresses gRPC reports are numeric, so a host name would never
// match.
CheckItem CheckSignInProxy(const std::string& address) {
  unsigned char buffer[sizeof(in6_addr)];
  if (inet_pton(AF_INET, address.c_str(), buffer) != 1 &&
      inet_pton(AF_INET6, address.c_str(), buffer) != 1) {
    return Fail("sign-in-proxy",
                absl::StrCat("\"", address,
                             "\" is not an IP address (e.g. 127.0.0.1)"));
  }
  return Ok("sign-in-proxy", address);
}

}  // namespace

std::vector<CheckItem> CheckConfiguration(const ServerOptions& options) {
  std::vector<CheckItem> items;
  items.push_back(CheckAddress("listen", options.listen));
  if (!options.metrics_listen.empty()) {
    items.push_back(CheckAddress("metrics-listen", options.metrics_listen));
  }
  CheckRuleFiles(options.rules_dir, items);
  auto principals = PrincipalDirectory::Load(options.principals_path);
  items.push_back(
      principals.ok()
          ? Ok("principals", options.principals_path)
          : Fail("principals", std::string(principals.status().message())));
  if (!options.backup_dir.empty()) {
    items.push_back(CheckBackupDir(options.backup_dir));
  }
  for (const std::string& proxy : options.sign_in_proxies) {
    items.push_back(CheckSignInProxy(proxy));
  }
  absl::StatusOr<std::string> database =
      store::CheckDatabaseAccess(options.db_path);
  items.push_back(
      database.ok()
          ? Ok("database", *database)
          : Fail("database", std::string(database.status().message())));
  return items;
}

bool PrintCheckReport(const std::vector<CheckItem>& items, std::ostream& out) {
  int failed = 0;
  for (const CheckItem& item : items) {
    out << (item.ok ? "OK   " : "FAIL ") << item.subject << ": " << item.detail
        << "\n";
    if (!item.ok) ++failed;
  }
  if (failed == 0) {
    out << "reciprocityd --check: all " << items.size() << " checks passed\n";
  } else {
    out << "reciprocityd --check: " << failed << " of " << items.size()
        << " checks failed\n";
  }
  return failed == 0;
}

}  // namespace reciprocity
