#include "client/terminal_text.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "base/control_escape.h"
#include "policy/text.h"

namespace reciprocity::client {
namespace {

bool IsC1Control(unsigned char lead, unsigned char next) {
  return lead == 0xc2 && next >= 0x80 && next <= 0x9f;  // U+0080-U+009F
}

std::string Escape(absl::string_view text, bool keep_line_breaks) {
  const std::string_view view(text.data(), text.size());
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < view.size();) {
    const auto c = static_cast<unsigned char>(view[i]);
    const size_t length = policy::Utf8SequenceLength(view, i);
    if (length == 0) {  // not UTF-8: shown byte by byte
      absl::StrAppendFormat(&out, "\\x%02x", c);
      ++i;
    } else if (length == 1 && (c < 0x20 || c == 0x7f) &&
               !(keep_line_breaks && c == '\n')) {
      AppendControlEscape(out, c);
      ++i;
    } else if (length == 2 &&
               IsC1Control(c, static_cast<unsigned char>(view[i + 1]))) {
      absl::StrAppendFormat(&out, "\\u%04x",
                            static_cast<unsigned char>(view[i + 1]));
      i += 2;
    } else {
      out.append(view.substr(i, length));
      i += length;
    }
  }
  return out;
}

}  // namespace

std::optional<int> FirstArgumentNotUtf8(int argc, const char* const* argv) {
  for (int i = 1; i < argc; ++i) {
    if (policy::FindInvalidUtf8(argv[i]).has_value()) return i;
  }
  return std::nullopt;
}

std::string DescribeArgument(int index, const char* const* argv) {
  const std::string_view arg = argv[index];
  const std::string_view option = arg.substr(0, arg.find('='));
  const auto is_option = [](std::string_view text) {
    return text.size() > 1 && text[0] == '-' &&
           !policy::FindInvalidUtf8(text).has_value();
  };
  if (option.size() < arg.size() && is_option(option)) {  // --name=VALUE
    return std::string(option);
  }
  if (index > 1 && is_option(argv[index - 1])) return argv[index - 1];
  return absl::StrCat("argument ", index);
}

std::string OneLine(absl::string_view text) {
  return Escape(text, /*keep_line_breaks=*/false);
}

std::string Paragraph(absl::string_view text) {
  return Escape(text, /*keep_line_breaks=*/true);
}

TerminalSafeBuffer::~TerminalSafeBuffer() {
  FlushHeld();
  target_->pubsync();
}

void TerminalSafeBuffer::FlushHeld() {
  if (held_ == '\r') {
    target_->sputn("\\r", 2);
  } else if (held_ >= 0) {
    target_->sputc(static_cast<char>(held_));
  }
  held_ = -1;
}

TerminalSafeBuffer::int_type TerminalSafeBuffer::overflow(int_type ch) {
  if (traits_type::eq_int_type(ch, traits_type::eof())) {
    return traits_type::not_eof(ch);
  }
  const auto c = static_cast<unsigned char>(traits_type::to_char_type(ch));
  if (held_ == '\r' && c == '\n') {  // CR LF ends a line: harmless
    held_ = -1;
    target_->sputn("\r\n", 2);
    return ch;
  }
  if (held_ == 0xc2 && c >= 0x80 && c <= 0x9f) {
    held_ = -1;
    const std::string escaped = absl::StrFormat("\\u%04x", c);
    target_->sputn(escaped.data(),
                   static_cast<std::streamsize>(escaped.size()));
    return ch;
  }
  FlushHeld();
  if (c == '\r' || c == 0xc2) {  // wait for the next byte
    held_ = c;
  } else if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7f) {
    std::string escaped;
    AppendControlEscape(escaped, c);
    target_->sputn(escaped.data(),
                   static_cast<std::streamsize>(escaped.size()));
  } else {
    target_->sputc(static_cast<char>(c));
  }
  return ch;
}

int TerminalSafeBuffer::sync() { return target_->pubsync(); }

}  // namespace reciprocity::client
