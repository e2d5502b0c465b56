// Structured log lines: one event per line, key=value, UTC timestamps.
// Never pass names, contacts or other personal data: principal ids, record
// names and request ids only.
#ifndef RECIPROCITY_BASE_LOGGING_H_
#define RECIPROCITY_BASE_LOGGING_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"

namespace reciprocity {

// Sends log lines to stderr at `level` ("debug", "info", "warn", "error").
void InitLogging(absl::string_view level);

using LogFields = std::vector<std::pair<absl::string_view, std::string>>;

// event=<event> then each key=value; values with spaces or quotes are quoted.
void LogInfo(absl::string_view event, const LogFields& fields = {});
void LogWarn(absl::string_view event, const LogFields& fields = {});
void LogError(absl::string_view event, const LogFields& fields = {});

}  // namespace reciprocity

#endif  // RECIPROCITY_BASE_LOGGING_H_
