// Random operations against a real server over a real channel, checked
// against an in-memory model after every step. Seeded: a failure prints its
// seed, and RECIP_RANDOM_FIRST_SEED=<seed> RECIP_RANDOM_SEEDS=1 replays it.
// RECIP_RANDOM_SEEDS and RECIP_RANDOM_OPS set the size (CI: 200 x 200; the
// long form is 1000 x 1000).
//
// Invariants checked: every stored claim equals the model's and keeps the
// decision's arithmetic (whole pence, never negative, totals are the sum of
// lines); every state change is a legal one; retries answer as the first
// time and change nothing; a batch takes exactly the approved claims no
// live batch holds, so no claim is ever in two; its total, and its export's
// control totals, equal the sum of its claims' allowed amounts; BATCHED and
// PAID come only through a batch; the audit log verifies, every record as
// the last event that wrote it says.
#include "tests/server/random_ops.h"

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "base/logging.h"
#include "gtest/gtest.h"
#include "tests/util/test_server.h"

namespace reciprocity::testing {
namespace {

using random_ops::RandomRun;

int EnvInt(const char* name, int fallback) {
  const char* value = std::getenv(name);
  return value != nullptr && *value != '\0' ? std::atoi(value) : fallback;
}

// Runs one seed on a fresh server, so that it replays exactly on its own
// (policy decisions depend on earlier claims: budgets, mileage tiers).
// Returns false at the first failure.
bool RunSeed(int seed, int ops) {
  TestServer server;
  RandomRun run(server, static_cast<uint64_t>(seed));
  for (int op = 0; op < ops; ++op) {
    SCOPED_TRACE(absl::StrCat("seed ", seed, ", operation ", op,
                              " (replay: RECIP_RANDOM_FIRST_SEED=", seed,
                              " RECIP_RANDOM_SEEDS=1)"));
    run.Step(op);
    if (op % 50 == 49 || op == ops - 1) run.CheckGlobal();
    // Every failure message carries the trace above, naming the seed. A
    // failure in any seed stops them all.
    if (::testing::Test::HasFailure()) return false;
  }
  return true;
}

TEST(RandomOpsTest, ServerAgreesWithModelAfterEveryStep) {
  const int seeds = EnvInt("RECIP_RANDOM_SEEDS", 200);
  const int ops = EnvInt("RECIP_RANDOM_OPS", 200);
  const int first_seed = EnvInt("RECIP_RANDOM_FIRST_SEED", 1);
  // Seeds run side by side: each waits mostly on its own server's fsyncs.
  const int threads = std::max(1, EnvInt("RECIP_RANDOM_THREADS", 8));
  InitLogging("warn");  // once, before the servers start in parallel
  std::atomic<int> next_seed{first_seed};
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&] {
      for (int seed = next_seed++; seed < first_seed + seeds;
           seed = next_seed++) {
        if (!RunSeed(seed, ops)) return;
      }
    });
  }
  for (std::thread& worker : workers) worker.join();
  random_ops::PrintCounts();
}

}  // namespace
}  // namespace reciprocity::testing
