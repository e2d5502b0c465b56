// What recip prints cannot drive the terminal: control characters from the
// server are shown, not obeyed.
#include "client/terminal_text.h"

#include <sstream>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace reciprocity::client {
namespace {

TEST(OneLineTest, ControlCharactersAreShownNotObeyed) {
  EXPECT_EQ(OneLine("Sam\x1b[2J"), "Sam\\x1b[2J");
  EXPECT_EQ(OneLine("Sam\nJones"), "Sam\\nJones");
  EXPECT_EQ(OneLine("a\rb\tc"), "a\\rb\\tc");
  EXPECT_EQ(OneLine(std::string("a\0b", 3)), "a\\x00b");
  EXPECT_EQ(OneLine("a\x7f"), "a\\x7f");
  EXPECT_EQ(OneLine("\xc2\x9b"
                    "31m"),
            "\\u009b31m");
  // Bytes that are not UTF-8 cannot hide a control character either.
  EXPECT_EQ(OneLine("a\xff"), "a\\xff");
  EXPECT_EQ(OneLine("back\\slash"), "back\\slash");
  EXPECT_EQ(OneLine("Zoë O'Brien £3.20"), "Zoë O'Brien £3.20");
}

TEST(ParagraphTest, KeepsLineBreaksOnly) {
  EXPECT_EQ(Paragraph("Checked.\nThe lift was broken.\x1b[8m"),
            "Checked.\nThe lift was broken.\\x1b[8m");
  EXPECT_EQ(Paragraph("a\r\nb"), "a\\r\nb");
}

std::string ThroughTerminalBuffer(const std::vector<std::string>& writes) {
  std::ostringstream target;
  {
    TerminalSafeBuffer buffer(target.rdbuf());
    std::ostream out(&buffer);
    for (const std::string& w : writes) out << w << std::flush;
  }
  return target.str();
}

TEST(TerminalSafeBufferTest, EscapesWhatWouldDriveTheTerminal) {
  EXPECT_EQ(ThroughTerminalBuffer({"ok\n", "name: Sam\x1b[2J\n"}),
            "ok\nname: Sam\\x1b[2J\n");
  EXPECT_EQ(ThroughTerminalBuffer({"a\tb\n", std::string("c\0d\n", 4)}),
            "a\tb\nc\\x00d\n");
  // A carriage return that overwrites the line is shown; CR LF (the payment
  // file on standard output) passes, even split across writes.
  EXPECT_EQ(ThroughTerminalBuffer({"1,2\r\n3,4\r", "\n"}), "1,2\r\n3,4\r\n");
  EXPECT_EQ(ThroughTerminalBuffer({"paid\rNOT PAID\n"}), "paid\\rNOT PAID\n");
  EXPECT_EQ(ThroughTerminalBuffer({"x\r"}), "x\\r");
  // C1 controls, whole or split across writes; other characters untouched.
  EXPECT_EQ(ThroughTerminalBuffer({"\xc2\x9b", "a\xc2", "\x9b", "é£\n"}),
            "\\u009ba\\u009bé£\n");
}

}  // namespace
}  // namespace reciprocity::client
