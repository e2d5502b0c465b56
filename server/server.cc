#include "server/server.h"

#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/health_check_service_interface.h>

#include "absl/strings/str_cat.h"
#include "server/batch_service.h"
#include "server/claim_service.h"
#include "server/finance_grpc_service.h"
#include "server/grpc_services.h"
#include "server/logging.h"
#include "server/policy_service.h"

namespace reciprocity {

struct ReciprocityServer::Parts {
  Parts(store::Store& store, policy::PolicyRegistry& policies,
        PrincipalDirectory& principals, const Clock& clock)
      : runner(principals),
        claims(store, policies, clock),
        policy(store, policies, clock),
        claim_grpc(runner, claims),
        policy_grpc(runner, policy),
        batches(store, policies, clock),
        reports(store, policies, clock),
        finance_grpc(runner, batches, reports) {}
  CallRunner runner;
  ClaimService claims;
  PolicyService policy;
  ClaimGrpcService claim_grpc;
  PolicyGrpcService policy_grpc;
  BatchService batches;
  ReportService reports;
  FinanceGrpcService finance_grpc;
};

absl::StatusOr<std::unique_ptr<ReciprocityServer>> ReciprocityServer::Start(
    const ServerOptions& options, const Clock& clock) {
  std::unique_ptr<ReciprocityServer> server(new ReciprocityServer());
  auto policies = policy::PolicyRegistry::LoadDirectory(options.rules_dir);
  if (!policies.ok()) return policies.status();
  server->policies_ = *std::move(policies);

  auto principals = PrincipalDirectory::Load(options.principals_path);
  if (!principals.ok()) return principals.status();
  server->principals_ = *std::move(principals);

  store::StoreOptions store_options;
  store_options.path = options.db_path;
  auto store = store::Store::Open(store_options);
  if (!store.ok()) {
    return absl::Status(
        store.status().code(),
        absl::StrCat(options.db_path, ": ", store.status().message()));
  }
  server->store_ = *std::move(store);

  server->parts_ = std::make_unique<Parts>(*server->store_, *server->policies_,
                                           *server->principals_, clock);
  if (absl::Status s = server->parts_->policy.RecordVersionsInForce();
      !s.ok()) {
    return s;
  }

  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  grpc::ServerBuilder builder;
  // Without this a second server on the same port starts silently.
  builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
  builder.SetMaxReceiveMessageSize(options.max_request_bytes);
  builder.AddListeningPort(options.listen, grpc::InsecureServerCredentials(),
                           &server->port_);
  builder.RegisterService(&server->parts_->claim_grpc);
  builder.RegisterService(&server->parts_->policy_grpc);
  builder.RegisterService(&server->parts_->finance_grpc);
  server->server_ = builder.BuildAndStart();
  if (server->server_ == nullptr || server->port_ == 0) {
    return absl::UnavailableError(absl::StrCat(
        "cannot listen on ", options.listen,
        ": the address is in use or not valid (use --listen host:port)"));
  }
  auto* health = server->server_->GetHealthCheckService();
  health->SetServingStatus("reciprocity.v1.ClaimService", true);
  health->SetServingStatus("reciprocity.v1.PolicyService", true);
  health->SetServingStatus("reciprocity.v1.FinanceService", true);
  LogInfo("server_started",
          {{"listen", options.listen},
           {"port", absl::StrCat(server->port_)},
           {"areas", absl::StrCat(server->policies_->All().size())}});
  return server;
}

ReciprocityServer::~ReciprocityServer() { Shutdown(absl::Seconds(1)); }

std::shared_ptr<grpc::Channel> ReciprocityServer::InProcessChannel() {
  return server_->InProcessChannel(grpc::ChannelArguments());
}

void ReciprocityServer::Shutdown(absl::Duration grace) {
  if (shut_down_ || server_ == nullptr) return;
  shut_down_ = true;
  server_->GetHealthCheckService()->Shutdown();
  server_->Shutdown(absl::ToChronoTime(absl::Now() + grace));
  server_->Wait();
  parts_.reset();
  store_.reset();  // closes the database
  LogInfo("server_stopped");
}

void ReciprocityServer::Wait() {
  if (server_ != nullptr) server_->Wait();
}

}  // namespace reciprocity
