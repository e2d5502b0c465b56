// The SQLite implementation of Store: the only file that includes SQLiteCpp.
//
// Durability: WAL mode with synchronous=FULL, so a commit is on disk before
// Write returns. To keep throughput under concurrency, writes use group
// commit in the style of LevelDB's writer queue: callers queue their work,
// the first in line runs a whole batch of queued work in one transaction
// (each piece inside its own SAVEPOINT, so one piece failing does not undo
// another), commits once (one fsync) and then wakes every caller in the
// batch with its own result.
#include <SQLiteCpp/SQLiteCpp.h>
#include <sqlite3.h>

#include <deque>
#include <string>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "server/store/schema.h"
#include "server/store/store.h"

namespace reciprocity::store {
namespace {

absl::Status FromSqlite(const SQLite::Exception& e) {
  const int code = e.getErrorCode();
  switch (code) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return absl::UnavailableError(
          absl::StrCat("database is busy, try again: ", e.what()));
    case SQLITE_FULL:
      return absl::ResourceExhaustedError(
          absl::StrCat("database disk is full: ", e.what()));
    case SQLITE_IOERR:
    case SQLITE_CANTOPEN:
    case SQLITE_READONLY:
      return absl::UnavailableError(
          absl::StrCat("database storage error: ", e.what()));
    case SQLITE_CONSTRAINT:
      return absl::FailedPreconditionError(
          absl::StrCat("database constraint: ", e.what()));
    default:
      return absl::InternalError(absl::StrCat("database error: ", e.what()));
  }
}

// Runs `fn`, turning SQLite exceptions into a Status.
template <typename Fn>
absl::Status Guard(Fn&& fn) {
  try {
    return fn();
  } catch (const SQLite::Exception& e) {
    return FromSqlite(e);
  } catch (const std::bad_alloc&) {
    return absl::ResourceExhaustedError("out of memory");
  }
}

std::string StatesList(const std::vector<int>& states) {
  std::string out;
  for (int s : states) absl::StrAppend(&out, out.empty() ? "" : ",", s);
  return out.empty() ? "-1" : out;
}

constexpr char kClaimColumns[] =
    "id, participant_id, area_id, project_id, session_id, session_date, "
    "state, claimed_total_pence, allowed_total_pence, car_tenths, entered_by, "
    "request_id, create_time_micros, update_time_micros, body";

ClaimRow ReadClaim(SQLite::Statement& q) {
  ClaimRow r;
  r.id = q.getColumn(0).getInt64();
  r.participant_id = q.getColumn(1).getString();
  r.area_id = q.getColumn(2).getString();
  r.project_id = q.getColumn(3).getString();
  r.session_id = q.getColumn(4).getString();
  r.session_date = q.getColumn(5).getString();
  r.state = q.getColumn(6).getInt();
  r.claimed_total_pence = q.getColumn(7).getInt64();
  r.allowed_total_pence = q.getColumn(8).getInt64();
  r.car_tenths = q.getColumn(9).getInt64();
  r.entered_by = q.getColumn(10).getString();
  r.request_id = q.getColumn(11).getString();
  r.create_time_micros = q.getColumn(12).getInt64();
  r.update_time_micros = q.getColumn(13).getInt64();
  r.body = q.getColumn(14).getString();
  return r;
}

void BindClaim(SQLite::Statement& q, const ClaimRow& r) {
  q.bind(":participant_id", r.participant_id);
  q.bind(":area_id", r.area_id);
  q.bind(":project_id", r.project_id);
  q.bind(":session_id", r.session_id);
  q.bind(":session_date", r.session_date);
  q.bind(":state", r.state);
  q.bind(":claimed", r.claimed_total_pence);
  q.bind(":allowed", r.allowed_total_pence);
  q.bind(":car_tenths", r.car_tenths);
  q.bind(":entered_by", r.entered_by);
  q.bind(":request_id", r.request_id);
  q.bind(":create_time", r.create_time_micros);
  q.bind(":update_time", r.update_time_micros);
  q.bind(":body", r.body.data(), static_cast<int>(r.body.size()));
}

// Reads and writes on one connection that is already inside a transaction.
class SqliteTransaction final : public WriteTransaction {
 public:
  explicit SqliteTransaction(SQLite::Database& db) : db_(db) {}

  absl::StatusOr<ClaimRow> GetClaim(int64_t id) override {
    ClaimRow row;
    absl::Status s = Guard([&] {
      SQLite::Statement q(db_, absl::StrCat("SELECT ", kClaimColumns,
                                            " FROM claims WHERE id = ?"));
      q.bind(1, id);
      if (!q.executeStep()) {
        return absl::NotFoundError(absl::StrCat("claims/", id, " not found"));
      }
      row = ReadClaim(q);
      return absl::OkStatus();
    });
    if (!s.ok()) return s;
    return row;
  }

