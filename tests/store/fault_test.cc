// Disk faults: a write or sync that fails makes the affected Write fail with
// UNAVAILABLE or RESOURCE_EXHAUSTED (never OK), leaves no half-written
// record, and the store works again once the fault clears. Swept over N, the
// position of the failing call.
#include <sqlite3.h>

#include <iostream>
#include <map>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/store/store.h"
#include "tests/store/faulty_vfs.h"
#include "tests/util/status_matchers.h"
#include "tests/util/test_server.h"

namespace reciprocity::store {
namespace {

using ::reciprocity::store::testing::FaultyVfs;
using ::reciprocity::testing::IsOk;
using ::reciprocity::testing::TempDir;
using ::testing::AnyOf;
using ::testing::Eq;

constexpr int kWritesPerRun = 8;

// What one Write stores: a claim and its remembered request, together.
absl::Status WriteRecord(Store& store, int n) {
  return store.Write([&](WriteTransaction& tx) -> absl::Status {
    ClaimRow row;
    row.participant_id = absl::StrCat("p-", n);
    row.area_id = "adult-social-care";
    row.project_id = "ld-user-voice";
    row.session_date = "2026-11-18";
    row.state = 3;
    row.claimed_total_pence = 100 + n;
    row.allowed_total_pence = 100 + n;
    row.entered_by = "tester";
    row.request_id = absl::StrCat("r-", n);
    row.body = std::string(200, static_cast<char>('a' + n % 26));
    auto id = tx.InsertClaim(row);
    if (!id.ok()) return id.status();
    RequestRow request;
    request.request_id = row.request_id;
    request.principal_id = "tester";
    request.method = "SubmitClaim";
    request.request_hash = "h";
    request.response = absl::StrCat(*id);
    return tx.SaveRequest(request);
  });
}

// Whether record n is stored; fails the test if only half of it is.
absl::StatusOr<bool> RecordPresent(Store& store, int n) {
  bool claim = false, request = false;
  absl::Status s = store.Read([&](ReadTransaction& tx) -> absl::Status {
    ClaimFilter filter;
    filter.participant_id = absl::StrCat("p-", n);
    auto rows = tx.ListClaims(filter);
    if (!rows.ok()) return rows.status();
    claim = !rows->empty();
    if (claim && ((*rows)[0].allowed_total_pence != 100 + n ||
                  (*rows)[0].body.size() != 200)) {
      return absl::DataLossError(absl::StrCat("record ", n, " is damaged"));
    }
    auto found = tx.FindRequest(absl::StrCat("r-", n));
    if (!found.ok()) return found.status();
    request = found->has_value();
    return absl::OkStatus();
  });
  if (!s.ok()) return s;
  if (claim != request) {
    return absl::DataLossError(absl::StrCat("record ", n, " is half written"));
  }
  return claim;
}

std::string IntegrityCheck(const std::string& path) {
  sqlite3* db = nullptr;
  std::string result;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) ==
      SQLITE_OK) {
    sqlite3_exec(
        db, "PRAGMA integrity_check",
        [](void* out, int, char** values, char**) {
          static_cast<std::string*>(out)->append(values[0] ? values[0] : "");
          return 0;
        },
        &result, nullptr);
  }
  sqlite3_close(db);
  return result;
}

struct Fault {
  const char* name;
  FaultyVfs::Op op;
  int error;
  bool sticky;  // a full disk stays full until space is freed
  int max_n;    // sweep N = 1..max_n
};

class FaultSweepTest : public ::testing::TestWithParam<Fault> {};

