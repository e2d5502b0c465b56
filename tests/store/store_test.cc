// The SQLite store against a real database file.
#include "server/store/store.h"

#include <sqlite3.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <map>
#include <stdexcept>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/blocking_counter.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/util/status_matchers.h"
#include "tests/util/test_server.h"

namespace reciprocity::store {
namespace {

using ::reciprocity::testing::IsOk;
using ::reciprocity::testing::StatusIs;
using ::reciprocity::testing::TempDir;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::SizeIs;

ClaimRow Row(const std::string& participant, const std::string& date,
             int64_t allowed) {
  ClaimRow row;
  row.participant_id = participant;
  row.area_id = "adult-social-care";
  row.project_id = "ld-user-voice";
  row.session_date = date;
  row.state = 3;
  row.claimed_total_pence = allowed;
  row.allowed_total_pence = allowed;
  row.entered_by = "tester";
  row.request_id = "r";
  row.body = std::string("\x00\x01binary", 8);
  return row;
}

class StoreTest : public ::testing::Test {
 protected:
  std::unique_ptr<Store> Open() {
    StoreOptions options;
    options.path = (dir_.path() / "test.db").string();
    auto store = Store::Open(options);
    EXPECT_THAT(store.status(), IsOk());
    return store.ok() ? *std::move(store) : nullptr;
  }
  int64_t Insert(Store& store, const ClaimRow& row) {
    int64_t id = 0;
    EXPECT_THAT(store.Write([&](WriteTransaction& tx) -> absl::Status {
      auto inserted = tx.InsertClaim(row);
      if (!inserted.ok()) return inserted.status();
      id = *inserted;
      return absl::OkStatus();
    }),
                IsOk());
    return id;
  }
  TempDir dir_;
};

TEST_F(StoreTest, ClaimsRoundTripIncludingBinaryBodies) {
  auto store = Open();
  const int64_t id = Insert(*store, Row("p-1", "2026-11-18", 320));
  ClaimRow read;
  ASSERT_THAT(store->Read([&](ReadTransaction& tx) -> absl::Status {
    auto row = tx.GetClaim(id);
    if (!row.ok()) return row.status();
    read = *row;
    return absl::OkStatus();
  }),
              IsOk());
  EXPECT_EQ(read.participant_id, "p-1");
  EXPECT_EQ(read.allowed_total_pence, 320);
  EXPECT_EQ(read.body, std::string("\x00\x01binary", 8));
}

TEST_F(StoreTest, MissingClaimIsNotFound) {
  auto store = Open();
  EXPECT_THAT(
      store->Read([](ReadTransaction& tx) { return tx.GetClaim(42).status(); }),
      StatusIs(absl::StatusCode::kNotFound));
}

TEST_F(StoreTest, FailedWorkLeavesNothingBehind) {
  auto store = Open();
  EXPECT_THAT(store->Write([&](WriteTransaction& tx) -> absl::Status {
    auto id = tx.InsertClaim(Row("p-1", "2026-11-18", 320));
    if (!id.ok()) return id.status();
    return absl::FailedPreconditionError("changed my mind");
  }),
              StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_THAT(store->Read([](ReadTransaction& tx) -> absl::Status {
    auto rows = tx.ListClaims(ClaimFilter());
    if (!rows.ok()) return rows.status();
    return rows->empty() ? absl::OkStatus()
                         : absl::InternalError("row was kept");
  }),
              IsOk());
}

TEST_F(StoreTest, NegativeMoneyIsRefusedByTheSchema) {
  auto store = Open();
  EXPECT_THAT(store->Write([&](WriteTransaction& tx) {
    return tx.InsertClaim(Row("p-1", "2026-11-18", -1)).status();
  }),
              StatusIs(absl::StatusCode::kFailedPrecondition));
}

TEST_F(StoreTest, SumsCountOnlyTheGivenStatesAndDates) {
  auto store = Open();
  Insert(*store, Row("p-1", "2026-04-05", 100));  // previous tax year
  Insert(*store, Row("p-1", "2026-04-06", 200));
  ClaimRow withdrawn = Row("p-1", "2026-05-01", 400);
  withdrawn.state = 5;
  Insert(*store, withdrawn);
  int64_t sum = -1;
  ASSERT_THAT(store->Read([&](ReadTransaction& tx) -> absl::Status {
    auto s = tx.SumAllowedPence("adult-social-care", "ld-user-voice",
                                "2026-04-06", "2027-04-05", {3});
    if (!s.ok()) return s.status();
    sum = *s;
    return absl::OkStatus();
  }),
              IsOk());
  EXPECT_EQ(sum, 200);
}

TEST_F(StoreTest, SumsFollowClaimsAsTheyChange) {
  auto store = Open();
  ClaimRow row = Row("p-1", "2026-05-01", 300);
  row.car_tenths = 120;
  row.state = 2;  // needs review: not yet committed money
  row.id = Insert(*store, row);
  Insert(*store, Row("p-2", "2026-05-02", 50));
  auto sums = [&](int64_t* pence, int64_t* tenths) {
    ASSERT_THAT(store->Read([&](ReadTransaction& tx) -> absl::Status {
      auto p = tx.SumAllowedPence("adult-social-care", "ld-user-voice",
                                  "2026-04-01", "2027-03-31", {3});
      if (!p.ok()) return p.status();
      auto t = tx.SumCarTenths("p-1", "2026-04-06", "2027-04-05", {2, 3});
      if (!t.ok()) return t.status();
      *pence = *p;
      *tenths = *t;
      return absl::OkStatus();
    }),
                IsOk());
  };
  int64_t pence = -1, tenths = -1;
  sums(&pence, &tenths);
  EXPECT_EQ(pence, 50);
  EXPECT_EQ(tenths, 120);

  row.state = 3;  // approved, reduced on review
  row.allowed_total_pence = 250;
  ASSERT_THAT(
      store->Write([&](WriteTransaction& tx) { return tx.UpdateClaim(row); }),
      IsOk());
  sums(&pence, &tenths);
  EXPECT_EQ(pence, 300);
  EXPECT_EQ(tenths, 120);

  row.state = 5;  // withdrawn: counts nowhere
  ASSERT_THAT(
      store->Write([&](WriteTransaction& tx) { return tx.UpdateClaim(row); }),
      IsOk());
  sums(&pence, &tenths);
  EXPECT_EQ(pence, 50);
  EXPECT_EQ(tenths, 0);
}

TEST_F(StoreTest, RequestIdsAreRememberedOnce) {
  auto store = Open();
  RequestRow row{"req-1", "p", "SubmitClaim", "hash", "response", 1};
  ASSERT_THAT(
      store->Write([&](WriteTransaction& tx) { return tx.SaveRequest(row); }),
      IsOk());
  EXPECT_THAT(
      store->Write([&](WriteTransaction& tx) { return tx.SaveRequest(row); }),
      StatusIs(absl::StatusCode::kAlreadyExists));
}

TEST_F(StoreTest, ConcurrentWritersAreAllCommittedExactlyOnce) {
  auto store = Open();
  constexpr int kThreads = 8, kEach = 50;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        // Every third piece of work fails; it must not affect the others
        // committed in the same group.
        absl::Status s =
            store->Write([&](WriteTransaction& tx) -> absl::Status {
              auto id = tx.InsertClaim(
                  Row("p-" + std::to_string(t), "2026-11-18", 1));
              if (!id.ok()) return id.status();
              return i % 3 == 0 ? absl::AbortedError("no") : absl::OkStatus();
            });
        EXPECT_EQ(s.ok(), i % 3 != 0);
      }
    });
  }
  for (auto& th : threads) th.join();
  int64_t total = 0;
  ASSERT_THAT(store->Read([&](ReadTransaction& tx) -> absl::Status {
    auto s = tx.SumAllowedPence("adult-social-care", "ld-user-voice",
                                "2026-01-01", "2026-12-31", {3});
    if (!s.ok()) return s.status();
    total = *s;
    return absl::OkStatus();
  }),
              IsOk());
  EXPECT_EQ(total, kThreads * (kEach - (kEach + 2) / 3));

  // Every write, failed or not, was carried by exactly one group commit.
  auto stats = store->GetWriteStats();
  ASSERT_THAT(stats.status(), IsOk());
  EXPECT_EQ(stats->writes_per_commit.sum, kThreads * kEach);
  EXPECT_GE(stats->writes_per_commit.count, 1);
  EXPECT_LE(stats->writes_per_commit.count, kThreads * kEach);
  EXPECT_EQ(stats->commit_seconds.count, stats->writes_per_commit.count);
  EXPECT_GT(stats->commit_seconds.sum, 0);
  int64_t in_buckets = 0;
  for (int64_t n : stats->commit_seconds.counts) in_buckets += n;
  EXPECT_EQ(in_buckets, stats->commit_seconds.count);
  EXPECT_EQ(stats->storage_failures, 0);
  EXPECT_EQ(stats->refused, 0);
  EXPECT_EQ(stats->waiting, 0);
}