  absl::StatusOr<std::vector<ClaimRow>> ListClaims(
      const ClaimFilter& f) override {
    std::vector<ClaimRow> rows;
    absl::Status s = Guard([&] {
      std::string sql = absl::StrCat("SELECT ", kClaimColumns,
                                     " FROM claims WHERE id > :after");
      if (!f.participant_id.empty())
        sql += " AND participant_id = :participant";
      if (!f.area_id.empty()) sql += " AND area_id = :area";
      if (!f.project_id.empty()) sql += " AND project_id = :project";
      if (!f.area_ids_in.empty()) {
        sql += " AND area_id IN (";
        for (size_t i = 0; i < f.area_ids_in.size(); ++i) {
          absl::StrAppend(&sql, i ? ", " : "", ":in", i);
        }
        sql += ")";
      }
      if (f.state != 0) sql += " AND state = :state";
      if (!f.session_date_from.empty()) sql += " AND session_date >= :from";
      if (!f.session_date_to.empty()) sql += " AND session_date <= :to";
      sql += " ORDER BY id LIMIT :limit";
      SQLite::Statement q(db_, sql);
      q.bind(":after", f.after_id);
      if (!f.participant_id.empty()) q.bind(":participant", f.participant_id);
      if (!f.area_id.empty()) q.bind(":area", f.area_id);
      if (!f.project_id.empty()) q.bind(":project", f.project_id);
      for (size_t i = 0; i < f.area_ids_in.size(); ++i) {
        q.bind(absl::StrCat(":in", i), f.area_ids_in[i]);
      }
      if (f.state != 0) q.bind(":state", f.state);
      if (!f.session_date_from.empty()) q.bind(":from", f.session_date_from);
      if (!f.session_date_to.empty()) q.bind(":to", f.session_date_to);
      q.bind(":limit", f.limit);
      while (q.executeStep()) rows.push_back(ReadClaim(q));
      return absl::OkStatus();
    });
    if (!s.ok()) return s;
    return rows;
  }

  absl::StatusOr<int64_t> SumCarTenths(
      const std::string& participant_id, const std::string& from,
      const std::string& to, const std::vector<int>& states) override {
    return SumColumn("car_tenths", "participant_id = :key", participant_id, "",
                     from, to, states);
  }

  absl::StatusOr<int64_t> SumAllowedPence(
      const std::string& area_id, const std::string& project_id,
      const std::string& from, const std::string& to,
      const std::vector<int>& states) override {
    return SumColumn("allowed_total_pence",
                     "area_id = :key AND project_id = :key2", area_id,
                     project_id, from, to, states);
  }

  absl::StatusOr<std::optional<RequestRow>> FindRequest(
      const std::string& request_id) override {
    std::optional<RequestRow> found;
    absl::Status s = Guard([&] {
      SQLite::Statement q(
          db_,
          "SELECT principal_id, method, request_hash, response, "
          "create_time_micros FROM requests WHERE request_id = ?");
      q.bind(1, request_id);
      if (q.executeStep()) {
        RequestRow r;
        r.request_id = request_id;
        r.principal_id = q.getColumn(0).getString();
        r.method = q.getColumn(1).getString();
        r.request_hash = q.getColumn(2).getString();
        r.response = q.getColumn(3).getString();
        r.create_time_micros = q.getColumn(4).getInt64();
        found = std::move(r);
      }
      return absl::OkStatus();
    });
    if (!s.ok()) return s;
    return found;
  }

  absl::StatusOr<int64_t> InsertClaim(const ClaimRow& row) override {
    int64_t id = 0;
    absl::Status s = Guard([&] {
      SQLite::Statement q(
          db_,
          "INSERT INTO claims (participant_id, area_id, project_id, "
          "session_id, "
          "session_date, state, claimed_total_pence, allowed_total_pence, "
          "car_tenths, entered_by, request_id, create_time_micros, "
          "update_time_micros, body) VALUES (:participant_id, :area_id, "
          ":project_id, :session_id, :session_date, :state, :claimed, "
          ":allowed, "
          ":car_tenths, :entered_by, :request_id, :create_time, :update_time, "
          ":body)");
      BindClaim(q, row);
      q.exec();
      id = db_.getLastInsertRowid();
      return absl::OkStatus();
    });
    if (!s.ok()) return s;
    return id;
  }

