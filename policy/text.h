// Checks on text that people will read: valid UTF-8, and no control
// characters that could drive a terminal. Shared by rule files, the server
// and recip.
#ifndef RECIPROCITY_POLICY_TEXT_H_
#define RECIPROCITY_POLICY_TEXT_H_

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace reciprocity::policy {

// Byte offset of the first byte of `text` that does not start a well-formed
// UTF-8 sequence (overlong forms, surrogates and values above U+10FFFF are
// not well formed); nullopt when all of `text` is UTF-8.
std::optional<size_t> FindInvalidUtf8(std::string_view text);

// Length in bytes of the UTF-8 sequence starting at text[i], or 0 when none
// starts there.
size_t Utf8SequenceLength(std::string_view text, size_t i);

// The number of characters (code points) in UTF-8 `text`.
size_t CountCharacters(std::string_view text);

// Byte offset of the first control character (Unicode category Cc:
// U+0000-U+001F, U+007F, U+0080-U+009F) in UTF-8 `text`, other than a line
// break ('\n') when `allow_line_breaks`; nullopt when there is none.
// Bytes that are not UTF-8 are not looked at: check FindInvalidUtf8 first.
std::optional<size_t> FindControlCharacter(std::string_view text,
                                           bool allow_line_breaks = false);

}  // namespace reciprocity::policy

#endif  // RECIPROCITY_POLICY_TEXT_H_
