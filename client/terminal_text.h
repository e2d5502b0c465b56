// Text between the terminal and the server: what recip sends must be UTF-8
// (the server cannot read anything else), and what it prints must not drive
// the terminal (an escape sequence in someone's name could clear the screen
// or rewrite what an officer sees).
#ifndef RECIPROCITY_CLIENT_TERMINAL_TEXT_H_
#define RECIPROCITY_CLIENT_TERMINAL_TEXT_H_

#include <optional>
#include <streambuf>
#include <string>

#include "absl/strings/string_view.h"

namespace reciprocity::client {

// Index in `argv` of the first argument that is not valid UTF-8 (argv[0],
// the program, is not looked at); nullopt when they all are.
std::optional<int> FirstArgumentNotUtf8(int argc, const char* const* argv);

// How to name argument `index` of `argv` in a message: the option it is the
// value of ("--name"), or "argument N". Never the argument itself.
std::string DescribeArgument(int index, const char* const* argv);

// `text` for one line of output: control characters are shown as escapes
// ("\n", "\x1b", "\u009b") rather than obeyed, and so are bytes that are not
// UTF-8 ("\xff"). Everything else, backslashes included, is kept.
std::string OneLine(absl::string_view text);

// OneLine, but line breaks stay: for notes, reasons and comments.
std::string Paragraph(absl::string_view text);

// Passes what is written on to `target`, escaping control characters as
// Paragraph does. Tabs pass, and so does a carriage return that ends a line
// (CR LF, as in the payment file). recip installs one on standard output and
// standard error, so that nothing the server sends reaches the terminal raw.
class TerminalSafeBuffer : public std::streambuf {
 public:
  explicit TerminalSafeBuffer(std::streambuf* target) : target_(target) {}
  ~TerminalSafeBuffer() override;
  TerminalSafeBuffer(const TerminalSafeBuffer&) = delete;
  TerminalSafeBuffer& operator=(const TerminalSafeBuffer&) = delete;

 protected:
  int_type overflow(int_type c) override;
  int sync() override;

 private:
  // Writes a byte held back (a CR, or the first byte of U+0080-U+009F) as
  // it stands, escaped.
  void FlushHeld();
  std::streambuf* const target_;
  int held_ = -1;  // a byte waiting to see what follows it
};

}  // namespace reciprocity::client

#endif  // RECIPROCITY_CLIENT_TERMINAL_TEXT_H_
