#include "server/server.h"

#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/health_check_service_interface.h>

#include <fstream>
#include <sstream>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "base/logging.h"
#include "reciprocity/v1/claims.pb.h"
#include "server/domain/batch_service.h"
#include "server/domain/claim_service.h"
#include "server/domain/policy_service.h"
#include "server/domain/programme_service.h"
#include "server/rpc/admin_grpc_service.h"
#include "server/rpc/finance_grpc_service.h"
#include "server/rpc/grpc_services.h"
#include "server/rpc/sign_in_grpc_service.h"
#include "server/rpc/unreadable_requests.h"
#include "server/rpc/watchdog.h"

namespace reciprocity {

struct ReciprocityServer::Parts {
  Parts(store::Store& store, policy::PolicyRegistry& policies,
        PrincipalDirectory& principals, const Clock& clock, Metrics* metrics,
        const std::string& backup_dir, store::SignInStore& sign_ins,
        const ServerOptions& options)
      : runner(principals, metrics),
        claims(store, policies, clock),
        policy(store, policies, clock),
        audit(store),
        programme(store, policies, clock),
        claim_grpc(runner, claims),
        policy_grpc(runner, policy),
        audit_grpc(runner, audit),
        privacy(store, clock),
        programme_grpc(runner, programme, privacy),
        batches(store, policies, clock),
        reports(store, policies, clock),
        finance_grpc(runner, batches, reports),
        admin(store, clock, backup_dir),
        admin_grpc(runner, admin, privacy),
        sign_in(
            sign_ins, store, clock,
            [&principals](absl::string_view id) {
              return principals.FindById(id);
            },
            [&options] {
              SignInOptions sign_in_options;
              sign_in_options.throttle = options.sign_in_throttle;
              return sign_in_options;
            }()),
        sign_in_grpc(runner, sign_in, options.sign_in_proxies) {
    runner.SetSessions(&sign_in);
  }
  CallRunner runner;
  ClaimService claims;
  PolicyService policy;
  AuditService audit;
  ProgrammeService programme;
  ClaimGrpcService claim_grpc;
  PolicyGrpcService policy_grpc;
  AuditGrpcService audit_grpc;
  PrivacyService privacy;
  ProgrammeGrpcService programme_grpc;
  BatchService batches;
  ReportService reports;
  FinanceGrpcService finance_grpc;
  AdminService admin;
  AdminGrpcService admin_grpc;
  SignInService sign_in;
  SignInGrpcService sign_in_grpc;
};

namespace {

absl::StatusOr<std::string> ReadPemFile(absl::string_view flag,
                                        const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    return absl::NotFoundError(absl::StrCat(flag, ": cannot read ", path));
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> Credentials(
    const ServerOptions& options) {
  if (options.tls_cert_file.empty() != options.tls_key_file.empty()) {
    return absl::InvalidArgumentError(
        "TLS needs both --tls-cert and --tls-key");
  }
  if (options.tls_cert_file.empty()) {
    if (!options.tls_client_ca_file.empty()) {
      return absl::InvalidArgumentError(
          "--tls-client-ca needs --tls-cert and --tls-key too");
    }
    if (!IsLoopbackAddress(options.listen) &&
        !options.allow_insecure_non_loopback) {
      return absl::FailedPreconditionError(absl::StrCat(
          "refusing to listen on ", options.listen,
          " without TLS: claims hold personal data. Give --tls-cert and "
          "--tls-key, listen on 127.0.0.1, or pass "
          "--allow-insecure-non-loopback if this is really intended"));
    }
    return grpc::InsecureServerCredentials();
  }
  auto cert = ReadPemFile("--tls-cert", options.tls_cert_file);
  if (!cert.ok()) return cert.status();
  auto key = ReadPemFile("--tls-key", options.tls_key_file);
  if (!key.ok()) return key.status();
  grpc::SslServerCredentialsOptions ssl(
      options.tls_client_ca_file.empty()
          ? GRPC_SSL_DONT_REQUEST_CLIENT_CERTIFICATE
          : GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY);
  if (!options.tls_client_ca_file.empty()) {
    auto ca = ReadPemFile("--tls-client-ca", options.tls_client_ca_file);
    if (!ca.ok()) return ca.status();
    ssl.pem_root_certs = *ca;
  }
  ssl.pem_key_cert_pairs.push_back({*key, *cert});
  return grpc::SslServerCredentials(ssl);
}

// Families read at scrape time: claims and batches by state and the rule
// files in force.
void AddStoreAndPolicyCollectors(Metrics& metrics, store::Store& store,
                                 const policy::PolicyRegistry& policies) {
  metrics.AddCollector([&store](std::string& out) {
    absl::StatusOr<std::map<int, int64_t>> counts = store.CountClaimsByState();
    if (!counts.ok()) return;  // the scrape goes on without this family
    AppendMetricHeader(out, "reciprocity_claims", "gauge",
                       "Claims in the database by state.");
    const auto* states = v1::ClaimState_descriptor();
    for (int i = 0; i < states->value_count(); ++i) {
      const int number = states->value(i)->number();
      if (number == 0) continue;
      auto it = counts->find(number);
      AppendSample(out, "reciprocity_claims",
                   {{"state", std::string(absl::StripPrefix(
                                  states->value(i)->name(), "CLAIM_STATE_"))}},
                   it == counts->end() ? 0.0 : static_cast<double>(it->second));
    }
  });
  metrics.AddCollector([&store](std::string& out) {
    auto totals = store.CountBatchesByState();
    if (!totals.ok()) return;
    const auto* states = v1::BatchState_descriptor();
    for (const bool money : {false, true}) {
      const char* name =
          money ? "reciprocity_batch_pence" : "reciprocity_batches";
      AppendMetricHeader(out, name, "gauge",
                         money ? "Pence paid by payment batches, by state."
                               : "Payment batches by state.");
      for (int i = 0; i < states->value_count(); ++i) {
        const int number = states->value(i)->number();
        if (number == 0) continue;
        auto it = totals->find(number);
        int64_t value = 0;
        if (it != totals->end()) {
          value = money ? it->second.pence : it->second.batches;
        }
        AppendIntegerSample(
            out, name,
            {{"state", std::string(absl::StripPrefix(states->value(i)->name(),
                                                     "BATCH_STATE_"))}},
            value);
      }
    }
  });
  metrics.AddCollector([&store](std::string& out) {
    absl::StatusOr<store::Store::WriteStats> stats = store.GetWriteStats();
    if (!stats.ok()) return;
    struct Distribution {
      const char* name;
      const char* help;
      const Histogram& histogram;
    };
    for (const Distribution& t :
         {Distribution{"reciprocity_store_commit_duration_seconds",
                       "Group commits: one transaction carrying the writes "
                       "queued, from BEGIN to a durable COMMIT.",
                       stats->commit_seconds},
          Distribution{
              "reciprocity_store_writes_per_commit",
              "Writes (a claim, a review, a batch ...) carried by each "
              "group commit.",
              stats->writes_per_commit}}) {
      AppendMetricHeader(out, t.name, "histogram", t.help);
      AppendHistogram(out, t.name, {}, t.histogram);
    }
    struct Count {
      const char* name;
      const char* type;
      const char* help;
      int64_t value;
    };
    for (const Count& c :
         {Count{"reciprocity_store_failed_commits_total", "counter",
                "Group commits lost to the disk (full, I/O error); their "
                "callers were told UNAVAILABLE or RESOURCE_EXHAUSTED.",
                stats->storage_failures},
          Count{"reciprocity_store_refused_writes_total", "counter",
                "Writes refused at once because too many were already "
                "waiting for a commit.",
                stats->refused},
          Count{"reciprocity_store_waiting_writes", "gauge",
                "Writes waiting for the next group commit.", stats->waiting}}) {
      AppendMetricHeader(out, c.name, c.type, c.help);
      AppendIntegerSample(out, c.name, {}, c.value);
    }
  });
  metrics.AddCollector([&policies](std::string& out) {
    AppendMetricHeader(out, "reciprocity_rule_file_info", "gauge",
                       "The rule-file version in force for each service area "
                       "(always 1).");
    for (const auto& area : policies.All()) {
      AppendSample(out, "reciprocity_rule_file_info",
                   {{"area", area->area_id()}, {"version", area->version()}},
                   1);
    }
  });
  metrics.AddCollector([](std::string& out) {
    AppendMetricHeader(out, "reciprocity_schema_version", "gauge",
                       "The database schema version this build writes.");
    AppendSample(out, "reciprocity_schema_version", {},
                 store::Store::CurrentSchemaVersion());
  });
}

void AddConnectionCollector(Metrics& metrics, const ConnectionGate& gate) {
  metrics.AddCollector([&gate](std::string& out) {
    const ConnectionGate::Stats stats = gate.GetStats();
    AppendMetricHeader(out, "reciprocity_connections_open", "gauge",
                       "gRPC connections open now.");
    AppendIntegerSample(out, "reciprocity_connections_open", {}, stats.open);
    AppendMetricHeader(out, "reciprocity_connections_limit", "gauge",
                       "The caps in force: in all, and from one address.");
    AppendIntegerSample(out, "reciprocity_connections_limit",
                        {{"scope", "total"}}, stats.max_connections);
    AppendIntegerSample(out, "reciprocity_connections_limit",
                        {{"scope", "peer"}}, stats.max_connections_per_peer);
    AppendMetricHeader(out, "reciprocity_connections_refused_total", "counter",
                       "Connections closed as soon as they were accepted.");
    AppendIntegerSample(out, "reciprocity_connections_refused_total",
                        {{"reason", "total_cap"}}, stats.refused_at_total_cap);
    AppendIntegerSample(out, "reciprocity_connections_refused_total",
                        {{"reason", "peer_cap"}}, stats.refused_at_peer_cap);
    AppendIntegerSample(out, "reciprocity_connections_refused_total",
                        {{"reason", "out_of_descriptors"}},
                        stats.shed_out_of_descriptors);
  });
}

}  // namespace

bool IsLoopbackAddress(absl::string_view listen) {
  absl::string_view host = listen;
  if (absl::ConsumePrefix(&host, "[")) {
    return absl::StartsWith(host, "::1]");
  }
  host = host.substr(0, host.rfind(':'));
  return host == "localhost" || absl::StartsWith(host, "127.");
}

absl::Status ReciprocityServer::ReloadConfiguration() {
  absl::Status s = principals_->Reload();
  policy::ReloadResult rules = policies_->Reload();
  for (const auto& error : rules.errors) {
    LogWarn("rule_file_refused", {{"error", error}});
  }
  if (absl::Status recorded = parts_->policy.RecordVersionsInForce();
      !recorded.ok()) {
    s.Update(recorded);
  }
  LogInfo("configuration_reloaded",
          {{"principals", s.ok() ? "ok" : std::string(s.message())},
           {"rule_files_loaded", absl::StrCat(rules.loaded_versions.size())},
           {"rule_files_refused", absl::StrCat(rules.errors.size())}});
  return s;
}

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
  auto sign_ins = store::SignInStore::Open(options.db_path);
  if (!sign_ins.ok()) return sign_ins.status();
  server->sign_in_store_ = *std::move(sign_ins);

