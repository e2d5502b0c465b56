// `reciprocityd --check`: validates a configuration without serving, so an
// operator can test a change before restarting the service.
#ifndef RECIPROCITY_SERVER_CHECK_H_
#define RECIPROCITY_SERVER_CHECK_H_

#include <ostream>
#include <string>
#include <vector>

#include "server/server.h"

namespace reciprocity {

struct CheckItem {
  std::string subject;  // "listen", "rules", "principals", "database", ...
  bool ok = false;
  std::string detail;  // for failures, "file:line:column: reason" if any
};

// Checks the addresses, every rule file (each on its own, so one report
// names every broken file), the principals file, the backup directory and
// the database (opened read/write and its schema version compared with this
// build's; nothing is created or migrated).
std::vector<CheckItem> CheckConfiguration(const ServerOptions& options);

// Prints one "OK  subject: detail" or "FAIL subject: detail" line per item
// and a summary; returns true when every item passed.
bool PrintCheckReport(const std::vector<CheckItem>& items, std::ostream& out);

}  // namespace reciprocity

#endif  // RECIPROCITY_SERVER_CHECK_H_
