// recip admin backup [NAME]
#include <iostream>
#include <memory>

#include "client/call.h"
#include "client/commands.h"
#include "client/output.h"
#include "reciprocity/v1/admin.grpc.pb.h"

namespace reciprocity::client {

void AddAdminCommands(CLI::App& app, Globals& g) {
  CLI::App* admin =
      app.add_subcommand("admin", "operating the service (administrators)");
  admin->require_subcommand(1);

  auto name = std::make_shared<std::string>();
  CLI::App* backup = admin->add_subcommand(
      "backup",
      "take an online copy of the database into the server's --backup-dir");
  backup->add_option("name", *name,
                     "file name in the backup directory (default "
                     "reciprocity-<UTC time>.db)");
  backup->callback([&g, name] {
    v1::BackupDatabaseRequest request;
    request.set_file_name(*name);
    request.set_request_id(NewRequestId());
    // Not retried: a retry after a lost answer would make a second copy.
    CallAndPrint<v1::AdminService, v1::BackupDatabaseResponse>(
        g,
        [&](v1::AdminService::Stub& stub, grpc::ClientContext& c,
            v1::BackupDatabaseResponse* out) {
          return stub.BackupDatabase(&c, request, out);
        },
        [](std::ostream& out, const v1::BackupDatabaseResponse& response) {
          out << "backup written on the server: " << response.path() << "\n"
              << "  " << response.size_bytes() << " bytes, "
              << response.claim_count() << " claims, schema version "
              << response.schema_version() << "\n";
        },
        Retry::kNever);
  });
}

}  // namespace reciprocity::client
