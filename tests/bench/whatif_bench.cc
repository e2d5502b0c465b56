// The what-if before a rule change, at scale: a year of claims (100,000 by
// default, WHATIF_CLAIMS to change it) in adult social care, seeded straight
// into the store with their sessions, attendance and participants, then
// judged again under a draft raising the car rate from 55p to 60p a mile.
// Target: well under a minute for a year of claims.
//
// Three timings on the same database, so that the replay's own cost shows:
//   BM_ScanClaims       the baseline: read every claim in the year and
//                       parse its body, nothing else
//   BM_ReplayInProcess  ReplayUnderDraft, as the domain runs it
//   BM_ReplayOverGrpc   PolicyService.WhatIfPolicy through a real server
//                       and a loopback channel, as recip calls it
#include <benchmark/benchmark.h>
#include <grpcpp/grpcpp.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_replace.h"
#include "absl/time/clock.h"
#include "base/clock.h"
#include "base/logging.h"
#include "policy/claim_outcome.h"
#include "policy/dates.h"
#include "policy/registry.h"
#include "reciprocity/v1/policy_service.grpc.pb.h"
#include "reciprocity/v1/programme.pb.h"
#include "server/domain/principal.h"
#include "server/domain/whatif.h"
#include "server/server.h"
#include "server/store/store.h"

