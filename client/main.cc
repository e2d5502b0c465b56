// recip: the Reciprocity command-line client.
#include <iostream>

#include "client/commands.h"
#include "client/terminal_text.h"

int main(int argc, char** argv) {
  // The server reads only UTF-8: refuse anything else here, before it is
  // sent, rather than let the request fail there.
  if (auto bad = reciprocity::client::FirstArgumentNotUtf8(argc, argv)) {
    std::cerr << "recip: " << reciprocity::client::DescribeArgument(*bad, argv)
              << ": not valid UTF-8 text; set the terminal to UTF-8 (e.g. "
                 "LANG=en_GB.UTF-8) and type it again\n";
    return reciprocity::client::kExitUsage;
  }
  reciprocity::client::Globals globals;

  CLI::App app{
      "recip: talk to a Reciprocity server.\n"
      "Amounts are typed in pounds (3.20) and never rounded.\n"
      "Examples:\n"
      "  recip claim preview --participant p-0001 --project "
      "adult-social-care/ld-user-voice --date 2026-11-20 --fare 3.20 --miles "
      "car:12\n"
      "  recip claim list --state NEEDS_REVIEW\n"
      "  recip policy explain adult-social-care",
      "recip"};
  app.require_subcommand(1);
  // Global options such as --json may also follow the subcommand.
  app.fallthrough();
  app.add_option("--server", globals.connection.server,
                 "server host:port (or RECIP_SERVER)")
      ->envname("RECIP_SERVER")
      ->capture_default_str();
  app.add_option("--token", globals.connection.token,
                 "bearer token (or RECIP_TOKEN)")
      ->envname("RECIP_TOKEN");
  app.add_option("--timeout", globals.connection.timeout_seconds,
                 "seconds to wait for the server")
      ->capture_default_str();
  app.add_flag("--json", globals.json, "print JSON for scripts");
  app.add_option(
         "--tls-ca", globals.connection.tls_ca_file,
         "use TLS; PEM CA that signed the server certificate (or RECIP_TLS_CA)")
      ->envname("RECIP_TLS_CA")
      ->check(CLI::ExistingFile);
  CLI::Option* cert =
      app.add_option(
             "--tls-cert", globals.connection.tls_cert_file,
             "mutual TLS: this client's PEM certificate (or RECIP_TLS_CERT)")
          ->envname("RECIP_TLS_CERT")
          ->check(CLI::ExistingFile);
  CLI::Option* key =
      app.add_option("--tls-key", globals.connection.tls_key_file,
                     "mutual TLS: this client's PEM key (or RECIP_TLS_KEY)")
          ->envname("RECIP_TLS_KEY")
          ->check(CLI::ExistingFile);
  cert->needs(key);
  key->needs(cert);

  reciprocity::client::AddClaimCommands(app, globals);
  reciprocity::client::AddPolicyCommands(app, globals);
  reciprocity::client::AddAuditCommands(app, globals);
  reciprocity::client::AddProgrammeCommands(app, globals);
  reciprocity::client::AddStatementCommand(app, globals);
  reciprocity::client::AddBatchCommands(app, globals);
  reciprocity::client::AddReportCommands(app, globals);
  reciprocity::client::AddAdminCommands(app, globals);
  reciprocity::client::AddSignInCommands(app, globals);
  reciprocity::client::AddPrivacyCommands(app, globals);
  reciprocity::client::AddActingForCommands(app, globals);
  reciprocity::client::AddCorrectionCommands(app, globals);

  if (argc <= 1) {
    std::cout << app.help();
    return reciprocity::client::kExitOk;
  }
  // Whatever the server sends (names, notes, error messages) reaches the
  // terminal with its control characters shown, not obeyed.
  reciprocity::client::TerminalSafeBuffer safe_out(std::cout.rdbuf());
  reciprocity::client::TerminalSafeBuffer safe_err(std::cerr.rdbuf());
  std::streambuf* const raw_out = std::cout.rdbuf(&safe_out);
  std::streambuf* const raw_err = std::cerr.rdbuf(&safe_err);
  int exit_code = reciprocity::client::kExitOk;
  try {
    app.parse(argc, argv);
    exit_code = globals.exit_code;
  } catch (const CLI::ParseError& e) {
    // CLI11 prints the help when asked for it (its code 0) or the error's
    // message; its own error codes (105, 106, 109, ...) become ours for
    // usage.
    exit_code = app.exit(e) == 0 ? reciprocity::client::kExitOk
                                 : reciprocity::client::kExitUsage;
  }
  std::cout.flush();
  std::cerr.flush();
  std::cout.rdbuf(raw_out);
  std::cerr.rdbuf(raw_err);
  return exit_code;
}
