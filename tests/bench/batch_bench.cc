// Payment batches at scale: create, approve and export a batch of 10,000 and
// of 100,000 approved claims (seeded straight into the store), reporting the
// time of each step and the peak memory (VmHWM) of the whole run.
// Targets: under 3 s for 100,000 claims in all; peak memory for 100,000 no
// more than 1.2x that for 10,000 (the export is streamed).
#include <benchmark/benchmark.h>
#include <stdlib.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "base/clock.h"
#include "reciprocity/v1/claims.pb.h"
#include "server/domain/batch_service.h"
#include "server/store/store.h"

namespace reciprocity {
namespace {

namespace fs = std::filesystem;

// Peak resident memory of this process in KiB, since the last reset.
int64_t PeakKib() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmHWM:", 0) == 0) return std::atoll(line.c_str() + 6);
  }
  return -1;
}

// Starts a new peak from the current resident size (Linux 4.0 and later).
void ResetPeak() { std::ofstream("/proc/self/clear_refs") << "5"; }

std::string ClaimBody(int participant) {
  v1::Claim claim;
  claim.set_participant(absl::StrFormat("participants/p-%05d", participant));
  claim.set_project("serviceAreas/adult-social-care/projects/ld-user-voice");
  claim.set_session_date("2026-11-18");
  claim.set_state(v1::CLAIM_STATE_APPROVED);
  claim.set_payment_method(participant % 10 == 0
                               ? v1::PAYMENT_METHOD_VOUCHER
                               : v1::PAYMENT_METHOD_BANK_TRANSFER);
  v1::ClaimLine* line = claim.add_lines();
  line->set_category(v1::EXPENSE_CATEGORY_PUBLIC_TRANSPORT);
  line->set_amount_pence(320);
  line->set_description("Bus there and back");
  v1::LineDecision* decided = claim.mutable_decision()->add_lines();
  decided->set_allowed_pence(320);
  decided->set_outcome(v1::LINE_OUTCOME_PAID_IN_FULL);
  decided->set_rule("travel.public_transport");
  decided->set_reason("We pay bus and train fares. You paid £3.20.");
  claim.mutable_decision()->set_allowed_total_pence(320);
  claim.mutable_decision()->set_policy_version("adult-social-care@bench");
  claim.set_entered_by("officer-asc");
  v1::ClaimEvent* e = claim.add_history();
  e->set_actor("officer-asc");
  e->set_action("submitted on the participant's behalf");
  e->set_state(v1::CLAIM_STATE_APPROVED);
  return claim.SerializeAsString();
}

void Seed(store::Store& store, int claims) {
  constexpr int kPerTransaction = 5000;
  std::map<int, std::string> bodies;
  for (int done = 0; done < claims; done += kPerTransaction) {
    absl::Status s = store.Write([&](store::WriteTransaction& tx) {
      for (int i = done; i < std::min(claims, done + kPerTransaction); ++i) {
        const int participant = i % 2000;
        auto& body = bodies[participant];
        if (body.empty()) body = ClaimBody(participant);
        store::ClaimRow row;
        row.participant_id = absl::StrFormat("p-%05d", participant);
        row.area_id = "adult-social-care";
        row.project_id = "ld-user-voice";
        row.session_date = "2026-11-18";
        row.state = v1::CLAIM_STATE_APPROVED;
        row.claimed_total_pence = 320;
        row.allowed_total_pence = 320;
        row.entered_by = "officer-asc";
        row.request_id = absl::StrCat("seed-", i);
        row.body = body;
        auto id = tx.InsertClaim(row);
        if (!id.ok()) return id.status();
      }
      return absl::OkStatus();
    });
    if (!s.ok()) {
      std::cerr << s << "\n";
      std::abort();
    }
  }
}

Principal Finance(const std::string& id) {
  Principal p;
  p.id = id;
  p.roles = {v1::ROLE_FINANCE};
  p.service_areas = {"*"};
  return p;
}