TEST_F(StoreTest, WriteAsyncAnswersEachCallerAfterItsCommit) {
  auto store = Open();
  constexpr int kWrites = 200;
  absl::Mutex mu;
  std::map<int, absl::Status> answers;  // by write
  std::map<int, bool> visible;          // was it readable when answered?
  absl::BlockingCounter answered(kWrites);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = t; i < kWrites; i += 4) {
        store->WriteAsync(
            [i](WriteTransaction& tx) -> absl::Status {
              ClaimRow row = Row("p-" + std::to_string(i), "2026-11-18", i);
              auto id = tx.InsertClaim(row);
              if (!id.ok()) return id.status();
              // Every fifth fails after writing: its row must not stay.
              return i % 5 == 0 ? absl::FailedPreconditionError("no")
                                : absl::OkStatus();
            },
            [&, i](absl::Status s) {
              // Answered only once committed: another connection sees it.
              bool seen = false;
              EXPECT_THAT(store->Read([&](ReadTransaction& tx) -> absl::Status {
                ClaimFilter filter;
                filter.participant_id = "p-" + std::to_string(i);
                auto rows = tx.ListClaims(filter);
                if (!rows.ok()) return rows.status();
                seen = !rows->empty();
                return absl::OkStatus();
              }),
                          IsOk());
              absl::MutexLock lock(&mu);
              answers[i] = std::move(s);
              visible[i] = seen;
              answered.DecrementCount();
            });
      }
    });
  }
  for (auto& th : threads) th.join();
  answered.Wait();
  absl::MutexLock lock(&mu);
  ASSERT_THAT(answers, SizeIs(kWrites));
  for (int i = 0; i < kWrites; ++i) {
    if (i % 5 == 0) {
      EXPECT_THAT(answers[i], StatusIs(absl::StatusCode::kFailedPrecondition))
          << i;
      EXPECT_FALSE(visible[i]) << i;
    } else {
      EXPECT_THAT(answers[i], IsOk()) << i;
      EXPECT_TRUE(visible[i]) << "write " << i << " answered before commit";
    }
  }
}

