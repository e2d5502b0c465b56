#include "server/logging.h"

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"

namespace reciprocity {
namespace {

std::string Quote(absl::string_view value) {
  const bool plain = !value.empty() && value.find_first_of(" \"=\n\t\\") ==
                                           absl::string_view::npos;
  if (plain) return std::string(value);
  return absl::StrCat(
      "\"",
      absl::StrReplaceAll(value,
                          {{"\\", "\\\\"}, {"\"", "\\\""}, {"\n", "\\n"}}),
      "\"");
}

std::string Line(absl::string_view event, const LogFields& fields) {
  std::string line = absl::StrCat("event=", Quote(event));
  for (const auto& [key, value] : fields) {
    absl::StrAppend(&line, " ", key, "=", Quote(value));
  }
  return line;
}

}  // namespace

void InitLogging(absl::string_view level) {
  auto logger = spdlog::get("reciprocity");
  if (logger == nullptr) logger = spdlog::stderr_logger_mt("reciprocity");
  // UTC timestamps, RFC 3339 style, then key=value pairs.
  logger->set_pattern("ts=%Y-%m-%dT%H:%M:%S.%fZ level=%l %v",
                      spdlog::pattern_time_type::utc);
  logger->set_level(spdlog::level::from_str(std::string(level)));
  logger->flush_on(spdlog::level::info);
  spdlog::set_default_logger(logger);
}

void LogInfo(absl::string_view event, const LogFields& fields) {
  spdlog::info("{}", Line(event, fields));
}
void LogWarn(absl::string_view event, const LogFields& fields) {
  spdlog::warn("{}", Line(event, fields));
}
void LogError(absl::string_view event, const LogFields& fields) {
  spdlog::error("{}", Line(event, fields));
}

}  // namespace reciprocity
