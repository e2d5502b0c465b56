#include "web/form_problems.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/civil_time.h"

namespace reciprocity::web {

void FormProblems::Add(const std::string& field, const std::string& message) {
  problems_.emplace_back(field, message);
}

void FormProblems::CheckDay(const std::string& field, const std::string& typed,
                            const std::string& words, bool may_be_empty) {
  absl::CivilDay day;
  if (may_be_empty && typed.empty()) return;
  if (!absl::ParseCivilTime(typed, &day)) Add(field, words);
}

bool FormProblems::AddRefusal(
    const grpc::Status& status,
    std::initializer_list<std::pair<const char*, const char*>> fields,
    const std::string& lead_in) {
  if (status.error_code() != grpc::StatusCode::INVALID_ARGUMENT &&
      status.error_code() != grpc::StatusCode::FAILED_PRECONDITION &&
      status.error_code() != grpc::StatusCode::ALREADY_EXISTS) {
    return false;
  }
  const std::string& message = status.error_message();
  for (const auto& [request_field, form_field] : fields) {
    const std::string prefix = absl::StrCat(request_field, ": ");
    if (!absl::StartsWith(message, prefix)) continue;
    std::string why = message.substr(prefix.size());
    // "must be ..." reads as a sentence; "file.textproto:3:1: ..." keeps
    // its case.
    const std::string first_word = why.substr(0, why.find(' '));
    if (lead_in.empty() && !first_word.empty() &&
        first_word.find_first_of(".:/") == std::string::npos) {
      why[0] = absl::ascii_toupper(why[0]);
    }
    if (!absl::EndsWith(why, ".")) why += ".";
    Add(form_field, lead_in + why);
    return true;
  }
  return false;
}

void FormProblems::Into(Data& page, const std::string& not_done) const {
  Data errors = List();
  for (const auto& [field, message] : problems_) {
    page.set(absl::StrCat(field, "_error"), message);
    Data e;
    e.set("field", field);
    e.set("message", message);
    errors.push_back(e);
  }
  page.set("errors", errors);
  page.set("problem_title", "There is a problem");
  page.set("problem",
           absl::StrCat(not_done, " Please put right the things below."));
}

void QuoteMistakenLine(Data& page, const std::string& field,
                       absl::string_view text, absl::string_view message) {
  // The first two numbers in a row between colons are the line and column.
  const std::vector<absl::string_view> parts = absl::StrSplit(message, ':');
  int line = 0, column = 0;
  for (size_t i = 0; i + 1 < parts.size(); ++i) {
    if (absl::SimpleAtoi(parts[i], &line) &&
        absl::SimpleAtoi(parts[i + 1], &column)) {
      break;
    }
    line = 0;
  }
  if (line < 1) return;
  const std::vector<absl::string_view> lines = absl::StrSplit(text, '\n');
  if (static_cast<size_t>(line) > lines.size()) return;
  std::string quoted(absl::StripTrailingAsciiWhitespace(lines[line - 1]));
  if (quoted.size() > 100) {
    size_t cut = 100;
    // Not in the middle of a UTF-8 character.
    while (cut > 0 &&
           (static_cast<unsigned char>(quoted[cut]) & 0xC0) == 0x80) {
      --cut;
    }
    quoted = absl::StrCat(quoted.substr(0, cut), " ...");
  }
  page.set(absl::StrCat(field, "_line"),
           absl::StrCat("Line ", line, " reads: ", quoted));
}

void SetIfAny(Data& data, const std::string& key, const std::string& value) {
  if (!value.empty()) data.set(key, value);
}

}  // namespace reciprocity::web
