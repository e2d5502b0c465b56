#include "base/logging.h"

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "base/control_escape.h"

namespace reciprocity {
namespace {

// Longest value logged whole; longer ones are cut, saying how long they
// were, so that no caller can fill the log with one field.
constexpr size_t kMaxValueBytes = 256;

bool Plain(char c) {
  return c > ' ' && c != '"' && c != '=' && c != '\\' && c != 0x7f;
}

// The value as one token of the line: as is when it is plain printable
// text, else quoted with quotes, backslashes and control characters
// escaped, so that a value never ends its line or looks like another field.
std::string Quote(absl::string_view value) {
  std::string cut;
  if (value.size() > kMaxValueBytes) {
    size_t keep = kMaxValueBytes;
    // Not inside a UTF-8 sequence.
    while (keep > 0 && (static_cast<unsigned char>(value[keep]) & 0xC0) == 0x80)
      --keep;
    cut = absl::StrCat(value.substr(0, keep), "... (", value.size(), " bytes)");
    value = cut;
  }
  if (!value.empty() && std::all_of(value.begin(), value.end(), Plain)) {
    return std::string(value);
  }
  std::string out = "\"";
  for (char c : value) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      default:
        if (static_cast<unsigned char>(c) < ' ' || c == 0x7f) {
          AppendControlEscape(out, static_cast<unsigned char>(c));
        } else {
          out += c;
        }
    }
  }
  out += "\"";
  return out;
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