  server->metrics_ = std::make_unique<Metrics>();
  AddStoreAndPolicyCollectors(*server->metrics_, *server->store_,
                              *server->policies_);
  server->parts_ = std::make_unique<Parts>(
      *server->store_, *server->policies_, *server->principals_, clock,
      server->metrics_.get(), options.backup_dir, *server->sign_in_store_,
      options);
  if (absl::Status s = server->parts_->policy.RecordVersionsInForce();
      !s.ok()) {
    return s;
  }

  auto credentials = Credentials(options);
  if (!credentials.ok()) return credentials.status();

  // Our own accept path (see connection_gate.h): bound first, so that a
  // port in use fails before anything starts.
  ConnectionLimits limits;
  limits.max_connections = options.max_connections;
  limits.max_connections_per_peer = options.max_connections_per_peer;
  auto gate = ConnectionGate::Listen(options.listen, limits);
  if (!gate.ok()) return gate.status();
  server->gate_ = *std::move(gate);
  server->port_ = server->gate_->port();
  AddConnectionCollector(*server->metrics_, *server->gate_);

  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  grpc::ServerBuilder builder;
  builder.SetMaxReceiveMessageSize(options.max_request_bytes);
  builder.AddChannelArgument(GRPC_ARG_MAX_CONCURRENT_STREAMS,
                             options.max_concurrent_streams);
  // Keepalive enforcement: clients may ping at most once a minute when idle;
  // two strikes and the connection is closed. Idle connections go after an
  // hour.
  builder.AddChannelArgument(
      GRPC_ARG_HTTP2_MIN_RECV_PING_INTERVAL_WITHOUT_DATA_MS, 60'000);
  builder.AddChannelArgument(GRPC_ARG_HTTP2_MAX_PING_STRIKES, 2);
  builder.AddChannelArgument(GRPC_ARG_MAX_CONNECTION_IDLE_MS, 3'600'000);
  builder.AddChannelArgument(GRPC_ARG_MAX_CONNECTION_AGE_MS,
                             options.max_connection_age_seconds * 1000);
  builder.AddChannelArgument(GRPC_ARG_MAX_CONNECTION_AGE_GRACE_MS,
                             options.max_connection_age_grace_seconds * 1000);
  builder.AddChannelArgument(GRPC_ARG_SERVER_HANDSHAKE_TIMEOUT_MS,
                             options.handshake_timeout_seconds * 1000);
  // Headers are small here; the default allows 8 KiB per call, kept
  // explicit so that it is part of the memory bound.
  builder.AddChannelArgument(GRPC_ARG_MAX_METADATA_SIZE, 8 * 1024);
  grpc::ResourceQuota quota("reciprocity");
  quota.SetMaxThreads(options.max_threads);
  quota.Resize(static_cast<size_t>(options.memory_quota_bytes));
  builder.SetResourceQuota(quota);
  // Group commit finishes many calls at once. With the default two idle
  // pollers the sync server would then end all but two of those threads and
  // start new ones for the next burst; keeping them saves that churn.
  builder.SetSyncServerOption(
      grpc::ServerBuilder::SyncServerOption::MAX_POLLERS, 64);
  // Requests gRPC cannot parse become INVALID_ARGUMENT, counted and logged
  // (unreadable_requests.h).
  std::vector<
      std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>>
      interceptors;
  interceptors.push_back(std::make_unique<UnreadableRequestInterceptorFactory>(
      server->metrics_.get()));
  builder.experimental().SetInterceptorCreators(std::move(interceptors));
  std::unique_ptr<grpc::experimental::ExternalConnectionAcceptor> acceptor =
      builder.experimental().AddExternalConnectionAcceptor(
          grpc::ServerBuilder::experimental_type::ExternalConnectionType::
              FROM_FD,
          *credentials);
  builder.RegisterService(&server->parts_->claim_grpc);
  builder.RegisterService(&server->parts_->policy_grpc);
  builder.RegisterService(&server->parts_->audit_grpc);
  builder.RegisterService(&server->parts_->programme_grpc);
  builder.RegisterService(&server->parts_->finance_grpc);
  builder.RegisterService(&server->parts_->admin_grpc);
  builder.RegisterService(&server->parts_->sign_in_grpc);
  server->server_ = builder.BuildAndStart();
  if (server->server_ == nullptr) {
    return absl::InternalError("the gRPC server did not start");
  }
  server->gate_->Start(std::move(acceptor));
  auto* health = server->server_->GetHealthCheckService();
  health->SetServingStatus("reciprocity.v1.ClaimService", true);
  health->SetServingStatus("reciprocity.v1.PolicyService", true);
  health->SetServingStatus("reciprocity.v1.AuditService", true);
  health->SetServingStatus("reciprocity.v1.ProgrammeService", true);
  health->SetServingStatus("reciprocity.v1.FinanceService", true);
  health->SetServingStatus("reciprocity.v1.AdminService", true);
  health->SetServingStatus("reciprocity.v1.SignInService", true);
  if (!options.metrics_listen.empty()) {
    auto http = MetricsHttpServer::Start(
        options.metrics_listen,
        [metrics = server->metrics_.get()] { return metrics->Render(); });
    if (!http.ok()) return http.status();
    server->metrics_http_ = *std::move(http);
  }
  server->watchdog_ = Watchdog::StartIfAsked(
      [s = server.get(),
       channel = server->server_->InProcessChannel(grpc::ChannelArguments())] {
        return s->Healthy(channel);
      });
  NotifyReady();
  LogInfo("server_started",
          {{"listen", options.listen},
           {"port", absl::StrCat(server->port_)},
           {"areas", absl::StrCat(server->policies_->All().size())}});
  return server;
}

ReciprocityServer::~ReciprocityServer() { Shutdown(absl::Seconds(1)); }

bool ReciprocityServer::Healthy(
    const std::shared_ptr<grpc::Channel>& channel) const {
  // The accept loop goes round at least once a second.
  if (absl::Now() - gate_->LastHeartbeat() > absl::Seconds(5)) return false;
  // A real call through gRPC's queues and threads.
  grpc::GenericStub stub(channel);
  grpc::CompletionQueue queue;
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() +
                       std::chrono::seconds(2));
  grpc::Slice empty(std::string{});
  grpc::ByteBuffer request(&empty, 1);
  grpc::ByteBuffer reply;
  grpc::Status status;
  auto call = stub.PrepareUnaryCall(&context, "/grpc.health.v1.Health/Check",
                                    request, &queue);
  call->StartCall();
  call->Finish(&reply, &status, reinterpret_cast<void*>(1));
  void* tag = nullptr;
  bool ok = false;
  queue.Next(&tag, &ok);
  queue.Shutdown();
  while (queue.Next(&tag, &ok)) {
  }
  std::vector<grpc::Slice> slices;
  if (!status.ok() || !reply.Dump(&slices).ok()) return false;
  std::string bytes;
  for (const grpc::Slice& slice : slices) {
    bytes.append(reinterpret_cast<const char*>(slice.begin()), slice.size());
  }
  return bytes == std::string("\x08\x01", 2);  // status: SERVING
}

int ReciprocityServer::metrics_port() const {
  return metrics_http_ == nullptr ? 0 : metrics_http_->port();
}

std::shared_ptr<grpc::Channel> ReciprocityServer::InProcessChannel() {
  return server_->InProcessChannel(grpc::ChannelArguments());
}

void ReciprocityServer::Shutdown(absl::Duration grace) {
  if (shut_down_ || server_ == nullptr) return;
  shut_down_ = true;
  NotifyStopping();
  watchdog_.reset();
  gate_->Stop();          // no new connections
  metrics_http_.reset();  // its collectors read the store
  server_->GetHealthCheckService()->Shutdown();
  server_->Shutdown(absl::ToChronoTime(absl::Now() + grace));
  server_->Wait();
  parts_.reset();
  sign_in_store_.reset();
  store_.reset();  // closes the database
  LogInfo("server_stopped");
}

void ReciprocityServer::Wait() {
  if (server_ != nullptr) server_->Wait();
}

}  // namespace reciprocity
