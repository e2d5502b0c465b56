// One SQLite connection and a cache of its prepared statements. Internal to
// the SQLite store: only sqlite_*.cc include this header.
//
// SQLite compiles each SQL text into a statement; doing that once per
// connection instead of once per call saves tens of microseconds a query. A
// statement is taken out of the cache while in use (a Prepared) and goes back
// reset when the Prepared is destroyed, so two uses of the same SQL at once
// (a scan whose callback runs the same query) each get their own statement,
// and evicting from the cache never frees a statement someone is using. This
// is the design of rusqlite's prepare_cached.
#ifndef RECIPROCITY_SERVER_STORE_SQLITE_CONNECTION_H_
#define RECIPROCITY_SERVER_STORE_SQLITE_CONNECTION_H_

#include <SQLiteCpp/SQLiteCpp.h>

#include <memory>
#include <string>
#include <unordered_map>
#include <utility>

namespace reciprocity::store {

class Connection;

// A prepared statement borrowed from a Connection's cache.
class Prepared {
 public:
  Prepared(Connection* owner, std::string sql,
           std::unique_ptr<SQLite::Statement> statement)
      : owner_(owner), sql_(std::move(sql)), statement_(std::move(statement)) {}
  Prepared(Prepared&&) = default;
  Prepared& operator=(Prepared&&) = delete;
  ~Prepared();

  SQLite::Statement& operator*() { return *statement_; }
  SQLite::Statement* operator->() { return statement_.get(); }

 private:
  Connection* owner_;
  std::string sql_;
  std::unique_ptr<SQLite::Statement> statement_;
};

// Used by one thread at a time.
class Connection {
 public:
  explicit Connection(std::unique_ptr<SQLite::Database> db)
      : db_(std::move(db)) {}
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  SQLite::Database& db() { return *db_; }

  // The compiled statement for `sql`, with no bindings, ready to step.
  // Throws SQLite::Exception if the SQL does not compile.
  Prepared Prepare(const std::string& sql) {
    auto it = idle_.find(sql);
    if (it == idle_.end()) {
      return Prepared(this, sql,
                      std::make_unique<SQLite::Statement>(*db_, sql));
    }
    std::unique_ptr<SQLite::Statement> statement = std::move(it->second);
    idle_.erase(it);
    return Prepared(this, sql, std::move(statement));
  }

  // Runs a statement without results (BEGIN, SAVEPOINT, COMMIT, ...).
  void Exec(const std::string& sql) { Prepare(sql)->exec(); }

 private:
  friend class Prepared;
  // Listings build their SQL from the filters given, so the number of
  // distinct texts is bounded but not small: cap the cache.
  static constexpr size_t kMaxIdle = 256;

  void Return(std::string sql,
              std::unique_ptr<SQLite::Statement> statement) noexcept {
    // The last step's error was already reported to its caller.
    (void)statement->tryReset();
    try {
      statement->clearBindings();
    } catch (const SQLite::Exception&) {
      return;  // Not reusable: finalize it.
    }
    if (idle_.size() >= kMaxIdle) idle_.clear();
    idle_.emplace(std::move(sql), std::move(statement));
  }

  std::unique_ptr<SQLite::Database> db_;
  // Declared after db_, so statements are finalized before the database
  // closes. Every statement here is reset: none holds a transaction open.
  std::unordered_map<std::string, std::unique_ptr<SQLite::Statement>> idle_;
};

inline Prepared::~Prepared() {
  if (statement_ != nullptr)
    owner_->Return(std::move(sql_), std::move(statement_));
}

}  // namespace reciprocity::store

#endif  // RECIPROCITY_SERVER_STORE_SQLITE_CONNECTION_H_