  absl::Status UpdateClaim(const ClaimRow& row) override {
    return Guard([&] {
      SQLite::Statement q(
          db_,
          "UPDATE claims SET participant_id = :participant_id, area_id = "
          ":area_id, project_id = :project_id, session_id = :session_id, "
          "session_date = :session_date, state = :state, claimed_total_pence = "
          ":claimed, allowed_total_pence = :allowed, car_tenths = :car_tenths, "
          "entered_by = :entered_by, request_id = :request_id, "
          "create_time_micros = :create_time, update_time_micros = "
          ":update_time, body = :body WHERE id = :id");
      BindClaim(q, row);
      q.bind(":id", row.id);
      if (q.exec() != 1) {
        return absl::NotFoundError(
            absl::StrCat("claims/", row.id, " not found"));
      }
      return absl::OkStatus();
    });
  }

  absl::Status SaveRequest(const RequestRow& row) override {
    return Guard([&] {
      SQLite::Statement q(
          db_,
          "INSERT OR IGNORE INTO requests (request_id, principal_id, method, "
          "request_hash, response, create_time_micros) VALUES (?, ?, ?, ?, ?, "
          "?)");
      q.bind(1, row.request_id);
      q.bind(2, row.principal_id);
      q.bind(3, row.method);
      q.bind(4, row.request_hash);
      q.bind(5, row.response.data(), static_cast<int>(row.response.size()));
      q.bind(6, row.create_time_micros);
      if (q.exec() != 1) {
        return absl::AlreadyExistsError(
            absl::StrCat("request_id ", row.request_id, " was already used"));
      }
      return absl::OkStatus();
    });
  }

  absl::Status SavePolicyVersion(const std::string& version,
                                 const std::string& area_id,
                                 const std::string& content,
                                 int64_t loaded_time_micros) override {
    return Guard([&] {
      SQLite::Statement q(
          db_,
          "INSERT OR IGNORE INTO policy_versions (version, "
          "area_id, content, loaded_time_micros) VALUES (?, ?, ?, ?)");
      q.bind(1, version);
      q.bind(2, area_id);
      q.bind(3, content);
      q.bind(4, loaded_time_micros);
      q.exec();
      return absl::OkStatus();
    });
  }

 private:
  absl::StatusOr<int64_t> SumColumn(const char* column, const char* key_clause,
                                    const std::string& key,
                                    const std::string& key2,
                                    const std::string& from,
                                    const std::string& to,
                                    const std::vector<int>& states) {
    int64_t total = 0;
    absl::Status s = Guard([&] {
      SQLite::Statement q(
          db_, absl::StrCat("SELECT COALESCE(SUM(", column,
                            "), 0) FROM claims ", "WHERE ", key_clause,
                            " AND session_date >= :from AND session_date <= :to"
                            " AND state IN (",
                            StatesList(states), ")"));
      q.bind(":key", key);
      if (!key2.empty()) q.bind(":key2", key2);
      q.bind(":from", from);
      q.bind(":to", to);
      q.executeStep();
      total = q.getColumn(0).getInt64();
      return absl::OkStatus();
    });
    if (!s.ok()) return s;
    return total;
  }

