// recip sends only text: an argument that is not UTF-8 is refused before
// anything is sent.
#include <sys/wait.h>
#include <unistd.h>

#include <string>
#include <utility>
#include <vector>

#include "client/terminal_text.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace reciprocity::client {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::Optional;

TEST(ArgumentsTest, FindsTheFirstArgumentThatIsNotUtf8) {
  const char* fine[] = {"recip", "participant", "create", "--name", "Zoë"};
  EXPECT_EQ(FirstArgumentNotUtf8(5, fine), std::nullopt);
  const char* bad[] = {"recip",   "participant", "create", "--name",
                       "Sam\xff", "--contact",   "\xc3"};
  EXPECT_THAT(FirstArgumentNotUtf8(7, bad), Optional(4));
  EXPECT_EQ(DescribeArgument(4, bad), "--name");
  const char* joined[] = {"recip", "claim", "submit", "--payee=\xff"};
  EXPECT_THAT(FirstArgumentNotUtf8(4, joined), Optional(3));
  EXPECT_EQ(DescribeArgument(3, joined), "--payee");
  const char* positional[] = {"recip", "participant", "get", "p\xff"};
  EXPECT_EQ(DescribeArgument(3, positional), "argument 3");
}

// Runs `args` (argv[0] first) and returns the exit code and what it wrote
// to standard output and standard error.
std::pair<int, std::string> RunProgram(std::vector<std::string> args) {
  int out[2];
  if (pipe(out) != 0) return {-1, "pipe failed"};
  const pid_t pid = fork();
  if (pid == 0) {
    dup2(out[1], 1);
    dup2(out[1], 2);
    close(out[0]);
    std::vector<char*> argv;
    for (std::string& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    execv(argv[0], argv.data());
    _exit(127);
  }
  close(out[1]);
  std::string output;
  char chunk[256];
  for (ssize_t n; (n = read(out[0], chunk, sizeof chunk)) > 0;) {
    output.append(chunk, static_cast<size_t>(n));
  }
  close(out[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, output};
}

// The real binary refuses before it connects: nothing listens at the
// server address, and the answer is about the argument, not the server.
TEST(ArgumentsTest, RecipRefusesArgumentsThatAreNotUtf8BeforeSending) {
  const auto [code, output] =
      RunProgram({RECIP_CLIENT_BINARY, "--server", "127.0.0.1:1", "--token",
                  "t", "participant", "create", "p-0100", "--type", "resident",
                  "--name", "Sam\xff"});
  EXPECT_EQ(code, 2) << output;
  EXPECT_THAT(output, HasSubstr("not valid UTF-8"));
  EXPECT_THAT(output, HasSubstr("--name"));
  EXPECT_THAT(output, Not(HasSubstr("UNAVAILABLE")));
  EXPECT_THAT(output, Not(HasSubstr("\xff")));
}

}  // namespace
}  // namespace reciprocity::client
