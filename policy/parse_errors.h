// Turns protobuf text-parser errors into "file:line:column: reason" that
// points at the token at fault.
#ifndef RECIPROCITY_POLICY_PARSE_ERRORS_H_
#define RECIPROCITY_POLICY_PARSE_ERRORS_H_

#include <string>
#include <string_view>

#include "google/protobuf/io/tokenizer.h"

namespace reciprocity::policy {

// Keeps the first error the parser reports. The parser reports some errors
// at the token after the one at fault (an unknown enum value is reported at
// the next field, perhaps on the next line); those are moved back to the
// name the message quotes.
class ParseErrorCollector : public google::protobuf::io::ErrorCollector {
 public:
  // `content` is the text being parsed; it must outlive the collector.
  explicit ParseErrorCollector(std::string_view content) : content_(content) {}

  void AddError(int line, google::protobuf::io::ColumnNumber column,
                const std::string& message) override;
  void AddWarning(int, google::protobuf::io::ColumnNumber,
                  const std::string&) override {}

  bool has_error() const { return has_error_; }
  // "file:line:column: message", 1-based.
  std::string Format(std::string_view file_name) const;

 private:
  const std::string_view content_;
  bool has_error_ = false;
  int line_ = 0;  // 0-based, as the parser counts; -1: no position
  int column_ = 0;
  std::string message_;
};

}  // namespace reciprocity::policy

#endif  // RECIPROCITY_POLICY_PARSE_ERRORS_H_
