// The subcommands of recip. Each Add* registers one command group on the
// app; the chosen command stores its exit status (client/exit_code.h) in
// `exit_code`.
#ifndef RECIPROCITY_CLIENT_COMMANDS_H_
#define RECIPROCITY_CLIENT_COMMANDS_H_

#include <CLI/CLI.hpp>

#include "client/connection.h"
#include "client/exit_code.h"

namespace reciprocity::client {

struct Globals {
  ConnectionOptions connection;
  bool json = false;
  int exit_code = kExitOk;  // client/exit_code.h
};

void AddClaimCommands(CLI::App& app, Globals& globals);
void AddPolicyCommands(CLI::App& app, Globals& globals);
// recip policy whatif: `policy` is the "policy" command group.
void AddWhatIfCommand(CLI::App& policy, Globals& globals);
void AddAuditCommands(CLI::App& app, Globals& globals);
// participant, session, agreement, attendance and voucher commands.
void AddProgrammeCommands(CLI::App& app, Globals& globals);
// recip statement PARTICIPANT.
void AddStatementCommand(CLI::App& app, Globals& globals);
void AddBatchCommands(CLI::App& app, Globals& globals);
void AddReportCommands(CLI::App& app, Globals& globals);
void AddAdminCommands(CLI::App& app, Globals& globals);
void AddSignInCommands(CLI::App& app, Globals& globals);
// participant export|anonymise and admin retention: call after the
// participant and admin groups are added.
void AddPrivacyCommands(CLI::App& app, Globals& globals);
// agreement standing|end and participant appointee add|remove: call after
// the programme commands are added.
void AddActingForCommands(CLI::App& app, Globals& globals);
// session update|cancel, attendance correct|remove and claim amend: call
// after the claim and programme groups are added.
void AddCorrectionCommands(CLI::App& app, Globals& globals);

}  // namespace reciprocity::client

#endif  // RECIPROCITY_CLIENT_COMMANDS_H_
