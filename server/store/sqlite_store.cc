// The SQLite implementation of Store: opening and migrating the database,
// the group-commit writer and the readers. What each table does is in the
// transaction (transaction.h); nothing outside server/store includes
// SQLiteCpp.
//
// Durability: WAL mode with synchronous=FULL, so a commit is on disk before
// Write returns (or WriteAsync calls back). To keep throughput under
// concurrency, writes use group commit: callers queue their work, one writer
// thread runs everything queued in one transaction (each piece inside its own
// SAVEPOINT, so one piece failing does not undo another), commits once (one
// fsync) and then tells every caller in the group its own result.
#include <SQLiteCpp/SQLiteCpp.h>
#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <deque>
#include <exception>
#include <iterator>
#include <new>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "server/store/guards.h"
#include "server/store/schema.h"
#include "server/store/sqlite_connection.h"
#include "server/store/sqlite_errors.h"
#include "server/store/store.h"
#include "server/store/transaction.h"

namespace reciprocity::store {
namespace {

void Configure(SQLite::Database& db) {
  db.exec("PRAGMA journal_mode = WAL");
  // FULL: a commit reaches the disk before it is acknowledged, so an
  // acknowledged claim survives power loss, not only a crash.
  db.exec("PRAGMA synchronous = FULL");
  db.exec("PRAGMA foreign_keys = ON");
  // Deleted and overwritten content is zeroed, not left in free space, so
  // that anonymising a participant removes their data from the file.
  db.exec("PRAGMA secure_delete = ON");
}

absl::Status Migrate(SQLite::Database& db) {
  const auto& migrations = Migrations();
  const int target = static_cast<int>(migrations.size());
  int version = db.execAndGet("PRAGMA user_version").getInt();
  if (version > target) {
    return absl::FailedPreconditionError(absl::StrCat(
        "the database has schema version ", version,
        " but this reciprocityd understands up to ", target,
        ": it was written by a newer Reciprocity; use that version or "
        "restore a backup"));
  }
  while (version < target) {
    SQLite::Transaction tx(db, SQLite::TransactionBehavior::IMMEDIATE);
    db.exec(std::string(migrations[version]));
    ++version;
    db.exec(absl::StrCat("PRAGMA user_version = ", version));
    tx.commit();
  }
  return absl::OkStatus();
}

class SqliteStore final : public Store {
 public:
  explicit SqliteStore(const StoreOptions& options) : options_(options) {}

  absl::Status Init() {
    return Guard([&] {
      OpenWriter();
      absl::Status s = Migrate(writer_->db());
      if (!s.ok()) return s;
      for (int i = 0; i < std::max(1, options_.read_connections); ++i) {
        auto reader =
            std::make_unique<Connection>(std::make_unique<SQLite::Database>(
                options_.path, SQLite::OPEN_READONLY | SQLite::OPEN_NOMUTEX,
                options_.busy_timeout_ms, options_.vfs_name));
        readers_.Add(std::move(reader));
      }
      finisher_thread_ = std::thread([this] { FinisherLoop(); });
      writer_thread_ = std::thread([this] { WriterLoop(); });
      return absl::OkStatus();
    });
  }

  ~SqliteStore() override {
    {
      absl::MutexLock lock(&queue_mu_);
      stopping_ = true;
    }
    if (writer_thread_.joinable()) writer_thread_.join();
    {
      absl::MutexLock lock(&finished_mu_);
      finisher_stopping_ = true;
    }
    if (finisher_thread_.joinable()) finisher_thread_.join();
  }

  absl::Status Write(
      const std::function<absl::Status(WriteTransaction&)>& fn) override {
    absl::Status result;
    absl::Notification committed;
    WriteAsync(std::cref(fn), [&](absl::Status s) {
      result = std::move(s);
      committed.Notify();
    });
    committed.WaitForNotification();
    return result;
  }

