// SignInStore over its own SQLite connection, serialised by a mutex: every
// call is one short transaction.
#include <SQLiteCpp/SQLiteCpp.h>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "server/store/sign_in_store.h"
#include "server/store/sqlite_errors.h"

namespace reciprocity::store {
namespace {

constexpr char kSchema[] = R"sql(
CREATE TABLE IF NOT EXISTS sign_in_codes (
  code_hash TEXT PRIMARY KEY,
  principal TEXT NOT NULL,
  issued_by TEXT NOT NULL,
  create_time_micros INTEGER NOT NULL,
  expire_time_micros INTEGER NOT NULL,
  used_time_micros INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS web_sessions (
  token_hash TEXT PRIMARY KEY,
  principal TEXT NOT NULL,
  create_time_micros INTEGER NOT NULL,
  last_used_micros INTEGER NOT NULL,
  expire_time_micros INTEGER NOT NULL
);
)sql";

class SqliteSignInStore final : public SignInStore {
 public:
  explicit SqliteSignInStore(std::unique_ptr<SQLite::Database> db)
      : db_(std::move(db)) {}

  absl::Status InsertCode(const SignInCodeRow& code) override {
    return Run([&](SQLite::Database& db) {
      // A dead code with the same hash (used or expired) may be replaced.
      SQLite::Statement drop(db,
                             "DELETE FROM sign_in_codes WHERE code_hash = ? "
                             "AND (used_time_micros != 0 OR "
                             "expire_time_micros <= ?)");
      drop.bind(1, code.code_hash);
      drop.bind(2, static_cast<int64_t>(code.create_time_micros));
      drop.exec();
      SQLite::Statement insert(
          db,
          "INSERT INTO sign_in_codes (code_hash, principal, issued_by, "
          "create_time_micros, expire_time_micros) VALUES (?, ?, ?, ?, ?)");
      insert.bind(1, code.code_hash);
      insert.bind(2, code.principal);
      insert.bind(3, code.issued_by);
      insert.bind(4, static_cast<int64_t>(code.create_time_micros));
      insert.bind(5, static_cast<int64_t>(code.expire_time_micros));
      insert.exec();
      return absl::OkStatus();
    });
  }

  absl::StatusOr<SignInSessionRow> RedeemCode(
      const std::string& code_hash, int64_t now_micros,
      SignInSessionRow session) override {
    absl::Status s = Run([&](SQLite::Database& db) -> absl::Status {
      SQLite::Statement find(db,
                             "SELECT principal FROM sign_in_codes WHERE "
                             "code_hash = ? AND used_time_micros = 0 AND "
                             "expire_time_micros > ?");
      find.bind(1, code_hash);
      find.bind(2, static_cast<int64_t>(now_micros));
      if (!find.executeStep()) {
        return absl::NotFoundError("no such live code");
      }
      session.principal = find.getColumn(0).getString();
      SQLite::Statement use(db,
                            "UPDATE sign_in_codes SET used_time_micros = ? "
                            "WHERE code_hash = ?");
      use.bind(1, static_cast<int64_t>(now_micros));
      use.bind(2, code_hash);
      use.exec();
      InsertSessionRow(db, session);
      return absl::OkStatus();
    });
    if (!s.ok()) return s;
    return session;
  }

  absl::Status InsertSession(const SignInSessionRow& session) override {
    return Run([&](SQLite::Database& db) {
      InsertSessionRow(db, session);
      return absl::OkStatus();
    });
  }

  absl::StatusOr<SignInSessionRow> TouchSession(const std::string& token_hash,
                                                int64_t now_micros,
                                                int64_t idle_micros) override {
    SignInSessionRow row;
    absl::Status s = Run([&](SQLite::Database& db) -> absl::Status {
      SQLite::Statement find(
          db,
          "SELECT principal, create_time_micros, last_used_micros, "
          "expire_time_micros FROM web_sessions WHERE token_hash = ?");
      find.bind(1, token_hash);
      if (!find.executeStep()) return absl::NotFoundError("no such session");
      row.token_hash = token_hash;
      row.principal = find.getColumn(0).getString();
      row.create_time_micros = find.getColumn(1).getInt64();
      row.last_used_micros = find.getColumn(2).getInt64();
      row.expire_time_micros = find.getColumn(3).getInt64();
      find.reset();
      if (now_micros >= row.expire_time_micros ||
          now_micros - row.last_used_micros > idle_micros) {
        SQLite::Statement drop(db,
                               "DELETE FROM web_sessions WHERE token_hash = ?");
        drop.bind(1, token_hash);
        drop.exec();
        return absl::NotFoundError("the session has ended");
      }
      // Writing on every call would cost a commit each: a minute is
      // precise enough for an idle timeout counted in minutes.
      if (now_micros - row.last_used_micros >= 60'000'000) {
        SQLite::Statement touch(
            db,
            "UPDATE web_sessions SET last_used_micros = ? WHERE token_hash = "
            "?");
        touch.bind(1, static_cast<int64_t>(now_micros));
        touch.bind(2, token_hash);
        touch.exec();
        row.last_used_micros = now_micros;
      }
      return absl::OkStatus();
    });
    if (!s.ok()) return s;
    return row;
  }

  absl::Status DeleteSession(const std::string& token_hash) override {
    return Run([&](SQLite::Database& db) {
      SQLite::Statement drop(db,
                             "DELETE FROM web_sessions WHERE token_hash = ?");
      drop.bind(1, token_hash);
      drop.exec();
      return absl::OkStatus();
    });
  }

 private:
  static void InsertSessionRow(SQLite::Database& db,
                               const SignInSessionRow& session) {
    SQLite::Statement insert(
        db,
        "INSERT INTO web_sessions (token_hash, principal, create_time_micros, "
        "last_used_micros, expire_time_micros) VALUES (?, ?, ?, ?, ?)");
    insert.bind(1, session.token_hash);
    insert.bind(2, session.principal);
    insert.bind(3, static_cast<int64_t>(session.create_time_micros));
    insert.bind(4, static_cast<int64_t>(session.last_used_micros));
    insert.bind(5, static_cast<int64_t>(session.expire_time_micros));
    insert.exec();
  }

  // Runs `fn` on the database in one IMMEDIATE transaction, committed when
  // it returns OK.
  template <typename Fn>
  absl::Status Run(Fn fn) {
    absl::MutexLock lock(&mu_);
    try {
      SQLite::Transaction transaction(*db_,
                                      SQLite::TransactionBehavior::IMMEDIATE);
      absl::Status s = fn(*db_);
      if (s.ok()) transaction.commit();
      return s;
    } catch (const SQLite::Exception& e) {
      return FromSqlite(e);
    }
  }

  absl::Mutex mu_;
  const std::unique_ptr<SQLite::Database> db_ ABSL_PT_GUARDED_BY(mu_);
};

}  // namespace

absl::StatusOr<std::unique_ptr<SignInStore>> SignInStore::Open(
    const std::string& path, int busy_timeout_ms) {
  try {
    auto db = std::make_unique<SQLite::Database>(
        path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE, busy_timeout_ms);
    db->exec(kSchema);
    return std::unique_ptr<SignInStore>(
        std::make_unique<SqliteSignInStore>(std::move(db)));
  } catch (const SQLite::Exception& e) {
    return FromSqlite(e);
  }
}

}  // namespace reciprocity::store