namespace reciprocity {
namespace {

namespace fs = std::filesystem;

constexpr int kParticipants = 2000;
constexpr char kArea[] = "adult-social-care";
const char* const kProjects[] = {"ld-user-voice", "over-55s-user-voice",
                                 "carers-user-voice"};
const absl::CivilDay kFirstDay(2026, 4, 1);
const absl::CivilDay kLastDay(2027, 3, 31);

int ClaimCount() {
  const char* env = std::getenv("WHATIF_CLAIMS");
  return env != nullptr && std::atoi(env) > 0 ? std::atoi(env) : 100'000;
}

int64_t NoonMicros(absl::CivilDay day) {
  return absl::ToUnixMicros(absl::FromCivil(
      absl::CivilSecond(day.year(), day.month(), day.day(), 12, 0, 0),
      LondonTimeZone()));
}

void Check(const absl::Status& s, const char* what) {
  if (!s.ok()) {
    std::cerr << what << ": " << s << "\n";
    std::abort();
  }
}

// The benchmark's world: a directory with the rule files, principals and
// the seeded database; the policies in force and the draft.
struct World {
  fs::path dir;
  std::unique_ptr<policy::PolicyRegistry> policies;
  std::shared_ptr<const policy::AreaPolicy> draft;
  std::string draft_text;
  std::unique_ptr<store::Store> store;
  int claims = 0;
};

// A claim for the session: a bus fare and 8 miles by car, judged by the
// engine as a submission would be (with no earlier claims), then stored.
store::ClaimRow SeedClaim(const policy::AreaPolicy& area, int64_t i,
                          const std::string& participant,
                          const std::string& project, int64_t session_id,
                          absl::CivilDay day) {
  v1::Claim claim;
  claim.set_participant(absl::StrCat("participants/", participant));
  claim.set_project(
      absl::StrCat("serviceAreas/", kArea, "/projects/", project));
  claim.set_session(absl::StrCat("sessions/", session_id));
  claim.set_session_date(policy::FormatIsoDate(day));
  claim.set_creche_provided(false);
  v1::ClaimLine* bus = claim.add_lines();
  bus->set_category(v1::EXPENSE_CATEGORY_PUBLIC_TRANSPORT);
  bus->set_amount_pence(320);
  v1::ClaimLine* car = claim.add_lines();
  car->set_category(v1::EXPENSE_CATEGORY_MILEAGE);
  car->set_vehicle(v1::VEHICLE_TYPE_CAR);
  car->set_distance_tenths_of_mile(80);

  policy::ClaimFacts facts;
  facts.project_id = project;
  facts.session_date = day;
  facts.claim_date = day + 1;
  facts.creche_provided = false;
  facts.participant_type = v1::PARTICIPANT_TYPE_RESIDENT;
  facts.lines.assign(claim.lines().begin(), claim.lines().end());
  const policy::ClaimOutcome outcome = policy::DecideClaim(area, facts);
  *claim.mutable_decision() = outcome.decision;
  claim.set_state(outcome.state);
  claim.set_payment_method(v1::PAYMENT_METHOD_BANK_TRANSFER);
  claim.set_claimed_total_pence(outcome.claimed_total_pence);
  claim.set_entered_by("officer-seed");
  claim.set_request_id(absl::StrCat("seed-", i));

  store::ClaimRow row;
  row.participant_id = participant;
  row.area_id = kArea;
  row.project_id = project;
  row.session_id = absl::StrCat(session_id);
  row.session_date = claim.session_date();
  row.state = claim.state();
  row.claimed_total_pence = outcome.claimed_total_pence;
  row.allowed_total_pence = outcome.decision.allowed_total_pence();
  row.car_tenths = outcome.car_tenths;
  row.entered_by = "officer-seed";
  row.request_id = claim.request_id();
  row.create_time_micros = NoonMicros(day + 1);
  row.update_time_micros = row.create_time_micros;
  row.body = claim.SerializeAsString();
  return row;
}

// Participants p-00000..., a session per project and day of the year, and
// `claims` claims spread evenly over the year, each participant at most
// once a day, with the register saying they came.
void Seed(World& world) {
  const policy::AreaPolicy& area = *world.policies->Find(kArea);
  const int days = static_cast<int>(kLastDay - kFirstDay) + 1;
  Check(world.store->Write([&](store::WriteTransaction& tx) -> absl::Status {
    for (int p = 0; p < kParticipants; ++p) {
      v1::Participant participant;
      participant.set_participant_type(v1::PARTICIPANT_TYPE_RESIDENT);
      participant.set_display_name("Seeded");
      store::ParticipantRow row;
      row.id = absl::StrFormat("p-%05d", p);
      row.participant_type = v1::PARTICIPANT_TYPE_RESIDENT;
      row.payment_preference = v1::PAYMENT_METHOD_BANK_TRANSFER;
      row.state = v1::PARTICIPANT_STATE_ACTIVE;
      row.body = participant.SerializeAsString();
      absl::Status s = tx.InsertParticipant(row);
      if (!s.ok()) return s;
    }
    for (int d = 0; d < days; ++d) {
      for (const char* project : kProjects) {
        store::SessionRow row;
        row.area_id = kArea;
        row.project_id = project;
        row.session_date = policy::FormatIsoDate(kFirstDay + d);
        row.create_time_micros = NoonMicros(kFirstDay + d) - 86'400'000'000;
        absl::StatusOr<int64_t> id = tx.InsertSession(row);
        if (!id.ok()) return id.status();
      }
    }
    return absl::OkStatus();
  }),
        "seeding participants and sessions");
  constexpr int kPerTransaction = 10'000;
  const int projects = static_cast<int>(std::size(kProjects));
  for (int done = 0; done < world.claims; done += kPerTransaction) {
    Check(world.store->Write([&](store::WriteTransaction& tx) -> absl::Status {
      for (int64_t i = done; i < std::min(world.claims, done + kPerTransaction);
           ++i) {
        const int d = static_cast<int>(i * days / world.claims);
        const int project = static_cast<int>(i % projects);
        const int64_t session_id = 1 + d * projects + project;
        const std::string participant =
            absl::StrFormat("p-%05d", static_cast<int>(i % kParticipants));
        const absl::CivilDay day = kFirstDay + d;
        // Every attendance records what it earned (here a £15 voucher).
        store::VoucherEntitlementRow earned;
        earned.participant_id = participant;
        earned.session_id = session_id;
        earned.area_id = kArea;
        earned.project_id = kProjects[project];
        earned.session_date = policy::FormatIsoDate(day);
        earned.value_pence = 1500;
        earned.state = v1::VOUCHER_ENTITLEMENT_STATE_EARNED;
        earned.create_time_micros = NoonMicros(day);
        earned.update_time_micros = earned.create_time_micros;
        absl::StatusOr<int64_t> entitlement =
            tx.InsertVoucherEntitlement(earned);
        if (!entitlement.ok()) return entitlement.status();
        store::AttendanceRow attendance;
        attendance.entitlement_id = *entitlement;
        attendance.session_id = session_id;
        attendance.participant_id = participant;
        attendance.minutes = 120;
        attendance.recorded_by = "officer-seed";
        attendance.create_time_micros = NoonMicros(day);
        absl::Status s = tx.InsertAttendance(attendance);
        if (!s.ok()) return s;
        absl::StatusOr<int64_t> id = tx.InsertClaim(SeedClaim(
            area, i, participant, kProjects[project], session_id, day));
        if (!id.ok()) return id.status();
      }
      return absl::OkStatus();
    }),
          "seeding claims");
  }
}

World& TheWorld() {
  static World* world = [] {
    auto* w = new World;
    w->claims = ClaimCount();
    w->dir = fs::temp_directory_path() /
             absl::StrCat("recip-whatif-bench-", getpid());
    fs::remove_all(w->dir);
    fs::create_directories(w->dir / "rules");
    fs::copy(RECIP_POLICY_AREAS_DIR, w->dir / "rules",
             fs::copy_options::recursive);
    auto policies =
        policy::PolicyRegistry::LoadDirectory((w->dir / "rules").string());
    Check(policies.status(), "loading the rules");
    w->policies = *std::move(policies);
    std::ifstream in(w->dir / "rules" / "adult-social-care.textproto");
    std::stringstream text;
    text << in.rdbuf();
    w->draft_text = absl::StrReplaceAll(
        text.str(),
        {{"effective_from: \"2026-04-06\"\n        pence_per_mile: 55",
          "effective_from: \"2026-04-06\"\n        pence_per_mile: 60"}});
    auto draft = policy::ParseRuleFile("draft.textproto", kArea, w->draft_text);
    Check(draft.status(), "the draft");
    if ((*draft)->version() == w->policies->Find(kArea)->version()) {
      std::cerr << "the draft did not change the car rate\n";
      std::abort();
    }
    w->draft = *draft;
    store::StoreOptions options;
    options.path = (w->dir / "bench.db").string();
    auto store = store::Store::Open(options);
    Check(store.status(), "opening the store");
    w->store = *std::move(store);
    const absl::Time start = absl::Now();
    Seed(*w);
    std::printf("seeded %d claims in %.1f s\n", w->claims,
                absl::ToDoubleSeconds(absl::Now() - start));
    return w;
  }();
  return *world;
}

void BM_ScanClaims(benchmark::State& state) {
  World& world = TheWorld();
  for (auto _ : state) {
    int64_t claims = 0, pence = 0;
    Check(world.store->Read([&](store::ReadTransaction& tx) {
      store::ClaimFilter filter;
      filter.session_date_from = policy::FormatIsoDate(kFirstDay);
      filter.session_date_to = policy::FormatIsoDate(kLastDay);
      return tx.ScanClaims(filter, [&](const store::ClaimRow& row) {
        v1::Claim claim;
        if (!claim.ParseFromString(row.body)) {
          return absl::InternalError("unreadable claim");
        }
        ++claims;
        pence += claim.decision().allowed_total_pence();
        return absl::OkStatus();
      });
    }),
          "scanning");
    if (claims != world.claims) state.SkipWithError("claims missing");
    benchmark::DoNotOptimize(pence);
  }
  state.counters["claims"] = world.claims;
}

void BM_ReplayInProcess(benchmark::State& state) {
  World& world = TheWorld();
  for (auto _ : state) {
    auto report = ReplayUnderDraft(*world.store, *world.policies->Find(kArea),
                                   *world.draft, kFirstDay, kLastDay, 100);
    Check(report.status(), "replaying");
    if (report->claims_replayed() != world.claims ||
        report->claims_changed() == 0) {
      state.SkipWithError("the replay missed claims or changed none");
    }
    state.counters["changed"] = report->claims_changed();
    state.counters["extra_pence"] = static_cast<double>(
        report->draft_allowed_pence() - report->allowed_pence());
  }
  state.counters["claims"] = world.claims;
}

void BM_ReplayOverGrpc(benchmark::State& state) {
  World& world = TheWorld();
  // A server of its own on the seeded database; the benchmark's store is
  // closed meanwhile so that the server is its only user.
  world.store.reset();
  {
    std::ofstream out(world.dir / "principals.textproto");
    out << "principals {\n  id: \"finance\"\n  token_sha256: \""
        << Sha256Hex("token-finance")
        << "\"\n  roles: ROLE_FINANCE\n  service_areas: \"*\"\n}\n";
  }
  ServerOptions options;
  options.listen = "127.0.0.1:0";
  options.db_path = (world.dir / "bench.db").string();
  options.rules_dir = (world.dir / "rules").string();
  options.principals_path = (world.dir / "principals.textproto").string();
  options.backup_dir = world.dir.string();
  options.metrics_listen = "127.0.0.1:0";
  FixedClock clock(absl::FromCivil(absl::CivilSecond(2027, 4, 20, 12, 0, 0),
                                   LondonTimeZone()));
  auto server = ReciprocityServer::Start(options, clock);
  Check(server.status(), "starting the server");
  auto stub = v1::PolicyService::NewStub(
      grpc::CreateChannel(absl::StrCat("127.0.0.1:", (*server)->port()),
                          grpc::InsecureChannelCredentials()));
  v1::WhatIfPolicyRequest request;
  request.set_service_area(absl::StrCat("serviceAreas/", kArea));
  request.set_rule_file_text(world.draft_text);
  request.set_rule_file_name("draft.textproto");
  request.set_date_from(policy::FormatIsoDate(kFirstDay));
  request.set_date_to(policy::FormatIsoDate(kLastDay));
  for (auto _ : state) {
    grpc::ClientContext context;
    context.AddMetadata("authorization", "Bearer token-finance");
    context.set_deadline(std::chrono::system_clock::now() +
                         std::chrono::minutes(5));
    v1::WhatIfReport report;
    grpc::Status s = stub->WhatIfPolicy(&context, request, &report);
    if (!s.ok()) {
      state.SkipWithError(s.error_message().c_str());
      break;
    }
    state.counters["changed"] = report.claims_changed();
    state.counters["reply_bytes"] = static_cast<double>(report.ByteSizeLong());
  }
  state.counters["claims"] = world.claims;
  server->reset();
  fs::remove_all(world.dir);
}

BENCHMARK(BM_ScanClaims)
    ->Iterations(3)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK(BM_ReplayInProcess)
    ->Iterations(3)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
// Last: it closes the benchmark's store and removes the files when done.
BENCHMARK(BM_ReplayOverGrpc)
    ->Iterations(3)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace
}  // namespace reciprocity

int main(int argc, char** argv) {
  reciprocity::InitLogging("warn");
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