  void WriteAsync(std::function<absl::Status(WriteTransaction&)> fn,
                  std::function<void(absl::Status)> done) override {
    {
      absl::MutexLock lock(&queue_mu_);
      if (queue_.size() < static_cast<size_t>(options_.max_queued_writes)) {
        queue_.push_back(
            Writer{std::move(fn), std::move(done), absl::OkStatus()});
        return;
      }
      ++refused_;
    }
    // Operators see how often in reciprocity_store_refused_writes_total.
    done(absl::UnavailableError(
        "the server is busy right now: try again with the same request id "
        "in a moment"));
  }

  absl::StatusOr<WriteStats> GetWriteStats() override {
    WriteStats stats;
    {
      absl::MutexLock lock(&stats_mu_);
      stats.commit_seconds = commit_seconds_;
      stats.writes_per_commit = writes_per_commit_;
      stats.storage_failures = storage_failures_;
    }
    absl::MutexLock lock(&queue_mu_);
    stats.refused = refused_;
    stats.waiting = static_cast<int64_t>(queue_.size());
    return stats;
  }

  absl::Status Read(
      const std::function<absl::Status(ReadTransaction&)>& fn) override {
    ReaderLease reader = readers_.Borrow();
    return Guard([&] {
      TransactionGuard snapshot(*reader, "BEGIN");
      SqliteTransaction tx(*reader);
      absl::Status inner = fn(tx);
      snapshot.Commit();
      return inner;
    });
  }

  absl::StatusOr<DatabaseInfo> Backup(const std::string& dest_path) override {
    return BackupDatabase(options_.path, dest_path);
  }

  absl::Status EraseOverwrittenPages() override {
    // A connection of its own: the writer may be in a transaction, and a
    // checkpoint cannot run inside one. TRUNCATE waits (busy timeout) for
    // the writer and for readers of older snapshots, copies every page into
    // the file and cuts the WAL to nothing.
    return Guard([&] {
      SQLite::Database db(options_.path,
                          SQLite::OPEN_READWRITE | SQLite::OPEN_NOMUTEX,
                          options_.busy_timeout_ms, options_.vfs_name);
      Configure(db);
      SQLite::Statement q(db, "PRAGMA wal_checkpoint(TRUNCATE)");
      q.executeStep();
      if (q.getColumn(0).getInt() != 0) {
        return absl::UnavailableError(
            "the database is busy: old copies of overwritten pages remain "
            "in the write-ahead log until the next checkpoint");
      }
      return absl::OkStatus();
    });
  }

  absl::StatusOr<std::map<int, int64_t>> CountClaimsByState() override {
    std::map<int, int64_t> counts;
    ReaderLease reader = readers_.Borrow();
    absl::Status s = Guard([&] {
      Prepared prepared =
          reader->Prepare("SELECT state, COUNT(*) FROM claims GROUP BY state");
      SQLite::Statement& q = *prepared;
      while (q.executeStep()) {
        counts[q.getColumn(0).getInt()] = q.getColumn(1).getInt64();
      }
      return absl::OkStatus();
    });
    if (!s.ok()) return s;
    return counts;
  }

  absl::StatusOr<std::map<int, BatchTotals>> CountBatchesByState() override {
    std::map<int, BatchTotals> totals;
    ReaderLease reader = readers_.Borrow();
    absl::Status s = Guard([&] {
      Prepared prepared = reader->Prepare(
          "SELECT b.state, COUNT(*), COALESCE(SUM(p.pence), 0) FROM batches b "
          "LEFT JOIN (SELECT batch_id, SUM(amount_pence) AS pence "
          "FROM batch_payments GROUP BY batch_id) p ON p.batch_id = b.id "
          "GROUP BY b.state");
      SQLite::Statement& q = *prepared;
      while (q.executeStep()) {
        totals[q.getColumn(0).getInt()] = {q.getColumn(1).getInt64(),
                                           q.getColumn(2).getInt64()};
      }
      return absl::OkStatus();
    });
    if (!s.ok()) return s;
    return totals;
  }