// What the audit event of each piece of work records: the records that
// piece wrote, each once, and not those of a piece before it in the same
// group commit, whether that piece failed (its writes undone) or
// succeeded without taking its own.
TEST_F(StoreTest, EachPieceOfWorkTakesOnlyTheRecordsItWrote) {
  auto store = Open();
  const int64_t shared = Insert(*store, Row("p-0", "2026-11-18", 1));
  constexpr int kWrites = 300;
  absl::Mutex mu;
  std::map<int, std::vector<std::string>> taken;  // by write
  std::map<int, int64_t> ids;
  absl::BlockingCounter answered(kWrites);
  for (int i = 0; i < kWrites; ++i) {
    store->WriteAsync(
        [&, i](WriteTransaction& tx) -> absl::Status {
          if (i % 3 == 0) {
            auto row = tx.GetClaim(shared);
            if (!row.ok()) return row.status();
            row->allowed_total_pence = i;
            absl::Status updated = tx.UpdateClaim(*row);
            if (!updated.ok()) return updated;
            return absl::FailedPreconditionError("undone");
          }
          ClaimRow row = Row("p-" + std::to_string(i), "2026-11-18", i);
          auto id = tx.InsertClaim(row);
          if (!id.ok()) return id.status();
          if (i % 3 == 1) return absl::OkStatus();  // takes nothing
          row.id = *id;
          row.allowed_total_pence = 0;
          absl::Status updated = tx.UpdateClaim(row);
          if (!updated.ok()) return updated;
          std::vector<std::string> names;
          for (int take = 0; take < 2; ++take) {
            absl::Status s =
                tx.TakeWrittenRecords([&](const RecordContent& record) {
                  names.push_back(record.record);
                  return absl::OkStatus();
                });
            if (!s.ok()) return s;
          }
          absl::MutexLock lock(&mu);
          taken[i] = std::move(names);
          ids[i] = *id;
          return absl::OkStatus();
        },
        [&](absl::Status) { answered.DecrementCount(); });
  }
  answered.Wait();
  absl::MutexLock lock(&mu);
  EXPECT_THAT(taken, SizeIs(kWrites / 3));
  for (const auto& [i, names] : taken) {
    EXPECT_THAT(names, ElementsAre(absl::StrCat("claims/", ids[i]))) << i;
  }
}