struct Figures {
  double seconds = 0;
  int64_t peak_kib = 0;
};
std::map<int64_t, Figures>& Results() {
  static auto* results = new std::map<int64_t, Figures>();
  return *results;
}

void BM_CreateApproveExport(benchmark::State& state) {
  const int claims = static_cast<int>(state.range(0));
  for (auto _ : state) {
    state.PauseTiming();
    const fs::path dir =
        fs::temp_directory_path() / absl::StrCat("recip-bench-", getpid());
    fs::remove_all(dir);
    fs::create_directories(dir);
    auto policies =
        policy::PolicyRegistry::LoadDirectory(RECIP_POLICY_AREAS_DIR);
    store::StoreOptions options;
    options.path = (dir / "bench.db").string();
    auto store = store::Store::Open(options);
    if (!policies.ok() || !store.ok()) std::abort();
    Seed(**store, claims);
    FixedClock clock(absl::FromCivil(absl::CivilSecond(2026, 11, 20, 12, 0, 0),
                                     absl::UTCTimeZone()));
    BatchService batches(**store, **policies, clock);
    ResetPeak();
    state.ResumeTiming();

    const absl::Time start = absl::Now();
    v1::CreateBatchRequest create;
    create.set_request_id("create");
    auto batch = batches.Create(Finance("finance"), create);
    const absl::Time created = absl::Now();
    v1::ApproveBatchRequest approve;
    approve.set_name(batch.ok() ? batch->name() : "");
    approve.set_request_id("approve");
    auto approved = batches.Approve(Finance("finance-2"), approve);
    const absl::Time approved_at = absl::Now();
    v1::ExportBatchRequest export_request;
    export_request.set_name(approve.name());
    export_request.set_request_id("export");
    int64_t bytes = 0;
    absl::Status exported = batches.Export(
        Finance("finance"), export_request,
        [&](const v1::ExportBatchResponse& piece) {
          bytes += static_cast<int64_t>(piece.payment_file_chunk().size() +
                                        piece.voucher_file_chunk().size());
          return true;
        });
    const absl::Time end = absl::Now();
    if (!batch.ok() || !approved.ok() || !exported.ok() ||
        batch->claim_count() != claims) {
      state.SkipWithError("a batch step failed");
      break;
    }

    state.PauseTiming();
    const int64_t peak = PeakKib();
    state.counters["create_ms"] = absl::ToDoubleMilliseconds(created - start);
    state.counters["approve_ms"] =
        absl::ToDoubleMilliseconds(approved_at - created);
    state.counters["export_ms"] = absl::ToDoubleMilliseconds(end - approved_at);
    state.counters["export_bytes"] = static_cast<double>(bytes);
    state.counters["peak_MiB"] = static_cast<double>(peak) / 1024.0;
    Results()[claims] = {absl::ToDoubleSeconds(end - start), peak};
    store->reset();
    fs::remove_all(dir);
    state.ResumeTiming();
  }
}
BENCHMARK(BM_CreateApproveExport)
    ->Arg(10'000)
    ->Arg(100'000)
    ->Iterations(1)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace
}  // namespace reciprocity

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  const auto& results = reciprocity::Results();
  auto small = results.find(10'000), large = results.find(100'000);
  if (small == results.end() || large == results.end()) return 0;
  const double ratio = static_cast<double>(large->second.peak_kib) /
                       static_cast<double>(small->second.peak_kib);
  std::printf(
      "100,000 claims: %.2f s (target < 3 s) %s\n"
      "peak memory: 10,000 -> %.1f MiB, 100,000 -> %.1f MiB, ratio %.2f "
      "(target <= 1.20) %s\n",
      large->second.seconds, large->second.seconds < 3 ? "MET" : "MISSED",
      small->second.peak_kib / 1024.0, large->second.peak_kib / 1024.0, ratio,
      ratio <= 1.2 ? "MET" : "MISSED");
  return 0;
}