 private:
  struct Writer {
    std::function<absl::Status(WriteTransaction&)> fn;
    std::function<void(absl::Status)> done;
    absl::Status status;
  };
  static constexpr size_t kMaxBatch = 256;

  // With `mu` held, waits until `pending` has work or `stopping` is set;
  // false when stopping with nothing left to do.
  template <typename Container>
  static bool AwaitWork(absl::Mutex& mu, const bool& stopping,
                        const Container& pending) {
    struct Watched {
      const bool* stopping;
      const Container* pending;
      bool Ready() const { return *stopping || !pending->empty(); }
    } watched{&stopping, &pending};
    mu.Await(absl::Condition(&watched, &Watched::Ready));
    return !pending.empty();
  }

  // The writer thread: takes everything queued (up to a limit) as one
  // group, commits it once and hands it to the finisher. Callers queue
  // while a group commits, so the next group is as large as the load: the
  // fsync is shared by more claims as the load grows.
  void WriterLoop() {
    std::vector<Writer> batch;
    while (true) {
      {
        absl::MutexLock lock(&queue_mu_);
        if (!AwaitWork(queue_mu_, stopping_, queue_)) return;
        const size_t n = std::min(queue_.size(), kMaxBatch);
        batch.assign(std::make_move_iterator(queue_.begin()),
                     std::make_move_iterator(queue_.begin() + n));
        queue_.erase(queue_.begin(), queue_.begin() + n);
      }
      const auto start = std::chrono::steady_clock::now();
      const bool stored = RunBatch(batch);
      const double seconds = std::chrono::duration<double>(
                                 std::chrono::steady_clock::now() - start)
                                 .count();
      {
        absl::MutexLock lock(&stats_mu_);
        commit_seconds_.Add(seconds);
        writes_per_commit_.Add(static_cast<double>(batch.size()));
        if (!stored) ++storage_failures_;
      }
      absl::MutexLock lock(&finished_mu_);
      std::move(batch.begin(), batch.end(), std::back_inserter(finished_));
      batch.clear();
    }
  }

  // The finisher thread: tells each caller of a committed group its result
  // and frees the group's work, while the writer runs the next group.
  // Answering a gRPC call and freeing a claim's messages took a fifth of
  // the writer's time.
  void FinisherLoop() {
    std::vector<Writer> group;
    while (true) {
      {
        absl::MutexLock lock(&finished_mu_);
        if (!AwaitWork(finished_mu_, finisher_stopping_, finished_)) return;
        group.swap(finished_);
      }
      for (Writer& w : group) w.done(std::move(w.status));
      group.clear();
    }
  }

  // Throws SQLite::Exception when the database cannot be opened.
  void OpenWriter() {
    writer_ = std::make_unique<Connection>(std::make_unique<SQLite::Database>(
        options_.path,
        SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE | SQLite::OPEN_NOMUTEX,
        options_.busy_timeout_ms, options_.vfs_name));
    Configure(writer_->db());
  }