// A record's content is every column of it: what a write takes is what a
// scan reads, and a change to any column (here, moving into a batch)
// changes it.
TEST_F(StoreTest, RecordContentsAreTheRowsAsStored) {
  auto store = Open();
  std::map<std::string, std::string> written;
  auto take = [&](WriteTransaction& tx) {
    return tx.TakeWrittenRecords([&](const RecordContent& record) {
      written[record.record] = record.content;
      return absl::OkStatus();
    });
  };
  ASSERT_THAT(store->Write([&](WriteTransaction& tx) -> absl::Status {
    ParticipantRow participant;
    participant.id = "p-0001";
    participant.participant_type = 1;
    participant.payment_preference = 1;
    participant.state = 1;
    participant.body = "x";
    absl::Status s = tx.InsertParticipant(participant);
    if (!s.ok()) return s;
    for (int i = 0; i < 2; ++i) {
      auto id = tx.InsertClaim(Row("p-0001", "2026-11-18", 100 + i));
      if (!id.ok()) return id.status();
    }
    return take(tx);
  }),
              IsOk());
  std::map<std::string, std::string> scanned;
  auto scan = [&] {
    scanned.clear();
    return store->Read([&](ReadTransaction& tx) {
      return tx.ScanRecordContents([&](const RecordContent& record) {
        scanned[record.record] = record.content;
        return absl::OkStatus();
      });
    });
  };
  ASSERT_THAT(scan(), IsOk());
  EXPECT_EQ(scanned, written);
  EXPECT_THAT(scanned, SizeIs(3));
  EXPECT_NE(scanned["claims/1"], scanned["claims/2"]);

  const std::string before = written["claims/1"];
  written.clear();
  ASSERT_THAT(store->Write([&](WriteTransaction& tx) -> absl::Status {
    BatchRow batch;
    batch.body = "b";
    auto id = tx.InsertBatch(batch);
    if (!id.ok()) return id.status();
    auto moved = tx.MoveClaimsIntoBatchById({1}, 3, *id, 4, 5000, "");
    if (!moved.ok()) return moved.status();
    BatchPaymentRow payment;
    payment.batch_id = *id;
    payment.payee = "p-0001";
    payment.claim_id = 1;
    payment.amount_pence = 100;
    absl::Status s = tx.InsertBatchPayment(payment);
    if (!s.ok()) return s;
    return take(tx);
  }),
              IsOk());
  EXPECT_THAT(written, SizeIs(3));  // the claim, the batch, its payments
  EXPECT_NE(written["claims/1"], before);
  ASSERT_THAT(scan(), IsOk());
  for (const auto& [record, content] : written) {
    EXPECT_EQ(scanned[record], content) << record;
  }
  EXPECT_THAT(scanned, SizeIs(5));
}

TEST_F(StoreTest, ClosingTheStoreFinishesQueuedWritesFirst) {
  constexpr int kWrites = 300;
  std::atomic<int> ok{0}, answered{0};
  {
    auto store = Open();
    for (int i = 0; i < kWrites; ++i) {
      store->WriteAsync(
          [i](WriteTransaction& tx) -> absl::Status {
            return tx.InsertClaim(Row("p-1", "2026-11-18", i)).status();
          },
          [&](absl::Status s) {
            if (s.ok()) ++ok;
            ++answered;
          });
    }
  }  // closed with writes still queued
  EXPECT_EQ(answered.load(), kWrites);
  EXPECT_EQ(ok.load(), kWrites);
  auto store = Open();
  auto counts = store->CountClaimsByState();
  ASSERT_THAT(counts.status(), IsOk());
  EXPECT_EQ((*counts)[3], kWrites);
}

