#include "policy/parse_errors.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "policy/plain_text.h"

namespace reciprocity::policy {
namespace {

// Protobuf's tokenizer counts columns in bytes, with tabs advancing to the
// next multiple of 8. These two functions count the same way.
int Advance(int column, char c) {
  return c == '\t' ? column + 8 - column % 8 : column + 1;
}

size_t OffsetOf(std::string_view text, int line, int column) {
  size_t offset = 0;
  for (int l = 0; l < line; ++l) {
    const size_t newline = text.find('\n', offset);
    if (newline == std::string_view::npos) return text.size();
    offset = newline + 1;
  }
  for (int c = 0; offset < text.size() && text[offset] != '\n' && c < column;
       ++offset) {
    c = Advance(c, text[offset]);
  }
  return offset;
}

std::pair<int, int> PositionOf(std::string_view text, size_t offset) {
  int line = 0;
  size_t line_start = 0;
  for (size_t i = 0; i < offset; ++i) {
    if (text[i] == '\n') {
      ++line;
      line_start = i + 1;
    }
  }
  int column = 0;
  for (size_t i = line_start; i < offset; ++i)
    column = Advance(column, text[i]);
  return {line, column};
}

bool IsIdentifierChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (c >= '0' && c <= '9') || c == '_';
}

// The name the message is about, for the messages reported after the fact.
std::string_view NameAtFault(std::string_view message) {
  size_t open = std::string_view::npos;
  if (message.find("has no field named \"") != std::string_view::npos) {
    open = message.rfind("named \"") + 6;
  } else if (message.rfind("Unknown enumeration value of \"", 0) == 0 ||
             message.rfind("Non-repeated field \"", 0) == 0) {
    open = message.find('"');
  }
  if (open == std::string_view::npos) return {};
  const size_t close = message.find('"', open + 1);
  if (close == std::string_view::npos) return {};
  return message.substr(open + 1, close - open - 1);
}

// The last whole-identifier occurrence of `name` before `end`, or npos.
size_t LastOccurrence(std::string_view text, std::string_view name,
                      size_t end) {
  if (name.empty()) return std::string_view::npos;
  std::string_view before = text.substr(0, end);
  for (size_t at = before.rfind(name); at != std::string_view::npos;
       at = at == 0 ? std::string_view::npos : before.rfind(name, at - 1)) {
    const size_t after = at + name.size();
    if ((at == 0 || !IsIdentifierChar(text[at - 1])) &&
        (after >= text.size() || !IsIdentifierChar(text[after]))) {
      return at;
    }
  }
  return std::string_view::npos;
}

}  // namespace

void ParseErrorCollector::AddError(int line,
                                   google::protobuf::io::ColumnNumber column,
                                   const std::string& message) {
  if (has_error_) return;
  has_error_ = true;
  line_ = line;
  column_ = column;
  message_ = message;
  if (line < 0) return;
  const size_t at = LastOccurrence(content_, NameAtFault(message),
                                   OffsetOf(content_, line, column));
  if (at != std::string_view::npos) {
    std::tie(line_, column_) = PositionOf(content_, at);
  }
}

std::string ParseErrorCollector::Format(std::string_view file_name) const {
  if (line_ < 0) return absl::StrCat(AsAbsl(file_name), ":1:1: ", message_);
  return absl::StrCat(AsAbsl(file_name), ":", line_ + 1, ":", column_ + 1, ": ",
                      message_);
}

}  // namespace reciprocity::policy