  SQLite::Database& db_;
};

void Configure(SQLite::Database& db) {
  db.exec("PRAGMA journal_mode = WAL");
  // FULL: a commit reaches the disk before it is acknowledged, so an
  // acknowledged claim survives power loss, not only a crash.
  db.exec("PRAGMA synchronous = FULL");
  db.exec("PRAGMA foreign_keys = ON");
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
      writer_ = std::make_unique<SQLite::Database>(
          options_.path,
          SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE | SQLite::OPEN_NOMUTEX,
          options_.busy_timeout_ms);
      Configure(*writer_);
      absl::Status s = Migrate(*writer_);
      if (!s.ok()) return s;
      for (int i = 0; i < std::max(1, options_.read_connections); ++i) {
        auto reader = std::make_unique<SQLite::Database>(
            options_.path, SQLite::OPEN_READONLY | SQLite::OPEN_NOMUTEX,
            options_.busy_timeout_ms);
        idle_readers_.push_back(reader.get());
        readers_.push_back(std::move(reader));
      }
      return absl::OkStatus();
    });
  }

  absl::Status Write(
      const std::function<absl::Status(WriteTransaction&)>& fn) override {
    Writer self{&fn, absl::OkStatus(), false};
    absl::MutexLock lock(&queue_mu_);
    queue_.push_back(&self);
    // Wait until our work is done by another leader, or we lead.
    WaitTurn turn{&self, &queue_};
    queue_mu_.Await(absl::Condition(&turn, &WaitTurn::Ready));
    if (self.done) return self.status;

    // We lead: take everything queued so far (up to a limit) as one batch.
    std::vector<Writer*> batch(
        queue_.begin(),
        queue_.begin() + std::min<size_t>(queue_.size(), kMaxBatch));
    queue_mu_.Unlock();
    RunBatch(batch);
    queue_mu_.Lock();
    for (Writer* w : batch) {
      queue_.pop_front();
      w->done = true;
    }
    return self.status;
  }

  absl::Status Read(
      const std::function<absl::Status(ReadTransaction&)>& fn) override {
    SQLite::Database* db = AcquireReader();
    absl::Status s = Guard([&] {
      db->exec("BEGIN");
      SqliteTransaction tx(*db);
      absl::Status inner = fn(tx);
      db->exec("COMMIT");
      return inner;
    });
    if (!s.ok() && !sqlite3_get_autocommit(db->getHandle())) {
      (void)Guard([&] {
        db->exec("ROLLBACK");
        return absl::OkStatus();
      });
    }
    ReleaseReader(db);
    return s;
  }

  absl::StatusOr<DatabaseInfo> Backup(const std::string& dest_path) override {
    return BackupDatabase(options_.path, dest_path);
  }

  absl::StatusOr<std::map<int, int64_t>> CountClaimsByState() override {
    std::map<int, int64_t> counts;
    SQLite::Database* db = AcquireReader();
    absl::Status s = Guard([&] {
      SQLite::Statement q(*db,
                          "SELECT state, COUNT(*) FROM claims GROUP BY state");
      while (q.executeStep()) {
        counts[q.getColumn(0).getInt()] = q.getColumn(1).getInt64();
      }
      return absl::OkStatus();
    });
    ReleaseReader(db);
    if (!s.ok()) return s;
    return counts;
  }

 private:
  struct Writer {
    const std::function<absl::Status(WriteTransaction&)>* fn;
    absl::Status status;
    bool done = false;
  };
  struct WaitTurn {
    Writer* self;
    const std::deque<Writer*>* queue;
    bool Ready() const { return self->done || queue->front() == self; }
  };
  static constexpr size_t kMaxBatch = 256;

  // Runs each writer's work in its own savepoint inside one transaction and
  // commits once. If the storage itself fails, every writer in the batch gets
  // the failure: nobody is told OK for work that was not committed.
  void RunBatch(const std::vector<Writer*>& batch) {
    SQLite::Database& db = *writer_;
    absl::Status storage = Guard([&] {
      db.exec("BEGIN IMMEDIATE");
      SqliteTransaction tx(db);
      for (Writer* w : batch) {
        db.exec("SAVEPOINT work");
        try {
          w->status = (*w->fn)(tx);
        } catch (const SQLite::Exception& e) {
          w->status = FromSqlite(e);
        }
        if (sqlite3_get_autocommit(db.getHandle())) {
          // SQLite rolled back the whole transaction (e.g. disk full).
          return w->status.ok() ? absl::UnavailableError("transaction lost")
                                : w->status;
        }
        if (w->status.ok()) {
          db.exec("RELEASE work");
        } else {
          db.exec("ROLLBACK TO work");
          db.exec("RELEASE work");
        }
      }
      db.exec("COMMIT");
      return absl::OkStatus();
    });
    if (!storage.ok()) {
      if (!sqlite3_get_autocommit(db.getHandle())) {
        (void)Guard([&] {
          db.exec("ROLLBACK");
          return absl::OkStatus();
        });
      }
      for (Writer* w : batch) w->status = storage;
    }
  }

  SQLite::Database* AcquireReader() {
    absl::MutexLock lock(&readers_mu_);
    readers_mu_.Await(absl::Condition(
        +[](std::vector<SQLite::Database*>* idle) { return !idle->empty(); },
        &idle_readers_));
    SQLite::Database* db = idle_readers_.back();
    idle_readers_.pop_back();
    return db;
  }

  void ReleaseReader(SQLite::Database* db) {
    absl::MutexLock lock(&readers_mu_);
    idle_readers_.push_back(db);
  }

  const StoreOptions options_;
  // Only the current batch leader touches writer_.
  std::unique_ptr<SQLite::Database> writer_;

  absl::Mutex queue_mu_;
  std::deque<Writer*> queue_ ABSL_GUARDED_BY(queue_mu_);

  absl::Mutex readers_mu_;
  std::vector<std::unique_ptr<SQLite::Database>> readers_;
  std::vector<SQLite::Database*> idle_readers_ ABSL_GUARDED_BY(readers_mu_);
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