TEST_F(StoreTest, WritesBeyondTheQueueLimitAreRefusedAtOnce) {
  StoreOptions options;
  options.path = (dir_.path() / "test.db").string();
  options.max_queued_writes = 4;
  auto store = Store::Open(options);
  ASSERT_THAT(store.status(), IsOk());
  // Hold the writer inside a first write, so that the others wait.
  absl::Notification started, release;
  absl::BlockingCounter answered(1 + 4);
  absl::Mutex mu;
  std::vector<absl::Status> answers;
  auto record = [&](absl::Status s) {
    absl::MutexLock lock(&mu);
    answers.push_back(std::move(s));
    answered.DecrementCount();
  };
  (*store)->WriteAsync(
      [&](WriteTransaction& tx) -> absl::Status {
        started.Notify();
        release.WaitForNotification();
        return tx.InsertClaim(Row("p-0", "2026-11-18", 1)).status();
      },
      record);
  started.WaitForNotification();
  auto insert = [](WriteTransaction& tx) -> absl::Status {
    return tx.InsertClaim(Row("p-1", "2026-11-18", 1)).status();
  };
  for (int i = 0; i < 4; ++i) (*store)->WriteAsync(insert, record);
  // The queue is full: the next is refused without waiting for the writer.
  absl::Status refused = absl::OkStatus();
  (*store)->WriteAsync(insert, [&](absl::Status s) { refused = std::move(s); });
  EXPECT_THAT(refused, StatusIs(absl::StatusCode::kUnavailable,
                                HasSubstr("try again with the same request")));
  auto stats = (*store)->GetWriteStats();
  ASSERT_THAT(stats.status(), IsOk());
  EXPECT_EQ(stats->refused, 1);
  EXPECT_EQ(stats->waiting, 4);
  release.Notify();
  answered.Wait();
  absl::MutexLock lock(&mu);
  for (const absl::Status& s : answers) EXPECT_THAT(s, IsOk());
  // And once the queue drains, writes are taken again.
  EXPECT_THAT((*store)->Write(insert), IsOk());
}

TEST_F(StoreTest, WorkThatThrowsFailsAloneAndTheStoreCarriesOn) {
  auto store = Open();
  EXPECT_THAT(store->Write([](WriteTransaction& tx) -> absl::Status {
    auto id = tx.InsertClaim(Row("p-1", "2026-11-18", 5));
    if (!id.ok()) return id.status();
    throw std::out_of_range("a bug");
  }),
              StatusIs(absl::StatusCode::kInternal));
  Insert(*store, Row("p-2", "2026-11-18", 7));
  auto counts = store->CountClaimsByState();
  ASSERT_THAT(counts.status(), IsOk());
  EXPECT_EQ((*counts)[3], 1);  // only the second
}

TEST_F(StoreTest, CheckpointsKeepTheWalShortWhileTheStoreIsOpen) {
  // Commits leave their pages in the WAL; checkpoints copy them into the
  // database file so the WAL can start again from the top. Without them the
  // file would not grow until the store closed and the WAL would grow
  // instead. (Checkpointing on a background thread was tried: under a
  // steady stream of commits it never catches up to the WAL's end, so the
  // WAL is never restarted and grows without bound.)
  auto store = Open();
  const auto db = dir_.path() / "test.db";
  const auto wal = dir_.path() / "test.db-wal";
  const auto before = std::filesystem::file_size(db);
  ClaimRow row = Row("p-1", "2026-11-18", 1);
  row.body = std::string(3000, 'x');  // most of a 4 KiB page each
  for (int i = 0; i < 1500; ++i) Insert(*store, row);
  // About 4.5 MB of claims (some 50 MB of WAL frames without checkpoints).
  bool copied = false;
  for (int tries = 0; tries < 100 && !copied; ++tries) {
    copied = std::filesystem::file_size(db) > before + 2'000'000;
    if (!copied) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_TRUE(copied) << "database file " << std::filesystem::file_size(db)
                      << " bytes, WAL " << std::filesystem::file_size(wal);
  EXPECT_LT(std::filesystem::file_size(wal), 16'000'000u);
}

TEST_F(StoreTest, OpensInWalModeWithFullSyncAndCurrentSchema) {
  { auto store = Open(); }
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open((dir_.path() / "test.db").c_str(), &db), SQLITE_OK);
  auto pragma = [&](const char* sql) {
    sqlite3_stmt* stmt = nullptr;
    sqlite3_prepare_v2(db, sql, -1, &stmt, nullptr);
    sqlite3_step(stmt);
    std::string value =
        reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
    sqlite3_finalize(stmt);
    return value;
  };
  EXPECT_EQ(pragma("PRAGMA journal_mode"), "wal");
  EXPECT_EQ(pragma("PRAGMA user_version"),
            std::to_string(Store::CurrentSchemaVersion()));
  sqlite3_close(db);
}

TEST_F(StoreTest, ADatabaseFromANewerVersionIsRefused) {
  { auto store = Open(); }
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open((dir_.path() / "test.db").c_str(), &db), SQLITE_OK);
  ASSERT_EQ(
      sqlite3_exec(db, "PRAGMA user_version = 999", nullptr, nullptr, nullptr),
      SQLITE_OK);
  sqlite3_close(db);
  StoreOptions options;
  options.path = (dir_.path() / "test.db").string();
  EXPECT_THAT(
      Store::Open(options).status(),
      StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("newer")));
}

}  // namespace
}  // namespace reciprocity::store