  // Runs each writer's work in its own savepoint inside one transaction and
  // commits once. If the storage itself fails, every writer in the batch gets
  // the failure: nobody is told OK for work that was not committed. False
  // after such a failure.
  bool RunBatch(std::vector<Writer>& batch) {
    if (writer_ == nullptr) {
      // The last batch failed in storage: start again on a fresh connection
      // (a full disk may have room again).
      absl::Status reopened = Guard([&] {
        OpenWriter();
        return absl::OkStatus();
      });
      if (!reopened.ok()) {
        writer_.reset();
        for (Writer& w : batch) w.status = reopened;
        return false;
      }
    }
    Connection& connection = *writer_;
    SQLite::Database& db = connection.db();
    // A piece of work alone in its transaction needs no savepoint: if it
    // fails, the transaction is rolled back. In a group, each piece has a
    // savepoint, and SQLite journals the pages a savepoint may have to undo.
    // That journal spills to a temporary file past 64 KiB, which a claim's
    // savepoint just passes: 30 write system calls a claim, more than its
    // commit. Groups keep it in memory; work alone keeps the default, so a
    // batch of 100,000 claims still spills rather than holding its pages.
    const bool alone = batch.size() == 1;
    absl::Status storage = Guard([&] {
      connection.Exec(alone ? "PRAGMA temp_store = DEFAULT"
                            : "PRAGMA temp_store = MEMORY");
      // Rolls back on every way out but the commits below, exceptions too.
      TransactionGuard group(connection, "BEGIN IMMEDIATE");
      SqliteTransaction tx(connection);
      for (Writer& w : batch) {
        if (!alone) connection.Exec("SAVEPOINT work");
        tx.ForgetWrittenRecords();
        try {
          w.status = w.fn(tx);
        } catch (const SQLite::Exception& e) {
          w.status = FromSqlite(e);
        } catch (const std::bad_alloc&) {
          throw;  // a storage failure for the whole group (Guard)
        } catch (const std::exception&) {
          // A bug in this piece of work: fail it alone (its savepoint is
          // rolled back) rather than end the writer thread.
          w.status =
              absl::InternalError("an internal error stopped this write");
        }
        if (sqlite3_get_autocommit(db.getHandle())) {
          // SQLite rolled back the whole transaction (e.g. disk full).
          return w.status.ok() ? absl::UnavailableError("transaction lost")
                               : w.status;
        }
        if (alone) {
          if (w.status.ok()) {
            group.Commit();
          } else {
            group.Rollback();
          }
          return absl::OkStatus();
        }
        if (!w.status.ok()) connection.Exec("ROLLBACK TO work");
        connection.Exec("RELEASE work");
      }
      group.Commit();
      return absl::OkStatus();
    });
    if (!storage.ok()) {
      for (Writer& w : batch) w.status = storage;
      // After an I/O error SQLite may keep the connection in an error state
      // or holding locks; a fresh connection is the sure way back.
      writer_.reset();
    }
    return storage.ok();
  }

  const StoreOptions options_;
  // Only the writer thread touches writer_ once it has started; null after a
  // storage failure until the next batch reopens it.
  std::unique_ptr<Connection> writer_;

  absl::Mutex queue_mu_;
  std::deque<Writer> queue_ ABSL_GUARDED_BY(queue_mu_);
  bool stopping_ ABSL_GUARDED_BY(queue_mu_) = false;
  int64_t refused_ ABSL_GUARDED_BY(queue_mu_) = 0;  // queue full
  // Committed (or failed) work whose callers have not been told yet.
  absl::Mutex finished_mu_;
  std::vector<Writer> finished_ ABSL_GUARDED_BY(finished_mu_);
  bool finisher_stopping_ ABSL_GUARDED_BY(finished_mu_) = false;
  // Write statistics (GetWriteStats).
  absl::Mutex stats_mu_;
  Histogram commit_seconds_ ABSL_GUARDED_BY(stats_mu_){
      {0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5}};
  Histogram writes_per_commit_ ABSL_GUARDED_BY(stats_mu_){
      {1, 2, 4, 8, 16, 32, 64, 128, 256}};
  int64_t storage_failures_ ABSL_GUARDED_BY(stats_mu_) = 0;
  // Declared last: started when Init succeeds, joined by the destructor
  // (writer first, then finisher) before anything they use goes away.
  std::thread finisher_thread_;
  std::thread writer_thread_;

  ReaderPool readers_;
};

}  // namespace

absl::StatusOr<std::unique_ptr<Store>> Store::Open(
    const StoreOptions& options) {
  auto store = std::make_unique<SqliteStore>(options);
  absl::Status s = store->Init();
  if (!s.ok()) return s;
  return store;
}

int Store::CurrentSchemaVersion() {
  return static_cast<int>(Migrations().size());
}

}  // namespace reciprocity::store