TEST_P(FaultSweepTest, FailedWritesReportAndLeaveNothingAndStoreRecovers) {
  const Fault& fault = GetParam();
  FaultyVfs& vfs = FaultyVfs::Get();
  int faults_hit = 0;
  int64_t failed_commits = 0;  // as the store counts them for metrics
  std::map<absl::StatusCode, int> outcomes;  // of the writes under fault
  for (int n = 1; n <= fault.max_n; ++n) {
    SCOPED_TRACE(absl::StrCat(fault.name, ", failing call ", n));
    TempDir dir;
    StoreOptions options;
    options.path = (dir.path() / "fault.db").string();
    options.vfs_name = FaultyVfs::kName;
    std::vector<bool> ok(kWritesPerRun + 1, false);
    {
      auto store = Store::Open(options);
      ASSERT_THAT(store.status(), IsOk());
      vfs.FailNth(fault.op, n, fault.error, fault.sticky);
      for (int i = 0; i < kWritesPerRun; ++i) {
        const int failures_before = vfs.failures();
        absl::Status s = WriteRecord(**store, i);
        const bool affected = vfs.failures() != failures_before;
        if (affected) {
          ++faults_hit;
          EXPECT_THAT(s.code(), AnyOf(Eq(absl::StatusCode::kUnavailable),
                                      Eq(absl::StatusCode::kResourceExhausted)))
              << "write " << i << " hit the fault but returned " << s;
        } else {
          EXPECT_THAT(s, IsOk()) << "write " << i;
        }
        ok[i] = s.ok();
        ++outcomes[s.code()];
        auto present = RecordPresent(**store, i);
        ASSERT_THAT(present.status(), IsOk());
        EXPECT_EQ(*present, s.ok()) << "write " << i << " returned " << s;
      }
      // Space returns: the same store takes writes again.
      vfs.Clear();
      EXPECT_THAT(WriteRecord(**store, kWritesPerRun), IsOk());
      ok[kWritesPerRun] = true;
      auto stats = (*store)->GetWriteStats();
      ASSERT_THAT(stats.status(), IsOk());
      failed_commits += stats->storage_failures;
    }
    // Reopened from the disk (no fault), every acknowledged record is there
    // and none is half written. A record whose commit failed only at the
    // sync may come back on reopening: its caller was told it failed and a
    // retry with the same request id returns it, so no claim is doubled.
    options.vfs_name.clear();
    auto store = Store::Open(options);
    ASSERT_THAT(store.status(), IsOk());
    for (int i = 0; i <= kWritesPerRun; ++i) {
      auto present = RecordPresent(**store, i);
      ASSERT_THAT(present.status(), IsOk());
      if (ok[i]) {
        EXPECT_TRUE(*present) << "acknowledged record " << i;
      }
      if (!ok[i] && fault.op == FaultyVfs::Op::kWrite) {
        EXPECT_FALSE(*present) << "failed record " << i;
      }
    }
    store->reset();
    EXPECT_EQ(IntegrityCheck(options.path), "ok");
  }
  // The sweep must actually have hit writes, not only idle calls, and the
  // metrics count the commits the disk failed.
  EXPECT_GE(faults_hit, fault.max_n / 2);
  EXPECT_GT(failed_commits, 0);
  std::string summary;
  for (const auto& [code, count] : outcomes) {
    absl::StrAppend(&summary, " ", absl::StatusCodeToString(code), "=", count);
  }
  std::cout << fault.name << ": N=1.." << fault.max_n << ", " << faults_hit
            << " calls failed; writes:" << summary << std::endl;
}

INSTANTIATE_TEST_SUITE_P(
    Faults, FaultSweepTest,
    ::testing::Values(Fault{"IoErrorOnWrite", FaultyVfs::Op::kWrite,
                            SQLITE_IOERR_WRITE, false, 40},
                      Fault{"DiskFullOnWrite", FaultyVfs::Op::kWrite,
                            SQLITE_FULL, true, 40},
                      Fault{"IoErrorOnSync", FaultyVfs::Op::kSync,
                            SQLITE_IOERR_FSYNC, false, 10}),
    [](const ::testing::TestParamInfo<Fault>& info) {
      return std::string(info.param.name);
    });

}  // namespace
}  // namespace reciprocity::store
